"""Who may see and change which register rows, asked once for the UI and the API alike.

Thin wrappers over `engine.access` through `web.auth`: the department that owns a row is the
one the policy is asked about, so an officer's crafted request for another department is a 403.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from adapters.db import db
from adapters.models import Department, Region
from web.auth import allowed, current_actor, ensure


def may_write(action: str, department_id: int | None = None) -> bool:
    """May the user write rows of `action`'s register at all (any department, or their own)?"""
    actor = current_actor()
    if actor is None:
        return False
    return allowed(action, department_id) or (
        department_id is None and actor.department_id is not None and allowed(action, actor.department_id)
    )


def ensure_department(action: str, raw) -> int | None:
    """The department id from a submitted value, or 403 when the user may not write for it."""
    try:
        department_id = int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        department_id = None
    ensure(action, department_id)
    return department_id


def writable_departments(action: str) -> list[Department]:
    """Departments a form may offer: all for a global writer, else only the user's own."""
    if allowed(action):
        return active_departments()
    actor = current_actor()
    own = db.session.get(Department, actor.department_id) if actor and actor.department_id else None
    return [own] if own and allowed(action, own.id) else []


def inspector_scope() -> int | None:
    """None when the user reads every department's inspectors, else the one department they may
    read (officers and inspectors see their own department only)."""
    if allowed("inspectors.read_all"):
        return None
    actor = current_actor()
    if actor and actor.department_id and allowed("inspectors.read_all", actor.department_id):
        return actor.department_id
    abort(403)


def ensure_inspector_visible(department_id: int) -> None:
    scope = inspector_scope()
    if scope is not None and scope != department_id:
        abort(403)


def active_departments() -> list[Department]:
    return list(
        db.session.scalars(select(Department).where(Department.active.is_(True)).order_by(Department.id))
    )


def active_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).where(Region.active.is_(True)).order_by(Region.code)))
