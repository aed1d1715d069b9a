"""联合抽查任务 (joint tasks), the write side: 牵头吹哨 — open a task from a published plan row or
ad hoc (with its reason), number it `JT-<year>-<seq>`, build its departments' 报到 rows and start
the `joint_task` process — and the service functions that process calls (`record_report`,
`escalate_report`, `close_reporting`, registered in adapters/workflow/services.py).

Access is checked by the caller: `TaskSpec.lead_department_id` is the department the policy
action `joint_tasks.open` is asked about before `open_task`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from adapters.models import (
    AnnualPlan,
    AnnualPlanRow,
    Department,
    HumanTask,
    IndustryJointList,
    InspectionItem,
    JointTask,
    JointTaskDepartment,
    Region,
    Tag,
)
from adapters.workflow.service import Who, WorkflowService
from engine.errors import Conflict, ValidationFailed

MODEL_ID = "joint_task"
REPORT_TASK = "report"  # the 报到 user task of processes/joint_task
REPORT_DAYS_DEFAULT = 3
REPORT_DAYS_MAX = 30
ACTIVE_STATUSES = ("reporting", "drawing", "drawn", "spawning", "running")
PUBLISHED_PLAN_STATUSES = ("published", "revising")  # a plan under revision keeps its published rows
NUMBER_ATTEMPTS = 5
BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class TaskSpec:
    """A checked request to open a joint task (from `spec_from_plan_row` or `spec_ad_hoc`)."""

    name: str
    year: int
    lead_department_id: int
    department_ids: list[int]  # cooperating departments, lead excluded, in order
    report_days: int = REPORT_DAYS_DEFAULT
    plan_id: int | None = None
    plan_row_key: str | None = None
    ad_hoc_reason: str | None = None
    joint_list_id: int | None = None
    industry_codes: list[str] = field(default_factory=list)
    region_codes: list[str] = field(default_factory=list)  # the pool's regions (none: everywhere)
    tag_ids: list[int] = field(default_factory=list)  # the pool's enterprise tags (none: any)
    window_start: date | None = None
    window_end: date | None = None


def _report_days(value: Any) -> int:
    if value in (None, ""):
        return REPORT_DAYS_DEFAULT
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= REPORT_DAYS_MAX:
        raise ValidationFailed("报到期限不正确", {"report_days": f"应为 1—{REPORT_DAYS_MAX} 个工作日"})
    return days


def this_year() -> int:
    return datetime.now(BEIJING).year


def scope(session: Session, data: dict) -> tuple[list[str], list[int]]:
    """The pool scope a task may narrow its row to (联查对象): regions (`region_codes`, or one
    `region_code`) and enterprise tags (`tag_ids`, or one `tag_id`); empty means no limit."""
    regions = _values(data, "region_codes", "region_code", str)
    tags = _values(data, "tag_ids", "tag_id", _int)
    errors = {}
    if regions:
        known = set(
            session.execute(
                select(Region.code).where(Region.code.in_(regions), Region.active.is_(True))
            ).scalars()
        )
        if set(regions) - known:
            errors["region_codes"] = "行政区划不存在"
    if tags:
        known_tags = set(
            session.execute(
                select(Tag.id).where(Tag.id.in_([t for t in tags if t is not None]), Tag.active.is_(True))
            ).scalars()
        )
        if None in tags or set(tags) - known_tags:
            errors["tag_ids"] = "分类标签不存在或已停用"
    if errors:
        raise ValidationFailed("抽查对象范围有误", errors)
    return regions, [int(t) for t in tags]


def _values(data: dict, many: str, one: str, kind) -> list:
    raw = data.get(many)
    if raw in (None, "", []):
        raw = [data.get(one)] if data.get(one) not in (None, "", "None") else []
    elif isinstance(raw, str | int):
        raw = [raw]
    return list(
        dict.fromkeys(kind(str(v).strip()) if kind is str else kind(v) for v in raw if v not in (None, ""))
    )


def spec_from_plan_row(
    session: Session, row_id: Any, report_days: Any = None, scope_data: dict | None = None
) -> TaskSpec:
    """A task for one row of a published annual plan (its current published revision), its pool
    narrowed by `scope_data` (see `scope`)."""
    found = session.execute(
        select(AnnualPlanRow, AnnualPlan)
        .join(AnnualPlan, AnnualPlan.published_revision_id == AnnualPlanRow.revision_id)
        .where(AnnualPlanRow.id == _int(row_id), AnnualPlan.status.in_(PUBLISHED_PLAN_STATUSES))
    ).one_or_none()
    if found is None:
        raise ValidationFailed("请选择已公布的年度计划中的任务", {"plan_row_id": "计划任务不存在或未公布"})
    row, plan = found
    regions, tags = scope(session, scope_data or {})
    joint_list = session.get(IndustryJointList, row.joint_list_id) if row.joint_list_id else None
    cooperating = [int(d) for d in row.department_ids or [] if int(d) != row.lead_department_id]
    if not cooperating and joint_list is not None:
        cooperating = [d.id for d in joint_list.departments if d.id != row.lead_department_id]
    return TaskSpec(
        name=row.task_name,
        year=plan.year,
        lead_department_id=row.lead_department_id,
        department_ids=_unique(cooperating),
        report_days=_report_days(report_days),
        plan_id=plan.id,
        plan_row_key=row.row_key,
        joint_list_id=row.joint_list_id,
        industry_codes=list(row.industry_codes or (joint_list.industry_codes if joint_list else [])),
        region_codes=regions,
        tag_ids=tags,
    )


def spec_ad_hoc(session: Session, data: dict) -> TaskSpec:
    """A task outside the annual plan (临时任务): the reason is required. Without departments
    chosen, the industry joint list's cooperating departments take part."""
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    reason = (data.get("ad_hoc_reason") or "").strip()
    if not name or len(name) > 128:
        errors["name"] = "请填写任务名称（不超过 128 个字）"
    if not reason:
        errors["ad_hoc_reason"] = "临时发起的联合抽查须说明理由"
    lead = _department(session, data.get("lead_department_id"))
    if lead is None:
        errors["lead_department_id"] = "请选择牵头部门"
    joint_list = None
    if data.get("joint_list_id") not in (None, ""):
        joint_list = session.get(IndustryJointList, _int(data.get("joint_list_id")))
        if joint_list is None or not joint_list.active:
            errors["joint_list_id"] = "一业一查清单不存在或已停用"
        elif lead is not None and joint_list.lead_department_id != lead.id:
            errors["joint_list_id"] = "该清单的牵头部门不是所选牵头部门"
    wanted = [_int(d) for d in data.get("department_ids") or []]
    if not wanted and joint_list is not None and "joint_list_id" not in errors:
        wanted = [d.id for d in joint_list.departments]
    cooperating = [d for d in _unique(wanted) if lead is None or d != lead.id]
    if any(_department(session, d) is None for d in cooperating):
        errors["department_ids"] = "所选部门不存在或已停用"
    elif not cooperating:
        errors["department_ids"] = "请至少选择一个联查部门"
    start, end = data.get("window_start"), data.get("window_end")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        errors["window_end"] = "结束日期不能早于开始日期"
    try:
        days = _report_days(data.get("report_days"))
    except ValidationFailed as err:
        errors.update(err.fields)
        days = REPORT_DAYS_DEFAULT
    try:
        regions, tags = scope(session, data)
    except ValidationFailed as err:
        errors.update(err.fields)
        regions, tags = [], []
    if errors:
        raise ValidationFailed("发起联合抽查的信息有误", errors)
    return TaskSpec(
        name=name,
        year=this_year(),
        lead_department_id=lead.id,
        department_ids=cooperating,
        report_days=days,
        ad_hoc_reason=reason,
        joint_list_id=joint_list.id if joint_list else None,
        industry_codes=list(joint_list.industry_codes) if joint_list else [],
        region_codes=regions,
        tag_ids=tags,
        window_start=start if isinstance(start, date) else None,
        window_end=end if isinstance(end, date) else None,
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _unique(ids: list) -> list[int]:
    return [i for i in dict.fromkeys(ids) if i is not None]


def _department(session: Session, value: Any) -> Department | None:
    dept = session.get(Department, _int(value)) if _int(value) is not None else None
    return dept if dept is not None and dept.active else None


# --- numbering and opening -------------------------------------------------------------------


def next_number(session: Session, year: int) -> str:
    """The next free `JT-<year>-<seq>` (4 digits, more past 9999)."""
    prefix = f"JT-{year}-"
    last = session.scalar(
        select(JointTask.number)
        .where(JointTask.number.like(prefix + "%"))
        .order_by(func.length(JointTask.number).desc(), JointTask.number.desc())
        .limit(1)
    )
    seq = (_int(last[len(prefix) :]) or 0) if last else 0
    return f"{prefix}{seq + 1:04d}"


def _insert_numbered(session: Session, task: JointTask, year: int) -> None:
    """Insert `task` under the next number; a number taken meanwhile by another writer (unique
    key) is retried inside a savepoint, so the caller's transaction survives."""
    for _attempt in range(NUMBER_ATTEMPTS):
        task.number = next_number(session, year)
        try:
            with session.begin_nested():
                session.add(task)
                session.flush()
            return
        except IntegrityError:
            continue
    raise Conflict("任务编号分配冲突，请稍后重试")


def _items_by_department(session: Session, department_ids: list[int]) -> dict[int, list[InspectionItem]]:
    rows = session.execute(
        select(InspectionItem)
        .where(InspectionItem.department_id.in_(department_ids), InspectionItem.active.is_(True))
        .order_by(InspectionItem.code)
    ).scalars()
    out: dict[int, list[InspectionItem]] = {d: [] for d in department_ids}
    for item in rows:
        out[item.department_id].append(item)
    return out


def _suggested(joint_list: IndustryJointList | None, department_id: int) -> list[int]:
    """The department's active items on the industry joint list (preselected in its 报到)."""
    if joint_list is None:
        return []
    return [i.id for i in joint_list.items if i.department_id == department_id and i.active]


def _ensure_row_free(session: Session, spec: TaskSpec) -> None:
    """One running task per plan row at a time (a second whistle is a mistake, not a batch)."""
    if spec.plan_id is None:
        return
    busy = session.scalar(
        select(JointTask.number).where(
            JointTask.plan_id == spec.plan_id,
            JointTask.plan_row_key == spec.plan_row_key,
            JointTask.status.in_(ACTIVE_STATUSES),
        )
    )
    if busy:
        raise Conflict(f"该计划任务已发起联合抽查（{busy}），尚未结束")


def open_task(session: Session, workflow: WorkflowService, who: Who, spec: TaskSpec) -> JointTask:
    """Blow the whistle: the task, its departments (the lead confirmed, the others 待报到) and
    its `joint_task` process, whose 报到 tasks go to each cooperating department. The caller
    has checked `joint_tasks.open` for the lead department and commits."""
    _ensure_row_free(session, spec)
    joint_list = session.get(IndustryJointList, spec.joint_list_id) if spec.joint_list_id else None
    everyone = [spec.lead_department_id, *spec.department_ids]
    items = _items_by_department(session, everyone)
    names = dict(
        session.execute(select(Department.id, Department.name).where(Department.id.in_(everyone))).all()
    )
    task = JointTask(
        name=spec.name,
        plan_id=spec.plan_id,
        plan_row_key=spec.plan_row_key,
        ad_hoc=spec.plan_id is None,
        ad_hoc_reason=spec.ad_hoc_reason,
        joint_list_id=spec.joint_list_id,
        lead_department_id=spec.lead_department_id,
        industry_codes=spec.industry_codes,
        region_codes=list(spec.region_codes),
        tag_ids=list(spec.tag_ids),
        report_days=spec.report_days,
        window_start=spec.window_start,
        window_end=spec.window_end,
        status="reporting",
        created_by_id=who.actor.id if who.actor else None,
    )
    _insert_numbered(session, task, spec.year)
    lead_items = _suggested(joint_list, spec.lead_department_id)
    now = datetime.now(UTC)
    session.add(
        JointTaskDepartment(
            task_id=task.id,
            department_id=spec.lead_department_id,
            is_lead=True,
            status="confirmed",
            item_ids=lead_items or [i.id for i in items[spec.lead_department_id]],
            reported_at=now,
            reported_by_id=task.created_by_id,
        )
    )
    for dept_id in spec.department_ids:
        session.add(
            JointTaskDepartment(
                task_id=task.id,
                department_id=dept_id,
                status="pending",
                item_ids=_suggested(joint_list, dept_id),
            )
        )
    session.flush()
    instance = workflow.start(
        MODEL_ID,
        _start_data(session, task, spec, items, names, joint_list),
        who,
        business_key=f"{MODEL_ID}:{task.number}",
        title=f"{task.number} {task.name}",
        department_id=spec.lead_department_id,
    )
    task.instance_id = instance.id
    _copy_due_times(session, task)
    session.flush()
    return task


def _start_data(session, task, spec, items, names, joint_list) -> dict:
    tags = session.execute(select(Tag.id, Tag.name).where(Tag.active.is_(True)).order_by(Tag.name)).all()
    return {
        "task_id": task.id,
        "task_number": task.number,
        "title": f"{task.number} {task.name}",
        "lead_department": str(spec.lead_department_id),
        "report_days": spec.report_days,
        "departments": [
            {
                "id": d,
                "name": names.get(d, str(d)),
                "items": [{"id": i.id, "code": i.code, "name": i.name} for i in items[d]],
                "suggested_item_ids": _suggested(joint_list, d),
            }
            for d in spec.department_ids
        ],
        "tags": [{"id": t.id, "name": t.name} for t in tags],
    }


def _copy_due_times(session: Session, task: JointTask) -> None:
    """Each department's 报到 deadline as its task row has it (from the process's `report_due`)."""
    due = dict(
        session.execute(
            select(HumanTask.department_id, HumanTask.due_at).where(
                HumanTask.instance_id == task.instance_id, HumanTask.element_id == REPORT_TASK
            )
        ).all()
    )
    rows = session.execute(
        select(JointTaskDepartment).where(JointTaskDepartment.task_id == task.id)
    ).scalars()
    for row in rows:
        if not row.is_lead:
            row.due_at = due.get(row.department_id)
