"""Navigation by role: a few menus (UI.md: 工作台/待办, 联合抽查, 名录库, 公示, 系统管理), each
entry shown only when the user may use it; a menu without entries is left out.

An entry is (endpoint, label, action that must be allowed[, menu]). Without a menu the entry
goes where its blueprint belongs (MENU_OF_BLUEPRINT), else under 系统管理.
"""

from __future__ import annotations

from flask import request, url_for
from flask_babel import lazy_gettext as _l

from web.auth import current_actor, may_somewhere

# (endpoint, label, action that must be allowed[, menu])
ENTRIES = [
    ("auth.home", _l("Workbench"), "tasks.read", "work"),
    ("cases.inbox", _l("Tasks"), "tasks.read"),
    ("cases.cases", _l("Cases"), "tasks.read"),
    ("notifications.index", _l("Notifications"), "tasks.read", "work"),
    ("plans.index", _l("Annual inspection plans"), "plans.read"),
    ("joint_tasks.index", _l("Joint tasks"), "joint_tasks.read"),
    ("draws.index", _l("Draw records"), "draws.read"),
    ("publication.index", _l("Publication"), "publication.read"),
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
    ("notifications.outbox", _l("Mail outbox"), "jobs.read"),
    ("processes.index", _l("Process models"), "processes.manage"),
    ("cases.incidents", _l("Incidents"), "cases.admin"),
]

# menu key -> label, in the order they appear
MENUS = {
    "work": _l("Workbench & tasks"),
    "joint": _l("Joint inspections"),
    "registers": _l("Registers"),
    "publicity": _l("Publicity"),
    "system": _l("System administration"),
}
MENU_OF_BLUEPRINT = {
    "auth": "work",
    "cases": "work",
    "notifications": "work",
    "plans": "joint",
    "joint_tasks": "joint",
    "draws": "joint",
    "registers": "registers",
    "imports": "registers",
    "publication": "publicity",
    "public_results": "publicity",
    "public_plans": "publicity",
    "follow_ups": "work",
}
# entries of the case area that are administration, not daily work
MENU_OF_ENDPOINT = {"cases.incidents": "system", "notifications.outbox": "system"}


def menu_of(entry: tuple) -> str:
    endpoint = entry[0]
    if len(entry) > 3 and entry[3] in MENUS:
        return entry[3]
    if endpoint in MENU_OF_ENDPOINT:
        return MENU_OF_ENDPOINT[endpoint]
    return MENU_OF_BLUEPRINT.get(endpoint.split(".", 1)[0], "system")


def navigation() -> list[dict]:
    """The entries the current user may use, each with its menu key."""
    actor = current_actor()
    if actor is None:
        return []
    out = []
    for entry in ENTRIES:
        endpoint, label, action = entry[:3]
        if may_somewhere(action, actor):
            try:
                url = url_for(endpoint)
            except Exception:  # noqa: S112 - an area not registered in this app is simply absent
                continue
            out.append({"endpoint": endpoint, "url": url, "label": label, "menu": menu_of(entry)})
    return out


def menus(items: list[dict]) -> list[dict]:
    """The entries grouped into menus (in MENUS order), the menu of the current page marked."""
    current = request.endpoint if request else None
    out = []
    for key, label in MENUS.items():
        entries = [item for item in items if item["menu"] == key]
        if entries:
            active = any(item["endpoint"] == current for item in entries)
            out.append({"key": key, "label": label, "items": entries, "active": active})
    return out
