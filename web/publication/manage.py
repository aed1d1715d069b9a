"""公示管理: the office's list of published results (an officer sees the cases their department
led) and the correction forms (更正) of a result and of a follow-up outcome."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.db import db
from adapters.publication import corrections, queries
from adapters.publication.names import result_code_names
from engine.errors import ValidationFailed
from web.auth import allowed, current_actor, ensure, require
from web.publication.forms import FollowUpCorrectionForm, ResultCorrectionForm
from web.publication.public import QUERY_MAX

bp = Blueprint("publication", __name__, url_prefix="/publication")


def _scope() -> int | None:
    """None: every record; else the department whose led cases the user may see."""
    if allowed("publication.read"):
        return None
    return current_actor().department_id or -1


@bp.get("", endpoint="index")
@require("publication.read")
def index():
    text = request.args.get("q", "").strip()[:QUERY_MAX]
    raw = request.args.get("after", "")
    if raw and not (raw.isdigit() and len(raw) <= 12):
        abort(400)
    page = queries.search(text, int(raw) if raw else None, 50, _scope())
    return render_template("publication/list.html", page=page, q=text)


@bp.route("/results/<int:result_id>/correct", methods=["GET", "POST"], endpoint="correct_result")
@require("publication.manage")
def correct_result(result_id: int):
    record = corrections.get_result(result_id)
    ensure("publication.manage", record.lead_department_id)
    form = ResultCorrectionForm(obj=None if request.method == "POST" else record)
    if request.method == "GET":
        form.completed_on.data = record.completed_on.isoformat()
    errors: dict = {}
    if form.validate_on_submit():
        wanted = {
            "enterprise_name": form.enterprise_name.data,
            "uscc": form.uscc.data,
            "completed_on": form.completed_on.data,
            "item_results": {str(n): request.form.getlist(f"item_{n}") for n in range(len(record.items))},
        }
        try:
            corrections.correct_result(record, wanted, form.reason.data, current_actor(), _actor_name())
            db.session.commit()
            flash(_("The correction was published."), "success")
            return redirect(url_for("publication.index", q=record.uscc))
        except ValidationFailed as err:
            db.session.rollback()
            errors = err.fields
    if request.method == "POST":
        selected = [request.form.getlist(f"item_{n}") for n in range(len(record.items))]
    else:
        selected = [row["result_codes"] for row in record.items]
    return render_template(
        "publication/correct_result.html",
        record=record,
        form=form,
        errors=errors,
        codes=result_code_names(),
        selected=selected,
        follow_ups=queries.follow_ups_of([record.id]).get(record.id, []),
    ), (422 if request.method == "POST" else 200)


@bp.route("/follow-ups/<int:record_id>/correct", methods=["GET", "POST"], endpoint="correct_follow_up")
@require("publication.manage")
def correct_follow_up(record_id: int):
    record = corrections.get_follow_up(record_id)
    result = corrections.get_result(record.result_id) if record.result_id else None
    ensure("publication.manage", result.lead_department_id if result else None)
    form = FollowUpCorrectionForm(obj=None if request.method == "POST" else record)
    if request.method == "GET" and record.completed_on:
        form.completed_on.data = record.completed_on.isoformat()
    errors: dict = {}
    if form.validate_on_submit():
        wanted = {
            name: getattr(form, name).data
            for name in ("problem", "measures", "outcome", "outcome_note", "completed_on")
        }
        try:
            corrections.correct_follow_up(record, wanted, form.reason.data, current_actor(), _actor_name())
            db.session.commit()
            flash(_("The correction was published."), "success")
            return redirect(url_for("publication.index", q=result.uscc if result else None))
        except ValidationFailed as err:
            db.session.rollback()
            errors = err.fields
    return render_template(
        "publication/correct_follow_up.html", record=record, result=result, form=form, errors=errors
    ), (422 if request.method == "POST" else 200)


def _actor_name() -> str:
    from flask_login import current_user

    return getattr(current_user, "display_name", "") or ""
