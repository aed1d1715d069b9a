"""Adding, editing and removing rows of a plan's open draft. The office edits every row; a lead
department's officer only the rows their department leads, while its drafting task is open."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from adapters.db import db
from adapters.models import IndustryJointList
from adapters.plans.rows import joint_lists_in, scope, values_from_joint_list
from engine.errors import Forbidden
from web.auth import allowed, current_actor, require
from web.plans import back_to_plan, bp, forms, plans, run

ACTION = "plans.draft"


@bp.route("/<int:plan_id>/rows/new", methods=["GET", "POST"], endpoint="row_new")
@require(ACTION)
def row_new(plan_id: int):
    service = plans()
    plan = service.plan(plan_id)
    service.ensure_may_draft(plan)
    form = _form(plan)
    if request.method == "GET":
        _prefill(form, plan, request.args.get("joint_list", ""))
    if form.validate_on_submit():
        _result, ok = run(lambda: service.add_row(plan, _values(form)), form, done=_("Row added."))
        if ok:
            return back_to_plan(plan.id)
    return _render(form, plan, None)


@bp.route("/<int:plan_id>/rows/<int:row_id>/edit", methods=["GET", "POST"], endpoint="row_edit")
@require(ACTION)
def row_edit(plan_id: int, row_id: int):
    service = plans()
    plan = service.plan(plan_id)
    service.ensure_may_draft(plan)  # the department first: a refused officer learns nothing of the row
    row = service.row(plan, row_id)
    service.ensure_may_edit(plan, row.lead_department_id)
    form = _form(plan, row)
    if form.validate_on_submit():
        _result, ok = run(lambda: service.update_row(plan, row.id, _values(form)), form, done=_("Row saved."))
        if ok:
            return back_to_plan(plan.id)
    return _render(form, plan, row)


@bp.post("/<int:plan_id>/rows/<int:row_id>/delete", endpoint="row_delete")
@require(ACTION)
def row_delete(plan_id: int, row_id: int):
    service = plans()
    plan = service.plan(plan_id)
    service.ensure_may_draft(plan)
    row = service.row(plan, row_id)
    run(lambda: service.remove_row(plan, row.id), done=_("Row removed."))
    return back_to_plan(plan.id)


def _form(plan, row=None) -> forms.RowForm:
    form = forms.RowForm(obj=row) if row is not None and request.method == "GET" else forms.RowForm()
    departments = scope(plan)
    actor = current_actor()
    if allowed("plans.manage"):
        form.lead_department_id.choices = [(d.id, d.name) for d in departments.values()]
    elif request.method == "POST" and request.form.get("lead_department_id", "") not in (
        "",
        str(actor.department_id),
    ):
        raise Forbidden("只能编辑本部门牵头的计划行")
    elif actor.department_id in departments:
        form.lead_department_id.choices = [(actor.department_id, departments[actor.department_id].name)]
    else:
        raise Forbidden("本部门不属于该计划的地区")
    form.department_ids.choices = [(d.id, d.name) for d in departments.values()]
    lists = joint_lists_in(departments)
    form.joint_list_id.choices = [("", _("None"))] + [(str(jl.id), jl.name) for jl in lists]
    if row is not None and request.method == "GET":
        form.industry_codes.data = ", ".join(row.industry_codes or [])
        form.department_ids.data = [int(d) for d in row.department_ids or []]
        form.joint_list_id.data = str(row.joint_list_id or "")
    if request.method == "GET" and row is None and len(form.lead_department_id.choices) == 1:
        form.lead_department_id.data = form.lead_department_id.choices[0][0]
    return form


def _prefill(form: forms.RowForm, plan, raw: str) -> None:
    """?joint_list=<id>: the row pre-filled from an 一业一查 list of the plan's region."""
    if not raw.isdigit():
        return
    jl = db.session.execute(
        select(IndustryJointList).where(IndustryJointList.id == int(raw))
    ).scalar_one_or_none()
    if jl is None or jl.lead_department_id not in scope(plan):
        abort(404)
    values = values_from_joint_list(jl)
    for name in ("industry", "task_name", "items", "department_ids"):
        getattr(form, name).data = values[name]
    form.industry_codes.data = ", ".join(values["industry_codes"])
    form.joint_list_id.data = str(jl.id)
    if allowed("plans.manage"):
        form.lead_department_id.data = jl.lead_department_id


def _values(form: forms.RowForm) -> dict:
    data = {k: v for k, v in form.data.items() if k != "csrf_token"}
    data["joint_list_id"] = data.get("joint_list_id") or None
    return data


def _render(form, plan, row):
    status = 422 if request.method == "POST" else 200
    lists = joint_lists_in(scope(plan)) if row is None else []
    return render_template("plans/row_form.html", form=form, plan=plan, row=row, joint_lists=lists), status
