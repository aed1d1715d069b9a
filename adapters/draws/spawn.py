"""The `spawn_cases` job: one `inspection_case` instance per drawn target of a confirmed draw.

Idempotent on (task, enterprise): each case starts with the business key
`case:<task number>:<uscc>` (WorkflowService.start returns the existing instance for a known
key) and the target row records its instance in the same transaction, so a rerun after a crash
only starts what is missing. Progress is written to `joint_tasks.spawn_progress` after every
batch; one target that fails is counted and retried by the job's next run, the others go on.
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update

from adapters.db import db
from adapters.jobs.registry import job
from adapters.models import (
    Department,
    Draw,
    Enterprise,
    InspectionItem,
    Inspector,
    InspectorAssignment,
    JointTask,
    TaskTarget,
)
from adapters.workflow.jobs import workflow_service
from adapters.workflow.service import SYSTEM, Start

log = logging.getLogger(__name__)
BATCH = 50
MODEL = "inspection_case"


def business_key(task_number: str, uscc: str) -> str:
    return f"case:{task_number}:{uscc}"


@job("spawn_cases")
def spawn_cases(task_id: int) -> None:
    session = db.session
    task = session.get(JointTask, task_id)
    draw = session.execute(select(Draw).where(Draw.task_id == task_id, Draw.status == "confirmed")).scalar()
    if task is None or draw is None:
        raise LookupError(f"任务 {task_id} 没有已确认的抽取记录")
    departments = departments_of(draw)
    total = session.query(TaskTarget).filter(TaskTarget.draw_id == draw.id).count()
    failed: list[int] = []  # targets that failed in this run: skipped until the next run
    while True:
        batch = list(
            session.execute(
                select(TaskTarget, Enterprise)
                .join(Enterprise, Enterprise.id == TaskTarget.enterprise_id)
                .where(TaskTarget.draw_id == draw.id, TaskTarget.instance_id.is_(None))
                .where(TaskTarget.id.not_in(failed))
                .order_by(TaskTarget.rank)
                .limit(BATCH)
            ).tuples()
        )
        if not batch:
            break
        failed += _start_batch(task, draw, departments, batch)
        _progress(task, draw.id, total, len(failed))
        session.commit()
    if not failed:
        task.status = "running"
    _progress(task, draw.id, total, len(failed))
    session.commit()
    if failed:
        raise RuntimeError(f"有 {len(failed)} 个案件未能启动，将重试")


def _start_batch(task: JointTask, draw: Draw, departments: list[dict], batch) -> list[int]:
    """Start the batch's cases under one savepoint; if one fails, redo the batch case by case
    so that only the broken ones are left for the next run."""
    inspectors = inspectors_of(draw.id, [target.enterprise_id for target, _e in batch])
    starts = [
        (
            target,
            enterprise,
            case_data(task, target.rank, enterprise, departments, inspectors.get(target.enterprise_id, [])),
        )
        for target, enterprise in batch
    ]
    try:
        with db.session.begin_nested():
            _link(list(zip([t for t, _e, _d in starts], _start_all(task, starts), strict=True)))
        return []
    except Exception:  # retried one by one below, where each failure is logged
        log.info("a case of the batch failed to start; starting them one by one")
    failed = []
    for target, enterprise, data in starts:
        try:
            with db.session.begin_nested():
                _link([(target, _start(task, enterprise, data))])
        except Exception:  # one broken case must not stop the others; the job reports it
            log.exception("starting the case of %s failed", enterprise.uscc)
            failed.append(target.id)
    return failed


def _start(task: JointTask, enterprise: Enterprise, data: dict) -> int:
    return _start_all(task, [(None, enterprise, data)])[0]


def _start_all(task: JointTask, starts: list) -> list[int]:
    """Start the cases of (target, enterprise, data) triples with one `start_many` (the version,
    the business keys and the ids looked up once); their instance ids in order."""
    rows = workflow_service().start_many(
        MODEL,
        [
            Start(
                data,
                business_key=business_key(task.number, enterprise.uscc),
                title=data["title"],
                department_id=task.lead_department_id,
            )
            for _target, enterprise, data in starts
        ],
        SYSTEM,
    )
    return [row.id for row in rows]


def _link(started: list) -> None:
    """Record each target's case in one statement (not one UPDATE per target)."""
    db.session.execute(
        update(TaskTarget), [{"id": target.id, "instance_id": instance} for target, instance in started]
    )


def case_data(
    task: JointTask, rank: int, enterprise: Enterprise, departments: list[dict], inspectors: list[dict]
) -> dict:
    """The start data of one target's inspection case."""
    return {
        "case_id": f"{task.number}-{rank:04d}",
        "task_number": task.number,
        "title": f"{task.name}·{enterprise.name}",
        "lead_department": str(task.lead_department_id),
        "enterprise": {"name": enterprise.name, "uscc": enterprise.uscc},
        "enterprise_name": enterprise.name,
        "uscc": enterprise.uscc,
        "departments": departments,
        "inspectors": inspectors,
    }


def _progress(task: JointTask, draw_id: int, total: int, failed: int) -> None:
    done = (
        db.session.query(TaskTarget)
        .filter(TaskTarget.draw_id == draw_id, TaskTarget.instance_id.is_not(None))
        .count()
    )
    task.spawn_progress = {"total": total, "done": done, "failed": failed}


def departments_of(draw: Draw) -> list[dict]:
    """The participating departments with their items, as the case wants them."""
    out = []
    for d in (draw.result or {}).get("departments", []):
        items = db.session.execute(
            select(InspectionItem.code, InspectionItem.name)
            .where(InspectionItem.id.in_(d.get("item_ids") or []))
            .order_by(InspectionItem.code)
        ).all()
        dept = db.session.get(Department, d["department_id"])
        out.append(
            {
                "id": d["department_id"],
                "name": dept.name if dept else d.get("name", ""),
                "items": [{"code": c, "name": n} for c, n in items],
            }
        )
    return out


def inspectors_of(draw_id: int, enterprise_ids: list[int]) -> dict[int, list[dict]]:
    """enterprise id -> its active assignments with the inspectors' names and certificates."""
    rows = db.session.execute(
        select(InspectorAssignment, Inspector)
        .join(Inspector, Inspector.id == InspectorAssignment.inspector_id)
        .where(
            InspectorAssignment.draw_id == draw_id,
            InspectorAssignment.status == "active",
            InspectorAssignment.enterprise_id.in_(enterprise_ids),
        )
        .order_by(InspectorAssignment.department_id, InspectorAssignment.id)
    ).tuples()
    out: dict[int, list[dict]] = {}
    for a, insp in rows:
        out.setdefault(a.enterprise_id, []).append(
            {
                "department_id": a.department_id,
                "inspector_id": insp.id,
                "name": insp.name,
                "cert_no": insp.cert_no,
                "leader": a.is_leader,
            }
        )
    return out
