"""一业一查清单: per industry, the lead department, the cooperating departments and each one's
items. The office writes all lists; an officer only the lists their department leads."""

from __future__ import annotations

import re
from itertools import groupby

from flask import render_template, request
from sqlalchemy import or_, select

from adapters.db import db
from adapters.models import IndustryJointList, InspectionItem
from adapters.queries.registers import joint_list_groups, list_joint_lists
from adapters.registers import save_joint_list
from web.auth import allowed, ensure, require
from web.registers import bp
from web.registers.common import get_or_404, save_form, toggle
from web.registers.forms import JointListForm, choices, form_data
from web.registers.paging import PAGE_SIZE, cursor, pager, read_filters
from web.registers.rules import active_departments, ensure_department, may_write, writable_departments
from web.schemas.registers import JointListArgs

ACTION = "joint_lists.write"


@bp.get("/joint-lists", endpoint="joint_lists")
@require("registers.read")
def joint_lists_list():
    filters, raw = read_filters(JointListArgs())
    page = list_joint_lists(filters, **cursor(), limit=PAGE_SIZE, with_total=True)
    return render_template(
        "registers/joint_lists.html",
        page=pager(page),
        raw=raw,
        departments=[(d.id, d.name) for d in active_departments()],
        groups=joint_list_groups,
        can_create=may_write(ACTION),
        can_edit=lambda jl: allowed(ACTION, jl.lead_department_id),
    )


@bp.route("/joint-lists/new", methods=["GET", "POST"], endpoint="joint_list_new")
@require(ACTION)
def joint_list_new():
    form = _form()
    if request.method == "POST":
        ensure_department(ACTION, request.form.get("lead_department_id"))
    done = save_form(form, lambda: save_joint_list(None, _data(form)), "registers.joint_lists")
    return done or _render(form, None)


@bp.route("/joint-lists/<int:list_id>/edit", methods=["GET", "POST"], endpoint="joint_list_edit")
@require(ACTION)
def joint_list_edit(list_id: int):
    jl = get_or_404(IndustryJointList, list_id)
    ensure(ACTION, jl.lead_department_id)
    form = _form(jl)
    if request.method == "POST":
        ensure_department(ACTION, request.form.get("lead_department_id"))
    done = save_form(form, lambda: save_joint_list(jl, _data(form)), "registers.joint_lists")
    return done or _render(form, jl)


@bp.post("/joint-lists/<int:list_id>/deactivate", endpoint="joint_list_deactivate")
@require(ACTION)
def joint_list_deactivate(list_id: int):
    return _toggle(list_id, False)


@bp.post("/joint-lists/<int:list_id>/reactivate", endpoint="joint_list_reactivate")
@require(ACTION)
def joint_list_reactivate(list_id: int):
    return _toggle(list_id, True)


def _toggle(list_id: int, active: bool):
    jl = get_or_404(IndustryJointList, list_id)
    ensure(ACTION, jl.lead_department_id)
    return toggle(jl, active, "registers.joint_lists")


def _form(jl: IndustryJointList | None = None) -> JointListForm:
    form = JointListForm(obj=jl)
    if isinstance(form.industry_codes.data, list):  # the row's list, also when a POST omits the field
        form.industry_codes.data = ", ".join(form.industry_codes.data)
    if jl is not None and request.method == "GET":
        form.cooperating_department_ids.data = [d.id for d in jl.departments if d.id != jl.lead_department_id]
        form.item_ids.data = [i.id for i in jl.items]
    leads = writable_departments(ACTION)
    if jl is not None and jl.lead_department not in leads:
        leads.append(jl.lead_department)
    form.lead_department_id.choices = choices((d.id, d.name) for d in leads)
    form.cooperating_department_ids.choices = choices((d.id, d.name) for d in active_departments())
    form.item_ids.choices = choices((i.id, i.name) for i in _items(jl))
    return form


def _items(jl: IndustryJointList | None) -> list[InspectionItem]:
    """Active items, plus any the list already holds (even if since deactivated)."""
    chosen = [i.id for i in jl.items] if jl is not None else []
    query = select(InspectionItem).where(or_(InspectionItem.active.is_(True), InspectionItem.id.in_(chosen)))
    return list(db.session.scalars(query.order_by(InspectionItem.department_id, InspectionItem.code)))


def _data(form: JointListForm) -> dict:
    data = form_data(form)
    data["industry_codes"] = [c for c in re.split(r"[\s,，、;；]+", data["industry_codes"] or "") if c]
    return data


def _render(form: JointListForm, jl: IndustryJointList | None):
    items = _items(jl)
    grouped = [(dept, list(rows)) for dept, rows in groupby(items, key=lambda i: i.department)]
    chosen = set(form.item_ids.data or [])
    return render_template(
        "registers/joint_list_form.html", form=form, jl=jl, item_groups=grouped, chosen=chosen
    )
