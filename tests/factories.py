"""Small builders for test data through the models (no HTTP)."""

from __future__ import annotations

from adapters.db import db
from adapters.models import Department, Region, User
from web.auth import hash_password

PASSWORD = "correct horse battery"


def region(code="130100", name="石家庄市", level="city", parent=None) -> Region:
    r = db.session.get(Region, code)
    if r is None:
        r = Region(code=code, name=name, level=level, parent_code=parent)
        db.session.add(r)
        db.session.flush()
    return r


def department(name="市场监管局", level="city", region_code="130100") -> Department:
    region(region_code) if region_code == "130100" else None
    d = Department(name=name, level=level, region_code=region_code)
    db.session.add(d)
    db.session.flush()
    return d


def user(username: str, roles: list[str], department_id: int | None = None, password: str = PASSWORD) -> User:
    u = User(
        username=username,
        display_name=username,
        password_hash=hash_password(password),
        department_id=department_id,
    )
    u.set_roles(roles)
    db.session.add(u)
    db.session.flush()
    return u


def login(client, username: str, password: str = PASSWORD):
    """Log in through the real form, with its CSRF token."""
    import re

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def csrf_token(client, path: str = "/") -> str:
    import re

    page = client.get(path).get_data(as_text=True)
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return m.group(1) if m else ""


def client(app):
    """A test client that starts every request with a clean `g`.

    The `app` fixture keeps one application context open for the whole test and Flask reuses it
    for the test client's requests, so `g` would carry what flask-login and Flask-WTF cache there
    (the current user, the CSRF token) and the bearer-token flag from one request into the next:
    into another client, or past a logout or a deactivation."""
    from flask.testing import FlaskClient

    class IsolatedClient(FlaskClient):
        def open(self, *args, **kwargs):
            from flask import g, has_app_context

            if has_app_context():
                for name in ("_login_user", "csrf_token", "via_token"):
                    g.pop(name, None)
            return super().open(*args, **kwargs)

    return IsolatedClient(app, app.response_class, use_cookies=True)


def api_token(user: User, name: str = "test client") -> str:
    """A bearer token for `user` (committed), as an admin would create it."""
    from web.auth import new_api_token

    token = new_api_token(user, name, None)
    db.session.commit()
    return token


def uscc(n: int, area: str = "130100") -> str:
    """The n-th valid 统一社会信用代码 of a made-up enterprise (n < 10**8)."""
    from engine.identifiers import make_uscc

    return make_uscc("9", "1", area, f"{n:08d}")


def pilot_uscc(n: int) -> str:
    """A code whose only fault is its check character (an early pilot code)."""
    from engine.identifiers import USCC_ALPHABET

    good = uscc(n)
    wrong = USCC_ALPHABET[(USCC_ALPHABET.index(good[-1]) + 1) % len(USCC_ALPHABET)]
    return good[:-1] + wrong


def enterprise(n: int, name: str | None = None, **kw):
    from adapters.models import Enterprise

    region(kw.get("region_code", "130100")) if kw.get("region_code", "130100") == "130100" else None
    values = {"industry_code": "6210", "region_code": "130100", "risk_class": "B", "status": "active", **kw}
    e = Enterprise(uscc=uscc(n), name=name or f"企业{n:06d}", uscc_override=False, **values)
    db.session.add(e)
    db.session.flush()
    return e


def tag(name: str):
    from adapters.models import Tag

    t = Tag(name=name, active=True)
    db.session.add(t)
    db.session.flush()
    return t


def item(code: str, name: str, department_id: int, category: str = "general"):
    from adapters.models import InspectionItem

    i = InspectionItem(code=code, name=name, department_id=department_id, category=category, active=True)
    db.session.add(i)
    db.session.flush()
    return i


def inspector(cert_no: str, name: str, department_id: int, **kw):
    from adapters.models import Inspector

    i = Inspector(cert_no=cert_no, name=name, department_id=department_id, active=True, **kw)
    db.session.add(i)
    db.session.flush()
    return i


_HASHES: dict[str, str] = {}


def account(
    username: str, roles: list[str], department_id: int | None = None, password: str = PASSWORD
) -> User:
    """Like `user`, but each password is hashed once per session: scrypt is slow on purpose
    (0.1–0.5 s a hash), which adds up in tests that need many users."""
    if password not in _HASHES:
        _HASHES[password] = hash_password(password)
    u = User(
        username=username, display_name=username, password_hash=_HASHES[password], department_id=department_id
    )
    u.set_roles(roles)
    db.session.add(u)
    db.session.flush()
    return u


def login_as(client, user: User) -> None:
    """Put `user` in the client's session without the login form (no slow password check);
    use `login` when the login itself is under test."""
    with client.session_transaction() as sess:
        put_login(sess, user)


def put_login(sess, user: User) -> None:
    """What a successful login leaves in the session (web/auth.py login)."""
    from web.auth import PASSWORD_MARK, password_mark

    sess["_user_id"] = str(user.id)
    sess["_fresh"] = True
    sess[PASSWORD_MARK] = password_mark(user)


def write_table(path, header: list[str], rows: list[list], encoding: str = "utf-8"):
    """A register file to import: CSV in `encoding` (e.g. utf-8-sig, gbk), or XLSX by suffix."""
    from pathlib import Path

    path = Path(path)
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        for values in [header, *rows]:
            sheet.append(values)
        book.save(path)
        return path
    import csv

    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    return path
