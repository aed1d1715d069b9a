import re

import pytest

from adapters.db import db
from adapters.models import ApiToken, User
from tests import factories as f
from web.auth import hash_token


@pytest.fixture
def world(app):
    f.region()
    city = f.department("市场监管局")
    root = f.account("root", ["sysadmin"], city.id)
    client_user = f.account("sync", ["auditor"], city.id)
    db.session.commit()
    return {"root": root, "sync": client_user}


@pytest.fixture
def admin(app, world):
    client = f.client(app)
    f.login_as(client, world["root"])
    return client


def _create(admin, user: User, name: str = "数据交换平台") -> str:
    token = f.csrf_token(admin, "/admin/tokens")
    resp = admin.post("/admin/tokens/new", data={"csrf_token": token, "user_id": str(user.id), "name": name})
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    return re.search(r'<code class="secret"[^>]*>([^<]+)</code>', resp.get_data(as_text=True)).group(1)


def test_tokens__plain_token_shown_once_and_only_its_hash_stored(admin, world):
    plain = _create(admin, world["sync"])
    row = db.session.execute(db.select(ApiToken)).scalar_one()
    assert row.token_hash == hash_token(plain) and plain not in (row.token_hash, row.prefix)
    assert plain.startswith(row.prefix) and row.created_by_id == world["root"].id
    listing = admin.get("/admin/tokens").get_data(as_text=True)
    assert row.prefix in listing and plain not in listing and "数据交换平台" in listing


def test_tokens__bearer_acts_as_the_user_and_records_last_use(admin, app, world):
    plain = _create(admin, world["sync"])
    me = f.client(app).get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert me.status_code == 200
    assert me.get_json()["username"] == "sync" and me.get_json()["via_token"] is True
    db.session.expire_all()
    assert db.session.execute(db.select(ApiToken)).scalar_one().last_used_at is not None


def test_tokens__revoked_token_is_refused(admin, app, world):
    plain = _create(admin, world["sync"])
    row = db.session.execute(db.select(ApiToken)).scalar_one()
    resp = admin.post(
        f"/admin/tokens/{row.id}/revoke", data={"csrf_token": f.csrf_token(admin, "/admin/tokens")}
    )
    assert resp.status_code == 302
    assert f.client(app).get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401
    shown = f"<code>{row.prefix}…</code>"
    assert shown not in admin.get("/admin/tokens").get_data(as_text=True)
    assert shown in admin.get("/admin/tokens?revoked=1").get_data(as_text=True)


def test_tokens__wrong_token_is_refused(app, world):
    resp = f.client(app).get("/api/v1/me", headers={"Authorization": "Bearer lc_not-a-real-token"})
    assert resp.status_code == 401 and resp.get_json()["error"]["code"] == "unauthorized"


def test_tokens__not_for_a_deactivated_user(admin, world):
    world["sync"].active = False
    db.session.commit()
    token = f.csrf_token(admin, "/admin/tokens")
    resp = admin.post(
        "/admin/tokens/new", data={"csrf_token": token, "user_id": str(world["sync"].id), "name": "x"}
    )
    assert "不能为已停用的用户创建令牌" in resp.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count()).select_from(ApiToken)).scalar() == 0


def test_tokens__unsafe_api_calls_need_no_csrf_with_a_bearer(app, world):
    plain = f.api_token(world["root"])
    resp = f.client(app).post(
        "/api/v1/regions",
        json={"code": "130102", "name": "长安区", "level": "county", "parent_code": "130100"},
        headers={"Authorization": f"Bearer {plain}"},
    )
    assert resp.status_code == 201
