"""The registers API as a client sees it: authentication, CSRF, the error shape, the OpenAPI."""

from __future__ import annotations

import pytest

from adapters.db import db
from adapters.models import Tag
from tests import factories as f

LISTS = ["tags", "items", "joint-lists", "enterprises", "inspectors", "experts"]


@pytest.fixture
def client(app):
    return f.client(app)


@pytest.fixture
def office(app):
    user = f.account("office", ["office"], f.department().id)
    db.session.commit()
    return user


@pytest.mark.parametrize("register", LISTS)
def test_api__anonymous_gets_401_in_the_error_shape(client, app, register):
    resp = client.get(f"/api/v1/{register}")
    assert resp.status_code == 401
    assert resp.get_json()["error"]["code"] == "unauthorized"
    assert client.post(f"/api/v1/{register}", json={}).status_code == 401


def test_api__revoked_or_unknown_token_is_401(client, office):
    assert client.get("/api/v1/tags", headers={"Authorization": "Bearer lc_not-a-token"}).status_code == 401


def test_api__bearer_token_writes_without_csrf(client, office):
    auth = {"Authorization": f"Bearer {f.api_token(office)}"}
    resp = client.post("/api/v1/tags", json={"name": "冷链"}, headers=auth)
    assert resp.status_code == 201 and resp.get_json()["name"] == "冷链"


def test_api__session_writes_need_the_csrf_header(client, office):
    f.login_as(client, office)
    assert client.post("/api/v1/tags", json={"name": "冷链"}).status_code == 400
    assert db.session.execute(db.select(Tag)).first() is None
    headers = {"X-CSRFToken": f.csrf_token(client, "/registers/tags")}
    assert client.post("/api/v1/tags", json={"name": "冷链"}, headers=headers).status_code == 201
    assert client.get("/api/v1/tags").get_json()["items"][0]["name"] == "冷链"


def test_api__invalid_body_is_422_with_per_field_chinese_messages(client, office):
    auth = {"Authorization": f"Bearer {f.api_token(office)}"}
    resp = client.post(
        "/api/v1/items", json={"name": "x" * 200, "department_id": "one", "colour": 1}, headers=auth
    )
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "validation_failed" and error["message"] == "提交的数据未通过校验"
    assert error["fields"]["code"] == "此项为必填项"
    assert error["fields"]["department_id"] == "应为整数"
    assert "长度应为" in error["fields"]["name"] and error["fields"]["colour"] == "未知字段"


def test_api__bad_query_arguments_are_422_not_500(client, office):
    auth = {"Authorization": f"Bearer {f.api_token(office)}"}
    resp = client.get("/api/v1/enterprises?limit=0&risk=E&after=x", headers=auth)
    assert resp.status_code == 422
    assert set(resp.get_json()["error"]["fields"]) == {"limit", "risk", "after"}


def test_api__unknown_row_is_404_in_the_error_shape(client, office):
    auth = {"Authorization": f"Bearer {f.api_token(office)}"}
    for register in LISTS:
        resp = client.get(f"/api/v1/{register}/999", headers=auth)
        assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"


def test_api__openapi_documents_the_register_schemas(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    for name in (
        "EnterpriseIn",
        "EnterprisePatch",
        "EnterprisePage",
        "ItemIn",
        "JointListOut",
        "InspectorOut",
    ):
        assert name in schemas
    assert {"/api/v1/enterprises", "/api/v1/inspectors/{insp_id}/conflicts"} <= set(spec["paths"])
    params = {p["name"] for p in spec["paths"]["/api/v1/enterprises"]["get"]["parameters"]}
    assert {"q", "industry", "region", "risk", "tag", "status", "after", "before", "limit"} <= params


@pytest.mark.parametrize("register", LISTS)
def test_api__a_caller_who_may_not_write_gets_403_even_with_a_bad_body(client, app, register):
    auditor = f.account("auditor", ["auditor"], f.department().id)
    db.session.commit()
    auth = {"Authorization": f"Bearer {f.api_token(auditor)}"}
    resp = client.post(f"/api/v1/{register}", json={"name": 1, "department_id": "x"}, headers=auth)
    assert resp.status_code == 403, resp.get_json()


def test_api__another_departments_officer_gets_403_on_a_bad_patch(client, app):
    own, other = f.department("市场监管局"), f.department("消防救援支队")
    item = f.item("SC-001", "食品经营许可", own.id)
    officer = f.account("officer_b", ["officer"], other.id)
    db.session.commit()
    auth = {"Authorization": f"Bearer {f.api_token(officer)}"}
    resp = client.patch(f"/api/v1/items/{item.id}", json={"name": 1}, headers=auth)
    assert resp.status_code == 403
    own_officer = f.account("officer_a", ["officer"], own.id)
    db.session.commit()
    auth = {"Authorization": f"Bearer {f.api_token(own_officer)}"}
    assert client.patch(f"/api/v1/items/{item.id}", json={"name": 1}, headers=auth).status_code == 422
