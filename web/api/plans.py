"""API of the annual plans (年度抽查计划): read plans, revisions, rows and diffs (everyone logged
in); edit rows of the open draft (the office, or a lead department's officer for its own rows);
create, submit, review, publish and adjust — the same rules as the plan pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from adapters.db import db
from adapters.models import AnnualPlan
from adapters.plans import history, steps
from adapters.plans.rows import rows_of
from engine.errors import DomainError
from web.api import api_blueprint
from web.auth import current_actor, ensure
from web.plans import plans
from web.schemas.plans import (
    AdjustIn,
    DiffArgs,
    DiffOut,
    PlanArgs,
    PlanDetail,
    PlanIn,
    PlanList,
    PlanOut,
    PublishIn,
    ReviewIn,
    RevisionOut,
    RowIn,
    RowList,
    RowOut,
    RowPatch,
    SubmitIn,
)

bp = api_blueprint("plans_api", __name__, "/plans", description="年度抽查计划 Annual inspection plans")


def _commit(action: Callable[[], Any]) -> Any:
    try:
        result = action()
        db.session.commit()
    except DomainError:
        db.session.rollback()
        raise
    return result


@bp.route("", methods=["GET"])
@bp.arguments(PlanArgs, location="query")
@bp.response(200, PlanList)
def list_(args):
    """Plans, newest year first; `year` filters."""
    ensure("plans.read")
    query = select(AnnualPlan).order_by(AnnualPlan.year.desc(), AnnualPlan.region_code)
    if args.get("year"):
        query = query.where(AnnualPlan.year == args["year"])
    return {"items": list(db.session.execute(query.limit(500)).scalars())}


@bp.route("", methods=["POST"])
@bp.arguments(PlanIn)
@bp.response(201, PlanOut)
def create(data):
    """Create a plan for a year and region (office); each lead department gets a drafting task."""
    ensure("plans.manage")
    service = plans()
    return _commit(
        lambda: service.create_plan(
            data["year"],
            data["region_code"],
            title=data.get("title"),
            lead_department_ids=data.get("lead_department_ids"),
            from_joint_lists=data.get("from_joint_lists", False),
        )
    )


@bp.route("/<int:plan_id>", methods=["GET"])
@bp.response(200, PlanDetail)
def get(plan_id: int):
    """A plan with the rows of its open revision (else of the published one) and its revisions."""
    ensure("plans.read")
    service = plans()
    plan = service.plan(plan_id)
    revisions = service.revisions(plan)
    shown = service.working(plan) or service.published(plan) or revisions[-1]
    fields = {k: getattr(plan, k) for k in PlanOut().fields}
    return {**fields, "revision": shown, "rows": rows_of(shown), "revisions": revisions}


@bp.route("/<int:plan_id>/revisions/<int:number>/rows", methods=["GET"])
@bp.response(200, RowList)
def revision_rows(plan_id: int, number: int):
    ensure("plans.read")
    service = plans()
    revision = service.revision(service.plan(plan_id), number)
    return {"revision": revision, "rows": rows_of(revision)}


@bp.route("/<int:plan_id>/diff", methods=["GET"])
@bp.arguments(DiffArgs, location="query")
@bp.response(200, DiffOut)
def diff(args, plan_id: int):
    """Rows added, removed and changed (with the changed columns) from `from` to `to`."""
    ensure("plans.read")
    service = plans()
    plan = service.plan(plan_id)
    new = args.get("to") or service.revisions(plan)[-1].number
    old = args.get("from_") or max(new - 1, 1)
    result = history.diff_revisions(service.revision(plan, old), service.revision(plan, new))
    return {
        "from_": old,
        "to": new,
        "added": result.added,
        "removed": result.removed,
        "changed": result.changed,
    }


@bp.route("/<int:plan_id>/rows", methods=["POST"])
@bp.arguments(RowIn)
@bp.response(201, RowOut)
def row_create(data, plan_id: int):
    ensure_draft()
    service = plans()
    plan = service.plan(plan_id)
    return _commit(lambda: service.add_row(plan, data))


@bp.route("/<int:plan_id>/rows/<int:row_id>", methods=["PATCH"])
@bp.arguments(RowPatch)
@bp.response(200, RowOut)
def row_update(data, plan_id: int, row_id: int):
    ensure_draft()
    service = plans()
    plan = service.plan(plan_id)
    service.ensure_may_draft(plan)
    row = service.row(plan, row_id)
    service.ensure_may_edit(plan, row.lead_department_id)
    current = {k: getattr(row, k) for k in RowIn().fields}
    return _commit(lambda: service.update_row(plan, row.id, {**current, **data}))


@bp.route("/<int:plan_id>/rows/<int:row_id>", methods=["DELETE"])
@bp.response(204)
def row_delete(plan_id: int, row_id: int):
    ensure_draft()
    service = plans()
    plan = service.plan(plan_id)
    service.ensure_may_draft(plan)
    _commit(lambda: service.remove_row(plan, service.row(plan, row_id).id))


@bp.route("/<int:plan_id>/submit", methods=["POST"])
@bp.arguments(SubmitIn)
@bp.response(200, PlanOut)
def submit(data, plan_id: int):
    """提交审核: the caller's department confirms the rows it leads."""
    ensure_draft()
    service = plans()
    plan = service.plan(plan_id)
    _commit(lambda: steps.submit_draft(service, plan, data.get("note", "")))
    return plan


@bp.route("/<int:plan_id>/review", methods=["POST"])
@bp.arguments(ReviewIn)
@bp.response(200, PlanOut)
def review(data, plan_id: int):
    """审核: approve, or return with a reason (to some or all lead departments)."""
    ensure("plans.manage")
    service = plans()
    plan = service.plan(plan_id)
    _commit(
        lambda: steps.review(
            service, plan, data["decision"], data.get("reason", ""), data.get("return_departments") or []
        )
    )
    return plan


@bp.route("/<int:plan_id>/publish", methods=["POST"])
@bp.arguments(PublishIn)
@bp.response(200, PlanOut)
def publish(data, plan_id: int):
    ensure("plans.manage")
    service = plans()
    plan = service.plan(plan_id)
    _commit(lambda: steps.publish(service, plan, data.get("note", "")))
    return plan


@bp.route("/<int:plan_id>/adjust", methods=["POST"])
@bp.arguments(AdjustIn)
@bp.response(201, RevisionOut)
def adjust(data, plan_id: int):
    """计划调整 of a published plan, with its reason."""
    ensure("plans.manage")
    service = plans()
    plan = service.plan(plan_id)
    return _commit(lambda: service.start_adjustment(plan, data["reason"], data.get("lead_department_ids")))


def ensure_draft() -> None:
    """The role check of row editing: the office, or an officer for their own department (the
    service then checks the department against each row's lead)."""
    actor = current_actor()
    ensure("plans.draft", actor.department_id if actor else None)
