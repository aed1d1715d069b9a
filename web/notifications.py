"""Notifications in the web app: the composition (listener installed, job queue named), the bell
in the header (unread count), the page /notifications (mark read, mark all read) and the mail
outbox /notifications/outbox for the office and sysadmins."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from adapters.db import db
from adapters.notifications import QUEUE, listener
from adapters.notifications import queries as notes
from web.auth import require
from web.cases import present

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
PAGE_SIZE = 30
KIND_LABELS = {
    "assigned": _l("New task"),
    "returned": _l("Returned for correction"),
    "overdue": _l("Overdue"),
}
MAIL_LABELS = {"queued": _l("Queued"), "sent": _l("Sent"), "failed": _l("Failed")}


def link(note) -> str | None:
    """Where a notification leads: its task, else its own link, else its case."""
    if note.task_id:
        return url_for("cases.task", task_id=note.task_id)
    if note.url:
        return note.url
    if note.instance_id:
        return url_for("cases.case", instance_id=note.instance_id)
    return None


@bp.get("", endpoint="index")
@login_required
def index():
    unread_only = request.args.get("unread") == "1"
    raw = request.args.get("page", "1")
    page_no = int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1
    result = notes.page(current_user.id, unread_only=unread_only, page=page_no, limit=PAGE_SIZE)
    args = {"unread": "1"} if unread_only else {}
    return render_template(
        "notifications/index.html",
        result=result,
        unread_only=unread_only,
        link=link,
        kind_label=lambda k: str(KIND_LABELS.get(k, k)),
        fmt_time=present.fmt_time,
        prev_url=url_for(".index", page=page_no - 1, **args) if page_no > 1 else None,
        next_url=url_for(".index", page=page_no + 1, **args) if result.has_next else None,
    )


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    note = notes.mark_read(current_user.id, notification_id)
    if note is None:
        abort(404)
    db.session.commit()
    target = link(note) if request.form.get("open") == "1" else None
    return redirect(target or _back())


@bp.post("/read-all")
@login_required
def read_all():
    count = notes.mark_all_read(current_user.id)
    db.session.commit()
    flash(_("%(n)s notifications marked as read.", n=count), "success")
    return redirect(_back())


@bp.get("/outbox")
@require("jobs.read")
def outbox():
    return render_template(
        "notifications/outbox.html",
        rows=notes.outbox(),
        counts=notes.outbox_counts(),
        mail_label=lambda s: str(MAIL_LABELS.get(s, s)),
        fmt_time=present.fmt_time,
    )


def _back() -> str:
    target = request.form.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else url_for(".index")


def _bell() -> dict:
    if not getattr(current_user, "is_authenticated", False):
        return {}
    return {"unread_notifications": notes.unread_count(current_user.id)}


def init_app(app: Flask) -> None:
    from web.jobs import get_job_queue

    listener.install()
    app.extensions[QUEUE] = lambda: get_job_queue(app)
    app.register_blueprint(bp)
    app.context_processor(_bell)
