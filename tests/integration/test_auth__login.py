from adapters.db import db
from adapters.models import User
from tests import factories as f


def test_login__right_password_lands_on_workbench(client, app):
    f.user("alice", ["office"])
    db.session.commit()
    resp = f.login(client, "alice")
    assert resp.status_code == 302
    assert "工作台" in client.get("/").get_data(as_text=True)


def test_login__wrong_password_is_refused(client, app):
    f.user("bob", ["office"])
    db.session.commit()
    resp = f.login(client, "bob", "wrong password")
    assert resp.status_code == 401
    assert client.get("/").status_code == 302


def test_login__throttled_after_repeated_failures(client, app):
    f.user("carol", ["office"])
    db.session.commit()
    for _ in range(5):
        f.login(client, "carol", "nope")
    assert f.login(client, "carol").status_code == 429
    assert (
        db.session.execute(db.select(User).filter_by(username="carol")).scalar_one().locked_until is not None
    )


def test_login__form_without_csrf_token_is_rejected(client, app):
    f.user("dave", ["office"])
    db.session.commit()
    resp = client.post("/login", data={"username": "dave", "password": f.PASSWORD})
    assert resp.status_code in (400, 200)
    assert client.get("/").status_code == 302


def test_password_hash_is_not_the_password(app):
    u = f.user("erin", ["auditor"])
    assert f.PASSWORD not in u.password_hash and u.password_hash.startswith("scrypt:")


def test_healthz_reports_database(client):
    body = client.get("/healthz").get_json()
    assert body["database"]["ok"] is True and body["queue"]["mode"] == "in-process"


def test_session_cookie_is_httponly_and_samesite(client, app):
    f.user("fay", ["office"])
    db.session.commit()
    resp = f.login(client, "fay")
    cookie = resp.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
