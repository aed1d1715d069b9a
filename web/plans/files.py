"""修订记录 (every revision: why, who, when, what changed), the diff of any two revisions, and
the XLSX export and import of a plan's rows."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import quote

from flask import Response, current_app, render_template, request

from adapters.db import db
from adapters.plans import history
from adapters.plans.rows import department_names
from adapters.plans.xlsx import export_xlsx, import_xlsx
from web.auth import require
from web.plans import bp, forms, plans, run

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/<int:plan_id>/revisions", endpoint="revisions")
@require("plans.read")
def revisions(plan_id: int):
    service = plans()
    plan = service.plan(plan_id)
    return render_template(
        "plans/revisions.html", plan=plan, entries=history.history(service.flow, plan, public=False)
    )


@bp.get("/<int:plan_id>/diff", endpoint="diff")
@require("plans.read")
def diff(plan_id: int):
    service = plans()
    plan = service.plan(plan_id)
    numbers = [r.number for r in service.revisions(plan)]
    new = _number("to", numbers[-1])
    old = _number("from", max(new - 1, 1))
    older, newer = service.revision(plan, old), service.revision(plan, new)
    return render_template(
        "plans/diff.html",
        plan=plan,
        numbers=numbers,
        old=older,
        new=newer,
        diff=history.diff_revisions(older, newer),
    )


def _number(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() else default


@bp.get("/<int:plan_id>/export.xlsx", endpoint="export")
@require("plans.read")
def export(plan_id: int):
    service = plans()
    plan = service.plan(plan_id)
    raw = request.args.get("revision", "")
    revision = (
        service.revision(plan, int(raw))
        if raw.isdigit()
        else (service.working(plan) or service.published(plan) or service.revisions(plan)[-1])
    )
    return xlsx_response(
        export_xlsx(plan, revision, department_names()), f"{plan.title}（第{revision.number}版）.xlsx"
    )


def xlsx_response(content: bytes, filename: str) -> Response:
    response = Response(content, mimetype=XLSX)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@bp.route("/<int:plan_id>/import", methods=["GET", "POST"], endpoint="import_rows")
@require("plans.manage")
def import_rows(plan_id: int):
    service = plans()
    plan = service.plan(plan_id)
    service.ensure_may_edit(plan, None)
    form = forms.ImportForm()
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        folder = Path(current_app.config["UPLOAD_FOLDER"]) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        suffix = Path(upload.filename or "").suffix.lower()
        with tempfile.NamedTemporaryFile(dir=folder, suffix=suffix, delete=False) as fh:
            upload.save(fh)
            path = Path(fh.name)
        try:
            result, _ok = run(lambda: _import(service, plan, path))
        finally:
            path.unlink(missing_ok=True)
    status = 422 if result is not None and not result.ok else 200
    return render_template("plans/import.html", form=form, plan=plan, result=result), status


def _import(service, plan, path: Path):
    result = import_xlsx(service, plan, path)
    if not result.ok:
        db.session.rollback()  # all or nothing: nothing was written, and nothing will be
    return result
