"""Admin pages of departments: the office may look, the sysadmin creates, edits and deactivates."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.models import Department
from adapters.queries import org as q
from engine.errors import ValidationFailed
from web.admin import bp
from web.admin.forms import NONE, DepartmentForm, apply_errors
from web.admin.services import get_or_404, save_department, set_department_active
from web.auth import allowed, require


@bp.get("/departments")
@require("departments.view")
def departments():
    status = request.args.get("status", "")
    active = {"active": True, "inactive": False}.get(status)
    return render_template(
        "admin/departments.html",
        rows=q.departments(active=active),
        counts=q.user_counts_by_department(),
        status=status,
        may_manage=allowed("admin.manage"),
    )


@bp.route("/departments/new", methods=["GET", "POST"])
@require("admin.manage")
def department_new():
    return _form(None)


@bp.route("/departments/<int:department_id>/edit", methods=["GET", "POST"])
@require("admin.manage")
def department_edit(department_id: int):
    return _form(get_or_404(Department, department_id, "部门"))


def _form(dept: Department | None):
    form = DepartmentForm(obj=dept if request.method == "GET" else None)
    if dept is not None and request.method == "GET":
        form.parent_id.data = dept.parent_id or NONE
    form.region_code.choices = q.region_choices(include=dept.region_code if dept else None)
    form.parent_id.choices = [(NONE, _("(none)"))] + [
        choice
        for choice in q.department_choices(include=dept.parent_id if dept else None)
        if dept is None or choice[0] != dept.id
    ]
    if form.validate_on_submit():
        try:
            saved = save_department(dept, form.values())
        except ValidationFailed as err:
            apply_errors(form, err.fields)
        else:
            flash(_("Department %(name)s saved.", name=saved.name), "success")
            return redirect(url_for("admin.departments"))
    return render_template("admin/department_form.html", form=form, dept=dept)


@bp.post("/departments/<int:department_id>/deactivate")
@require("admin.manage")
def department_deactivate(department_id: int):
    dept = set_department_active(get_or_404(Department, department_id, "部门"), False)
    flash(_("Department %(name)s deactivated.", name=dept.name), "success")
    return redirect(url_for("admin.departments"))


@bp.post("/departments/<int:department_id>/reactivate")
@require("admin.manage")
def department_reactivate(department_id: int):
    dept = set_department_active(get_or_404(Department, department_id, "部门"), True)
    flash(_("Department %(name)s reactivated.", name=dept.name), "success")
    return redirect(url_for("admin.departments"))
