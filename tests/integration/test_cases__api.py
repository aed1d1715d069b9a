"""The case engine's JSON API: tasks, completion (200/422/409/403), claims, cases, administration."""

from __future__ import annotations

import pytest

from adapters.db import db
from adapters.models import HumanTask, ProcessInstance
from tests import factories as f
from tests.integration.cases_support import api, build_world, login, start_case, task_of


@pytest.fixture
def w(app):
    world = build_world()
    world["case"] = start_case(world)
    world["fire_task"] = task_of(world["case"].id, world["fire"])
    world["lead_task"] = task_of(world["case"].id, world["lead"])
    return world


def filled(detail: dict, codes: list[str]) -> dict:
    data = dict(detail["form_data"])
    data["results"] = [{**row, "result_codes": codes} for row in data["results"]]
    return data


def test_api__tasks_lists_only_the_callers_tasks(app, w):
    body = login(app, w["fire_inspector"]).get("/api/v1/tasks").get_json()
    assert [t["id"] for t in body["items"]] == [w["fire_task"].id]
    item = body["items"][0]
    assert (
        item["case"]["id"] == w["case"].id
        and item["due_date"] == "2026-10-19"
        and item["department"] == "消防救援支队"
    )
    assert login(app, w["fire_inspector"]).get("/api/v1/tasks?tab=department").status_code == 422
    officer = login(app, w["fire_officer"]).get("/api/v1/tasks?tab=department").get_json()
    assert [t["id"] for t in officer["items"]] == [w["fire_task"].id]
    assert login(app, w["fire_inspector"]).get("/api/v1/tasks?tab=nonsense").status_code == 422


def test_api__task_detail_has_the_form(app, w):
    body = login(app, w["fire_inspector"]).get(f"/api/v1/tasks/{w['fire_task'].id}").get_json()
    assert body["can_work"] is True and body["form_schema"]["title"] == "检查结果"
    assert body["ui_schema"]["results"]["ui:widget"] == "table"
    assert body["form_data"]["results"][0]["item_code"] == "XF-01"
    assert login(app, w["health_inspector"]).get(f"/api/v1/tasks/{w['fire_task'].id}").status_code == 403


def test_api__complete_valid_then_conflict(app, w):
    client = login(app, w["fire_inspector"])
    detail = client.get(f"/api/v1/tasks/{w['fire_task'].id}").get_json()
    resp = api(client, "POST", f"/api/v1/tasks/{w['fire_task'].id}/complete", filled(detail, ["1"]))
    assert resp.status_code == 200 and resp.get_json()["state"] == "completed"
    again = api(client, "POST", f"/api/v1/tasks/{w['fire_task'].id}/complete", filled(detail, ["1"]))
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"


def test_api__complete_invalid_names_the_fields_and_changes_nothing(app, w):
    client = login(app, w["fire_inspector"])
    detail = client.get(f"/api/v1/tasks/{w['fire_task'].id}").get_json()
    version = db.session.get(ProcessInstance, w["case"].id).lock_version
    resp = api(client, "POST", f"/api/v1/tasks/{w['fire_task'].id}/complete", filled(detail, []))
    assert resp.status_code == 422
    assert resp.get_json()["error"]["fields"] == {"results.0.result_codes": "至少选择或填写 1 项"}
    rows = api(client, "POST", f"/api/v1/tasks/{w['fire_task'].id}/complete", {"results": []})
    assert rows.status_code == 422 and "results" in rows.get_json()["error"]["fields"]
    db.session.expire_all()
    assert db.session.get(HumanTask, w["fire_task"].id).state == "ready"
    assert db.session.get(ProcessInstance, w["case"].id).lock_version == version


def test_api__complete_another_departments_task_is_403(app, w):
    client = login(app, w["health_inspector"])
    resp = api(client, "POST", f"/api/v1/tasks/{w['fire_task'].id}/complete", {"results": []})
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "forbidden"
    assert db.session.get(HumanTask, w["fire_task"].id).state == "ready"


def test_api__session_needs_csrf_and_a_token_does_not(app, w):
    client = login(app, w["fire_inspector"])
    assert client.post(f"/api/v1/tasks/{w['fire_task'].id}/claim").status_code == 400
    token = f.api_token(w["fire_inspector"])
    bearer = f.client(app).post(
        f"/api/v1/tasks/{w['fire_task'].id}/claim", headers={"Authorization": f"Bearer {token}"}
    )
    assert bearer.status_code == 200 and bearer.get_json()["assignee_id"] == w["fire_inspector"].id


