"""The list of plans by year, creating a plan, and the plan page (rows, status, the step the
current user can take)."""

from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from adapters.db import db
from adapters.models import AnnualPlan, Department, Region
from adapters.plans import process, steps
from adapters.plans.columns import COLUMNS
from adapters.plans.rows import department_names, joint_lists_in, rows_of, scope
from web.auth import allowed, current_actor, require
from web.plans import back_to_plan, bp, forms, plans, run


@bp.get("", endpoint="index")
@require("plans.read")
def index():
    raw_year = request.args.get("year", "")
    query = select(AnnualPlan).order_by(AnnualPlan.year.desc(), AnnualPlan.region_code)
    if raw_year.isdigit():
        query = query.where(AnnualPlan.year == int(raw_year))
    items = list(db.session.execute(query.limit(200)).scalars())
    years = sorted({y for (y,) in db.session.execute(select(AnnualPlan.year).distinct())}, reverse=True)
    regions = dict(db.session.execute(select(Region.code, Region.name)).all())
    return render_template(
        "plans/list.html",
        plans=items,
        years=years,
        year=raw_year,
        regions=regions,
        can_create=allowed("plans.manage"),
    )


@bp.route("/new", methods=["GET", "POST"], endpoint="new")
@require("plans.manage")
def new():
    form = forms.PlanForm()
    regions = list(
        db.session.execute(select(Region).where(Region.active.is_(True)).order_by(Region.code)).scalars()
    )
    form.region_code.choices = [(r.code, f"{r.name}（{r.code}）") for r in regions]
    departments = list(
        db.session.execute(
            select(Department).where(Department.active.is_(True)).order_by(Department.id)
        ).scalars()
    )
    form.lead_department_ids.choices = [(d.id, d.name) for d in departments]
    if request.method == "GET":
        _defaults(form, departments)
    if form.validate_on_submit():
        service = plans()
        plan, ok = run(
            lambda: service.create_plan(
                form.year.data,
                form.region_code.data,
                title=form.title.data,
                lead_department_ids=form.lead_department_ids.data,
                from_joint_lists=form.from_joint_lists.data,
            ),
            form,
            done=_("Annual plan created; the lead departments can now draft their rows."),
        )
        if ok:
            return back_to_plan(plan.id)
    return render_template("plans/new.html", form=form), (422 if request.method == "POST" else 200)


def _defaults(form: forms.PlanForm, departments: list[Department]) -> None:
    today = date.today()
    form.year.data = today.year + 1 if today.month >= 10 else today.year
    actor = current_actor()
    own = next((d for d in departments if actor and d.id == actor.department_id), None)
    if own is not None:
        form.region_code.data = own.region_code
        in_region = {d.id: d for d in departments if d.region_code == own.region_code}
        form.lead_department_ids.data = sorted({jl.lead_department_id for jl in joint_lists_in(in_region)})


@bp.get("/<int:plan_id>", endpoint="plan")
@require("plans.read")
def plan_page(plan_id: int):
    service = plans()
    plan = service.plan(plan_id)
    working, published = service.working(plan), service.published(plan)
    revisions = service.revisions(plan)
    wanted = request.args.get("revision", "")
    shown = (
        service.revision(plan, int(wanted)) if wanted.isdigit() else (working or published or revisions[-1])
    )
    actor = current_actor()
    can_add = shown is working and service.may_edit(plan, None)
    manage = allowed("plans.manage")
    instance = process.instance_of(plan.id, working.number) if working else None
    data = process.process_data(service.flow, instance) if instance else {}
    review_form = forms.ReviewForm()
    review_form.return_departments.choices = [
        (int(c["const"]), c["title"]) for c in data.get("department_choices", [])
    ]
    own_task = steps.own_drafting_task(service, plan)
    return render_template(
        "plans/plan.html",
        plan=plan,
        region=db.session.get(Region, plan.region_code),
        revision=shown,
        working=working,
        published=published,
        revisions=revisions,
        rows=rows_of(shown),
        names=department_names(),
        columns=COLUMNS,
        can_add=can_add,
        row_editable=lambda row: (
            can_add and (manage or (actor and row.lead_department_id == actor.department_id))
        ),
        drafting=process.drafting_departments(plan) if working else {},
        review_task=process.task_named(plan, "review") if working else None,
        publish_task=process.task_named(plan, "publish") if working else None,
        own_task=own_task,
        own_rows=steps.rows_led_by(service, plan, actor.department_id) if own_task else 0,
        manage=manage,
        submit_form=forms.SubmitForm(),
        review_form=review_form,
        publish_form=forms.PublishForm(),
        in_scope=scope(plan),
    )
