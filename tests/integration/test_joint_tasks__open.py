"""发起联合抽查（吹哨）: from the UI and the API, ad hoc and from a published plan row; numbering,
the departments' 报到 rows and tasks, and who may open a task for which lead department."""

from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import func, select

from adapters.db import db
from adapters.joint_tasks import next_number
from adapters.models import HumanTask, JointTask
from tests import factories as f
from tests.integration.joint_tasks_support import (
    DUE_UTC,
    WHISTLE,
    build_world,
    login,
    open_ad_hoc,
    post_form,
    row_of,
)


@pytest.fixture
def w(app):
    return build_world()


def ad_hoc_form(w: dict, **over) -> dict:
    data = {
        "mode": "ad_hoc",
        "name": "餐饮服务临时联合抽查",
        "lead_department_id": str(w["market"].id),
        "joint_list_id": str(w["joint_list"].id),
        "ad_hoc_reason": "群众投诉较多，临时组织联合检查",
        "report_days": "3",
    }
    return {**data, **over}


def task_count() -> int:
    return db.session.scalar(select(func.count()).select_from(JointTask))


def test_open__ad_hoc_from_the_ui_asks_each_department_to_report(app, w):
    with time_machine.travel(WHISTLE, tick=False):
        client = login(app, w["lead_officer"])
        page = client.get("/joint-tasks/new").get_data(as_text=True)
        assert "发起联合抽查（吹哨）" in page and "餐饮服务单位一业一查联合抽查" in page
        resp = post_form(client, "/joint-tasks/new", ad_hoc_form(w))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    task = db.session.execute(select(JointTask)).scalar_one()
    assert resp.headers["Location"].endswith(f"/joint-tasks/{task.id}")
    assert (task.number, task.ad_hoc, task.status) == ("JT-2026-0001", True, "reporting")
    assert task.ad_hoc_reason == "群众投诉较多，临时组织联合检查" and task.industry_codes == ["621", "622"]
    lead, fire, health = (row_of(task, w[k]) for k in ("market", "fire", "health"))
    assert (lead.is_lead, lead.status, lead.item_ids) == (True, "confirmed", [w["items"]["food"].id])
    assert (fire.status, fire.item_ids) == ("pending", [w["items"]["fire"].id])
    assert health.item_ids == [w["items"]["water"].id]
    reports = db.session.execute(select(HumanTask).where(HumanTask.element_id == "report")).scalars().all()
    assert sorted(t.department_id for t in reports) == sorted([w["fire"].id, w["health"].id])
    assert {t.due_at.replace(tzinfo=None) for t in reports} == {DUE_UTC.replace(tzinfo=None)}
    assert fire.due_at.replace(tzinfo=None) == DUE_UTC.replace(tzinfo=None)
    with time_machine.travel(WHISTLE, tick=False):
        html = client.get(f"/joint-tasks/{task.id}").get_data(as_text=True)
    assert "JT-2026-0001" in html and "报到情况" in html and "待报到" in html and "牵头部门" in html
    assert "2026-10-10" in html and "剩余 3 个工作日" in html


def test_open__from_a_published_plan_row_once_while_it_runs(app, w):
    row = w["plan_row"]
    with time_machine.travel(WHISTLE, tick=False):
        client = login(app, w["lead_officer"])
        resp = post_form(
            client, "/joint-tasks/new", {"mode": "plan", "plan_row_id": str(row.id), "report_days": "5"}
        )
        assert resp.status_code == 302
        again = post_form(client, "/joint-tasks/new", {"mode": "plan", "plan_row_id": str(row.id)})
        html = client.get("/joint-tasks/new").get_data(as_text=True)
    assert "已发起：JT-2026-0001" in html
    assert again.status_code == 409 and "JT-2026-0001" in again.get_data(as_text=True)
    task = db.session.execute(select(JointTask)).scalar_one()
    assert (task.name, task.ad_hoc, task.plan_row_key, task.report_days) == (
        "餐饮服务单位一业一查联合抽查",
        False,
        "R-0001",
        5,
    )
    assert task.plan_id == w["plan"].id
    assert sorted(r.department_id for r in task.departments) == sorted(
        w[k].id for k in ("market", "fire", "health")
    )


def test_open__ad_hoc_needs_a_reason_and_a_department(app, w):
    client = login(app, w["lead_officer"])
    resp = post_form(client, "/joint-tasks/new", ad_hoc_form(w, ad_hoc_reason=""))
    assert resp.status_code == 422 and "此项为必填项" in resp.get_data(as_text=True)
    resp = post_form(client, "/joint-tasks/new", ad_hoc_form(w, joint_list_id="None"))
    assert resp.status_code == 422 and "请至少选择一个联查部门" in resp.get_data(as_text=True)
    assert task_count() == 0


