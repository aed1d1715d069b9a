"""Read side of joint tasks (联合抽查任务): the list with its filters, one task with its departments'
报到, and the published plan rows a lead department may open a task from.

A task is visible to those who read every task (`read_all`: office, auditors, sysadmins) and to
the departments taking part in it (the lead included).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, select

from adapters.db import db
from adapters.joint_tasks import ACTIVE_STATUSES, PUBLISHED_PLAN_STATUSES, REPORT_TASK
from adapters.models import (
    AnnualPlan,
    AnnualPlanRow,
    Department,
    HumanTask,
    IndustryJointList,
    InspectionItem,
    JointTask,
    JointTaskDepartment,
    Tag,
    User,
)
from adapters.models.plans import TASK_STATUSES
from adapters.queries.cases import ListPage

STATUS_FILTERS = (*TASK_STATUSES, "overdue")  # "overdue": a department is 已逾期
MAX_LIMIT = 200


@dataclass(frozen=True)
class JointTaskFilters:
    status: str | None = None
    mine: bool = False  # only tasks the user's department takes part in
    year: int | None = None


@dataclass(frozen=True)
class TaskLine:
    task: JointTask
    lead_name: str
    counts: dict[str, int]  # 报到 status of the cooperating departments -> how many
    report_due: datetime | None


def _participates(department_id: int | None):
    return exists().where(
        JointTaskDepartment.task_id == JointTask.id, JointTaskDepartment.department_id == department_id
    )


def list_tasks(
    department_id: int | None, filters: JointTaskFilters, *, read_all: bool, page: int = 1, limit: int = 30
) -> ListPage:
    """One page of joint tasks, newest first."""
    limit, page = max(1, min(limit, MAX_LIMIT)), max(1, page)
    query = select(JointTask, Department.name).join(Department, Department.id == JointTask.lead_department_id)
    if not read_all or filters.mine:
        query = query.where(_participates(department_id))
    if filters.status == "overdue":
        query = query.where(
            exists().where(
                JointTaskDepartment.task_id == JointTask.id, JointTaskDepartment.status == "overdue"
            )
        )
    elif filters.status:
        query = query.where(JointTask.status == filters.status)
    if filters.year:
        query = query.where(JointTask.number.like(f"JT-{int(filters.year)}-%"))
    found = db.session.execute(
        query.order_by(JointTask.id.desc()).limit(limit + 1).offset((page - 1) * limit)
    ).all()
    rows = found[:limit]
    counts, due = _department_summary([t.id for t, _n in rows])
    items = [TaskLine(t, name, counts.get(t.id, {}), due.get(t.id)) for t, name in rows]
    return ListPage(items, page, len(found) > limit)


def _department_summary(task_ids: list[int]) -> tuple[dict[int, dict[str, int]], dict[int, datetime]]:
    counts: dict[int, Counter] = {}
    due: dict[int, datetime] = {}
    if not task_ids:
        return {}, {}
    rows = db.session.execute(
        select(JointTaskDepartment.task_id, JointTaskDepartment.status, JointTaskDepartment.due_at).where(
            JointTaskDepartment.task_id.in_(task_ids), JointTaskDepartment.is_lead.is_(False)
        )
    )
    for task_id, status, due_at in rows:
        counts.setdefault(task_id, Counter())[status] += 1
        if due_at is not None and (task_id not in due or due_at < due[task_id]):
            due[task_id] = due_at
    return {k: dict(v) for k, v in counts.items()}, due


def may_read(task: JointTask, department_id: int | None, *, read_all: bool) -> bool:
    if read_all:
        return True
    return department_id is not None and any(r.department_id == department_id for r in task.departments)


@dataclass
class DepartmentLine:
    """One department of a task as its page shows it."""

    row: JointTaskDepartment
    name: str
    items: list[InspectionItem]
    tags: list[str]
    reporter: str | None
    report_task: HumanTask | None  # its 报到 task (ready or done), to link to


@dataclass
class TaskDetail:
    task: JointTask
    lead_name: str
    plan: AnnualPlan | None
    plan_row: AnnualPlanRow | None
    joint_list: IndustryJointList | None
    departments: list[DepartmentLine]
    open_tasks: list[HumanTask] = field(default_factory=list)  # ready tasks of its process


def task_detail(task_id: int) -> TaskDetail | None:
    task = db.session.get(JointTask, task_id)
    if task is None:
        return None
    rows = sorted(task.departments, key=lambda r: (not r.is_lead, r.department_id))
    ids = [r.department_id for r in rows]
    names = dict(
        db.session.execute(select(Department.id, Department.name).where(Department.id.in_(ids))).all()
    )
    item_ids = {int(i) for r in rows for i in r.item_ids or []}
    items = {
        i.id: i
        for i in db.session.execute(select(InspectionItem).where(InspectionItem.id.in_(item_ids))).scalars()
    }
    tag_ids = {int(t) for r in rows for t in r.inspector_tag_ids or []}
    tags = dict(db.session.execute(select(Tag.id, Tag.name).where(Tag.id.in_(tag_ids))).all())
    users = {r.reported_by_id for r in rows if r.reported_by_id}
    people = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(users))).all())
    human = _human_tasks(task.instance_id)
    reports = {t.department_id: t for t in human if t.element_id == REPORT_TASK}
    lines = [
        DepartmentLine(
            row=r,
            name=names.get(r.department_id, str(r.department_id)),
            items=[items[int(i)] for i in r.item_ids or [] if int(i) in items],
            tags=[tags[int(t)] for t in r.inspector_tag_ids or [] if int(t) in tags],
            reporter=people.get(r.reported_by_id),
            report_task=reports.get(r.department_id),
        )
        for r in rows
    ]
    plan = db.session.get(AnnualPlan, task.plan_id) if task.plan_id else None
    return TaskDetail(
        task=task,
        lead_name=names.get(task.lead_department_id, ""),
        plan=plan,
        plan_row=_plan_row(plan, task.plan_row_key),
        joint_list=db.session.get(IndustryJointList, task.joint_list_id) if task.joint_list_id else None,
        departments=lines,
        open_tasks=[t for t in human if t.state == "ready"],
    )


def _human_tasks(instance_id: int | None) -> list[HumanTask]:
    """The process's task rows, newest last (a department's latest 报到 row wins)."""
    if instance_id is None:
        return []
    query = select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.state != "cancelled")
    return list(db.session.execute(query.order_by(HumanTask.id)).scalars())


def _plan_row(plan: AnnualPlan | None, row_key: str | None) -> AnnualPlanRow | None:
    if plan is None or plan.published_revision_id is None or not row_key:
        return None
    return db.session.execute(
        select(AnnualPlanRow).where(
            AnnualPlanRow.revision_id == plan.published_revision_id, AnnualPlanRow.row_key == row_key
        )
    ).scalar_one_or_none()


@dataclass(frozen=True)
class PlanRowChoice:
    row: AnnualPlanRow
    plan: AnnualPlan
    lead_name: str
    department_names: list[str]
    open_number: str | None  # the task already opened from this row and not finished


def plan_rows(lead_department_id: int | None) -> list[PlanRowChoice]:
    """Rows of published plans (newest year first) led by the department, or all (None)."""
    query = (
        select(AnnualPlanRow, AnnualPlan)
        .join(AnnualPlan, AnnualPlan.published_revision_id == AnnualPlanRow.revision_id)
        .where(AnnualPlan.status.in_(PUBLISHED_PLAN_STATUSES))
        .order_by(AnnualPlan.year.desc(), AnnualPlan.id, AnnualPlanRow.seq)
    )
    if lead_department_id is not None:
        query = query.where(AnnualPlanRow.lead_department_id == lead_department_id)
    found = db.session.execute(query).all()
    names = dict(db.session.execute(select(Department.id, Department.name)).all())
    opened = {
        (p, k): n
        for p, k, n in db.session.execute(
            select(JointTask.plan_id, JointTask.plan_row_key, JointTask.number).where(
                JointTask.plan_id.is_not(None), JointTask.status.in_(ACTIVE_STATUSES)
            )
        )
    }
    return [
        PlanRowChoice(
            row=row,
            plan=plan,
            lead_name=names.get(row.lead_department_id, ""),
            department_names=[names.get(int(d), str(d)) for d in row.department_ids or []],
            open_number=opened.get((plan.id, row.row_key)),
        )
        for row, plan in found
    ]


def years() -> list[int]:
    """Years that have joint tasks, newest first (from their numbers)."""
    numbers = db.session.execute(select(JointTask.number)).scalars()
    return sorted(
        {int(n.split("-")[1]) for n in numbers if n.count("-") == 2 and n.split("-")[1].isdigit()},
        reverse=True,
    )
