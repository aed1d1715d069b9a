"""Read side of the case runtime: inboxes, case lists, timelines, incidents, process versions.

Inbox scopes follow `WorkflowService.may_work`: a ready task is someone's when its department is
theirs (or it has none) and one of their roles is among the task's roles (or it names none).
Lists page by offset: an inbox or a case list is short next to a register, and people sort it
by urgency rather than by id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, exists, false, func, literal, or_, select
from sqlalchemy.orm import aliased, defer

from adapters.db import db
from adapters.models import (
    AuditEventRow,
    Department,
    HumanTask,
    Incident,
    ProcessInstance,
    ProcessVersion,
    User,
)
from engine.access import Actor
from engine.audit import case_stream
from engine.instance import Instance

TABS = ("mine", "department", "overdue", "done")
OPEN_STATUSES = ("running", "waiting", "error", "suspended")
MAX_LIMIT = 200
TIMELINE_LIMIT = 2000


@dataclass(frozen=True)
class TaskFilters:
    """What an inbox tab shows: `tab` is one of TABS; the rest narrow it."""

    tab: str = "mine"
    model_id: str | None = None
    overdue_only: bool = False
    q: str | None = None


@dataclass(frozen=True)
class TaskRow:
    """One inbox line: the task, its case and the names shown next to them."""

    task: HumanTask
    instance: ProcessInstance
    department: str | None
    assignee: str | None


@dataclass(frozen=True)
class ListPage:
    """One page of a list: `page` counts from 1; `has_next` says whether another follows."""

    items: list
    page: int
    has_next: bool
    total: int | None = None


def roles_clause(roles: frozenset[str]):
    """The task names none of the roles, or one of `roles` (HumanTask.roles is comma-separated)."""
    padded = literal(",") + func.coalesce(HumanTask.roles, "") + literal(",")
    return or_(
        HumanTask.roles.is_(None),
        HumanTask.roles == "",
        *[padded.like(f"%,{role},%") for role in sorted(roles)],
    )


def workable_clause(actor: Actor):
    """Ready tasks the actor may do by department and role (assignment aside)."""
    department = HumanTask.department_id.is_(None)
    if actor.department_id is not None:
        department = or_(department, HumanTask.department_id == actor.department_id)
    return (HumanTask.state == "ready") & department & roles_clause(actor.roles)


def _mine(actor: Actor):
    unassigned_or_me = or_(HumanTask.assignee_id.is_(None), HumanTask.assignee_id == actor.id)
    return workable_clause(actor) & unassigned_or_me


def _department(actor: Actor):
    if "officer" not in actor.roles or actor.department_id is None:
        return false()
    return (HumanTask.state == "ready") & (HumanTask.department_id == actor.department_id)


def _overdue_scope(actor: Actor, read_all: bool):
    if read_all:
        return HumanTask.state == "ready"
    return or_(_mine(actor), _department(actor))


def tab_clause(actor: Actor, tab: str, now: datetime, *, read_all: bool = False):
    """The SQL condition of one inbox tab for `actor` (`read_all`: may see every case)."""
    if tab == "done":
        return (HumanTask.completed_by_id == actor.id) & (HumanTask.state == "completed")
    if tab == "department":
        return _department(actor)
    if tab == "overdue":
        return _overdue_scope(actor, read_all) & (HumanTask.due_at < now)
    return _mine(actor)


def _task_select() -> Select:
    assignee = aliased(User)
    return (
        select(HumanTask, ProcessInstance, Department.name, assignee.display_name)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .outerjoin(Department, Department.id == HumanTask.department_id)
        .outerjoin(assignee, assignee.id == HumanTask.assignee_id)
    )


def list_tasks(
    actor: Actor,
    filters: TaskFilters,
    now: datetime,
    *,
    read_all: bool = False,
    page: int = 1,
    limit: int = 50,
) -> ListPage:
    """One page of an inbox tab; open tabs by due date (soonest first), done by completion."""
    limit = max(1, min(limit, MAX_LIMIT))
    page = max(1, page)
    query = _task_select().where(tab_clause(actor, filters.tab, now, read_all=read_all))
    if filters.model_id:
        query = query.where(ProcessInstance.model_id == filters.model_id)
    if filters.overdue_only:
        query = query.where(HumanTask.state == "ready", HumanTask.due_at < now)
    if filters.q and filters.q.strip():
        query = query.where(ProcessInstance.title.ilike(f"%{_escape(filters.q.strip())}%", escape="\\"))
    if filters.tab == "done":
        query = query.order_by(HumanTask.completed_at.desc(), HumanTask.id.desc())
    else:
        query = query.order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id)
    rows = db.session.execute(query.limit(limit + 1).offset((page - 1) * limit)).all()
    items = [TaskRow(t, i, d, a) for t, i, d, a in rows[:limit]]
    return ListPage(items, page, len(rows) > limit)


def tab_counts(actor: Actor, now: datetime, *, read_all: bool = False) -> dict[str, int]:
    """How many tasks each open tab holds (badges)."""
    out = {}
    for tab in ("mine", "department", "overdue"):
        clause = tab_clause(actor, tab, now, read_all=read_all)
        out[tab] = db.session.scalar(select(func.count()).select_from(HumanTask).where(clause)) or 0
    return out


def task_row(task_id: int) -> TaskRow | None:
    row = db.session.execute(_task_select().where(HumanTask.id == task_id)).first()
    return TaskRow(*row) if row else None


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- cases -----------------------------------------------------------------------------------


def case_has_department_task(instance_id: int, department_id: int | None) -> bool:
    """True when a task of the case (open or done) belongs to `department_id`."""
    if department_id is None:
        return False
    query = select(HumanTask.id).where(
        HumanTask.instance_id == instance_id, HumanTask.department_id == department_id
    )
    return db.session.execute(query.limit(1)).first() is not None


@dataclass(frozen=True)
class CaseFilters:
    status: str | None = None
    model_id: str | None = None
    q: str | None = None


def list_cases(
    filters: CaseFilters, department_id: int | None, *, read_all: bool, page: int = 1, limit: int = 50
) -> ListPage:
    """Cases newest first; without `read_all` only those of `department_id` or with a task for it."""
    limit = max(1, min(limit, MAX_LIMIT))
    page = max(1, page)
    query = select(ProcessInstance, Department.name).outerjoin(
        Department, Department.id == ProcessInstance.department_id
    )
    if not read_all:
        if department_id is None:
            return ListPage([], page, False)
        has_task = exists().where(
            HumanTask.instance_id == ProcessInstance.id, HumanTask.department_id == department_id
        )
        query = query.where(or_(ProcessInstance.department_id == department_id, has_task))
    if filters.status:
        query = query.where(ProcessInstance.status == filters.status)
    if filters.model_id:
        query = query.where(ProcessInstance.model_id == filters.model_id)
    if filters.q and filters.q.strip():
        query = query.where(ProcessInstance.title.ilike(f"%{_escape(filters.q.strip())}%", escape="\\"))
    query = query.options(defer(ProcessInstance.state)).order_by(ProcessInstance.id.desc())
    rows = db.session.execute(query.limit(limit + 1).offset((page - 1) * limit)).all()
    return ListPage([(i, d) for i, d in rows[:limit]], page, len(rows) > limit)


def case_tasks(instance_id: int) -> list[TaskRow]:
    """Every human task of a case, open and done, in the order they became ready."""
    query = _task_select().where(HumanTask.instance_id == instance_id).order_by(HumanTask.id)
    return [TaskRow(*row) for row in db.session.execute(query).all()]


def timeline(instance_id: int) -> list[AuditEventRow]:
    """The case's audit events, oldest first."""
    query = (
        select(AuditEventRow)
        .where(AuditEventRow.stream == case_stream(instance_id))
        .order_by(AuditEventRow.seq)
        .limit(TIMELINE_LIMIT)
    )
    return list(db.session.scalars(query).all())


