"""Claims, returns, reassignments and completions judged on what the database holds now (not what
this session read earlier), and who resolved an incident (both backends)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from adapters.db import db
from adapters.models import AuditEventRow, HumanTask, Incident
from engine.audit import case_stream
from engine.errors import Conflict, Forbidden, ValidationFailed
from tests import factories as f
from tests.integration.cases_support import build_world, start_case, task_of, who
from tests.unit.process_support import filled_checklist
from web.runtime import workflow


@pytest.fixture
def w(app):
    world = build_world()
    world["case"] = start_case(world)
    return world


def in_another_session(action) -> None:
    """Run `action()` in its own app context and session, committed (another request)."""
    from flask import current_app

    flask_app = current_app._get_current_object()
    errors: list[BaseException] = []

    def run() -> None:
        with flask_app.app_context():
            try:
                action()
                db.session.commit()
            except BaseException as err:  # noqa: BLE001 - surfaced below
                errors.append(err)
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert errors == []


def audit_count(instance_id: int) -> int:
    query = select(func.count()).where(AuditEventRow.stream == case_stream(instance_id))
    return db.session.execute(query).scalar_one()


def test_complete__a_task_completed_meanwhile_is_reread_not_taken_from_the_session(w):
    task = task_of(w["case"].id, w["fire"])
    assert task.state == "ready"  # this session now holds the row as ready
    data = filled_checklist(workflow().load(w["case"]).human_task(task.task_uuid).form_data, ["1"])
    task_id, actor = task.id, who(w["fire_inspector"])
    in_another_session(lambda: workflow().complete(task_id, data, actor))
    events = audit_count(w["case"].id)
    with pytest.raises(Conflict, match="该任务已办结"):  # re-read: not "changed by someone else"
        workflow().complete(task_id, data, actor)
    db.session.rollback()
    assert db.session.get(HumanTask, task_id).state == "completed"
    assert audit_count(w["case"].id) == events


def test_claim__a_claim_made_meanwhile_wins_and_the_second_gets_409(w):
    task = task_of(w["case"].id, w["lead"])
    assert task.assignee_id is None  # this session now holds the row as unclaimed
    task_id, first = task.id, who(w["lead_inspector"])
    in_another_session(lambda: workflow().claim(task_id, first))
    with pytest.raises(Conflict, match="已被他人认领"):
        workflow().claim(task_id, who(w["lead_colleague"]))
    db.session.rollback()
    assert db.session.get(HumanTask, task_id).assignee_id == w["lead_inspector"].id


def test_claim__another_departments_task_is_403_and_a_closed_one_409(w):
    fire_task = task_of(w["case"].id, w["fire"])
    with pytest.raises(Forbidden):
        workflow().claim(fire_task.id, who(w["lead_inspector"]))
    fire_task.state = "completed"
    db.session.commit()
    with pytest.raises(Conflict):
        workflow().claim(fire_task.id, who(w["fire_inspector"]))


def test_unclaim__only_while_the_task_is_open(w):
    task = task_of(w["case"].id, w["lead"])
    workflow().claim(task.id, who(w["lead_inspector"]))
    db.session.commit()
    with pytest.raises(Forbidden):
        workflow().unclaim(task.id, who(w["lead_colleague"]))
    task.state = "cancelled"
    db.session.commit()
    with pytest.raises(Conflict):
        workflow().unclaim(task.id, who(w["lead_inspector"]))


def test_reassign__only_to_an_active_user_who_fits_the_task(w):
    task = task_of(w["case"].id, w["lead"])
    officer = who(w["lead_officer"])
    retired = f.account("retired", ["inspector"], w["lead"].id)
    retired.active = False
    auditor = f.account("lead_auditor", ["auditor"], w["lead"].id)  # right department, wrong role
    db.session.commit()
    for user_id, field in (
        (retired.id, "停用"),
        (w["fire_inspector"].id, "本部门"),
        (auditor.id, "本部门"),
        (None, "停用"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            workflow().reassign(task.id, user_id, None, officer)
        assert field in refused.value.fields["user_id"]
    with pytest.raises(Forbidden):
        workflow().reassign(task.id, w["lead_colleague"].id, None, who(w["lead_inspector"]))
    moved = workflow().reassign(task.id, w["lead_colleague"].id, None, officer)
    db.session.commit()
    assert moved.assignee_id == w["lead_colleague"].id
    task.state = "completed"
    db.session.commit()
    with pytest.raises(Conflict):
        workflow().reassign(task.id, w["lead_inspector"].id, None, officer)


def test_retry_incident__records_who_resolved_it(w, monkeypatch):
    import time_machine

    from adapters.models import ProcessInstance
    from adapters.workflow.jobs import wake_due
    from tests.integration.test_cases__incidents import AFTER_DUE, broken_notify
    from web.runtime import engine

    services = engine().script_engine.services
    original = services["notify_overdue"]
    monkeypatch.setitem(services, "notify_overdue", broken_notify)
    with time_machine.travel(AFTER_DUE, tick=False):
        wake_due()
    incident = db.session.scalars(select(Incident)).one()
    office = who(w["office"])
    workflow().retry_incident(incident.id, office)  # still broken: stays open, nobody resolved it
    db.session.commit()
    assert (incident.resolved_at, incident.resolved_by_id) == (None, None)
    monkeypatch.setitem(services, "notify_overdue", original)
    workflow().retry_incident(incident.id, office)
    db.session.commit()
    db.session.expire_all()
    incident = db.session.get(Incident, incident.id)
    assert incident.resolved_at is not None and incident.resolved_by_id == w["office"].id
    assert db.session.get(ProcessInstance, w["case"].id).status == "waiting"
    retries = db.session.scalars(
        select(AuditEventRow).where(
            AuditEventRow.stream == case_stream(w["case"].id), AuditEventRow.kind == "admin_action"
        )
    ).all()
    assert [(e.actor_id, e.data["action"], e.data["incident"]) for e in retries] == [
        (w["office"].id, "retry", incident.id)
    ] * 2
    with pytest.raises(Exception, match="故障不存在或已处理"):
        workflow().retry_incident(incident.id, office)
