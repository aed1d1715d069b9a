"""Inspection items (抽查事项清单): the office writes all, an officer only their own department's."""

from __future__ import annotations

import pytest

from adapters.db import db
from adapters.models import InspectionItem, User
from tests import factories as f


@pytest.fixture
def client(app):
    return f.client(app)


@pytest.fixture
def depts(app):
    market, fire = f.department("市场监管局"), f.department("消防救援支队")
    for role in ("office", "officer", "inspector"):
        f.account(role, [role], market.id)
    db.session.commit()
    return market, fire


def _login(client, username: str) -> None:
    f.login_as(client, db.session.execute(db.select(User).filter_by(username=username)).scalar_one())


def _item_form(client, department_id: int, **kw) -> dict:
    token = f.csrf_token(client, "/registers/items/new")
    data = {"csrf_token": token, "code": "SC-001", "name": "食品经营许可", "department_id": department_id}
    return {**data, "category": "key", "legal_basis": "《食品安全法》", "method": "现场检查", **kw}


def _item(code: str) -> InspectionItem:
    db.session.expire_all()
    return db.session.execute(db.select(InspectionItem).filter_by(code=code)).scalar_one()


def test_item_page__office_creates_edits_deactivates_reactivates(client, depts):
    market, fire = depts
    _login(client, "office")
    assert client.post("/registers/items/new", data=_item_form(client, fire.id)).status_code == 302
    item = _item("SC-001")
    assert (item.department_id, item.category, item.active) == (fire.id, "key", True)

    edit = _item_form(client, fire.id, name="消防安全检查", category="general")
    assert client.post(f"/registers/items/{item.id}/edit", data=edit).status_code == 302
    assert (_item("SC-001").name, _item("SC-001").category) == ("消防安全检查", "general")

    token = f.csrf_token(client, "/registers/items")
    assert (
        client.post(f"/registers/items/{item.id}/deactivate", data={"csrf_token": token}).status_code == 302
    )
    assert _item("SC-001").active is False
    assert (
        client.post(f"/registers/items/{item.id}/reactivate", data={"csrf_token": token}).status_code == 302
    )
    assert _item("SC-001").active is True
    assert "消防安全检查" in client.get("/registers/items?q=SC-").get_data(as_text=True)


def test_item_page__deactivation_needs_the_csrf_token(client, depts):
    market, _ = depts
    item = f.item("SC-002", "进货查验记录", market.id)
    db.session.commit()
    _login(client, "office")
    assert client.post(f"/registers/items/{item.id}/deactivate").status_code == 400
    assert _item("SC-002").active is True


def test_item_page__officer_form_offers_only_their_department(client, depts):
    market, fire = depts
    _login(client, "officer")
    page = client.get("/registers/items/new").get_data(as_text=True)
    assert "市场监管局" in page.split('name="department_id"')[1] and "消防救援支队" not in page
    assert client.post("/registers/items/new", data=_item_form(client, market.id)).status_code == 302
    assert _item("SC-001").department_id == market.id


def test_item_page__officer_crafted_post_for_another_department_is_403(client, depts):
    market, fire = depts
    other = f.item("XF-001", "消防安全", fire.id)
    db.session.commit()
    _login(client, "officer")
    assert client.post("/registers/items/new", data=_item_form(client, fire.id)).status_code == 403
    assert client.get(f"/registers/items/{other.id}/edit").status_code == 403
    own = f.item("SC-009", "价格公示", market.id)
    db.session.commit()
    moved = _item_form(client, fire.id, code="SC-009")
    assert client.post(f"/registers/items/{own.id}/edit", data=moved).status_code == 403
    token = f.csrf_token(client, "/registers/items")
    assert (
        client.post(f"/registers/items/{other.id}/deactivate", data={"csrf_token": token}).status_code == 403
    )
    assert _item("SC-009").department_id == market.id and _item("XF-001").active is True


def test_item_page__inspectors_read_but_write_nothing(client, depts):
    market, _ = depts
    f.item("SC-003", "从业人员健康管理", market.id)
    db.session.commit()
    _login(client, "inspector")
    assert "从业人员健康管理" in client.get("/registers/items").get_data(as_text=True)
    assert client.get("/registers/items/new").status_code == 403


def test_item_page__duplicate_code_is_shown_next_to_the_field(client, depts):
    market, _ = depts
    f.item("SC-001", "已有事项", market.id)
    db.session.commit()
    _login(client, "office")
    resp = client.post("/registers/items/new", data=_item_form(client, market.id))
    assert resp.status_code == 200 and "该事项编码已存在" in resp.get_data(as_text=True)


def test_item_api__crud_and_department_rules(app, client, depts):
    market, fire = depts
    token = f.api_token(db.session.execute(db.select(User).filter_by(username="officer")).scalar_one())
    auth = {"Authorization": f"Bearer {token}"}
    body = {"code": "SC-100", "name": "广告发布", "department_id": market.id, "category": "general"}
    created = client.post("/api/v1/items", json=body, headers=auth)
    assert created.status_code == 201
    item_id = created.get_json()["id"]
    assert created.get_json()["department"] == {"id": market.id, "name": "市场监管局"}

    assert (
        client.post(
            "/api/v1/items", json={**body, "code": "X", "department_id": fire.id}, headers=auth
        ).status_code
        == 403
    )
    moved = client.patch(f"/api/v1/items/{item_id}", json={"department_id": fire.id}, headers=auth)
    assert moved.status_code == 403 and moved.get_json()["error"]["code"] == "forbidden"
    renamed = client.patch(
        f"/api/v1/items/{item_id}", json={"name": "广告发布审查", "fields": "广告"}, headers=auth
    )
    assert renamed.get_json()["name"] == "广告发布审查" and renamed.get_json()["fields"] == "广告"
    assert client.post(f"/api/v1/items/{item_id}/deactivate", headers=auth).get_json()["active"] is False
    listed = client.get(f"/api/v1/items?department_id={market.id}&active=false", headers=auth).get_json()
    assert [i["id"] for i in listed["items"]] == [item_id]
