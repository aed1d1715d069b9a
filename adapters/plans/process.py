"""The `annual_plan` process and the database: starting one instance per revision, finding its
open tasks, and the service functions its BPMN calls (`mark_plan_revision`, `publish_plan`).

The BPMN drives the revision's status (in_review, returned, approved, published), so the status
is right whichever page a task was completed on; the plan pages add who reviewed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from adapters.db import db
from adapters.models import AnnualPlan, AnnualPlanRevision, AnnualPlanRow, HumanTask, ProcessInstance
from adapters.workflow import versions
from adapters.workflow.service import Who, WorkflowService
from engine.errors import NotFound
from engine.models import load_model_folder

MODEL_ID = "annual_plan"
DRAFT_TASKS = ("draft_rows", "revise_rows")
OPEN_REVISION = ("draft", "in_review", "returned", "approved")


def business_key(plan_id: int, number: int) -> str:
    return f"{MODEL_ID}:{plan_id}:{number}"


def start(
    flow: WorkflowService,
    who: Who,
    plan: AnnualPlan,
    revision: AnnualPlanRevision,
    lead_departments: dict[int, str],
) -> ProcessInstance:
    """Start the review process of `revision`: one drafting task per lead department."""
    data = {
        "plan_id": plan.id,
        "revision_id": revision.id,
        "lead_departments": [str(d) for d in lead_departments],
        "department_names": {str(d): name for d, name in lead_departments.items()},
        "reason": revision.reason or "",
        "title": revision_title(plan, revision),
    }
    key = business_key(plan.id, revision.number)
    try:
        row = flow.start(MODEL_ID, data, who, business_key=key, title=data["title"])
    except NotFound:
        # the model ships with the code: deploy it on first use (start-up deployment may be off)
        files = load_model_folder(versions.PROCESSES_DIR / MODEL_ID)
        versions.create_version(flow.session, flow.engine, files, deploy=True)
        row = flow.start(MODEL_ID, data, who, business_key=key, title=data["title"])
    plan.instance_id = row.id
    return row


def revision_title(plan: AnnualPlan, revision: AnnualPlanRevision) -> str:
    return plan.title if revision.number == 1 else f"{plan.title}（第{revision.number - 1}次调整）"


def instance_of(plan_id: int, number: int) -> ProcessInstance | None:
    return db.session.execute(
        select(ProcessInstance).where(ProcessInstance.business_key == business_key(plan_id, number))
    ).scalar_one_or_none()


def open_tasks(plan: AnnualPlan) -> list[HumanTask]:
    if plan.instance_id is None:
        return []
    return list(
        db.session.execute(
            select(HumanTask)
            .where(HumanTask.instance_id == plan.instance_id, HumanTask.state == "ready")
            .order_by(HumanTask.id)
        ).scalars()
    )


def drafting_departments(plan: AnnualPlan) -> dict[int, HumanTask]:
    """Departments with an open drafting task (起草 or 退回修改), by department id."""
    return {t.department_id: t for t in open_tasks(plan) if t.element_id in DRAFT_TASKS and t.department_id}


def lead_departments(plan: AnnualPlan) -> set[int]:
    """The departments asked to draft the current revision (their task open or done)."""
    if plan.instance_id is None:
        return set()
    return set(
        db.session.execute(
            select(HumanTask.department_id).where(
                HumanTask.instance_id == plan.instance_id,
                HumanTask.element_id == DRAFT_TASKS[0],
                HumanTask.department_id.is_not(None),
            )
        ).scalars()
    )


def task_named(plan: AnnualPlan, element_id: str) -> HumanTask | None:
    return next((t for t in open_tasks(plan) if t.element_id == element_id), None)


def completed_tasks(instance_id: int, element_id: str) -> list[HumanTask]:
    return list(
        db.session.execute(
            select(HumanTask)
            .where(
                HumanTask.instance_id == instance_id,
                HumanTask.element_id == element_id,
                HumanTask.state == "completed",
            )
            .order_by(HumanTask.completed_at, HumanTask.id)
        ).scalars()
    )


def process_data(flow: WorkflowService, instance: ProcessInstance | None) -> dict:
    if instance is None:
        return {}
    try:
        return flow.load(instance).data()
    except Exception:  # noqa: BLE001 - history still shows what the database holds
        return {}


# --- service functions called by the BPMN (registered in adapters/workflow/services.py) -------


def mark_plan_revision(revision_id: Any = None, status: str = "", comment: str = "", **_: Any) -> dict:
    """Move a revision to in_review, returned or approved; the review comment is kept."""
    revision = _revision(revision_id)
    if status not in ("in_review", "returned", "approved"):
        raise ValueError(f"未知的计划状态：{status}")
    now = datetime.now(UTC)
    revision.status = status
    if status == "in_review":
        revision.submitted_at = now
    else:
        revision.reviewed_at = now
        revision.review_comment = (comment or "").strip() or None
    plan = db.session.get(AnnualPlan, revision.plan_id)
    plan.status = plan_status(plan, revision)
    db.session.flush()
    counts = dict(
        db.session.execute(
            select(AnnualPlanRow.lead_department_id, func.count())
            .where(AnnualPlanRow.revision_id == revision.id)
            .group_by(AnnualPlanRow.lead_department_id)
        ).all()
    )
    return {
        "status": status,
        "at": now.isoformat(timespec="seconds"),
        "rows": {str(k): v for k, v in counts.items()},
    }


def publish_plan(plan_id: Any = None, revision_id: Any = None, **_: Any) -> dict:
    """Publish the approved revision: it becomes the plan's public one (公示)."""
    revision = _revision(revision_id)
    plan = db.session.get(AnnualPlan, int(plan_id))
    if plan is None or revision.plan_id != plan.id:
        raise ValueError("年度抽查计划与修订版本不符")
    now = datetime.now(UTC)
    revision.status = "published"
    revision.published_at = now
    plan.published_revision_id = revision.id
    plan.published_at = now
    plan.status = "published"
    db.session.flush()
    return {"published_at": now.isoformat(timespec="seconds"), "revision": revision.number}


def plan_status(plan: AnnualPlan, working: AnnualPlanRevision | None) -> str:
    """draft / in_review before the first publication; published, or revising while an
    adjustment is open."""
    if plan.published_revision_id is not None:
        return "revising" if working is not None and working.status in OPEN_REVISION else "published"
    if working is not None and working.status in ("in_review", "approved"):
        return "in_review"
    return "draft"


def _revision(revision_id: Any) -> AnnualPlanRevision:
    revision = db.session.get(AnnualPlanRevision, int(revision_id))
    if revision is None:
        raise ValueError(f"年度抽查计划修订版本不存在：{revision_id}")
    return revision
