"""The office's workbench (工作台): overdue counts, open cases by stage, plan progress — a few
aggregate queries over existing tables (no table of its own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, select

from adapters.db import db
from adapters.models import (
    AnnualPlan,
    AnnualPlanRow,
    HumanTask,
    JointTask,
    JointTaskDepartment,
    ProcessInstance,
    TaskTarget,
)
from adapters.queries.cases import OPEN_STATUSES

CASE_MODEL = "inspection_case"
FOLLOW_UP_MODEL = "follow_up"


@dataclass(frozen=True)
class PlanProgress:
    plan: AnnualPlan
    planned: int  # rows of the published revision (tasks planned)
    started: int  # joint tasks opened from the plan
    cases: int  # inspection cases spawned for those tasks
    closed: int  # of them, completed


def overdue_counts(now: datetime) -> dict[str, int]:
    """Open tasks past their due time, open cases marked overdue, 报到 past their deadline."""
    tasks = select(func.count()).where(HumanTask.state == "ready", HumanTask.due_at < now)
    cases = select(func.count()).where(
        ProcessInstance.status.in_(OPEN_STATUSES), ProcessInstance.summary["overdue"].as_boolean().is_(True)
    )
    reports = select(func.count()).where(JointTaskDepartment.status == "overdue")
    return {
        "tasks": db.session.scalar(tasks) or 0,
        "cases": db.session.scalar(cases) or 0,
        "reports": db.session.scalar(reports) or 0,
    }


def open_cases(model_id: str) -> int:
    query = select(func.count()).where(
        ProcessInstance.model_id == model_id, ProcessInstance.status.in_(OPEN_STATUSES)
    )
    return db.session.scalar(query) or 0


def cases_by_stage(model_id: str = CASE_MODEL) -> list[tuple[str, int]]:
    """Open cases of a model by the name of their open tasks (a case with open tasks at two
    stages counts at both), most first; cases waiting without a task (follow-ups running) as ''."""
    query = (
        select(HumanTask.name, func.count(distinct(HumanTask.instance_id)))
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .where(
            ProcessInstance.model_id == model_id,
            ProcessInstance.status.in_(OPEN_STATUSES),
            HumanTask.state == "ready",
        )
        .group_by(HumanTask.name)
        .order_by(func.count(distinct(HumanTask.instance_id)).desc(), HumanTask.name)
    )
    rows = [(name, n) for name, n in db.session.execute(query).all()]
    with_task = select(HumanTask.instance_id).where(HumanTask.state == "ready").distinct()
    waiting = select(func.count()).where(
        ProcessInstance.model_id == model_id,
        ProcessInstance.status.in_(OPEN_STATUSES),
        ProcessInstance.id.not_in(with_task),
    )
    idle = db.session.scalar(waiting) or 0
    return rows + ([("", idle)] if idle else [])


def plan_progress(year: int) -> list[PlanProgress]:
    """Each plan of `year`: planned tasks (published revision rows), opened joint tasks, their
    cases and closed cases."""
    plans = list(
        db.session.scalars(select(AnnualPlan).where(AnnualPlan.year == year).order_by(AnnualPlan.id))
    )
    out = []
    for plan in plans:
        planned = 0
        if plan.published_revision_id:
            planned = (
                db.session.scalar(
                    select(func.count()).where(AnnualPlanRow.revision_id == plan.published_revision_id)
                )
                or 0
            )
        started = (
            db.session.scalar(
                select(func.count()).where(JointTask.plan_id == plan.id, JointTask.status != "cancelled")
            )
            or 0
        )
        targets = (
            select(ProcessInstance.status)
            .join(TaskTarget, TaskTarget.instance_id == ProcessInstance.id)
            .join(JointTask, JointTask.id == TaskTarget.task_id)
            .where(JointTask.plan_id == plan.id)
            .subquery()
        )
        cases, closed = db.session.execute(
            select(func.count(), func.count().filter(targets.c.status == "complete")).select_from(targets)
        ).one()
        out.append(PlanProgress(plan, planned, started, cases or 0, closed or 0))
    return out
