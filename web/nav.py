"""Navigation by role: each entry shows only when the user may use it."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from web.auth import allowed, current_actor

# (endpoint, label, action that must be allowed)
ENTRIES = [
    ("cases.inbox", _l("Tasks"), "tasks.read"),
    ("cases.cases", _l("Cases"), "tasks.read"),
    ("plans.index", _l("Annual inspection plans"), "plans.read"),
    ("joint_tasks.index", _l("Joint tasks"), "joint_tasks.read"),
    ("draws.index", _l("Draw records"), "draws.read"),
    ("registers.items", _l("Inspection items"), "registers.read"),
    ("registers.joint_lists", _l("Industry joint lists"), "registers.read"),
    ("registers.enterprises", _l("Enterprise register"), "registers.read"),
    ("registers.inspectors", _l("Inspector register"), "registers.read"),
    ("registers.experts", _l("Expert register"), "registers.read"),
    ("registers.tags", _l("Tags"), "registers.read"),
    ("imports.upload", _l("Import registers"), "import.run"),
    ("admin.index", _l("System administration"), "departments.view"),
    ("calendar.index", _l("Working-day calendar"), "calendar.manage"),
    ("jobs.index", _l("Background jobs"), "jobs.read"),
    ("processes.index", _l("Process models"), "processes.manage"),
    ("cases.incidents", _l("Incidents"), "cases.admin"),
]


def navigation() -> list[dict]:
    actor = current_actor()
    if actor is None:
        return []
    out = []
    for endpoint, label, action in ENTRIES:
        if allowed(action) or (actor.department_id and allowed(action, actor.department_id)):
            try:
                out.append({"endpoint": endpoint, "url": url_for(endpoint), "label": label})
            except Exception:  # noqa: S112 - an area not registered in this app is simply absent
                continue
    return out
