"""Department checklists of a joint inspection case, and who may see them.

A department's checklist (检查单) is its own until submitted: the task page shows a draft only to
the department (web/cases/rules.py). Once submitted, the lead department (the case's department,
which consolidates), the office, auditors and sysadmins see it too; the other participating
departments never do — not on the case page's summary, not in the audit timeline (page or API),
not through its attachments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from adapters import result_dictionary as dictionary
from adapters.models import AuditEventRow, HumanTask, ProcessInstance
from adapters.queries.cases import TaskRow
from engine.access import Actor, can
from web.cases import attachments
from web.cases.rules import READ_ALL

CHECKLIST_TASKS = ("department_check", "correct")


def may_see_department(row: ProcessInstance, actor: Actor | None, department_id: int | None) -> bool:
    """Submitted data of `department_id`'s tasks in this case."""
    if actor is None:
        return False
    if department_id is None or can(actor, READ_ALL):
        return True
    return actor.department_id is not None and actor.department_id in (department_id, row.department_id)


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def event_departments(events: list[AuditEventRow], tasks: list[HumanTask]) -> dict[int, int | None]:
    """Audit event id -> the department of the task it completed (same element and key, the
    task row completed closest after the event)."""
    out: dict[int, int | None] = {}
    for e in events:
        data = e.data or {}
        if e.kind != "task_completed":
            continue
        same = [
            t
            for t in tasks
            if t.element_id == data.get("task") and (t.mi_key or None) == (data.get("key") or None)
        ]
        if not same:
            continue
        at = _aware(e.occurred_at)
        best = min(same, key=lambda t: abs((_aware(t.completed_at) - at).total_seconds()))
        out[e.id] = best.department_id
    return out


def visible_data(
    row: ProcessInstance, events: list[AuditEventRow], tasks: list[HumanTask], actor: Actor | None
) -> dict[int, dict]:
    """Audit event id -> the event data this actor may see (a hidden form is left out)."""
    departments = event_departments(events, tasks)
    out = {}
    for e in events:
        data = dict(e.data or {})
        if e.id in departments and not may_see_department(row, actor, departments[e.id]):
            data.pop("data", None)
            data["hidden"] = True
        out[e.id] = data
    return out


@dataclass
class DepartmentChecklist:
    """One participating department's checklist as the case page shows it."""

    department_id: int | None
    department: str | None
    state: str  # pending | submitted | returned
    checklist: dict | None = None  # None: not submitted, or not for this viewer
    submitted_at: datetime | None = None
    files: dict[str, dict] = field(default_factory=dict)


def department_checklists(
    row: ProcessInstance, tasks: list[TaskRow], events: list[AuditEventRow], actor: Actor | None
) -> list[DepartmentChecklist]:
    """Per department (in the order their checklists were issued): its state and, when the
    actor may see it, its latest submitted checklist."""
    mine = [t for t in tasks if t.task.element_id in CHECKLIST_TASKS]
    submitted = _submissions(events)
    by_department: dict[int | None, DepartmentChecklist] = {}
    for t in mine:
        dept = t.task.department_id
        entry = by_department.setdefault(dept, DepartmentChecklist(dept, t.department, "pending"))
        if t.task.state == "ready":
            entry.state = "returned" if t.task.element_id == "correct" else "pending"
        elif t.task.state == "completed":
            entry.state = "submitted"
            entry.submitted_at = t.task.completed_at
    for dept, entry in by_department.items():
        data = submitted.get(str(dept) if dept is not None else None)
        if data is not None and may_see_department(row, actor, dept):
            entry.checklist = data
            entry.files = attachments.records_for(attachment_ids(data), row.id)
    return list(by_department.values())


def _submissions(events: list[AuditEventRow]) -> dict[str | None, dict]:
    """Department id (as text) -> its latest submitted checklist, from the audit trail."""
    out: dict[str | None, dict] = {}
    for e in events:
        data = e.data or {}
        form = data.get("data")
        if e.kind == "task_completed" and data.get("task") in CHECKLIST_TASKS and isinstance(form, dict):
            out[str(form.get("department") or data.get("key") or "") or None] = form
    return out


def attachment_ids(checklist: dict) -> list[str]:
    return [
        i
        for r in checklist.get("results") or []
        if isinstance(r, dict)
        for i in r.get("attachments") or []
        if isinstance(i, str)
    ]


def may_download(row: ProcessInstance, actor: Actor | None, rec: dict, events: list[AuditEventRow]) -> bool:
    """An attachment of a department's checklist: the department itself, readers of every case,
    and the lead department once the file is part of a submitted checklist."""
    dept = rec.get("department_id")
    if actor is None:
        return False
    if dept is None or can(actor, READ_ALL) or actor.department_id == dept:
        return True
    if actor.department_id is None or actor.department_id != row.department_id:
        return False
    return any(rec.get("id") in attachment_ids(c) for c in _submissions(events).values())


def code_titles() -> dict[str, str]:
    """Every code's name (inactive ones too: old checklists still show them)."""
    return {r.code: r.name for r in dictionary.all_codes()}


def describe_codes(codes: Any, titles: dict[str, str]) -> str:
    return "、".join(f"{c} {titles.get(str(c), '')}".strip() for c in (codes or []))
