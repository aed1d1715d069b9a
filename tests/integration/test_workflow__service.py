"""The case runtime on the database: real BPMN from processes/, SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from adapters.audit_store import verify
from adapters.db import db
from adapters.models import HumanTask, MessageSubscription, ProcessInstance, ProcessVersion
from adapters.workflow import versions
from adapters.workflow.jobs import wake_due
from adapters.workflow.service import Who
from engine.access import Actor
from engine.errors import Conflict, Forbidden, ValidationFailed
from tests import factories as f
from tests.unit.process_support import filled_checklist
from web.runtime import engine, workflow

SHANGHAI = ZoneInfo("Asia/Shanghai")
VISIT_DAY = datetime(2026, 9, 15, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def world(app):
    f.region()
    lead, fire, health = (f.department(n) for n in ("市场监管局", "消防救援支队", "卫生健康委"))
    users = {
        "lead": f.user("lead", ["officer"], lead.id),
        "fire": f.user("fire", ["inspector"], fire.id),
        "health": f.user("health", ["inspector"], health.id),
        "office": f.user("office", ["office"], lead.id),
    }
    versions.deploy_directory(db.session, engine())
    db.session.commit()
    return {"lead": lead, "fire": fire, "health": health, **{f"u_{k}": v for k, v in users.items()}}


def who(user) -> Who:
    return Who(Actor(user.id, user.department_id, user.roles), user.display_name, "127.0.0.1")


def start_data(w) -> dict:
    return {
        "case_id": "C-2026-0001",
        "lead_department": str(w["lead"].id),
        "enterprise": {"name": "石家庄某某餐饮有限公司", "uscc": "91310110666007217T"},
        "departments": [
            {"id": w["lead"].id, "name": "市场监管局", "items": [{"code": "SC-01", "name": "食品经营许可"}]},
            {"id": w["fire"].id, "name": "消防救援支队", "items": [{"code": "XF-01", "name": "消防安全"}]},
            {
                "id": w["health"].id,
                "name": "卫生健康委",
                "items": [{"code": "WS-01", "name": "生活饮用水卫生"}],
            },
        ],
    }


def ready(instance_id: int) -> list[HumanTask]:
    return list(
        db.session.execute(
            select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.state == "ready")
        ).scalars()
    )


def start_case(w) -> ProcessInstance:
    with time_machine.travel(VISIT_DAY, tick=False):
        row = workflow().start("inspection_case", start_data(w), who(w["u_lead"]), department_id=w["lead"].id)
        db.session.commit()
        (notice,) = ready(row.id)
        workflow().complete(
            notice.id, {"notice_no": "冀市监联查〔2026〕1号", "visit_date": "2026-09-15"}, who(w["u_lead"])
        )
        db.session.commit()
    return row


def test_deploy__same_files_same_version(world):
    again = versions.deploy_directory(db.session, engine())
    assert all(not created for _v, created in again)
    assert db.session.scalar(select(db.func.count()).select_from(ProcessVersion)) == len(again)


def test_start__task_rows_go_to_each_department(world):
    row = start_case(world)
    tasks = ready(row.id)
    assert sorted(t.department_id for t in tasks) == sorted(
        d.id for d in (world["lead"], world["fire"], world["health"])
    )
    assert all(t.element_id == "department_check" for t in tasks)
    assert row.status == "waiting" and row.next_wakeup is not None
    assert "spec" not in row.state and "subprocess_specs" not in row.state


def test_complete__another_departments_task_is_forbidden(world):
    row = start_case(world)
    fire_task = next(t for t in ready(row.id) if t.department_id == world["fire"].id)
    with pytest.raises(Forbidden):
        workflow().complete(fire_task.id, {}, who(world["u_health"]))


def test_complete__invalid_form_changes_nothing(world):
    row = start_case(world)
    fire_task = next(t for t in ready(row.id) if t.department_id == world["fire"].id)
    before = (row.lock_version, dict(row.state))
    with pytest.raises(ValidationFailed) as err:
        workflow().complete(fire_task.id, {"results": "not a list"}, who(world["u_fire"]))
    db.session.rollback()
    db.session.refresh(row)
    assert err.value.fields
    assert (row.lock_version, row.state) == before
    assert db.session.get(HumanTask, fire_task.id).state == "ready"


def test_complete__checklist_is_recorded_in_the_audit_chain(world):
    row = start_case(world)
    service = workflow()
    fire_task = next(t for t in ready(row.id) if t.department_id == world["fire"].id)
    instance = service.load(row)
    form = instance.human_task(fire_task.task_uuid).form_data
    service.complete(fire_task.id, filled_checklist(form, ["1"]), who(world["u_fire"]))
    db.session.commit()
    assert db.session.get(HumanTask, fire_task.id).state == "completed"
    checked, problems = verify(db.session, f"case:{row.id}")
    assert checked >= 4 and problems == []


def test_timer__overdue_mark_appears_after_the_20th_working_day(world):
    row = start_case(world)
    # 2026-10-19 is the 20th working day after 2026-09-15 (see test_process__inspection_case)
    with time_machine.travel(datetime(2026, 10, 19, 20, 0, tzinfo=SHANGHAI), tick=False):
        assert wake_due() == 0
    db.session.refresh(row)
    assert not row.summary.get("overdue")
    with time_machine.travel(datetime(2026, 10, 20, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert wake_due() == 1
    db.session.refresh(row)
    assert row.summary.get("overdue") is True
    assert any(t.element_id == "supervise" for t in ready(row.id))
    assert len([t for t in ready(row.id) if t.element_id == "department_check"]) == 3


def test_cancel__keeps_the_audit_trail(world):
    row = start_case(world)
    workflow().cancel(row.id, who(world["u_office"]), "测试撤销")
    db.session.commit()
    assert row.status == "cancelled" and ready(row.id) == []
    checked, problems = verify(db.session, f"case:{row.id}")
    assert checked > 0 and problems == []


def test_subscriptions_follow_waiting_messages(world):
    row = start_case(world)
    subs = (
        db.session.execute(select(MessageSubscription).where(MessageSubscription.instance_id == row.id))
        .scalars()
        .all()
    )
    assert isinstance(subs, list)


def test_concurrent_completions__exactly_one_succeeds(world, db_backend):
    if db_backend[0] != "postgres":
        pytest.skip("row locks are a PostgreSQL matter; SQLite has one writer")
    row = start_case(world)
    from flask import current_app

    flask_app = current_app._get_current_object()
    fire_task = next(t for t in ready(row.id) if t.department_id == world["fire"].id)
    form = workflow().load(row).human_task(fire_task.task_uuid).form_data
    data = filled_checklist(form, ["1"])
    actor = who(world["u_fire"])
    task_id = fire_task.id
    db.session.commit()
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def attempt() -> None:
        with flask_app.app_context():
            try:
                barrier.wait()
                workflow(flask_app).complete(task_id, data, actor)
                db.session.commit()
                outcomes.append("ok")
            except Conflict:
                db.session.rollback()
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["conflict", "ok"]
