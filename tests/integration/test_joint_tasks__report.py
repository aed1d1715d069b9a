"""部门报到 on the database: the departments' 报到 tasks in their inbox, completing them (service,
UI task form and API), the task page's statuses, the escalation of a missing report by the
wake-up job on the right working day, and a late report after it."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from adapters.db import db
from adapters.models import JointTask
from adapters.workflow.jobs import wake_due
from engine.errors import Forbidden, ValidationFailed
from tests import factories as f
from tests.integration.joint_tasks_support import (
    DECLINE,
    SHANGHAI,
    WHISTLE,
    build_world,
    confirm,
    login,
    open_ad_hoc,
    ready,
    report_task,
    row_of,
    who,
)
from web.runtime import workflow

BEFORE_DUE = datetime(2026, 10, 10, 23, 0, tzinfo=SHANGHAI)  # the make-up Saturday, still in time
AFTER_DUE = datetime(2026, 10, 11, 0, 1, tzinfo=SHANGHAI)


@pytest.fixture
def w(app):
    world = build_world()
    with time_machine.travel(WHISTLE, tick=False):
        world["task"] = open_ad_hoc(world)
    return world


def complete(w, department: str, user: str, data: dict) -> None:
    workflow().complete(report_task(w["task"], w[department]).id, data, who(w[user]))
    db.session.commit()


def page_of(app, user, path: str, moment=WHISTLE) -> str:
    with time_machine.travel(moment, tick=False):
        resp = login(app, user).get(path)
    assert resp.status_code == 200, resp.status_code
    return resp.get_data(as_text=True)


def test_report__each_department_finds_its_task_in_the_inbox(app, w):
    fire_task = report_task(w["task"], w["fire"])
    html = page_of(app, w["fire_officer"], "/tasks")
    assert f'href="/tasks/{fire_task.id}"' in html and "JT-2026-0001" in html
    assert f'href="/tasks/{report_task(w["task"], w["health"]).id}"' not in html
    form = page_of(app, w["fire_officer"], f"/tasks/{fire_task.id}")
    assert "是否参加" in form and "XF-01 消防安全" in form and "公共卫生" in form


def test_report__all_departments_answer_and_the_lead_draws(app, w):
    task = w["task"]
    with time_machine.travel(WHISTLE, tick=False):
        complete(w, "fire", "fire_officer", confirm(w, "fire", "exit", tags=("fire",), per_target=3))
        complete(w, "health", "health_officer", DECLINE)
    fire, health = row_of(task, w["fire"]), row_of(task, w["health"])
    assert (fire.status, fire.item_ids, fire.inspectors_per_target) == (
        "confirmed",
        [w["items"]["fire"].id, w["items"]["exit"].id],
        3,
    )
    assert (
        fire.inspector_tag_ids == [w["tags"]["fire"].id] and fire.comment == "联络人：王联络（0311-12345678）"
    )
    assert fire.reported_at is not None and fire.escalated_at is None
    assert (health.status, health.item_ids, health.comment) == (
        "declined",
        [],
        "不参加理由：本部门无相关监管职责",
    )
    (draw,) = ready(task, "draw")
    assert draw.department_id == w["market"].id and draw.roles == "officer"
    assert db.session.get(JointTask, task.id).status == "drawing"
    html = page_of(app, w["lead_officer"], f"/joint-tasks/{task.id}")
    assert "已报到" in html and "不参加" in html and "待报到" not in html
    assert "XF-02 疏散通道" in html and "每户 3 人" in html and "消防" in html


def test_report__a_department_cannot_answer_for_another(app, w):
    with pytest.raises(Forbidden):
        complete(w, "fire", "health_officer", confirm(w, "fire"))
    with pytest.raises(Forbidden):
        complete(w, "fire", "fire_inspector", confirm(w, "fire"))  # 报到 is the officer's
    db.session.rollback()
    with pytest.raises(ValidationFailed) as err:
        complete(w, "fire", "fire_officer", {**confirm(w), "item_ids": []})
    assert err.value.fields == {"item_ids": "至少选择或填写 1 项"}
    db.session.rollback()
    assert row_of(w["task"], w["fire"]).status == "pending"


def test_report__through_the_task_form_records_the_reporter(app, w):
    fire_task = report_task(w["task"], w["fire"])
    with time_machine.travel(WHISTLE, tick=False):
        client = login(app, w["fire_officer"])
        token = f.csrf_token(client, f"/tasks/{fire_task.id}")
        resp = client.post(
            f"/tasks/{fire_task.id}",
            data={
                "csrf_token": token,
                "participate": "True",
                "item_ids": [str(w["items"]["fire"].id)],
                "inspectors_per_target": "2",
                "contact": "李联络",
            },
        )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:800]
    row = row_of(w["task"], w["fire"])
    assert (row.status, row.reported_by_id, row.item_ids) == (
        "confirmed",
        w["fire_officer"].id,
        [w["items"]["fire"].id],
    )


def test_escalation__a_missing_report_turns_overdue_after_the_last_working_day(app, w):
    task = w["task"]
    with time_machine.travel(WHISTLE, tick=False):
        complete(w, "fire", "fire_officer", confirm(w, "fire"))
    with time_machine.travel(BEFORE_DUE, tick=False):
        assert wake_due() == 0
    assert row_of(task, w["health"]).status == "pending"
    with time_machine.travel(AFTER_DUE, tick=False):
        assert wake_due() == 1
    health, fire = row_of(task, w["health"]), row_of(task, w["fire"])
    assert health.status == "overdue" and health.escalated_at is not None
    assert fire.status == "confirmed" and fire.escalated_at is None  # the early report is kept
    (supervise,) = ready(task, "supervise")
    assert (supervise.roles, supervise.department_id) == ("office", None)
    html = page_of(app, w["office"], f"/joint-tasks/{task.id}", AFTER_DUE)
    assert "已逾期" in html and "升级至双随机办督办" in html
    listed = page_of(app, w["office"], "/joint-tasks?status=overdue", AFTER_DUE)
    assert "JT-2026-0001" in listed
    assert "JT-2026-0001" not in page_of(app, w["office"], "/joint-tasks?status=drawing", AFTER_DUE)

    # the late department can still report, and then the lead draws
    with time_machine.travel(AFTER_DUE, tick=False):
        complete(w, "health", "health_officer", confirm(w, "water"))
    health = row_of(task, w["health"])
    assert health.status == "confirmed" and health.escalated_at is not None
    assert health.comment.endswith("（逾期后补报）")
    assert len(ready(task, "draw")) == 1 and db.session.get(JointTask, task.id).status == "drawing"


def test_task_page__visible_to_the_departments_taking_part(app, w):
    path = f"/joint-tasks/{w['task'].id}"
    for user in ("lead_officer", "fire_inspector", "health_officer", "office", "auditor"):
        page_of(app, w[user], path)
    with time_machine.travel(WHISTLE, tick=False):
        assert login(app, w["edu_officer"]).get(path).status_code == 403
        assert login(app, w["edu_officer"]).get("/joint-tasks/999999").status_code == 404
    assert "JT-2026-0001" not in page_of(app, w["edu_officer"], "/joint-tasks")
    mine = page_of(app, w["fire_officer"], "/joint-tasks")
    assert "JT-2026-0001" in mine and "待报到 2" in mine


def test_api__report_for_ones_own_department(app, w):
    task = w["task"]
    fire, fire_auth = f.client(app), {"Authorization": f"Bearer {f.api_token(w['fire_officer'])}"}
    lead, lead_auth = f.client(app), {"Authorization": f"Bearer {f.api_token(w['lead_officer'])}"}
    url = f"/api/v1/joint-tasks/{task.id}/report"
    with time_machine.travel(WHISTLE, tick=False):
        assert lead.post(url, json=confirm(w, "food"), headers=lead_auth).status_code == 403
        bad = fire.post(url, json={"participate": False}, headers=fire_auth)
        assert bad.status_code == 422 and bad.get_json()["error"]["fields"] == {"decline_reason": "必填项"}
        done = fire.post(url, json=confirm(w, "fire"), headers=fire_auth)
        assert done.status_code == 200, done.get_json()
        again = fire.post(url, json=confirm(w, "fire"), headers=fire_auth)
    states = {d["name"]: d["report_state"] for d in done.get_json()["departments"]}
    assert states == {"市场监管局": "lead", "消防救援大队": "confirmed", "卫生健康委": "pending"}
    assert again.status_code == 409
    assert row_of(task, w["fire"]).reported_by_id == w["fire_officer"].id


def _post_task(app, user, task_id: int, data: dict, moment=AFTER_DUE):
    with time_machine.travel(moment, tick=False):
        client = login(app, user)
        token = f.csrf_token(client, f"/tasks/{task_id}")
        return client.post(f"/tasks/{task_id}", data={"csrf_token": token, **data})


def test_close_reporting__the_lead_closes_out_a_silent_department_and_draws(app, w):
    """The deadlock fix: a department that never reports no longer holds up the draw."""
    from adapters.models import Notification

    task = w["task"]
    with time_machine.travel(WHISTLE, tick=False):
        complete(w, "fire", "fire_officer", confirm(w, "fire"))
        assert ready(task, "close_report") == []  # not before the deadline
    with time_machine.travel(AFTER_DUE, tick=False):
        assert wake_due() == 1
    (close,) = ready(task, "close_report")
    assert close.department_id == w["market"].id and close.roles == "officer"
    html = page_of(app, w["lead_officer"], f"/joint-tasks/{task.id}", AFTER_DUE)
    assert "截止报到" in html and f"/tasks/{close.id}" in html
    # another department's officer may not close it; an empty reason is refused
    assert _post_task(app, w["fire_officer"], close.id, {"reason": "x"}).status_code == 403
    assert _post_task(app, w["lead_officer"], close.id, {"reason": ""}).status_code == 422
    resp = _post_task(app, w["lead_officer"], close.id, {"reason": "经电话督促仍未报到"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:800]
    health = row_of(task, w["health"])
    assert (health.status, health.item_ids) == ("absent", [])
    assert "牵头部门截止报到：经电话督促仍未报到" in health.comment
    assert row_of(task, w["fire"]).status == "confirmed"
    assert len(ready(task, "draw")) == 1 and len(ready(task, "report")) == 0
    assert db.session.get(JointTask, task.id).status == "drawing"
    office_notes = db.session.query(Notification).filter_by(user_id=w["office"].id).all()
    assert any("已截止报到" in n.title and "卫生健康委" in n.body for n in office_notes)
    html = page_of(app, w["office"], f"/joint-tasks/{task.id}", AFTER_DUE)
    assert "未报到（已截止）" in html


def test_close_reporting__the_office_closes_while_supervising(app, w):
    task = w["task"]
    with time_machine.travel(AFTER_DUE, tick=False):
        assert wake_due() == 1
    (supervise,) = ready(task, "supervise")
    resp = _post_task(app, w["office"], supervise.id, {"measures": "两次督促无果", "close_reporting": "true"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:800]
    assert {row_of(task, w[d]).status for d in ("fire", "health")} == {"absent"}
    assert "双随机办截止报到：两次督促无果" in row_of(task, w["fire"]).comment
    assert ready(task, "close_report") == [] and len(ready(task, "draw")) == 1
