"""System administration pages: users, departments, regions, API tokens.

Only the sysadmin manages them; the office may look at the departments. Each page lives in its
own module of this package and registers its views on `bp`.
"""

from __future__ import annotations

import importlib

from flask import Blueprint, Flask, render_template, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from web.auth import allowed, require

bp = Blueprint("admin", __name__, url_prefix="/admin")
VIEW_MODULES = ["web.admin.users", "web.admin.departments", "web.admin.regions", "web.admin.tokens"]

ROLE_LABELS = {
    "sysadmin": _l("System administrator"),
    "office": _l("Random inspection office"),
    "officer": _l("Department officer"),
    "inspector": _l("Law-enforcement inspector"),
    "auditor": _l("Supervision and audit"),
}
LEVEL_LABELS = {"city": _l("City level"), "county": _l("County level")}

# (endpoint, label, action): the tabs over every admin page; absent endpoints are skipped, so an
# area registered elsewhere (the working-day calendar, job runs) shows up once it exists.
TABS = [
    ("admin.users", _l("Users"), "admin.manage"),
    ("admin.departments", _l("Departments"), "departments.view"),
    ("admin.regions", _l("Administrative divisions"), "admin.manage"),
    ("admin.tokens", _l("API tokens"), "admin.manage"),
    ("calendar.index", _l("Working-day calendar"), "calendar.manage"),
    ("jobs.index", _l("Background jobs"), "jobs.read"),
    ("processes.index", _l("Process models"), "processes.manage"),
    ("cases.incidents", _l("Incidents"), "cases.admin"),
]


def admin_tabs() -> list[dict]:
    out = []
    for endpoint, label, action in TABS:
        if not allowed(action):
            continue
        try:
            url = url_for(endpoint)
        except BuildError:
            continue
        # a tab stays active on its sub-pages: "admin.users" on "admin.user_edit", "calendar.*"
        stem = endpoint.rstrip("s") if endpoint.startswith("admin.") else endpoint.split(".")[0] + "."
        out.append({"endpoint": endpoint, "stem": stem, "url": url, "label": label})
    return out


@bp.get("/")
@require("departments.view")
def index():
    return render_template("admin/index.html", tabs=admin_tabs())


@bp.app_template_filter("role_label")
def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


@bp.app_template_filter("level_label")
def level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level, level))


@bp.context_processor
def _inject() -> dict:
    return {"admin_tabs": admin_tabs, "role_labels": ROLE_LABELS, "level_labels": LEVEL_LABELS}


def init_app(app: Flask) -> None:
    for module in VIEW_MODULES:
        importlib.import_module(module)
    app.register_blueprint(bp)