def test_api__claim_unclaim_reassign(app, w):
    task_id = w["lead_task"].id
    inspector, colleague, officer = (
        login(app, w[k]) for k in ("lead_inspector", "lead_colleague", "lead_officer")
    )
    assert api(inspector, "POST", f"/api/v1/tasks/{task_id}/claim").get_json()["assignee"] == "lead_inspector"
    assert api(colleague, "POST", f"/api/v1/tasks/{task_id}/claim").status_code == 409
    assert api(colleague, "POST", f"/api/v1/tasks/{task_id}/unclaim").status_code == 403
    assert api(officer, "POST", f"/api/v1/tasks/{task_id}/unclaim").get_json()["assignee_id"] is None
    moved = api(officer, "POST", f"/api/v1/tasks/{task_id}/reassign", {"user_id": w["lead_colleague"].id})
    assert moved.status_code == 200 and moved.get_json()["assignee_id"] == w["lead_colleague"].id
    wrong = api(officer, "POST", f"/api/v1/tasks/{task_id}/reassign", {"user_id": w["fire_inspector"].id})
    assert wrong.status_code == 422 and "user_id" in wrong.get_json()["error"]["fields"]
    assert (
        api(
            inspector, "POST", f"/api/v1/tasks/{task_id}/reassign", {"user_id": w["lead_inspector"].id}
        ).status_code
        == 403
    )


def test_api__case_status_tasks_and_diagram_marks(app, w):
    body = login(app, w["fire_inspector"]).get(f"/api/v1/cases/{w['case'].id}").get_json()
    assert body["status"] == "waiting" and body["status_label"] == "等待"
    assert body["diagram"]["active"] == ["department_check", "result_entry"]  # and its subprocess
    assert {"notice", "prepare", "start"} <= set(body["diagram"]["completed"])
    assert {t["element_id"] for t in body["tasks"]} == {"notice", "department_check"}
    outsider = f.account("outsider", ["officer"], f.department("应急管理局").id)
    db.session.commit()
    assert login(app, outsider).get(f"/api/v1/cases/{w['case'].id}").status_code == 403
    assert login(app, w["auditor"]).get(f"/api/v1/cases/{w['case'].id}").status_code == 200


def test_api__timeline_shows_completion_with_its_actor(app, w):
    client = login(app, w["fire_inspector"])
    detail = client.get(f"/api/v1/tasks/{w['fire_task'].id}").get_json()
    api(client, "POST", f"/api/v1/tasks/{w['fire_task'].id}/complete", filled(detail, ["1"]))
    events = client.get(f"/api/v1/cases/{w['case'].id}/timeline").get_json()["items"]
    done = [e for e in events if e["kind"] == "task_completed" and e["task"] == "department_check"]
    assert [(e["actor_name"], e["kind_label"]) for e in done] == [("fire_inspector", "任务办结")]
    assert events[0]["kind"] == "instance_started"


def test_api__cancel_suspend_resume_by_the_office_only(app, w):
    case_url = f"/api/v1/cases/{w['case'].id}"
    for user in ("lead_officer", "auditor", "fire_inspector"):
        assert api(login(app, w[user]), "POST", f"{case_url}/suspend", {"reason": "核查"}).status_code == 403
    office = login(app, w["office"])
    assert api(office, "POST", f"{case_url}/suspend", {}).status_code == 422
    assert api(office, "POST", f"{case_url}/suspend", {"reason": "核查"}).get_json()["status"] == "suspended"
    assert api(office, "POST", f"{case_url}/suspend", {"reason": "核查"}).status_code == 409
    assert api(office, "POST", f"{case_url}/resume", {}).get_json()["status"] == "waiting"
    cancelled = api(office, "POST", f"{case_url}/cancel", {"reason": "企业已注销"}).get_json()
    assert cancelled["status"] == "cancelled" and all(t["state"] != "ready" for t in cancelled["tasks"])


def test_api__openapi_documents_the_case_engine(app, w):
    paths = f.client(app).get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/tasks",
        "/api/v1/tasks/{task_id}/complete",
        "/api/v1/cases/{instance_id}/timeline",
        "/api/v1/processes/versions",
        "/api/v1/incidents/{incident_id}/retry",
    ):
        assert path in paths, path