def test_open__only_for_a_department_one_leads(app, w):
    fire = login(app, w["fire_officer"])
    assert post_form(fire, "/joint-tasks/new", ad_hoc_form(w)).status_code == 403
    plan = {"mode": "plan", "plan_row_id": str(w["plan_row"].id)}
    assert post_form(fire, "/joint-tasks/new", plan).status_code == 403
    # a plan row another department leads is not even offered
    assert "餐饮服务单位一业一查联合抽查" not in fire.get("/joint-tasks/new").get_data(as_text=True)
    assert login(app, w["fire_inspector"]).get("/joint-tasks/new").status_code == 403
    assert login(app, w["auditor"]).get("/joint-tasks/new").status_code == 403
    assert task_count() == 0
    with time_machine.travel(WHISTLE, tick=False):
        office = login(app, w["office"])
        assert post_form(office, "/joint-tasks/new", ad_hoc_form(w)).status_code == 302
    assert task_count() == 1


def test_number__counts_per_year(app, w):
    with time_machine.travel(WHISTLE, tick=False):
        first, second = open_ad_hoc(w, "第一次"), open_ad_hoc(w, "第二次")
    assert (first.number, second.number) == ("JT-2026-0001", "JT-2026-0002")
    assert next_number(db.session, 2026) == "JT-2026-0003"
    assert next_number(db.session, 2027) == "JT-2027-0001"


# --- API ----------------------------------------------------------------------------------------


def api(app, user):
    token = f.api_token(user)
    client = f.client(app)
    return client, {"Authorization": f"Bearer {token}"}


def test_api__create_get_and_list(app, w):
    with time_machine.travel(WHISTLE, tick=False):
        client, auth = api(app, w["lead_officer"])
    body = {
        "name": "餐饮服务临时联合抽查",
        "lead_department_id": w["market"].id,
        "department_ids": [w["fire"].id],
        "ad_hoc_reason": "专项整治",
    }
    with time_machine.travel(WHISTLE, tick=False):
        resp = client.post("/api/v1/joint-tasks", json=body, headers=auth)
        assert resp.status_code == 201, resp.get_json()
        created = resp.get_json()
        got = client.get(f"/api/v1/joint-tasks/{created['id']}", headers=auth).get_json()
    assert created["number"] == "JT-2026-0001" and created["ad_hoc"] is True
    assert [(d["name"], d["report_state"]) for d in got["departments"]] == [
        ("市场监管局", "lead"),
        ("消防救援大队", "pending"),
    ]
    fire = got["departments"][1]
    assert fire["report_task_id"] is not None and fire["due_at"].startswith("2026-10-10T15:59:59")
    listed = client.get("/api/v1/joint-tasks?year=2026", headers=auth).get_json()
    assert [t["number"] for t in listed["items"]] == ["JT-2026-0001"] and listed["items"][0]["reports"] == {
        "pending": 1
    }
    assert client.get("/api/v1/joint-tasks?year=2025", headers=auth).get_json()["items"] == []

    edu, edu_auth = api(app, w["edu_officer"])
    assert edu.get("/api/v1/joint-tasks", headers=edu_auth).get_json()["items"] == []
    assert edu.get(f"/api/v1/joint-tasks/{created['id']}", headers=edu_auth).status_code == 403
    refused = edu.post("/api/v1/joint-tasks", json=body, headers=edu_auth)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"]


def test_api__create_refuses_bad_input_with_fields(app, w):
    client, auth = api(app, w["lead_officer"])
    body = {"name": "临时", "lead_department_id": w["market"].id, "department_ids": [w["fire"].id]}
    resp = client.post("/api/v1/joint-tasks", json=body, headers=auth)
    assert resp.status_code == 422
    assert resp.get_json()["error"]["fields"] == {"ad_hoc_reason": "临时发起的联合抽查须说明理由"}
    resp = client.post("/api/v1/joint-tasks", json={"plan_row_id": 999}, headers=auth)
    assert resp.status_code == 422 and "plan_row_id" in resp.get_json()["error"]["fields"]
    resp = client.post(
        "/api/v1/joint-tasks", json={**body, "report_days": 0, "ad_hoc_reason": "x"}, headers=auth
    )
    assert resp.status_code == 422 and "report_days" in resp.get_json()["error"]["fields"]
    assert task_count() == 0