def incidents(*, instance_id: int | None = None, open_only: bool = True, limit: int = 200) -> list[tuple]:
    """(incident, case title, model id) pairs, newest first."""
    query = select(Incident, ProcessInstance.title, ProcessInstance.model_id).join(
        ProcessInstance, ProcessInstance.id == Incident.instance_id
    )
    if instance_id is not None:
        query = query.where(Incident.instance_id == instance_id)
    if open_only:
        query = query.where(Incident.resolved_at.is_(None))
    query = query.order_by(Incident.created_at.desc(), Incident.id.desc()).limit(limit)
    return [tuple(row) for row in db.session.execute(query).all()]


def department_users(department_id: int | None) -> list[User]:
    """Active users of a department (the people a task can be reassigned to)."""
    if department_id is None:
        return []
    query = select(User).where(User.department_id == department_id, User.active.is_(True))
    return list(db.session.scalars(query.order_by(User.display_name, User.id)).all())


def user_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = select(User.id, User.display_name).where(User.id.in_(ids))
    return dict(db.session.execute(query).all())


# --- process versions --------------------------------------------------------------------------


def versions_by_model(model_id: str | None = None) -> dict[str, list[ProcessVersion]]:
    """Versions grouped by model, newest first (without loading their files)."""
    query = select(ProcessVersion).options(defer(ProcessVersion.files))
    if model_id is not None:
        query = query.where(ProcessVersion.model_id == model_id)
    out: dict[str, list[ProcessVersion]] = {}
    for row in db.session.scalars(query.order_by(ProcessVersion.model_id, ProcessVersion.version.desc())):
        out.setdefault(row.model_id, []).append(row)
    return out


def open_instance_counts() -> dict[int, int]:
    """Version id → number of its cases not finished (running, waiting, error, suspended)."""
    query = (
        select(ProcessInstance.version_id, func.count())
        .where(ProcessInstance.status.in_(OPEN_STATUSES))
        .group_by(ProcessInstance.version_id)
    )
    return dict(db.session.execute(query).all())


def model_ids() -> list[str]:
    query = select(ProcessVersion.model_id).distinct().order_by(ProcessVersion.model_id)
    return list(db.session.scalars(query).all())


def completed_elements(instance: Instance) -> set[str]:
    """BPMN element ids of an engine Instance's completed tasks, subprocesses included (for the
    diagram)."""
    return instance.completed_elements()


def department_names(ids: set[int] | None = None) -> dict[int, str]:
    """Department id → name (all departments, or those in `ids`)."""
    query = select(Department.id, Department.name)
    if ids is not None:
        if not ids:
            return {}
        query = query.where(Department.id.in_(ids))
    return dict(db.session.execute(query).all())
