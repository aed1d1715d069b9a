"""年度抽查计划 pages under /plans: the plans of each year, a plan with its rows, row forms, the
review steps (提交审核, 审核, 发布), 计划调整, 修订记录 with diffs, and XLSX import/export.

Each view checks the role with `require` and the department on the resource through
`adapters.plans` (an officer changes only the rows their department leads)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, current_app, flash, redirect, url_for
from flask_babel import lazy_gettext as _l

from adapters.db import db
from adapters.plans.columns import row_cells
from adapters.plans.service import PlanService
from engine.errors import DomainError, ValidationFailed
from web.runtime import who, workflow

bp = Blueprint("plans", __name__, url_prefix="/plans")
VIEW_MODULES = ("views", "rows", "review", "files")

PLAN_STATUS = {
    "draft": _l("Drafting"),
    "in_review": _l("In review"),
    "published": _l("Published"),
    "revising": _l("Being adjusted"),
}
REVISION_STATUS = {
    "draft": _l("Drafting"),
    "in_review": _l("Awaiting review"),
    "returned": _l("Returned"),
    "approved": _l("Approved"),
    "published": _l("Published"),
}


def plans() -> PlanService:
    """The plan service for this request's user."""
    return PlanService(workflow(), who())


def run(action: Callable[[], Any], form=None, *, done: str | None = None) -> tuple[Any, bool]:
    """Run a write and commit; on a domain error roll back and show it (next to the form's
    fields when it names them). Returns (result, ok)."""
    try:
        result = action()
        db.session.commit()
    except ValidationFailed as err:
        db.session.rollback()
        loose = _attach(form, err.fields or {}) if form is not None else list((err.fields or {}).values())
        for message in loose or ([] if err.fields else [err.message]):
            flash(message, "error")
        return None, False
    except DomainError:
        db.session.rollback()
        raise
    if done:
        flash(done, "success")
    return result, True


def _attach(form, fields: dict[str, str]) -> list[str]:
    loose = []
    for name, message in fields.items():
        target = getattr(form, name, None)
        if target is None or not hasattr(target, "errors"):
            loose.append(message)
        else:
            target.errors = [*target.errors, message]
    return loose


def back_to_plan(plan_id: int, **args):
    return redirect(url_for("plans.plan", plan_id=plan_id, **args))


def local_time(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time in the configured time zone (SQLite gives them back naive: they are UTC)."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(current_app.config["LIANCHA_SETTINGS"].timezone)).strftime(fmt)


def init_app(app: Flask) -> None:
    for name in VIEW_MODULES:  # importing a module adds its routes to bp (once per process)
        importlib.import_module(f"web.plans.{name}")
    app.register_blueprint(bp)
    register_globals(app)


def register_globals(app: Flask) -> None:
    """Template helpers of the plan pages, the public ones included."""
    app.jinja_env.globals["plan_status_label"] = lambda s: PLAN_STATUS.get(s, s)
    app.jinja_env.globals["revision_status_label"] = lambda s: REVISION_STATUS.get(s, s)
    app.jinja_env.globals["plan_row_cells"] = row_cells
    app.jinja_env.globals["plan_time"] = local_time
    app.jinja_env.globals["plan_date"] = lambda moment: local_time(moment, "%Y-%m-%d")
