"""The steps of a revision's review, done from the plan pages: a lead department submits its
rows (completes its 起草 task), the office approves or returns with a reason, then publishes.

Each completes the open task of the `annual_plan` instance through `WorkflowService.complete`,
which checks the task's roles and department; the BPMN's service tasks move the revision's
status. The caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from adapters.db import db
from adapters.models import AnnualPlan, AnnualPlanRow, HumanTask
from adapters.plans import process
from adapters.plans.service import REASON_LIMIT, PlanService
from engine.access import can
from engine.errors import Conflict, Forbidden, ValidationFailed


def rows_led_by(plan_service: PlanService, plan: AnnualPlan, department_id: int) -> int:
    revision = plan_service.working(plan)
    if revision is None:
        return 0
    return db.session.scalar(
        select(func.count())
        .select_from(AnnualPlanRow)
        .where(AnnualPlanRow.revision_id == revision.id, AnnualPlanRow.lead_department_id == department_id)
    )


def own_drafting_task(plan_service: PlanService, plan: AnnualPlan) -> HumanTask | None:
    actor = plan_service.actor
    if actor is None or actor.department_id is None:
        return None
    return process.drafting_departments(plan).get(actor.department_id)


def submit_draft(plan_service: PlanService, plan: AnnualPlan, note: str = "") -> HumanTask:
    """提交审核: the actor's department confirms its rows are drafted (their number is recorded)."""
    task = own_drafting_task(plan_service, plan)
    actor = plan_service.actor
    if task is None:
        if actor is None or actor.department_id not in process.lead_departments(plan):
            raise Forbidden("本部门不是本次计划起草或调整的牵头部门")
        raise Conflict("本部门没有待提交的起草任务（已提交或尚未退回）")
    if not can(plan_service.actor, "plans.draft", task.department_id):
        raise Forbidden("只有本部门的管理人员可以提交")
    data = _form_data(plan_service, task)
    data.update(
        department=str(task.department_id),
        rows_drafted=rows_led_by(plan_service, plan, task.department_id),
        note=_text(note, 1000, "note"),
    )
    plan_service.flow.complete(task.id, data, plan_service.who)
    return task


def review(
    plan_service: PlanService,
    plan: AnnualPlan,
    decision: str,
    reason: str = "",
    return_departments: Iterable[int | str] = (),
) -> None:
    """审核: approve, or return (a reason is required) to some or all lead departments."""
    if not can(plan_service.actor, "plans.manage"):
        raise Forbidden("只有双随机办可以审核年度抽查计划")
    task = process.task_named(plan, "review")
    if task is None:
        raise Conflict("该计划当前没有待审核的内容")
    if decision not in ("approve", "return"):
        raise ValidationFailed("请选择审核结论", {"decision": "请选择审核结论"})
    reason = _text(reason, REASON_LIMIT, "reason")
    if decision == "return" and not reason:
        raise ValidationFailed("退回时须说明理由", {"reason": "退回时须说明理由"})
    data = {
        "decision": decision,
        "reason": reason,
        "return_departments": [str(d) for d in return_departments],
    }
    revision = plan_service.working(plan)
    plan_service.flow.complete(task.id, data, plan_service.who)
    if revision is not None and plan_service.actor is not None:
        revision.reviewed_by_id = plan_service.actor.id


def publish(plan_service: PlanService, plan: AnnualPlan, note: str = "") -> None:
    """发布: the approved revision becomes the public plan."""
    if not can(plan_service.actor, "plans.manage"):
        raise Forbidden("只有双随机办可以发布年度抽查计划")
    task = process.task_named(plan, "publish")
    if task is None:
        raise Conflict("该计划当前没有待发布的修订")
    plan_service.flow.complete(task.id, {"note": _text(note, 1000, "note")}, plan_service.who)


def _form_data(plan_service: PlanService, task: HumanTask) -> dict:
    """The task's pre-filled form (keeps e.g. the return reason shown to the department)."""
    instance = plan_service.flow.instance_row(task.instance_id)
    try:
        return dict(plan_service.flow.load(instance).human_task(task.task_uuid).form_data)
    except Exception:  # noqa: BLE001 - the service's complete() reports a task that moved on
        return {}


def _text(value: str | None, limit: int, field: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationFailed("内容过长", {field: f"不能超过 {limit} 个字符"})
    return value
