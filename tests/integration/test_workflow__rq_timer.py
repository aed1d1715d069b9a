"""A due timer fired by a real `liancha worker --burst` process on Redis (db 15) and PostgreSQL.

The case is started "in the past" (time travel to the visit day, 2026-09-15), so its result-entry
deadline (end of 2026-10-19) has passed in real time; the periodic tick is enqueued through the
app's RQ queue and the worker, a separate process with its own app, wakes the case."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from adapters.audit_store import verify
from adapters.db import db
from adapters.jobs.periodic import TICK_JOB
from adapters.models import AuditEventRow, HumanTask, JobRun, ProcessInstance
from adapters.workflow import versions
from adapters.workflow.service import Who
from engine.access import Actor
from engine.audit import case_stream
from engine.models import load_model_folder
from tests import factories as f
from web.jobs import get_job_queue
from web.runtime import engine, workflow

ROOT = Path(__file__).resolve().parents[2]
LIANCHA = Path(sys.executable).parent / "liancha"
VISIT_DAY = datetime(2026, 9, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
RESULT_DUE = datetime(2026, 10, 19, 15, 59, 59, tzinfo=UTC)  # end of the 20th working day, Beijing


def _who(user) -> Who:
    return Who(Actor(user.id, user.department_id, user.roles), user.display_name, "127.0.0.1")


def _start_case_in_the_past() -> ProcessInstance:
    f.region()
    lead, fire = f.department("市场监管局"), f.department("消防救援支队")
    officer = _who(f.user("lead", ["officer"], lead.id))
    versions.create_version(
        db.session, engine(), load_model_folder(versions.PROCESSES_DIR / "inspection_case"), deploy=True
    )
    db.session.commit()
    data = {
        "case_id": "C-2026-0042",
        "lead_department": str(lead.id),
        "enterprise": {"name": "石家庄某某餐饮有限公司", "uscc": "91310110666007217T"},
        "departments": [
            {"id": lead.id, "name": "市场监管局", "items": [{"code": "SC-01", "name": "食品经营许可"}]},
            {"id": fire.id, "name": "消防救援支队", "items": [{"code": "XF-01", "name": "消防安全"}]},
        ],
    }
    with time_machine.travel(VISIT_DAY, tick=False):
        row = workflow().start("inspection_case", data, officer, department_id=lead.id)
        db.session.commit()
        notice = db.session.execute(select(HumanTask).where(HumanTask.instance_id == row.id)).scalar_one()
        workflow().complete(
            notice.id, {"notice_no": "冀市监联查〔2026〕42号", "visit_date": "2026-09-15"}, officer
        )
        db.session.commit()
    return row


def _work(app) -> None:
    done = subprocess.run(
        [str(LIANCHA), "worker", "--burst"],
        env=app.worker_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    db.session.expire_all()


def _audit_kinds(instance_id: int) -> list[str]:
    query = (
        select(AuditEventRow.kind)
        .where(AuditEventRow.stream == case_stream(instance_id))
        .order_by(AuditEventRow.seq)
    )
    return list(db.session.execute(query).scalars())


def test_rq_timer__worker_process_marks_the_overdue_case(rq_app):
    row = _start_case_in_the_past()
    assert row.next_wakeup == RESULT_DUE and row.next_wakeup < datetime.now(UTC)
    assert not row.summary.get("overdue") and "timer_fired" not in _audit_kinds(row.id)

    run_id = get_job_queue(rq_app).enqueue(TICK_JOB)
    db.session.commit()  # the tick reaches Redis only now
    _work(rq_app)

    row = db.session.get(ProcessInstance, row.id)
    assert row.summary.get("overdue") is True and row.next_wakeup is None
    ready = db.session.execute(
        select(HumanTask.element_id).where(HumanTask.instance_id == row.id, HumanTask.state == "ready")
    ).scalars()
    assert sorted(ready) == ["department_check", "department_check", "supervise"]
    kinds = _audit_kinds(row.id)
    assert kinds.count("timer_fired") == 1 and kinds.index("timer_fired") > kinds.index("task_completed")
    assert verify(db.session, case_stream(row.id))[1] == []
    assert db.session.get(JobRun, int(run_id)).status == "done"


def test_rq_timer__a_second_tick_fires_nothing_again(rq_app):
    row = _start_case_in_the_past()
    for _ in range(2):
        get_job_queue(rq_app).enqueue(TICK_JOB)
        db.session.commit()
        _work(rq_app)
    assert _audit_kinds(row.id).count("timer_fired") == 1
    supervise = select(HumanTask).where(HumanTask.instance_id == row.id, HumanTask.element_id == "supervise")
    assert len(db.session.execute(supervise).scalars().all()) == 1
