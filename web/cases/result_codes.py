"""结果字典: the office's page for the result codes of checklists (/admin/result-codes).

Add a code, edit its name, parent, problem flag, order and whether it is active; delete a code
no submitted checklist used (a used one can only be deactivated). Deactivated codes disappear
from checklists at once; cases keep the problem codes they started with.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters import result_dictionary as dictionary
from adapters.db import db
from engine.errors import Conflict, ValidationFailed
from web.auth import require
from web.cases import bp

MANAGE = "results.manage"


def form_values(form) -> dict:
    """A posted code form as the dictionary's values (checkboxes: absent = false)."""
    order = (form.get("sort_order") or "").strip()
    return {
        "code": form.get("code", ""),
        "name": form.get("name", ""),
        "parent_code": form.get("parent_code", ""),
        "counts_as_problem": form.get("counts_as_problem") == "true",
        "active": form.get("active") == "true",
        "sort_order": int(order) if order.isdigit() else (order or None),
    }


def _page(
    errors: dict | None = None, posted: dict | None = None, status: int = 200, editing: str | None = None
):
    rows = dictionary.all_codes()
    return (
        render_template(
            "cases/result_codes.html",
            rows=rows,
            parents=[r for r in rows if r.parent_code is None],
            errors=errors or {},
            posted=posted or {},
            editing=editing,
        ),
        status,
    )


@bp.get("/admin/result-codes")
@require(MANAGE)
def result_codes():
    return _page()


@bp.post("/admin/result-codes")
@require(MANAGE)
def result_code_add():
    values = form_values(request.form)
    try:
        row = dictionary.add(values)
        db.session.commit()
    except ValidationFailed as err:
        db.session.rollback()
        return _page(err.fields, request.form, 422)
    flash(_("Result code %(code)s added.", code=row.code), "success")
    return redirect(url_for("cases.result_codes"))


@bp.post("/admin/result-codes/<code>")
@require(MANAGE)
def result_code_edit(code: str):
    values = form_values(request.form)
    values.pop("code")
    try:
        dictionary.update(code, values)
        db.session.commit()
    except ValidationFailed as err:
        db.session.rollback()
        return _page(err.fields, request.form, 422, editing=code)
    flash(_("Result code %(code)s saved.", code=code), "success")
    return redirect(url_for("cases.result_codes"))


@bp.post("/admin/result-codes/<code>/delete")
@require(MANAGE)
def result_code_delete(code: str):
    try:
        dictionary.delete(code)
        db.session.commit()
    except Conflict as err:
        db.session.rollback()
        return _page({"__all__": err.message}, status=409)
    flash(_("Result code %(code)s deleted.", code=code), "success")
    return redirect(url_for("cases.result_codes"))
