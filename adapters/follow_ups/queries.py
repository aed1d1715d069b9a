"""The read side of follow-ups and revisits: what the case page shows about them.

Nothing is copied into tables of its own: a follow-up's stage, department and deadline come from
its open human-task row, the rest from its instance data (problem, mode, the final report), so
the page can never disagree with the process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from adapters.models import HumanTask, ProcessInstance, User
from adapters.workflow.service import WorkflowService

FOLLOW_UP = "follow_up"
REVISIT = "revisit"
# the open task of a follow-up → its stage
STAGES = {"transfer": "transfer", "accept": "accept", "reassign": "returned", "record_measures": "measures"}


@dataclass(frozen=True)
class FollowUpView:
    instance_id: int
    follow_up_id: str
    problem: str
    mode: str  # department | judicial
    judicial_organ: str  # the organ a judicial referral went to
    department_id: int | None  # who holds it now (or held it last)
    stage: str  # transfer | accept | returned | measures | closed | not_transferred | cancelled | error
    due_at: datetime | None
    overdue: bool
    completed_on: str | None
    outcome: str | None
    task_id: int | None  # the open task


@dataclass(frozen=True)
class RevisitView:
    instance_id: int
    purpose: str
    requested_by: str | None
    requested_at: datetime
    department_id: int | None
    status: str
    due_at: datetime | None
    result: dict | None
    task_id: int | None


def children(service: WorkflowService, case_id: int, model_id: str) -> list[ProcessInstance]:
    query = (
        select(ProcessInstance)
        .where(ProcessInstance.parent_id == case_id, ProcessInstance.model_id == model_id)
        .order_by(ProcessInstance.id)
    )
    return list(service.session.execute(query).scalars())


def open_tasks(service: WorkflowService, instance_ids: list[int]) -> dict[int, HumanTask]:
    """The first open task of each instance."""
    if not instance_ids:
        return {}
    query = (
        select(HumanTask)
        .where(HumanTask.instance_id.in_(instance_ids), HumanTask.state == "ready")
        .order_by(HumanTask.id.desc())
    )
    return {t.instance_id: t for t in service.session.execute(query).scalars()}


def case_follow_ups(
    service: WorkflowService, case_id: int, now: datetime | None = None
) -> list[FollowUpView]:
    now = now or datetime.now(UTC)
    rows = children(service, case_id, FOLLOW_UP)
    tasks = open_tasks(service, [r.id for r in rows])
    return [_follow_up(row, _data(service, row), tasks.get(row.id), now) for row in rows]


def _follow_up(row: ProcessInstance, data: dict, task: HumanTask | None, now: datetime) -> FollowUpView:
    transfer = data.get("transfer") if isinstance(data.get("transfer"), dict) else {}
    report = data.get("report") if row.status == "complete" and isinstance(data.get("report"), dict) else {}
    handling = report.get("handling") if isinstance(report.get("handling"), dict) else {}
    due = _aware(task.due_at) if task is not None and task.due_at is not None else None
    if task is not None:
        stage = STAGES.get(task.element_id, task.element_id)
        department = task.department_id
    else:
        stage = report.get("status") or row.status
        department = _int(
            report.get("department") or data.get("handler_department") or transfer.get("department")
        )
    return FollowUpView(
        instance_id=row.id,
        follow_up_id=str(data.get("follow_up_id") or row.business_key or row.id),
        problem=str(transfer.get("problem") or data.get("problem") or ""),
        mode=str(transfer.get("mode") or "department"),
        judicial_organ=str(transfer.get("judicial_organ") or "")
        if transfer.get("mode") == "judicial"
        else "",
        department_id=department,
        stage=stage,
        due_at=due,
        overdue=bool(report.get("overdue")) or (due is not None and due < now),
        completed_on=report.get("completed_on"),
        outcome=handling.get("outcome"),
        task_id=task.id if task is not None else None,
    )


def case_revisits(service: WorkflowService, case_id: int) -> list[RevisitView]:
    rows = children(service, case_id, REVISIT)
    tasks = open_tasks(service, [r.id for r in rows])
    starters = _user_names(service, {r.started_by_id for r in rows if r.started_by_id})
    out = []
    for row in rows:
        data, task = _data(service, row), tasks.get(row.id)
        result = data.get("revisit_result") if row.status == "complete" else None
        out.append(
            RevisitView(
                instance_id=row.id,
                purpose=str(data.get("purpose") or ""),
                requested_by=starters.get(row.started_by_id),
                requested_at=_aware(row.started_at),
                department_id=_int(data.get("lead_department")),
                status=row.status,
                due_at=_aware(task.due_at) if task is not None and task.due_at else None,
                result=result if isinstance(result, dict) else None,
                task_id=task.id if task is not None else None,
            )
        )
    return out


def _data(service: WorkflowService, row: ProcessInstance) -> dict:
    try:
        return service.load(row).data()
    except Exception:  # noqa: BLE001 - a state that cannot load still lists its row
        return {}


def _user_names(service: WorkflowService, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(service.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
