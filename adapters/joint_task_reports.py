"""部门报到 as the `joint_task` process records it: the service functions its service tasks call
by name (registered in adapters/workflow/services.py). They run inside the engine step, in the
transaction of whoever moved the process (a department completing its 报到, the wake-up job
firing the deadline), on `db.session`; an error becomes an incident of the process.

- `record_report`: one department's 报到 → its JointTaskDepartment row (confirmed / declined,
  items, inspector tags, inspectors per target, contact). A late report after escalation still
  counts; `escalated_at` stays as the record of the escalation.
- `escalate_report`: at the deadline, every department still 待报到 becomes 已逾期 with
  `escalated_at`; the office sees it in its 督办 task and in the joint task list.
- `note_report_closing`: after the deadline the lead (截止报到 task) or the office (督办 with
  "截止报到") closed reporting: who, when and why go on every department still 待报到 / 已逾期,
  and the office is notified. Then the process cancels those departments' 报到 tasks.
- `record_absence`: one department whose 报到 was cancelled that way becomes 未报到（不参加）:
  it takes no part in the draw; the row keeps the closing note.
- `close_reporting`: every department has answered (or was closed out): the task goes on to
  the draw.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import has_request_context
from sqlalchemy import select

from adapters.db import db
from adapters.models import JointTask, JointTaskDepartment, Notification, User, UserRole

LATE_NOTE = "（逾期后补报）"
OPEN = ("pending", "overdue")  # not answered yet
BEIJING = ZoneInfo("Asia/Shanghai")
CLOSED_BY = {"lead": "牵头部门", "office": "双随机办"}


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


def _open_rows(task_id: Any) -> list[JointTaskDepartment]:
    return list(
        db.session.execute(
            select(JointTaskDepartment)
            .where(
                JointTaskDepartment.task_id == int(task_id),
                JointTaskDepartment.status.in_(OPEN),
                JointTaskDepartment.is_lead.is_(False),
            )
            .order_by(JointTaskDepartment.department_id)
        ).scalars()
    )


def note_report_closing(
    task_id: Any = None, reason: str | None = None, closed_by: str = "lead", **_: Any
) -> dict:
    """Reporting is closed: note it on each department that has not answered and tell the office
    (the 截止报到 task's completion itself is in the case audit trail with the user)."""
    task = db.session.get(JointTask, int(task_id))
    if task is None:
        raise LookupError(f"联合抽查任务 {task_id} 不存在")
    now = datetime.now(UTC)
    by = CLOSED_BY.get(closed_by, closed_by)
    note = f"{now.astimezone(BEIJING):%Y-%m-%d %H:%M} {by}截止报到：{(reason or '').strip()[:300]}"
    rows = _open_rows(task_id)
    for row in rows:
        row.comment = note
    names = [row.department.name for row in rows if row.department is not None]
    _notify_office(task, by, names, (reason or "").strip())
    db.session.flush()
    return {
        "closed_by": closed_by,
        "closed_at": now.isoformat(timespec="seconds"),
        "absent": [str(row.department_id) for row in rows],
        "reporter_id": _reporter_id(),
    }


def _notify_office(task: JointTask, by: str, absent: list[str], reason: str) -> None:
    office = db.session.execute(
        select(User.id)
        .where(User.active.is_(True), User.id.in_(select(UserRole.user_id).where(UserRole.role == "office")))
        .order_by(User.id)
    ).scalars()
    body = f"未报到、不参加的部门：{'、'.join(absent) or '无'}。理由：{reason or '-'}"
    for user_id in office:
        db.session.add(
            Notification(
                user_id=user_id,
                kind="overdue",
                title=f"{task.number} {by}已截止报到",
                body=body[:2000],
                url=f"/joint-tasks/{task.id}",
                instance_id=task.instance_id,
            )
        )


def record_absence(task_id: Any = None, department_id: Any = None, **_: Any) -> dict:
    """A department closed out of reporting: 未报到（不参加）, never drawn for."""
    row = _row(task_id, department_id)
    if row.status in OPEN:
        row.status = "absent"
        row.item_ids, row.inspector_tag_ids = [], []
    db.session.flush()
    return {"department_id": str(row.department_id), "status": row.status}
