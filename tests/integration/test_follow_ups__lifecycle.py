"""Follow-ups on the database, on both backends: an approved case with two problems starts two
follow-ups (a re-run of the routing job starts none more), one is accepted and handled, the other
returned to the office, re-assigned and handled; both report back and the case closes; then a
revisit. Also: the overdue mark on the right working day across the 2026 National Day holiday,
and a department cannot act on or see another department's follow-up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from adapters.db import db
from adapters.follow_ups import queries
from adapters.models import HumanTask, JobRun, ProcessInstance
from adapters.queries.cases import completed_elements
from adapters.workflow.jobs import route_message, wake_due
from engine.errors import Forbidden
from tests.integration.cases_support import SHANGHAI, build_world, login, post, ready, start_case, who
from web.runtime import workflow

REVIEW_DAY = datetime(2026, 9, 18, 10, 0, tzinfo=SHANGHAI)  # Friday
ACCEPT_DAY = datetime(2026, 9, 21, 9, 0, tzinfo=SHANGHAI)  # Monday
# 20 working days after Mon 9/21 across 中秋 (9/25–27) and 国庆 (10/1–7, make-up Sat 10/10): Mon 10/26
MEASURES_DUE = datetime(2026, 10, 26, 23, 59, 59, tzinfo=SHANGHAI)
HANDLING = {"measures": "责令整改", "outcome": "rectified", "completed_on": "2026-09-30"}


def _complete(task: HumanTask, user, data: dict) -> None:
    workflow().complete(task.id, data, who(user))
    db.session.commit()


def _form_data(task: HumanTask) -> dict:
    row = db.session.get(ProcessInstance, task.instance_id)
    return workflow().load(row).human_task(task.task_uuid).form_data


def _only(instance_id: int, element_id: str) -> HumanTask:
    [task] = [t for t in ready(instance_id) if t.element_id == element_id]
    return task


def _approved_case(w: dict) -> ProcessInstance:
    """A case whose fire and health checklists found a problem, reviewed and approved."""
    case = start_case(w)
    with time_machine.travel(REVIEW_DAY, tick=False):
        for task in ready(case.id):
            form = _form_data(task)
            codes = ["1"] if task.department_id == w["lead"].id else ["A"]
            data = {**form, "results": [{**r, "result_codes": codes} for r in form["results"]]}
            user = {
                w["lead"].id: "lead_inspector",
                w["fire"].id: "fire_inspector",
                w["health"].id: "health_inspector",
            }
            _complete(task, w[user[task.department_id]], data)
        consolidate = _only(case.id, "consolidate")
        _complete(consolidate, w["lead_officer"], {**_form_data(consolidate), "summary": "发现两处问题"})
        _complete(_only(case.id, "review"), w["lead_officer"], {"decision": "approve"})
    return case


def _follow_ups(case: ProcessInstance) -> list[ProcessInstance]:
    db.session.expire_all()
    query = select(ProcessInstance).where(
        ProcessInstance.parent_id == case.id, ProcessInstance.model_id == "follow_up"
    )
    return list(db.session.execute(query.order_by(ProcessInstance.id)).scalars())


@pytest.fixture
def w(app):
    world = build_world()
    world["case"] = _approved_case(world)
    return world


def test_follow_ups__two_problems_two_follow_ups_to_closure(app, w):
    case = w["case"]
    fire_fu, health_fu = _follow_ups(case)
    assert [(r.business_key, r.department_id) for r in (fire_fu, health_fu)] == [
        ("follow_up:C-2026-0001-1", w["lead"].id),
        ("follow_up:C-2026-0001-2", w["lead"].id),
    ]
    # the routing job again (a retry after a crash): nothing new starts
    [run] = [r for r in db.session.scalars(select(JobRun)) if r.kwargs.get("name") == "follow_up_requested"]
    assert run.status == "done"
    route_message(**run.kwargs)
    db.session.commit()
    assert len(_follow_ups(case)) == 2

    with time_machine.travel(ACCEPT_DAY, tick=False):
        # both wait for the lead department's transfer, in its inbox
        transfer = _only(fire_fu.id, "transfer")
        assert transfer.department_id == w["lead"].id
        _complete(transfer, w["lead_officer"], _form_data(transfer))
        health_transfer = _only(health_fu.id, "transfer")
        _complete(health_transfer, w["lead_officer"], _form_data(health_transfer))

        # fire accepts its own; health returns the other to the office
        accept = _only(fire_fu.id, "accept")
        assert accept.department_id == w["fire"].id
        _complete(accept, w["fire_officer"], {"decision": "accept"})
        measures = _only(fire_fu.id, "record_measures")
        assert measures.due_at.replace(tzinfo=measures.due_at.tzinfo or UTC) == MEASURES_DUE
        health_accept = _only(health_fu.id, "accept")
        assert health_accept.department_id == w["health"].id
        _complete(
            health_accept, w["health_inspector"], {"decision": "return", "reason": "属市场监管部门管辖"}
        )
        reassign = _only(health_fu.id, "reassign")
        assert (reassign.department_id, reassign.roles) == (None, "office")
        _complete(reassign, w["office"], {"decision": "reassign", "department": str(w["lead"].id)})
        _complete(_only(health_fu.id, "accept"), w["lead_officer"], {"decision": "accept"})

        views = {v.instance_id: v for v in queries.case_follow_ups(workflow(), case.id)}
        assert (views[fire_fu.id].stage, views[fire_fu.id].department_id) == ("measures", w["fire"].id)
        assert (views[health_fu.id].stage, views[health_fu.id].department_id) == ("measures", w["lead"].id)
        assert not views[fire_fu.id].overdue

        _complete(_only(fire_fu.id, "record_measures"), w["fire_inspector"], HANDLING)
        assert not [t for t in ready(case.id) if t.element_id == "close"]  # one follow-up still open
        _complete(_only(health_fu.id, "record_measures"), w["lead_inspector"], HANDLING)

    db.session.expire_all()
    assert [r.status for r in _follow_ups(case)] == ["complete", "complete"]
    close = _only(case.id, "close")
    _complete(close, w["lead_officer"], {"conclusion": "问题均已整改，结案"})
    assert db.session.get(ProcessInstance, case.id).status == "complete"
    views = queries.case_follow_ups(workflow(), case.id)
    assert [(v.stage, v.outcome, v.overdue) for v in views] == [("closed", "rectified", False)] * 2

    # the case page lists both; the lead department adds a revisit, the fire officer may not
    lead = login(app, w["lead_officer"])
    page = lead.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "C-2026-0001-1" in page and "C-2026-0001-2" in page and "已办结" in page
    fire = login(app, w["fire_officer"])
    assert post(fire, f"/cases/{case.id}/revisits", {"purpose": "回访"}).status_code == 403
    assert post(lead, f"/cases/{case.id}/revisits", {"purpose": ""}).status_code == 422
    assert post(lead, f"/cases/{case.id}/revisits", {"purpose": "核实整改情况"}).status_code == 302
    assert post(lead, f"/cases/{case.id}/revisits", {"purpose": "再次"}).status_code == 409  # one open
    [revisit] = queries.case_revisits(workflow(), case.id)
    task = db.session.get(HumanTask, revisit.task_id)
    assert (task.department_id, task.element_id) == (w["lead"].id, "revisit_enterprise")
    result = {"visited_on": "2026-11-02", "method": "phone", "result": "rectified", "findings": "已整改到位"}
    _complete(task, w["lead_inspector"], result)
    page = lead.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "核实整改情况" in page and "已整改到位" in page


def test_follow_ups__overdue_on_the_day_after_the_20th_working_day(app, w):
    fire_fu, _health = _follow_ups(w["case"])
    with time_machine.travel(ACCEPT_DAY, tick=False) as traveller:
        transfer = _only(fire_fu.id, "transfer")
        _complete(transfer, w["lead_officer"], _form_data(transfer))
        _complete(_only(fire_fu.id, "accept"), w["fire_officer"], {"decision": "accept"})
        traveller.move_to(MEASURES_DUE - timedelta(seconds=1))  # the 20th working day, 23:59:58
        wake_due()
        db.session.commit()
        assert "mark_overdue" not in _done(fire_fu.id)
        assert not queries.case_follow_ups(workflow(), w["case"].id)[0].overdue
        traveller.move_to(MEASURES_DUE + timedelta(seconds=2))  # Tue 10/27 00:00:01
        assert wake_due() == 1
        db.session.commit()
        assert {"mark_overdue", "notify_measures_overdue"} <= _done(fire_fu.id)
        view = queries.case_follow_ups(workflow(), w["case"].id)[0]
        assert (view.stage, view.overdue) == ("measures", True)
        page = login(app, w["office"]).get(f"/cases/{w['case'].id}").get_data(as_text=True)
        assert "已逾期" in page
        # work goes on: the measures are still due, and the report says they came late
        _complete(_only(fire_fu.id, "record_measures"), w["fire_officer"], HANDLING)
    view = queries.case_follow_ups(workflow(), w["case"].id)[0]
    assert (view.stage, view.overdue) == ("closed", True)


def _done(instance_id: int) -> set[str]:
    db.session.expire_all()
    return completed_elements(workflow().load(db.session.get(ProcessInstance, instance_id)))


def test_follow_ups__a_department_cannot_act_on_or_see_another_departments_follow_up(app, w):
    fire_fu, _health = _follow_ups(w["case"])
    with time_machine.travel(ACCEPT_DAY, tick=False):
        transfer = _only(fire_fu.id, "transfer")
        health = login(app, w["health_inspector"])
        assert post(health, f"/tasks/{transfer.id}", {"mode": "department"}).status_code == 403
        _complete(transfer, w["lead_officer"], _form_data(transfer))
        accept = _only(fire_fu.id, "accept")
        assert post(health, f"/tasks/{accept.id}", {"decision": "accept"}).status_code == 403
        with pytest.raises(Forbidden):
            workflow().complete(accept.id, {"decision": "accept"}, who(w["health_inspector"]))
        db.session.rollback()
        assert health.get(f"/cases/{fire_fu.id}").status_code == 403
        assert health.get(f"/follow-ups/{fire_fu.id}/letter").status_code == 403
        fire = login(app, w["fire_officer"])
        letter = fire.get(f"/follow-ups/{fire_fu.id}/letter").get_data(as_text=True)
        assert "问题线索移送函" in letter and "石家庄某某餐饮有限公司" in letter
        assert _only(fire_fu.id, "accept").state == "ready"
