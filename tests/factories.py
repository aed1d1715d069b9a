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
