"""Read side of the inbox (/tasks and /api/v1/inbox): an inbox tab with the filters people use
daily — process model, task name, enterprise name or USCC, due before a day, overdue only — and
the overdue cases (逾期督办): open cases whose boundary timer marked them overdue (the `overdue`
flag in the instance summary), for the office every department's, for others their own.

The tab scopes themselves are `adapters.queries.cases.tab_clause`, shared with /api/v1/tasks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import aliased, defer

from adapters.db import db
from adapters.models import Department, HumanTask, ProcessInstance, User
from adapters.queries.cases import MAX_LIMIT, OPEN_STATUSES, ListPage, TaskRow, tab_clause
from engine.access import Actor


@dataclass(frozen=True)
class InboxFilters:
    tab: str = "mine"
    model_id: str | None = None
    task_name: str | None = None
    enterprise: str | None = None  # part of the name, or the USCC (or its beginning)
    due_before: datetime | None = None  # due strictly before this moment
    overdue_only: bool = False
    q: str | None = None  # part of the case title


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(column, text: str):
    return column.ilike(f"%{escape_like(text)}%", escape="\\")


def enterprise_clause(text: str):
    """The case's enterprise: its name (or the case title) contains `text`, or its USCC starts
    with it."""
    text = text.strip()
    name = ProcessInstance.summary["enterprise_name"].as_string()
    uscc = ProcessInstance.summary["uscc"].as_string()
    return or_(
        _contains(name, text),
        _contains(ProcessInstance.title, text),
        uscc.like(f"{escape_like(text.upper())}%", escape="\\"),
    )


def list_tasks(
    actor: Actor, filters: InboxFilters, now: datetime, *, read_all: bool, page: int = 1, limit: int = 30
) -> ListPage:
    limit = max(1, min(limit, MAX_LIMIT))
    page = max(1, page)
    assignee = aliased(User)
    query = (
        select(HumanTask, ProcessInstance, Department.name, assignee.display_name)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .outerjoin(Department, Department.id == HumanTask.department_id)
        .outerjoin(assignee, assignee.id == HumanTask.assignee_id)
        .options(defer(ProcessInstance.state))
        .where(tab_clause(actor, filters.tab, now, read_all=read_all))
    )
    if filters.model_id:
        query = query.where(ProcessInstance.model_id == filters.model_id)
    if filters.task_name:
        query = query.where(_contains(HumanTask.name, filters.task_name))
    if filters.enterprise:
        query = query.where(enterprise_clause(filters.enterprise))
    if filters.q:
        query = query.where(_contains(ProcessInstance.title, filters.q))
    if filters.due_before is not None:
        query = query.where(HumanTask.due_at < filters.due_before)
    if filters.overdue_only:
        query = query.where(HumanTask.state == "ready", HumanTask.due_at < now)
    if filters.tab == "done":
        query = query.order_by(HumanTask.completed_at.desc(), HumanTask.id.desc())
    else:
        query = query.order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id)
    rows = db.session.execute(query.limit(limit + 1).offset((page - 1) * limit)).all()
    return ListPage([TaskRow(*r) for r in rows[:limit]], page, len(rows) > limit)


def _overdue_cases_query(actor: Actor, read_all: bool):
    query = select(ProcessInstance, Department.name).outerjoin(
        Department, Department.id == ProcessInstance.department_id
    )
    query = query.where(
        ProcessInstance.status.in_(OPEN_STATUSES),
        ProcessInstance.summary["overdue"].as_boolean().is_(True),
    )
    if not read_all:
        if actor.department_id is None:
            return None
        has_task = exists().where(
            HumanTask.instance_id == ProcessInstance.id, HumanTask.department_id == actor.department_id
        )
        query = query.where(or_(ProcessInstance.department_id == actor.department_id, has_task))
    return query


def overdue_cases(
    actor: Actor, filters: InboxFilters, *, read_all: bool, page: int = 1, limit: int = 30
) -> ListPage:
    """Open cases marked overdue by their timer, oldest first: (instance, lead department name)."""
    limit = max(1, min(limit, MAX_LIMIT))
    page = max(1, page)
    query = _overdue_cases_query(actor, read_all)
    if query is None:
        return ListPage([], page, False)
    if filters.model_id:
        query = query.where(ProcessInstance.model_id == filters.model_id)
    if filters.enterprise:
        query = query.where(enterprise_clause(filters.enterprise))
    if filters.q:
        query = query.where(_contains(ProcessInstance.title, filters.q))
    query = query.options(defer(ProcessInstance.state)).order_by(
        ProcessInstance.started_at, ProcessInstance.id
    )
    rows = db.session.execute(query.limit(limit + 1).offset((page - 1) * limit)).all()
    return ListPage([(i, d) for i, d in rows[:limit]], page, len(rows) > limit)


def overdue_case_count(actor: Actor, *, read_all: bool) -> int:
    query = _overdue_cases_query(actor, read_all)
    if query is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
