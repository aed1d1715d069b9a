"""专家库: experts who assist inspections. An expert is never an inspecting party (国办发〔2024〕54号):
the register is kept apart from the inspectors and no draw of inspecting parties reads it."""

from __future__ import annotations

from flask import render_template

from adapters.models import Expert
from adapters.queries.registers import list_experts
from adapters.registers import save_expert
from web.auth import allowed, require
from web.registers import bp
from web.registers.common import get_or_404, save_form, toggle
from web.registers.forms import ExpertForm, choices, form_data
from web.registers.paging import PAGE_SIZE, cursor, pager, read_filters
from web.registers.rules import active_departments
from web.schemas.registers import ExpertArgs

ACTION = "experts.write"


@bp.get("/experts", endpoint="experts")
@require("registers.read")
def experts_list():
    filters, raw = read_filters(ExpertArgs())
    page = list_experts(filters, **cursor(), limit=PAGE_SIZE, with_total=True)
    return render_template(
        "registers/experts.html",
        page=pager(page),
        raw=raw,
        departments=[(d.id, d.name) for d in active_departments()],
        can_write=allowed(ACTION),
    )


@bp.route("/experts/new", methods=["GET", "POST"], endpoint="expert_new")
@require(ACTION)
def expert_new():
    form = _form()
    done = save_form(form, lambda: save_expert(None, form_data(form)), "registers.experts")
    return done or render_template("registers/expert_form.html", form=form, expert=None)


@bp.route("/experts/<int:expert_id>/edit", methods=["GET", "POST"], endpoint="expert_edit")
@require(ACTION)
def expert_edit(expert_id: int):
    expert = get_or_404(Expert, expert_id)
    form = _form(expert)
    done = save_form(form, lambda: save_expert(expert, form_data(form)), "registers.experts")
    return done or render_template("registers/expert_form.html", form=form, expert=expert)


@bp.post("/experts/<int:expert_id>/deactivate", endpoint="expert_deactivate")
@require(ACTION)
def expert_deactivate(expert_id: int):
    return toggle(get_or_404(Expert, expert_id), False, "registers.experts")


@bp.post("/experts/<int:expert_id>/reactivate", endpoint="expert_reactivate")
@require(ACTION)
def expert_reactivate(expert_id: int):
    return toggle(get_or_404(Expert, expert_id), True, "registers.experts")


def _form(expert: Expert | None = None) -> ExpertForm:
    form = ExpertForm(obj=expert)
    departments = active_departments()
    if expert is not None and expert.department and expert.department not in departments:
        departments.append(expert.department)
    form.department_id.choices = choices([(0, "—")] + [(d.id, d.name) for d in departments])
    if form.department_id.data is None:
        form.department_id.data = 0
    return form
