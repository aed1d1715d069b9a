"""API of the inspector register (执法检查人员名录库) and declared conflicts (回避).

Officers and inspectors read their own department's inspectors only; the office, auditors and
sysadmins read all. The office writes every inspector, an officer their own department's.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from adapters.models import Inspector, InspectorConflict
from adapters.queries.registers import list_inspectors
from adapters.registers import declare_conflict, save_inspector, set_active, transaction
from web.api import api_blueprint
from web.api.registers import checked_before_body, get_or_404, page_body, role_may, split_args
from web.auth import ensure
from web.registers.rules import ensure_inspector_visible, inspector_scope
from web.schemas.registers import (
    ConflictIn,
    ConflictList,
    ConflictOut,
    InspectorArgs,
    InspectorIn,
    InspectorOut,
    InspectorPage,
    InspectorPatch,
)

ACTION = "inspectors.write"
bp = api_blueprint(
    "registers_inspectors", __name__, "/inspectors", description="执法检查人员名录库 Inspectors"
)


@bp.route("", methods=["GET"])
@bp.arguments(InspectorArgs, location="query")
@bp.response(200, InspectorPage)
def list_(args):
    """List inspectors: q (name or certificate number prefix), department_id, region, tag, active."""
    ensure("registers.read")
    scope = inspector_scope()
    if scope is not None and args.get("department_id", scope) != scope:
        abort(403)
    forced = {"department_id": scope} if scope is not None else {}
    filters, paging = split_args(args, **forced)
    return page_body(list_inspectors(filters, **paging))


@bp.route("", methods=["POST"])
@checked_before_body(role_may(ACTION))
@bp.arguments(InspectorIn)
@bp.response(201, InspectorOut)
def create(data):
    ensure(ACTION, data["department_id"])
    with transaction():
        insp = save_inspector(None, data)
    return insp


@bp.route("/<int:insp_id>", methods=["GET"])
@bp.response(200, InspectorOut)
def get(insp_id: int):
    return _visible(insp_id)


@bp.route("/<int:insp_id>", methods=["PATCH"])
@checked_before_body(lambda insp_id: _writable(insp_id))
@bp.arguments(InspectorPatch)
@bp.response(200, InspectorOut)
def update(data, insp_id: int):
    insp = _writable(insp_id)
    if "department_id" in data:
        ensure(ACTION, data["department_id"])
    with transaction():
        save_inspector(insp, data)
    return insp


@bp.route("/<int:insp_id>/deactivate", methods=["POST"])
@bp.response(200, InspectorOut)
def deactivate(insp_id: int):
    return _toggle(_writable(insp_id), False)


@bp.route("/<int:insp_id>/reactivate", methods=["POST"])
@bp.response(200, InspectorOut)
def reactivate(insp_id: int):
    return _toggle(_writable(insp_id), True)


@bp.route("/<int:insp_id>/conflicts", methods=["GET"])
@bp.response(200, ConflictList)
def conflicts(insp_id: int):
    """The inspector's declared conflicts, withdrawn ones included (active=false)."""
    insp = _visible(insp_id)
    return {"items": sorted(insp.conflicts, key=lambda c: c.id)}


@bp.route("/<int:insp_id>/conflicts", methods=["POST"])
@checked_before_body(lambda insp_id: _writable(insp_id))
@bp.arguments(ConflictIn)
@bp.response(201, ConflictOut)
def conflict_add(data, insp_id: int):
    """Declare a conflict with the enterprise that has this USCC."""
    insp = _writable(insp_id)
    with transaction():
        row = declare_conflict(insp, data["uscc"], data["reason"], current_user.id)
    return row


@bp.route("/<int:insp_id>/conflicts/<int:conflict_id>/deactivate", methods=["POST"])
@bp.response(200, ConflictOut)
def conflict_withdraw(insp_id: int, conflict_id: int):
    insp = _writable(insp_id)
    row = get_or_404(InspectorConflict, conflict_id)
    if row.inspector_id != insp.id:
        abort(404)
    return _toggle(row, False)


def _toggle(row, active: bool):
    with transaction():
        set_active(row, active)
    return row


def _visible(insp_id: int) -> Inspector:
    ensure("registers.read")
    insp = get_or_404(Inspector, insp_id)
    ensure_inspector_visible(insp.department_id)
    return insp


def _writable(insp_id: int) -> Inspector:
    insp = _visible(insp_id) if inspector_scope() is not None else get_or_404(Inspector, insp_id)
    ensure(ACTION, insp.department_id)
    return insp
