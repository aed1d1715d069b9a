"""A department's checklist is its own: another participating department can neither fill nor
see it — task page, case page, API (task, timeline) and attachments — while the lead department
sees it once submitted (it consolidates) and the office always."""

from __future__ import annotations

import io
import re

import pytest

from tests.integration.cases_support import api, build_world, checklist_form, login, post, start_case, task_of
from web.cases import attachments

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SECRET = "消防通道被杂物堵塞"


@pytest.fixture
def w(app):
    world = build_world()
    world["case"] = start_case(world)
    world["fire_task"] = task_of(world["case"].id, world["fire"])
    world["health_task"] = task_of(world["case"].id, world["health"])
    return world


def test_isolation__a_draft_is_neither_filled_nor_seen_by_another_department(app, w):
    health = login(app, w["health_inspector"])
    fire_task = w["fire_task"].id
    assert health.get(f"/tasks/{fire_task}").status_code == 403
    assert post(health, f"/tasks/{fire_task}", checklist_form(w["fire_task"], {0: ["1"]})).status_code == 403
    assert api(health, "GET", f"/api/v1/tasks/{fire_task}").status_code == 403
    assert api(health, "POST", f"/api/v1/tasks/{fire_task}/complete", {"results": []}).status_code == 403
    upload = {"file": (io.BytesIO(PNG), "照片.png")}
    assert (
        health.post(
            f"/api/v1/tasks/{fire_task}/attachments", data=upload, headers={"X-CSRFToken": health.csrf}
        ).status_code
        == 403
    )
    # a draft upload of the fire brigade (a refused submission keeps it) stays the brigade's
    fire = login(app, w["fire_inspector"])
    data = checklist_form(w["fire_task"], {0: []}, {0: SECRET}) | {
        "results.0.attachments": (io.BytesIO(PNG), "现场.png")
    }
    refused = post(fire, f"/tasks/{fire_task}", data, content_type="multipart/form-data")
    assert refused.status_code == 422
    kept = re.search(
        r'name="results.0.attachments.__keep" value="([0-9a-f]{32})"', refused.get_data(as_text=True)
    )
    assert attachments.record(kept.group(1))["department_id"] == w["fire"].id
    url = f"/cases/{w['case'].id}/files/{kept.group(1)}"
    assert fire.get(url).status_code == 200
    assert health.get(url).status_code == 403
    assert login(app, w["lead_officer"]).get(url).status_code == 403  # not submitted: not the lead's yet
    assert login(app, w["office"]).get(url).status_code == 200
    # nor can another department attach the brigade's file to its own checklist
    health_task = w["health_task"]
    body = {**checklist_form(health_task, {0: ["1"]}), "results.0.attachments.__keep": kept.group(1)}
    stolen = post(health, f"/tasks/{health_task.id}", body)
    assert stolen.status_code == 422 and "其他部门" in stolen.get_data(as_text=True)
    assert task_of(w["case"].id, w["health"]).state == "ready"


def test_isolation__a_submitted_checklist_is_hidden_from_the_other_departments(app, w):
    fire = login(app, w["fire_inspector"])
    data = checklist_form(w["fire_task"], {0: ["A", "3"]}, {0: SECRET})
    data["results.0.attachments"] = (io.BytesIO(PNG), "现场.png")
    assert (
        post(fire, f"/tasks/{w['fire_task'].id}", data, content_type="multipart/form-data").status_code == 302
    )
    (file_id,) = _submitted(w["case"].id, w["fire"].id)["results"][0]["attachments"]
    file_url = f"/cases/{w['case'].id}/files/{file_id}"
    case_url = f"/cases/{w['case'].id}"

    health = login(app, w["health_inspector"])
    page = health.get(case_url).get_data(as_text=True)
    assert "消防救援支队" in page and SECRET not in page and "现场.png" not in page
    timeline = api(health, "GET", f"/api/v1/cases/{w['case'].id}/timeline").get_json()["items"]
    fire_done = [
        e for e in timeline if e["kind"] == "task_completed" and e["data"].get("key") == str(w["fire"].id)
    ]
    assert fire_done and all("data" not in e["data"] and e["data"]["hidden"] for e in fire_done)
    assert SECRET not in str(timeline)
    assert health.get(f"/tasks/{w['fire_task'].id}").status_code == 403  # the done task too
    assert health.get(file_url).status_code == 403

    for reader in ("lead_officer", "office", "auditor", "fire_officer"):
        client = login(app, w[reader])
        assert SECRET in client.get(case_url).get_data(as_text=True), reader
        assert client.get(file_url).status_code == 200, reader
    lead_timeline = api(login(app, w["lead_officer"]), "GET", f"/api/v1/cases/{w['case'].id}/timeline")
    assert SECRET in str(lead_timeline.get_json())


def _submitted(instance_id: int, department_id: int) -> dict:
    from adapters.queries.cases import timeline

    (event,) = [
        e
        for e in timeline(instance_id)
        if e.kind == "task_completed" and e.data.get("key") == str(department_id)
    ]
    return event.data["data"]
