"""Experts (专家库, assist only) and shared tags (分类标签)."""

from __future__ import annotations

import pytest

from adapters.db import db
from adapters.models import Expert, Tag
from tests import factories as f


@pytest.fixture
def client(app):
    return f.client(app)


@pytest.fixture
def users(app):
    d = f.department()
    office = f.account("office", ["office"], d.id)
    officer = f.account("officer", ["officer"], d.id)
    sysadmin = f.account("sysadmin", ["sysadmin"], None)
    db.session.commit()
    return office, officer, sysadmin, d


def test_expert_page__office_creates_edits_and_deactivates(client, users):
    office, _, _, d = users
    f.login_as(client, office)
    page = client.get("/registers/experts/new").get_data(as_text=True)
    assert "不作为检查主体" in page
    token = f.csrf_token(client, "/registers/experts/new")
    data = {"csrf_token": token, "name": "刘工", "specialty": "特种设备", "organisation": "省特检院"}
    assert client.post("/registers/experts/new", data={**data, "department_id": 0}).status_code == 302
    expert = db.session.execute(db.select(Expert)).scalar_one()
    assert expert.department_id is None and expert.active

    edit = {**data, "department_id": d.id, "phone": "0311-1234567"}
    assert client.post(f"/registers/experts/{expert.id}/edit", data=edit).status_code == 302
    assert (
        client.post(f"/registers/experts/{expert.id}/deactivate", data={"csrf_token": token}).status_code
        == 302
    )
    db.session.expire_all()
    assert (expert.department_id, expert.phone, expert.active) == (d.id, "0311-1234567", False)
    listing = client.get("/registers/experts").get_data(as_text=True)
    assert "刘工" in listing and "不作为检查主体" in listing


def test_expert_api__officer_reads_but_cannot_write(client, users):
    office, officer, _, _ = users
    auth = {"Authorization": f"Bearer {f.api_token(officer)}"}
    assert client.post("/api/v1/experts", json={"name": "陈工"}, headers=auth).status_code == 403
    office_auth = {"Authorization": f"Bearer {f.api_token(office)}"}
    created = client.post("/api/v1/experts", json={"name": "陈工", "specialty": "计量"}, headers=office_auth)
    assert created.status_code == 201 and "不作为检查主体" in created.get_json()["note"]
    assert client.get("/api/v1/experts", headers=auth).get_json()["items"][0]["name"] == "陈工"


def test_tag_page__sysadmin_creates_renames_deactivates_reactivates(client, users):
    _, _, sysadmin, _ = users
    f.login_as(client, sysadmin)
    token = f.csrf_token(client, "/registers/tags/new")
    assert (
        client.post("/registers/tags/new", data={"csrf_token": token, "name": "学校周边"}).status_code == 302
    )
    tag = db.session.execute(db.select(Tag)).scalar_one()
    dup = client.post("/registers/tags/new", data={"csrf_token": token, "name": "学校周边"})
    assert "该标签已存在" in dup.get_data(as_text=True)
    data = {"csrf_token": token, "name": "校园周边", "description": "学校周边200米"}
    assert client.post(f"/registers/tags/{tag.id}/edit", data=data).status_code == 302
    assert client.post(f"/registers/tags/{tag.id}/deactivate", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert (tag.name, tag.active) == ("校园周边", False)
    assert client.post(f"/registers/tags/{tag.id}/reactivate", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert tag.active is True


def test_tag_page__officer_cannot_write_tags(client, users):
    _, officer, _, _ = users
    f.login_as(client, officer)
    assert client.get("/registers/tags").status_code == 200
    assert client.get("/registers/tags/new").status_code == 403


def test_tag_api__shared_by_enterprises_and_inspectors(client, users):
    office, _, _, d = users
    auth = {"Authorization": f"Bearer {f.api_token(office)}"}
    tag_id = client.post("/api/v1/tags", json={"name": "冷链"}, headers=auth).get_json()["id"]
    cold = f.enterprise(1, "冷链仓储甲", industry_code="5960")
    f.enterprise(2, "普通仓储乙", industry_code="5960")
    insp = f.inspector("SC01", "张三", d.id)
    db.session.commit()
    assert (
        client.patch(f"/api/v1/enterprises/{cold.id}", json={"tag_ids": [tag_id]}, headers=auth).status_code
        == 200
    )
    assert (
        client.patch(f"/api/v1/inspectors/{insp.id}", json={"tag_ids": [tag_id]}, headers=auth).status_code
        == 200
    )
    tagged = client.get(f"/api/v1/enterprises?tag={tag_id}", headers=auth).get_json()["items"]
    assert [e["name"] for e in tagged] == ["冷链仓储甲"]
    assert [
        i["name"] for i in client.get(f"/api/v1/inspectors?tag={tag_id}", headers=auth).get_json()["items"]
    ] == ["张三"]
    missing = client.patch(f"/api/v1/inspectors/{insp.id}", json={"tag_ids": [999]}, headers=auth)
    assert missing.status_code == 422 and missing.get_json()["error"]["fields"] == {"tag_ids": "标签不存在"}
