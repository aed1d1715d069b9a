"""In-app notifications: written with the task rows (assigned, returned, handed over), by the
overdue timer's service, shown by the bell and /notifications, marked read (UI and API)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import time_machine
from sqlalchemy import func, select

from adapters.db import db
from adapters.models import Notification
from adapters.workflow import jobs as workflow_jobs
from tests.integration.cases_support import (
    SHANGHAI,
    api,
    build_world,
    login,
    post,
    ready,
    start_case,
    start_data,
    task_of,
    who,
)
from tests.integration.notifications_support import complete, kinds_of, notes_of, to_review
from web.runtime import workflow

CHECK = "录入本部门检查结果"


@pytest.fixture
def w(app):
    return build_world()


def test_notifications__ready_task_tells_its_department_people(app, w):
    case = start_case(w, checklists=False)
    for user in ("lead_officer", "lead_inspector", "lead_colleague"):
        assert kinds_of(w[user]) == [("assigned", "发出检查通知")], user
    assert kinds_of(w["fire_inspector"]) == [] and kinds_of(w["office"]) == []
    (notice,) = ready(case.id)
    note = notes_of(w["lead_inspector"])[0]
    assert (note.task_id, note.instance_id, note.read_at) == (notice.id, case.id, None)
    assert "石家庄某某餐饮有限公司" in note.body


def test_notifications__checklists_tell_each_department_only_its_own(app, w):
    case = start_case(w)
    assert kinds_of(w["fire_officer"]) == [("assigned", CHECK)]
    assert kinds_of(w["fire_inspector"]) == [("assigned", CHECK)]
    assert kinds_of(w["health_inspector"]) == [("assigned", CHECK)]
    fire = notes_of(w["fire_inspector"])[0]
    assert fire.task_id == task_of(case.id, w["fire"]).id
    for user in ("office", "auditor"):
        assert kinds_of(w[user]) == []


def test_notifications__rolled_back_start_leaves_none(app, w):
    workflow().start(
        "inspection_case", start_data(w, "C-RB"), who(w["lead_officer"]), department_id=w["lead"].id
    )
    db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 3
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_notifications__review_return_tells_the_department_it_is_returned(app, w):
    case = start_case(w)
    with time_machine.travel(datetime(2026, 9, 20, 10, 0, tzinfo=SHANGHAI), tick=False):
        review = to_review(app, w, case)
        reason = {"decision": "return", "return_department": str(w["fire"].id), "reason": "照片不清晰"}
        complete(app, w["lead_officer"], review, reason)
    returned = [n for n in notes_of(w["fire_inspector"]) if n.kind == "returned"]
    assert [n.title for n in returned] == ["更正检查结果"]
    (correct,) = [t for t in ready(case.id) if t.element_id == "correct"]
    assert returned[0].task_id == correct.id
    assert not [n for n in notes_of(w["health_inspector"]) if n.kind == "returned"]


def test_notifications__reassign_tells_the_new_assignee_and_a_claim_tells_no_one(app, w):
    case = start_case(w)
    lead_task = task_of(case.id, w["lead"])
    before = len(notes_of(w["lead_colleague"]))
    officer = login(app, w["lead_officer"])
    resp = post(officer, f"/tasks/{lead_task.id}/reassign", {"user_id": w["lead_colleague"].id})
    assert resp.status_code == 302
    after = notes_of(w["lead_colleague"])
    assert len(after) == before + 1 and after[-1].kind == "assigned" and after[-1].task_id == lead_task.id
    fire_task = task_of(case.id, w["fire"])
    count = len(notes_of(w["fire_inspector"]))
    assert post(login(app, w["fire_inspector"]), f"/tasks/{fire_task.id}/claim").status_code == 302
    assert len(notes_of(w["fire_inspector"])) == count


def test_notifications__overdue_timer_tells_the_office_and_the_departments(app, w):
    case = start_case(w)
    with time_machine.travel(datetime(2026, 10, 19, 23, 0, tzinfo=SHANGHAI), tick=False):
        workflow_jobs.wake_due()
    assert not [n for n in notes_of(w["office"]) if n.kind == "overdue"]  # not a day (an hour) early
    with time_machine.travel(datetime(2026, 10, 20, 9, 0, tzinfo=SHANGHAI), tick=False):
        workflow_jobs.wake_due()
    office = [n for n in notes_of(w["office"]) if n.kind == "overdue"]
    assert [(n.title, n.instance_id) for n in office] == [("检查结果录入与审核逾期", case.id)]
    for user in ("lead_officer", "fire_officer"):
        assert [n.instance_id for n in notes_of(w[user]) if n.kind == "overdue"] == [case.id], user
    assert not [n for n in notes_of(w["fire_inspector"]) if n.kind == "overdue"]  # officers are told


def _bell(html: str) -> str | None:
    found = re.search(r'class="bell-count">([^<]+)<', html)
    return found.group(1) if found else None


def test_notifications__bell_page_mark_read_and_mark_all(app, w):
    start_case(w)
    client = login(app, w["lead_inspector"])
    html = client.get("/tasks").get_data(as_text=True)
    assert _bell(html) == "2"  # the notice, then the lead department's checklist
    page = client.get("/notifications").get_data(as_text=True)
    assert CHECK in page and "发出检查通知" in page and "新待办" in page
    first, second = notes_of(w["lead_inspector"])
    resp = post(client, f"/notifications/{second.id}/read", {"open": "1"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/tasks/{second.task_id}")
    assert _bell(client.get("/tasks").get_data(as_text=True)) == "1"
    other = login(app, w["fire_inspector"])
    assert post(other, f"/notifications/{first.id}/read").status_code == 404
    assert notes_of(w["lead_inspector"])[0].read_at is None
    assert post(client, "/notifications/read-all").status_code == 302
    assert _bell(client.get("/tasks").get_data(as_text=True)) is None
    assert all(n.read_at for n in notes_of(w["lead_inspector"]))


def test_notifications__api_lists_marks_and_refuses_anothers(app, w):
    start_case(w)
    client = login(app, w["fire_inspector"])
    body = client.get("/api/v1/notifications").get_json()
    assert body["unread"] == 1 and [n["kind"] for n in body["items"]] == ["assigned"]
    item = body["items"][0]
    assert item["url"] == f"/tasks/{item['task_id']}" and item["kind_label"] == "新待办"
    theirs = notes_of(w["lead_inspector"])[0].id
    assert api(client, "POST", f"/api/v1/notifications/{theirs}/read").status_code == 404
    assert api(client, "POST", f"/api/v1/notifications/{item['id']}/read").get_json()["read_at"]
    assert client.get("/api/v1/notifications?unread=1").get_json()["items"] == []
    assert api(client, "POST", "/api/v1/notifications/read-all").get_json() == {"marked": 0, "unread": 0}
    assert client.get("/api/v1/notifications?page=0").status_code == 422
