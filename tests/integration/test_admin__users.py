import re
from datetime import UTC, datetime, timedelta

import pytest

from adapters.db import db
from adapters.models import User
from tests import factories as f


@pytest.fixture
def world(app):
    f.region()
    city = f.department("市场监管局")
    other = f.department("消防救援支队")
    root = f.account("root", ["sysadmin"], city.id)
    db.session.commit()
    return {"city": city.id, "other": other.id, "root": root.id}


@pytest.fixture
def admin(app, world):
    client = f.client(app)
    f.login_as(client, db.session.get(User, world["root"]))
    return client


def _user(username: str) -> User:
    db.session.expire_all()
    return db.session.execute(db.select(User).filter_by(username=username)).scalar_one()


def _post(client, path: str, data: dict):
    return client.post(path, data={"csrf_token": f.csrf_token(client, "/admin/users"), **data})


def _secret(resp) -> str:
    return re.search(r'<code class="secret"[^>]*>([^<]+)</code>', resp.get_data(as_text=True)).group(1)


def test_admin_users__list_filters_by_department_role_and_search(admin, world):
    f.account("zhang_officer", ["officer"], world["city"])
    f.account("li_officer", ["officer"], world["other"])
    f.account("wang_inspector", ["inspector"], world["city"])
    db.session.commit()
    page = admin.get(f"/admin/users?department_id={world['city']}&role=officer").get_data(as_text=True)
    assert "zhang_officer" in page and "li_officer" not in page and "wang_inspector" not in page
    page = admin.get("/admin/users?q=wang").get_data(as_text=True)
    assert "wang_inspector" in page and "zhang_officer" not in page
    assert "执法检查人员" in page  # role names in Chinese


def test_admin_users__create_with_department_and_roles_can_log_in(admin, app, world):
    resp = _post(
        admin,
        "/admin/users/new",
        {
            "username": "zhao",
            "display_name": "赵六",
            "department_id": str(world["city"]),
            "roles": ["officer", "inspector"],
            "password": "a long enough pw",
        },
    )
    assert resp.status_code == 302
    user = _user("zhao")
    assert user.roles == {"officer", "inspector"} and user.department_id == world["city"]
    assert user.password_hash.startswith("scrypt:") and "a long enough pw" not in user.password_hash
    assert f.login(f.client(app), "zhao", "a long enough pw").status_code == 302


def test_admin_users__generated_password_is_shown_once_and_works(admin, app, world):
    resp = _post(
        admin, "/admin/users/new", {"username": "qian", "display_name": "钱七", "roles": ["auditor"]}
    )
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    password = _secret(resp)
    assert len(password) >= 10 and password not in _user("qian").password_hash
    assert password not in admin.get("/admin/users").get_data(as_text=True)
    assert f.login(f.client(app), "qian", password).status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "sun", "password": "short"}, "至少需要10个字符"),
        ({"username": "root", "password": "long enough pw"}, "用户名已存在"),
        ({"username": "bad name!", "password": "long enough pw"}, "用户名应为"),
    ],
)
def test_admin_users__bad_new_user_is_refused_with_a_reason(admin, world, data, message):
    resp = _post(admin, "/admin/users/new", {"display_name": "孙", "roles": ["auditor"], **data})
    assert resp.status_code == 200 and message in resp.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count()).select_from(User)).scalar() == 1


def test_admin_users__officer_needs_a_department(admin, world):
    resp = _post(
        admin,
        "/admin/users/new",
        {"username": "zhou", "display_name": "周", "roles": ["officer"], "password": "long enough pw"},
    )
    assert "必须属于一个部门" in resp.get_data(as_text=True)


def test_admin_users__edit_changes_roles_and_department(admin, world):
    target = f.account("wu", ["inspector"], world["city"])
    db.session.commit()
    resp = _post(
        admin,
        f"/admin/users/{target.id}/edit",
        {"display_name": "吴九", "department_id": str(world["other"]), "roles": ["officer"]},
    )
    assert resp.status_code == 302
    user = _user("wu")
    assert (user.display_name, user.department_id, user.roles) == ("吴九", world["other"], {"officer"})


def test_admin_users__admin_cannot_drop_own_sysadmin_role(admin, world):
    resp = _post(admin, f"/admin/users/{world['root']}/edit", {"display_name": "root", "roles": ["office"]})
    assert "不能移除自己的系统管理员角色" in resp.get_data(as_text=True)
    assert _user("root").roles == {"sysadmin"}


