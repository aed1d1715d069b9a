import pytest

from adapters.db import db
from adapters.models import User
from tests import factories as f


@pytest.fixture
def world(app):
    f.region()
    f.region("130102", "长安区", "county", "130100")
    a = f.department("市场监管局")
    b = f.department("消防救援支队")
    people = {
        "root": f.account("root", ["sysadmin"], a.id),
        "office": f.account("office", ["office"], a.id),
        "officer_a": f.account("officer_a", ["officer"], a.id),
        "officer_b": f.account("officer_b", ["officer"], b.id),
        "inspector": f.account("inspector", ["inspector"], a.id),
    }
    db.session.commit()
    return {"a": a.id, "b": b.id, **people}


def _as(app, user: User):
    client = f.client(app)
    f.login_as(client, user)
    client.environ_base["HTTP_X_CSRFTOKEN"] = f.csrf_token(client, "/account/password")
    return client


def test_api_me__department_roles_and_permissions(app, world):
    body = _as(app, world["officer_a"]).get("/api/v1/me").get_json()
    assert body["username"] == "officer_a" and body["roles"] == ["officer"]
    assert body["department"]["name"] == "市场监管局" and body["via_token"] is False
    assert "items.write" in body["permissions"]["own_department"]
    assert "admin.manage" not in body["permissions"]["everywhere"]
    assert "password" not in body and "password_hash" not in body


def test_api_me__anonymous_gets_401_in_the_one_error_shape(app, world):
    resp = f.client(app).get("/api/v1/me")
    assert resp.status_code == 401 and resp.get_json()["error"]["code"] == "unauthorized"


def test_api_org__departments_and_regions_readable_by_any_role(app, world):
    client = _as(app, world["inspector"])
    names = [d["name"] for d in client.get("/api/v1/departments").get_json()]
    assert names == ["市场监管局", "消防救援支队"]
    counties = client.get("/api/v1/regions?parent_code=130100").get_json()
    assert [r["code"] for r in counties] == ["130102"]
    assert client.get("/api/v1/regions/130100").get_json()["name"] == "石家庄市"
    assert client.get("/api/v1/regions/999999").status_code == 404


def test_api_users__officer_sees_only_own_department(app, world):
    client = _as(app, world["officer_a"])
    names = {u["username"] for u in client.get("/api/v1/users").get_json()}
    assert names == {"root", "office", "officer_a", "inspector"}
    assert client.get(f"/api/v1/users/{world['officer_b'].id}").status_code == 403
    assert client.get(f"/api/v1/users/{world['inspector'].id}").status_code == 200


def test_api_users__office_sees_all_inspector_none(app, world):
    office = _as(app, world["office"]).get("/api/v1/users?role=officer").get_json()
    assert {u["username"] for u in office} == {"officer_a", "officer_b"}
    assert _as(app, world["inspector"]).get("/api/v1/users").status_code == 403


def test_api_users__paginated_with_a_header(app, world):
    resp = _as(app, world["root"]).get("/api/v1/users?page=2&page_size=2")
    assert len(resp.get_json()) == 2 and '"total": 5' in resp.headers["X-Pagination"]


def test_api_users__sysadmin_creates_and_updates(app, world):
    client = _as(app, world["root"])
    resp = client.post(
        "/api/v1/users",
        json={
            "username": "newbie",
            "display_name": "新人",
            "department_id": world["b"],
            "roles": ["inspector"],
            "password": "long enough pw",
        },
    )
    assert resp.status_code == 201 and resp.get_json()["department"]["id"] == world["b"]
    new_id = resp.get_json()["id"]
    resp = client.patch(f"/api/v1/users/{new_id}", json={"roles": ["officer"], "active": False})
    assert (
        resp.status_code == 200
        and resp.get_json()["roles"] == ["officer"]
        and resp.get_json()["active"] is False
    )


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"password": "short"}, "password", "10"),
        ({"roles": ["king"]}, "roles", "应为以下之一"),
        ({"roles": ["officer"], "department_id": None}, "department_id", "必须属于一个部门"),
        ({"username": "root"}, "username", "用户名已存在"),
    ],
)
def test_api_users__invalid_input_answers_422_per_field(app, world, payload, field, message):
    body = {
        "username": "u1",
        "display_name": "U",
        "roles": ["auditor"],
        "password": "long enough pw",
        **payload,
    }
    resp = _as(app, world["root"]).post("/api/v1/users", json=body)
    assert resp.status_code == 422
    assert message in str(resp.get_json()["error"]["fields"][field])


def test_api_users__sysadmin_cannot_lock_themselves_out(app, world):
    client = _as(app, world["root"])
    resp = client.patch(f"/api/v1/users/{world['root'].id}", json={"active": False})
    assert resp.status_code == 422 and resp.get_json()["error"]["fields"]["active"] == "不能停用自己的账号"
    resp = client.patch(f"/api/v1/users/{world['root'].id}", json={"roles": ["office"]})
    assert resp.get_json()["error"]["fields"]["roles"] == "不能移除自己的系统管理员角色"


def test_api_org__session_writes_need_the_csrf_header(app, world):
    client = f.client(app)
    f.login_as(client, world["root"])
    resp = client.post("/api/v1/regions", json={"code": "130200", "name": "唐山市", "level": "city"})
    assert resp.status_code == 400


def test_api_org__only_the_sysadmin_writes(app, world):
    client = _as(app, world["office"])
    assert (
        client.post("/api/v1/regions", json={"code": "130200", "name": "唐山市", "level": "city"}).status_code
        == 403
    )
    assert client.patch(f"/api/v1/departments/{world['a']}", json={"name": "x"}).status_code == 403


def test_api_org__regions_and_departments_validated(app, world):
    client = _as(app, world["root"])
    resp = client.post(
        "/api/v1/regions", json={"code": "130205", "name": "某区", "level": "county", "parent_code": "130100"}
    )
    assert resp.status_code == 422 and "前4位" in resp.get_json()["error"]["fields"]["code"]
    resp = client.post(
        "/api/v1/departments", json={"name": "长安区市场监管局", "level": "county", "region_code": "130102"}
    )
    assert resp.status_code == 201 and resp.get_json()["region_name"] == "长安区"
    resp = client.patch(f"/api/v1/departments/{resp.get_json()['id']}", json={"parent_id": world["a"]})
    assert resp.status_code == 200 and resp.get_json()["parent_id"] == world["a"]


def test_api_org__documented_in_openapi(app, world):
    spec = f.client(app).get("/api/v1/openapi.json").get_json()
    for path in (
        "/api/v1/me",
        "/api/v1/users",
        "/api/v1/users/{user_id}",
        "/api/v1/departments",
        "/api/v1/regions",
    ):
        assert path in spec["paths"]
    assert "password" in spec["components"]["schemas"]["UserCreate"]["properties"]
    assert "password" not in spec["components"]["schemas"]["User"]["properties"]


def test_api_org__ids_beyond_the_integer_range_are_not_found_not_errors(app, world):
    client = _as(app, world["root"])
    huge = 2**40
    assert client.get(f"/api/v1/users/{huge}").status_code == 404
    assert client.get(f"/admin/users/{huge}/edit").status_code == 404
    assert client.get(f"/admin/users?department_id={huge}").status_code == 200
    resp = client.post(
        "/api/v1/users",
        json={
            "username": "big",
            "display_name": "B",
            "roles": ["auditor"],
            "password": "long enough pw",
            "department_id": huge,
        },
    )
    assert resp.status_code == 422 and "department_id" in resp.get_json()["error"]["fields"]
