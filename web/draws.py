"""随机抽取: the draw pages of a joint task — preview → commit → draw → result (re-draw a slot,
confirm or void) → spawn progress — and the draw record (抽取记录) with its verification.

The lead department's officers and the office draw (`draws.run` on the lead department);
officers of participating departments, auditors, the office and sysadmins read (`draws.read`).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from adapters.db import db
from adapters.draws import queries
from adapters.draws.record import decode_pool
from adapters.draws.redraw import KINDS, redraw_slot
from adapters.draws.service import DrawService
from adapters.draws.verify import verify_draw
from adapters.models import Draw, JointTask
from engine.draw_pool import members
from engine.errors import Conflict, ValidationFailed
from web.auth import allowed, current_actor, ensure, require
from web.jobs import get_job_queue
from web.runtime import engine, who, workflow

bp = Blueprint("draws", __name__, url_prefix="/draws")
POOL_PAGE = 200


class CommitForm(FlaskForm):
    entropy = StringField(_l("Public random value"), validators=[Optional(), Length(max=256)])


class RedrawForm(FlaskForm):
    assignment_id = HiddenField(validators=[DataRequired()])
    kind = SelectField(_l("Reason type"), choices=[("recusal", _l("Recusal")), ("absence", _l("Absence"))])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=200)])


class VoidForm(FlaskForm):
    reason = TextAreaField(_l("Reason for voiding"), validators=[DataRequired(), Length(max=256)])


def service() -> DrawService:
    settings = current_app.config["LIANCHA_SETTINGS"]
    return DrawService(db.session, engine(), get_job_queue(), tz=settings.timezone)


def ensure_read(task: JointTask) -> None:
    if not (
        allowed("draws.read") or any(allowed("draws.read", d) for d in queries.task_department_ids(task))
    ):
        abort(403)


def ensure_run(task: JointTask) -> None:
    ensure("draws.run", task.lead_department_id)


def _task(task_id: int) -> JointTask:
    return service().task(task_id)


def _draw(draw_id: int) -> tuple[Draw, JointTask]:
    row = service().draw(draw_id)
    task = db.session.get(JointTask, row.task_id)
    ensure_read(task)
    return row, task


def _act(action, done_url: str, success: str):
    """Run a write, commit, flash; a refused input flashes its message instead (nothing kept)."""
    try:
        result = action()
        db.session.commit()
    except (ValidationFailed, Conflict) as err:
        db.session.rollback()
        details = "；".join(f"{v}" for v in err.fields.values()) if err.fields else ""
        flash(err.message + (f"：{details}" if details else ""), "error")
        return redirect(done_url), None
    flash(success, "success")
    return redirect(done_url), result


@bp.get("/", endpoint="index")
@require("draws.read")
def index():
    actor = current_actor()
    everything = allowed("draws.read")
    return render_template(
        "draws/index.html",
        draws=queries.visible_draws(db.session, actor.department_id, everything=everything),
        tasks=queries.tasks_to_draw(db.session, actor.department_id, everything=allowed("draws.run")),
    )


@bp.get("/tasks/<int:task_id>", endpoint="task")
@require("draws.run")
def task_page(task_id: int):
    task = _task(task_id)
    ensure_run(task)
    existing = service().active_draw(task.id)
    if existing is not None:
        return redirect(url_for("draws.result", draw_id=existing.id))
    return render_template(
        "draws/preview.html", task=task, preview=service().preview(task), form=CommitForm()
    )


@bp.post("/tasks/<int:task_id>/commit", endpoint="commit")
@require("draws.run")
def commit(task_id: int):
    task = _task(task_id)
    ensure_run(task)
    form = CommitForm()
    if not form.validate_on_submit():
        flash(_("The public random value is at most 256 characters."), "error")
        return redirect(url_for("draws.task", task_id=task.id))
    response, row = _act(
        lambda: service().commit(task.id, form.entropy.data, current_user.id),
        url_for("draws.task", task_id=task.id),
        _("The commitment is recorded. The pool has not been read yet."),
    )
    return redirect(url_for("draws.result", draw_id=row.id)) if row is not None else response


@bp.post("/<int:draw_id>/run", endpoint="run")
@require("draws.run")
def run(draw_id: int):
    row, task = _draw(draw_id)
    ensure_run(task)
    response, _row = _act(
        lambda: service().run(row.id, current_user.id),
        url_for("draws.result", draw_id=row.id),
        _("Targets and inspectors are drawn."),
    )
    return response


@bp.get("/<int:draw_id>", endpoint="result")
@require("draws.read")
def result(draw_id: int):
    row, task = _draw(draw_id)
    page = request.args.get("page", 1, type=int)
    targets, pages = queries.target_page(db.session, row, page)
    ids = [a.inspector_id for t in targets for slot in t.slots.values() for a in slot]
    return render_template(
        "draws/result.html",
        draw=row,
        task=task,
        targets=targets,
        page=min(max(page, 1), pages),
        pages=pages,
        names=queries.inspector_names(db.session, ids),
        departments={d["key"]: d for d in (row.result or {}).get("departments", [])},
        can_run=allowed("draws.run", task.lead_department_id),
        redraw_form=RedrawForm(formdata=None),
        void_form=VoidForm(formdata=None),
        kinds=KINDS,
    )


@bp.post("/<int:draw_id>/redraw", endpoint="redraw")
@require("draws.run")
def redraw(draw_id: int):
    row, task = _draw(draw_id)
    ensure_run(task)
    form = RedrawForm()
    back = url_for("draws.result", draw_id=row.id, page=request.args.get("page", 1, type=int))
    if not form.validate_on_submit():
        flash(_("Choose recusal or absence and give the reason."), "error")
        return redirect(back)

    def action():
        locked = service().draw(row.id, lock=True)
        return redraw_slot(
            db.session,
            locked,
            int(form.assignment_id.data),
            form.kind.data,
            form.reason.data,
            current_user.id,
            current_user.display_name,
        )

    response, _new = _act(action, back, _("The slot was filled by a re-draw; every other slot stays."))
    return response


@bp.post("/<int:draw_id>/confirm", endpoint="confirm")
@require("draws.run")
def confirm(draw_id: int):
    row, task = _draw(draw_id)
    ensure_run(task)
    response, completed = _act(
        lambda: service().confirm(row.id, current_user.id, workflow(), who()),
        url_for("draws.result", draw_id=row.id),
        _("The draw is confirmed; the cases are being started."),
    )
    if completed is False and task.instance_id is not None:
        flash(
            _("The joint task's draw step was not completed here; its lead department completes it."),
            "warning",
        )
    return response


@bp.post("/<int:draw_id>/void", endpoint="void")
@require("draws.run")
def void(draw_id: int):
    row, task = _draw(draw_id)
    ensure_run(task)
    form = VoidForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for voiding."), "error")
        return redirect(url_for("draws.result", draw_id=row.id))
    response, _row = _act(
        lambda: service().void(row.id, form.reason.data, current_user.id, current_user.display_name),
        url_for("draws.task", task_id=task.id)
        if allowed("draws.run", task.lead_department_id)
        else url_for("draws.index"),
        _("The draw is void and kept in the records."),
    )
    return response


@bp.get("/<int:draw_id>/record", endpoint="record")
@require("draws.read")
def record(draw_id: int):
    row, task = _draw(draw_id)
    page = max(1, request.args.get("pool_page", 1, type=int))
    hidden = row.status == "committed"  # the entropy is revealed with the result
    pool = members(decode_pool(row.pool)) if row.pool else []
    result = row.result or {}
    ids = [c[0] for d in result.get("departments", []) for c in d.get("candidates", [])]
    ids += [i for why in result.get("excluded", {}).values() for group in why.values() for i in group]
    return render_template(
        "draws/record.html",
        draw=row,
        task=task,
        hidden=hidden,
        pool=pool[(page - 1) * POOL_PAGE : page * POOL_PAGE],
        pool_total=len(pool),
        pool_page=page,
        pool_pages=max(1, -(-len(pool) // POOL_PAGE)),
        result=result,
        names=queries.inspector_names(db.session, ids),
        kinds=KINDS,
        report=verify_draw(db.session, engine(), row.id) if request.args.get("verify") else None,
    )


@bp.get("/<int:draw_id>/pool.txt", endpoint="pool")
@require("draws.read")
def pool_text(draw_id: int):
    row, _task = _draw(draw_id)
    name = f"draw-{row.id}-pool.txt"
    return Response(
        decode_pool(row.pool),
        mimetype="text/plain",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


def init_app(app: Flask) -> None:
    import web.draw_ratios  # noqa: F401 - adds the ratio table pages to bp

    app.register_blueprint(bp)