def test_admin_users__admin_cannot_deactivate_themselves(admin, world):
    resp = _post(admin, f"/admin/users/{world['root']}/deactivate", {})
    assert resp.status_code == 302
    assert "不能停用自己的账号" in admin.get("/admin/users").get_data(as_text=True)
    assert _user("root").active is True


def test_admin_users__deactivated_user_is_logged_out_and_cannot_log_in(admin, app, world):
    target = f.account("zheng", ["auditor"], world["city"])
    db.session.commit()
    theirs = f.client(app)
    f.login_as(theirs, target)
    assert theirs.get("/").status_code == 200
    assert _post(admin, f"/admin/users/{target.id}/deactivate", {}).status_code == 302
    assert _user("zheng").active is False
    assert theirs.get("/").status_code == 302  # the open session ends
    assert f.login(f.client(app), "zheng").status_code == 401
    _post(admin, f"/admin/users/{target.id}/reactivate", {})
    assert f.login(f.client(app), "zheng").status_code == 302


def test_admin_users__deactivated_users_token_stops_working(admin, app, world):
    target = f.account("feng", ["auditor"], world["city"])
    token = f.api_token(target)
    bearer = {"Authorization": f"Bearer {token}"}
    assert f.client(app).get("/api/v1/me", headers=bearer).status_code == 200
    _post(admin, f"/admin/users/{target.id}/deactivate", {})
    assert f.client(app).get("/api/v1/me", headers=bearer).status_code == 401


def test_admin_users__reset_password_typed_or_generated(admin, app, world):
    target = f.account("chen", ["auditor"], world["city"])
    db.session.commit()
    resp = _post(admin, f"/admin/users/{target.id}/password", {"password": "brand new password"})
    assert resp.status_code == 302
    assert f.login(f.client(app), "chen").status_code == 401  # the old password is gone
    assert f.login(f.client(app), "chen", "brand new password").status_code == 302
    resp = _post(admin, f"/admin/users/{target.id}/password", {"generate": "y"})
    assert f.login(f.client(app), "chen", _secret(resp)).status_code == 302


def test_admin_users__reset_password_refuses_short_and_empty(admin, world):
    target = f.account("chu", ["auditor"], world["city"])
    db.session.commit()
    before = target.password_hash
    assert "至少需要10个字符" in _post(
        admin, f"/admin/users/{target.id}/password", {"password": "short"}
    ).get_data(as_text=True)
    assert _post(admin, f"/admin/users/{target.id}/password", {}).status_code == 200
    assert _user("chu").password_hash == before


def test_admin_users__reset_password_lifts_a_lock(admin, app, world):
    locked = f.account("wei", ["auditor"], world["city"])
    locked.locked_until = datetime.now(UTC) + timedelta(minutes=15)
    db.session.commit()
    assert f.login(f.client(app), "wei").status_code == 429
    _post(admin, f"/admin/users/{locked.id}/password", {"password": "another good one"})
    assert _user("wei").locked_until is None
    assert f.login(f.client(app), "wei", "another good one").status_code == 302


def test_admin_users__only_the_sysadmin_may_manage_users(app, world):
    office = f.account("office1", ["office"], world["city"])
    db.session.commit()
    client = f.client(app)
    f.login_as(client, office)
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users/new", data={"csrf_token": f.csrf_token(client)}).status_code == 403


def test_admin_users__reset_password_ends_the_users_open_sessions(admin, app, world):
    f.account("zhou", ["auditor"], world["city"])
    db.session.commit()
    browser = f.client(app)
    assert f.login(browser, "zhou").status_code == 302
    assert browser.get("/account/password").status_code == 200
    target = _user("zhou")
    assert (
        _post(admin, f"/admin/users/{target.id}/password", {"password": "brand new password"}).status_code
        == 302
    )
    resp = browser.get("/account/password")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_admin_users__own_password_change_keeps_this_session_and_ends_the_others(app, world):
    f.account("wu", ["auditor"], world["city"])
    db.session.commit()
    here, elsewhere = f.client(app), f.client(app)
    assert f.login(here, "wu").status_code == 302 and f.login(elsewhere, "wu").status_code == 302
    resp = here.post(
        "/account/password",
        data={
            "csrf_token": f.csrf_token(here, "/account/password"),
            "current": f.PASSWORD,
            "new": "another long password",
            "confirm": "another long password",
        },
    )
    assert resp.status_code == 302
    assert here.get("/account/password").status_code == 200
    assert elsewhere.get("/account/password").status_code == 302
