"""Background jobs in the web app: the composition (`get_job_queue`), the in-process tick, and the
admin page /admin/jobs listing failed and recent runs with a retry button."""

from __future__ import annotations

import logging
import threading
import time

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.db import db
from adapters.jobs import periodic, runs
from adapters.jobs.inline import InlineQueue
from adapters.jobs.queue import BaseQueue
from adapters.jobs.rq_queue import TICK_SECONDS, RqQueue
from web.auth import allowed, require

log = logging.getLogger(__name__)
EXTENSION = "liancha.jobs"
TICKER = "liancha.jobs.ticker"
PAGE_SIZE = 50

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")


def get_job_queue(app: Flask | None = None) -> BaseQueue:
    """The app's job queue: RQ with REDIS_URL set, in-process without (built once per app)."""
    app = app or current_app._get_current_object()
    queue = app.extensions.get(EXTENSION)
    if queue is None:
        settings = app.config["LIANCHA_SETTINGS"]
        if settings.redis_url:
            queue = RqQueue(settings.redis_url, settings.job_retry_intervals)
        else:
            queue = InlineQueue(app, settings.job_retry_intervals)
        app.extensions[EXTENSION] = queue
    return queue


@bp.get("/")
@require("jobs.read")
def index():
    status = request.args.get("status") or None
    if status not in (None, "queued", "running", "done", "failed"):
        status = None
    return render_template(
        "jobs/index.html",
        failed=[] if status else runs.listing(db.session, status="failed", limit=PAGE_SIZE),
        recent=runs.listing(db.session, status=status, limit=PAGE_SIZE),
        counts=runs.counts(db.session),
        status=status,
        mode=get_job_queue().mode,
        retryable=runs.retryable,
        can_retry=allowed("jobs.retry"),
    )


@bp.post("/<int:run_id>/retry")
@require("jobs.retry")
def retry(run_id: int):
    get_job_queue().retry(run_id)  # NotFound / Conflict map to 404 / 409 pages
    db.session.commit()
    flash(_("The job was queued again."), "success")
    return redirect(url_for("jobs.index"))


def _start_ticker(app: Flask) -> None:
    """Without Redis, a daemon thread of the serving process runs the periodic tick."""
    lock = threading.Lock()

    @app.before_request
    def _ensure_ticker():
        if TICKER in app.extensions:
            return
        with lock:
            if TICKER not in app.extensions:
                thread = threading.Thread(target=_tick_forever, args=(app,), name="liancha-tick", daemon=True)
                app.extensions[TICKER] = thread
                thread.start()


def _tick_forever(app: Flask) -> None:
    while True:
        time.sleep(TICK_SECONDS)
        try:
            with app.app_context():
                periodic.tick()
        except Exception:  # keep ticking: a broken tick must not stop the next one
            log.exception("periodic tick failed")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    settings = app.config["LIANCHA_SETTINGS"]
    if not settings.redis_url and not app.testing:
        _start_ticker(app)
