"""The review steps from the plan page: 提交审核 (a lead department's officer), 审核通过 / 退回
and 发布 (the office), and 计划调整 of a published plan (the office)."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _

from adapters.plans import steps
from adapters.plans.rows import rows_of, scope
from web.auth import require
from web.plans import back_to_plan, bp, forms, plans, run


@bp.post("/<int:plan_id>/submit", endpoint="submit")
@require("plans.draft")
def submit(plan_id: int):
    service = plans()
    plan = service.plan(plan_id)
    form = forms.SubmitForm()
    if form.validate_on_submit():
        run(
            lambda: steps.submit_draft(service, plan, form.note.data or ""),
            done=_("Rows submitted for review."),
        )
    else:
        _flash_errors(form)
    return back_to_plan(plan.id)


@bp.post("/<int:plan_id>/review", endpoint="review")
@require("plans.manage")
def review(plan_id: int):
    service = plans()
    plan = service.plan(plan_id)
    form = forms.ReviewForm()
    form.return_departments.choices = [(d, str(d)) for d in _posted_ints("return_departments")]
    if form.validate_on_submit():
        decision = form.decision.data
        done = (
            _("The plan was approved; it can now be published.")
            if decision == "approve"
            else _("The plan was returned to the lead departments.")
        )
        run(
            lambda: steps.review(
                service, plan, decision, form.reason.data or "", form.return_departments.data or []
            ),
            done=done,
        )
    else:
        _flash_errors(form)
    return back_to_plan(plan.id)


@bp.post("/<int:plan_id>/publish", endpoint="publish")
@require("plans.manage")
def publish(plan_id: int):
    service = plans()
    plan = service.plan(plan_id)
    form = forms.PublishForm()
    if form.validate_on_submit():
        run(lambda: steps.publish(service, plan, form.note.data or ""), done=_("The plan was published."))
    else:
        _flash_errors(form)
    return back_to_plan(plan.id)


@bp.route("/<int:plan_id>/adjust", methods=["GET", "POST"], endpoint="adjust")
@require("plans.manage")
def adjust(plan_id: int):
    service = plans()
    plan = service.plan(plan_id)
    form = forms.AdjustForm()
    departments = scope(plan)
    form.lead_department_ids.choices = [(d.id, d.name) for d in departments.values()]
    published = service.published(plan)
    if request.method == "GET" and published is not None:
        form.lead_department_ids.data = sorted(
            {r.lead_department_id for r in rows_of(published)} & set(departments)
        )
    if form.validate_on_submit():
        _result, ok = run(
            lambda: service.start_adjustment(plan, form.reason.data, form.lead_department_ids.data),
            form,
            done=_("Adjustment started; the lead departments can now revise their rows."),
        )
        if ok:
            return back_to_plan(plan.id)
    status = 422 if request.method == "POST" else 200
    return render_template("plans/adjust.html", form=form, plan=plan, published=published), status


def _posted_ints(name: str) -> list[int]:
    return [int(v) for v in request.form.getlist(name) if v.isdigit()]


def _flash_errors(form) -> None:
    for field in form:
        for message in field.errors:
            flash(f"{field.label.text}：{message}", "error")
