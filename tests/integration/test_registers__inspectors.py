"""The inspector register (执法检查人员名录库): scope by department, writes, declared conflicts."""

from __future__ import annotations

import pytest

from adapters.db import db
from adapters.models import Inspector, InspectorConflict, User
from tests import factories as f


@pytest.fixture
def client(app):
    return f.client(app)


@pytest.fixture
def setup(app):
    market, fire = f.department("市场监管局"), f.department("消防救援支队")
    for name, roles, dept in [
        ("office", ["office"], market),
        ("auditor", ["auditor"], None),
        ("officer", ["officer"], market),
        ("fire_officer", ["officer"], fire),
        ("inspector", ["inspector"], market),
    ]:
        f.account(name, roles, dept.id if dept else None)
    mine = f.inspector("SC0001", "张三", market.id)
    theirs = f.inspector("XF0001", "李四", fire.id)
    db.session.commit()
    return market, fire, mine, theirs


def _login(client, username: str) -> None:
    f.login_as(client, db.session.execute(db.select(User).filter_by(username=username)).scalar_one())


def _insp(cert_no: str) -> Inspector:
    db.session.expire_all()
    return db.session.execute(db.select(Inspector).filter_by(cert_no=cert_no)).scalar_one()


@pytest.mark.parametrize(
    ("username", "sees_fire"), [("office", True), ("auditor", True), ("officer", False), ("inspector", False)]
)
def test_inspector_list__officers_and_inspectors_see_their_department_only(
    client, setup, username, sees_fire
):
    _login(client, username)
    page = client.get("/registers/inspectors").get_data(as_text=True)
    assert "张三" in page and ("李四" in page) is sees_fire
    names = [i["name"] for i in client.get("/api/v1/inspectors").get_json()["items"]]
    assert "张三" in names and ("李四" in names) is sees_fire


def test_inspector_api__officer_cannot_read_another_department(client, setup):
    market, fire, mine, theirs = setup
    _login(client, "officer")
    assert client.get(f"/api/v1/inspectors?department_id={fire.id}").status_code == 403
    assert client.get(f"/api/v1/inspectors/{theirs.id}").status_code == 403
    assert client.get(f"/api/v1/inspectors/{mine.id}").get_json()["cert_no"] == "SC0001"


def test_inspector_page__officer_creates_and_edits_own_department(client, setup):
    market, fire, mine, _ = setup
    tag = f.tag("食品")
    db.session.commit()
    _login(client, "officer")
    token = f.csrf_token(client, "/registers/inspectors/new")
    data = {"csrf_token": token, "name": "王五", "cert_no": "SC0002", "department_id": market.id}
    data |= {"fields": "食品,价格", "region_code": "", "tag_ids": [tag.id]}
    assert client.post("/registers/inspectors/new", data=data).status_code == 302
    created = _insp("SC0002")
    assert created.fields == "食品,价格" and [t.name for t in created.tags] == ["食品"]
    assert created.region_code is None

    edit = {**data, "name": "王五（复核）", "tag_ids": []}
    assert client.post(f"/registers/inspectors/{created.id}/edit", data=edit).status_code == 302
    assert _insp("SC0002").name == "王五（复核）" and _insp("SC0002").tags == []


def test_inspector_page__officer_cannot_write_another_department(client, setup):
    market, fire, mine, theirs = setup
    _login(client, "officer")
    token = f.csrf_token(client, "/registers/inspectors/new")
    crafted = {"csrf_token": token, "name": "赵六", "cert_no": "XF0009", "department_id": fire.id}
    assert client.post("/registers/inspectors/new", data=crafted).status_code == 403
    assert client.get(f"/registers/inspectors/{theirs.id}/edit").status_code == 403
    moved = {"csrf_token": token, "name": "张三", "cert_no": "SC0001", "department_id": fire.id}
    assert client.post(f"/registers/inspectors/{mine.id}/edit", data=moved).status_code == 403
    assert (
        client.post(f"/registers/inspectors/{theirs.id}/deactivate", data={"csrf_token": token}).status_code
        == 403
    )
    assert _insp("SC0001").department_id == market.id and _insp("XF0001").active is True


