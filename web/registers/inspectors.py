"""执法检查人员名录库: inspectors and their declared conflicts (回避).

Officers (and inspectors) see their own department's inspectors only; the office, auditors and
sysadmins see all. The office writes every inspector, an officer their own department's.
"""

from __future__ import annotations

from dataclasses import replace

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.models import Inspector, InspectorConflict
from adapters.queries.registers import active_tags, list_inspectors
from adapters.registers import declare_conflict, save_inspector, set_active, transaction
from engine.errors import ValidationFailed
from web.auth import allowed, ensure, require
from web.registers import bp
from web.registers.common import actor_id, get_or_404, save_form, toggle
from web.registers.forms import ConflictForm, InspectorForm, attach_errors, choices, form_data
from web.registers.paging import PAGE_SIZE, cursor, pager, read_filters
from web.registers.rules import (
    active_departments,
    active_regions,
    ensure_department,
    inspector_scope,
    may_write,
    writable_departments,
)
from web.schemas.registers import InspectorArgs

ACTION = "inspectors.write"


@bp.get("/inspectors", endpoint="inspectors")
@require("registers.read")
def inspectors_list():
    scope = inspector_scope()
    filters, raw = read_filters(InspectorArgs())
    if scope is not None:
        filters = replace(filters, department_id=scope)
    page = list_inspectors(filters, **cursor(), limit=PAGE_SIZE, with_total=True)
    departments = [d for d in active_departments() if scope is None or d.id == scope]
    return render_template(
        "registers/inspectors.html",
        page=pager(page),
        raw=raw,
        departments=[(d.id, d.name) for d in departments],
        regions=[(r.code, r.name) for r in active_regions()],
        tags=[(t.id, t.name) for t in active_tags()],
        can_create=may_write(ACTION),
        can_edit=lambda i: allowed(ACTION, i.department_id),
    )


@bp.route("/inspectors/new", methods=["GET", "POST"], endpoint="inspector_new")
@require(ACTION)
def inspector_new():
    form = _form()
    if request.method == "POST":
        ensure_department(ACTION, request.form.get("department_id"))
    done = save_form(form, lambda: save_inspector(None, form_data(form)), "registers.inspectors")
    return done or render_template("registers/inspector_form.html", form=form, insp=None)


@bp.route("/inspectors/<int:insp_id>/edit", methods=["GET", "POST"], endpoint="inspector_edit")
@require(ACTION)
def inspector_edit(insp_id: int):
    insp = _writable(insp_id)
    form = _form(insp)
    if request.method == "POST":
        ensure_department(ACTION, request.form.get("department_id"))
    done = save_form(form, lambda: save_inspector(insp, form_data(form)), "registers.inspectors")
    return done or _render_edit(insp, form, ConflictForm(formdata=None))


@bp.post("/inspectors/<int:insp_id>/deactivate", endpoint="inspector_deactivate")
@require(ACTION)
def inspector_deactivate(insp_id: int):
    return toggle(_writable(insp_id), False, "registers.inspectors")


@bp.post("/inspectors/<int:insp_id>/reactivate", endpoint="inspector_reactivate")
@require(ACTION)
def inspector_reactivate(insp_id: int):
    return toggle(_writable(insp_id), True, "registers.inspectors")


@bp.post("/inspectors/<int:insp_id>/conflicts", endpoint="conflict_add")
@require(ACTION)
def conflict_add(insp_id: int):
    insp = _writable(insp_id)
    conflict_form = ConflictForm()
    if conflict_form.validate_on_submit():
        try:
            with transaction():
                declare_conflict(insp, conflict_form.uscc.data, conflict_form.reason.data, actor_id())
        except ValidationFailed as err:
            attach_errors(conflict_form, err.fields)
        else:
            flash(_("Conflict recorded."), "success")
            return redirect(url_for("registers.inspector_edit", insp_id=insp.id) + "#conflicts")
    return _render_edit(insp, _form(insp, bound=False), conflict_form)


@bp.post("/inspectors/<int:insp_id>/conflicts/<int:conflict_id>/remove", endpoint="conflict_remove")
@require(ACTION)
def conflict_remove(insp_id: int, conflict_id: int):
    insp = _writable(insp_id)
    conflict = get_or_404(InspectorConflict, conflict_id)
    if conflict.inspector_id != insp.id:
        return redirect(url_for("registers.inspector_edit", insp_id=insp.id))
    with transaction():
        set_active(conflict, False)  # kept for the record of past draws
    flash(_("Conflict withdrawn."), "success")
    return redirect(url_for("registers.inspector_edit", insp_id=insp.id) + "#conflicts")


def _writable(insp_id: int) -> Inspector:
    insp = get_or_404(Inspector, insp_id)
    ensure(ACTION, insp.department_id)
    return insp


def _form(insp: Inspector | None = None, bound: bool = True) -> InspectorForm:
    # Unbound (formdata=None) when the POST being handled is another form's, e.g. a conflict.
    form = InspectorForm(obj=insp) if bound else InspectorForm(formdata=None, obj=insp)
    departments = writable_departments(ACTION)
    if insp is not None and insp.department not in departments:
        departments.append(insp.department)
    form.department_id.choices = choices((d.id, d.name) for d in departments)
    form.region_code.choices = choices([("", "—")] + [(r.code, r.name) for r in active_regions()])
    tags = active_tags()
    tags += [t for t in (insp.tags if insp else []) if t not in tags]
    form.tag_ids.choices = choices((t.id, t.name) for t in tags)
    if insp is not None and form.tag_ids.data is None:
        form.tag_ids.data = [t.id for t in insp.tags]
    if insp is not None and form.region_code.data is None:
        form.region_code.data = ""
    return form


def _render_edit(insp: Inspector, form: InspectorForm, conflict_form: ConflictForm):
    conflicts = sorted((c for c in insp.conflicts if c.active), key=lambda c: c.declared_at)
    return render_template(
        "registers/inspector_form.html",
        form=form,
        insp=insp,
        conflict_form=conflict_form,
        conflicts=conflicts,
    )
