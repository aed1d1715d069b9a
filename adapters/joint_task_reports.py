"""部门报到 as the `joint_task` process records it: the service functions its service tasks call
by name (registered in adapters/workflow/services.py). They run inside the engine step, in the
transaction of whoever moved the process (a department completing its 报到, the wake-up job
firing the deadline), on `db.session`; an error becomes an incident of the process.

- `record_report`: one department's 报到 → its JointTaskDepartment row (confirmed / declined,
  items, inspector tags, inspectors per target, contact). A late report after escalation still
  counts; `escalated_at` stays as the record of the escalation.
- `escalate_report`: at the deadline, every department still 待报到 becomes 已逾期 with
  `escalated_at`; the office sees it in its 督办 task and in the joint task list.
- `close_reporting`: every department has answered: the task goes on to the draw.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import has_request_context
from sqlalchemy import select

from adapters.db import db
from adapters.models import JointTask, JointTaskDepartment

LATE_NOTE = "（逾期后补报）"


def _row(task_id: Any, department_id: Any) -> JointTaskDepartment:
    row = db.session.execute(
        select(JointTaskDepartment).where(
            JointTaskDepartment.task_id == int(task_id),
            JointTaskDepartment.department_id == int(department_id),
        )
    ).scalar_one_or_none()
    if row is None:
        raise LookupError(f"联合抽查任务 {task_id} 没有部门 {department_id}")
    return row


def _reporter_id() -> int | None:
    """The user whose request completed the 报到 (the service runs inside that request)."""
    if not has_request_context():
        return None
    from flask_login import current_user

    return current_user.id if getattr(current_user, "is_authenticated", False) else None


def _comment(report: dict, late: bool) -> str:
    if report.get("participate"):
        text = f"联络人：{report.get('contact', '')}"
        if report.get("contact_phone"):
            text += f"（{report['contact_phone']}）"
    else:
        text = f"不参加理由：{report.get('decline_reason', '')}"
    return text + (LATE_NOTE if late else "")


def record_report(
    task_id: Any = None, department_id: Any = None, report_data: dict | None = None, **_: Any
) -> dict:
    """Write one department's 报到 (the form was validated by the engine against report.json)."""
    report = dict(report_data or {})
    row = _row(task_id, department_id)
    now = datetime.now(UTC)
    late = row.status == "overdue" or row.escalated_at is not None
    participates = bool(report.get("participate"))
    row.status = "confirmed" if participates else "declined"
    row.item_ids = [int(i) for i in report.get("item_ids") or []] if participates else []
    row.inspector_tag_ids = [int(t) for t in report.get("inspector_tag_ids") or []] if participates else []
    row.inspectors_per_target = int(report.get("inspectors_per_target") or 2)
    row.reported_at = now
    row.reported_by_id = _reporter_id()
    row.comment = _comment(report, late)
    db.session.flush()
    return {
        "department_id": str(row.department_id),
        "status": row.status,
        "late": late,
        "reported_at": now.isoformat(timespec="seconds"),
    }


def escalate_report(
    task_id: Any = None, department_ids: list | None = None, due: str | None = None, **_: Any
) -> list[str]:
    """Mark every department of `department_ids` still 待报到 as 已逾期; returns their ids (the
    process keeps them as `report_overdue`). Departments that reported are left alone."""
    wanted = {int(d) for d in department_ids or []}
    rows = db.session.execute(
        select(JointTaskDepartment).where(
            JointTaskDepartment.task_id == int(task_id),
            JointTaskDepartment.status == "pending",
            JointTaskDepartment.is_lead.is_(False),
        )
    ).scalars()
    now = datetime.now(UTC)
    escalated = []
    for row in rows:
        if wanted and row.department_id not in wanted:
            continue
        row.status, row.escalated_at = "overdue", now
        escalated.append(str(row.department_id))
    db.session.flush()
    return sorted(escalated, key=int)


def close_reporting(task_id: Any = None, **_: Any) -> dict:
    """All departments answered: the task waits for its draw (a later status is left alone)."""
    task = db.session.get(JointTask, int(task_id))
    if task is None:
        raise LookupError(f"联合抽查任务 {task_id} 不存在")
    if task.status == "reporting":
        task.status = "drawing"
        db.session.flush()
    return {"task_id": task.id, "status": task.status}