def test_inspector_api__officer_write_rules(client, setup):
    market, fire, mine, theirs = setup
    officer = db.session.execute(db.select(User).filter_by(username="officer")).scalar_one()
    auth = {"Authorization": f"Bearer {f.api_token(officer)}"}
    body = {"name": "孙七", "cert_no": "XF0010", "department_id": fire.id}
    assert client.post("/api/v1/inspectors", json=body, headers=auth).status_code == 403
    assert (
        client.patch(f"/api/v1/inspectors/{theirs.id}", json={"name": "x"}, headers=auth).status_code == 403
    )
    assert (
        client.patch(
            f"/api/v1/inspectors/{mine.id}", json={"department_id": fire.id}, headers=auth
        ).status_code
        == 403
    )
    created = client.post("/api/v1/inspectors", json={**body, "department_id": market.id}, headers=auth)
    assert created.status_code == 201 and created.get_json()["department"]["id"] == market.id
    assert client.post(f"/api/v1/inspectors/{mine.id}/deactivate", headers=auth).get_json()["active"] is False


def test_inspector_api__inspectors_and_auditors_write_nothing(client, setup):
    market, _, mine, _ = setup
    for username in ("inspector", "auditor"):
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
        auth = {"Authorization": f"Bearer {f.api_token(user, username)}"}
        body = {"name": "周八", "cert_no": f"SC-{username}", "department_id": market.id}
        assert client.post("/api/v1/inspectors", json=body, headers=auth).status_code == 403
        assert client.post(f"/api/v1/inspectors/{mine.id}/deactivate", headers=auth).status_code == 403


def test_inspector_conflicts__declare_by_uscc_withdraw_and_redeclare(client, setup):
    market, _, mine, _ = setup
    ent = f.enterprise(42, "某某餐馆")
    db.session.commit()
    _login(client, "officer")
    token = f.csrf_token(client, f"/registers/inspectors/{mine.id}/edit")
    add = {"csrf_token": token, "uscc": f.uscc(42).lower(), "reason": "近亲属任该企业法定代表人"}
    assert client.post(f"/registers/inspectors/{mine.id}/conflicts", data=add).status_code == 302
    page = client.get(f"/registers/inspectors/{mine.id}/edit").get_data(as_text=True)
    assert "某某餐馆" in page and "近亲属任该企业法定代表人" in page

    again = client.post(f"/registers/inspectors/{mine.id}/conflicts", data=add)
    assert "已登记" in again.get_data(as_text=True)
    unknown = client.post(f"/registers/inspectors/{mine.id}/conflicts", data={**add, "uscc": f.uscc(43)})
    assert "名录库中没有" in unknown.get_data(as_text=True)

    conflict = db.session.execute(db.select(InspectorConflict)).scalar_one()
    url = f"/registers/inspectors/{mine.id}/conflicts/{conflict.id}/remove"
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert conflict.active is False  # withdrawn, kept on record
    assert client.post(f"/registers/inspectors/{mine.id}/conflicts", data=add).status_code == 302
    db.session.expire_all()
    assert conflict.active is True and conflict.enterprise_id == ent.id


def test_inspector_conflicts__api_and_department_check(client, setup):
    market, fire, mine, theirs = setup
    f.enterprise(7, "某加油站")
    db.session.commit()
    officer = db.session.execute(db.select(User).filter_by(username="officer")).scalar_one()
    auth = {"Authorization": f"Bearer {f.api_token(officer)}"}
    body = {"uscc": f.uscc(7), "reason": "曾在该企业任职"}
    assert (
        client.post(f"/api/v1/inspectors/{theirs.id}/conflicts", json=body, headers=auth).status_code == 403
    )
    created = client.post(f"/api/v1/inspectors/{mine.id}/conflicts", json=body, headers=auth)
    assert created.status_code == 201 and created.get_json()["enterprise"]["name"] == "某加油站"
    cid = created.get_json()["id"]
    withdrawn = client.post(f"/api/v1/inspectors/{mine.id}/conflicts/{cid}/deactivate", headers=auth)
    assert withdrawn.get_json()["active"] is False
    listed = client.get(f"/api/v1/inspectors/{mine.id}/conflicts", headers=auth).get_json()["items"]
    assert [(c["uscc"], c["active"]) for c in listed] == [(f.uscc(7), False)]
