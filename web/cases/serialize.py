"""Tasks, cases, events, incidents and process versions as the API returns them (plain dicts that
web/schemas/cases.py documents)."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.models import AuditEventRow, Incident, ProcessInstance, ProcessVersion
from adapters.queries.cases import TaskRow
from web.cases import present, rules
from web.cases.actions import Marks, TaskForm


def case_brief(row: ProcessInstance) -> dict:
    return {
        "id": row.id,
        "title": row.title,
        "model_id": row.model_id,
        "status": row.status,
        "status_label": present.label(present.STATUS_LABELS, row.status),
        "summary": row.summary or {},
    }


def task(row: TaskRow, now: datetime | None = None) -> dict:
    t = row.task
    due = present.due(t.due_at, now or datetime.now(UTC))
    return {
        "id": t.id,
        "name": t.name,
        "element_id": t.element_id,
        "state": t.state,
        "department_id": t.department_id,
        "department": row.department,
        "roles": sorted(rules.roles_of(t)),
        "assignee_id": t.assignee_id,
        "assignee": row.assignee,
        "due_at": t.due_at,
        "due_date": due.date if due else None,
        "due_text": due.text if due else None,
        "overdue": bool(due and due.overdue and t.state == "ready"),
        "created_at": t.created_at,
        "completed_at": t.completed_at,
        "completed_by_id": t.completed_by_id,
        "case": case_brief(row.instance),
    }


def task_detail(row: TaskRow, form: TaskForm) -> dict:
    from web.cases import attachments

    return {
        **task(row),
        "instructions": form.instructions,
        "can_work": form.can_work,
        "form_schema": form.schema,
        "ui_schema": form.ui_schema,
        "form_data": form.data,
        "attachments": [attachments.public(rec) for rec in form.files.values()],
    }


def incident(inc: Incident, title: str = "") -> dict:
    return {
        "id": inc.id,
        "instance_id": inc.instance_id,
        "case_title": title,
        "element_id": inc.element_id,
        "message": inc.message,
        "created_at": inc.created_at,
        "resolved_at": inc.resolved_at,
    }


def case(row: ProcessInstance, tasks: list[TaskRow], incidents: list[tuple], marks: Marks) -> dict:
    now = datetime.now(UTC)
    return {
        **case_brief(row),
        "version": row.version.version,
        "version_id": row.version_id,
        "business_key": row.business_key,
        "department_id": row.department_id,
        "started_at": row.started_at,
        "updated_at": row.updated_at,
        "completed_at": row.completed_at,
        "tasks": [task(t, now) for t in tasks],
        "incidents": [incident(i, title) for i, title, _model in incidents],
        "diagram": {"completed": marks.completed, "active": marks.active, "overdue": marks.overdue},
    }


def event(e: AuditEventRow, names: dict[int, str], data: dict | None = None) -> dict:
    """`data`: what the caller may see of the event's data (default: all of it)."""
    data = (e.data or {}) if data is None else data
    return {
        "seq": e.seq,
        "kind": e.kind,
        "kind_label": present.label(present.KIND_LABELS, e.kind),
        "occurred_at": e.occurred_at,
        "actor_id": e.actor_id,
        "actor_name": e.actor_name,
        "task": data.get("task"),
        "task_name": data.get("task_name"),
        "detail": present.event_detail(e.kind, data, names),
        "data": data,
    }


def version(v: ProcessVersion, open_cases: int = 0, *, with_files: bool = True) -> dict:
    return {
        "id": v.id,
        "model_id": v.model_id,
        "version": v.version,
        "name": v.name,
        "status": v.status,
        "content_hash": v.content_hash,
        "files": sorted(v.files) if with_files else [],
        "created_by_id": v.created_by_id,
        "created_at": v.created_at,
        "deployed_at": v.deployed_at,
        "open_cases": open_cases,
    }
