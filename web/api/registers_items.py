"""API of the inspection items (抽查事项清单): the office writes all, an officer only their own
department's items (both the item's current and its new department are checked)."""

from __future__ import annotations

from adapters.models import InspectionItem
from adapters.queries.registers import list_items
from adapters.registers import save_item, set_active, transaction
from web.api import api_blueprint
from web.api.registers import checked_before_body, get_or_404, page_body, role_may, split_args
from web.auth import ensure
from web.schemas.registers import ItemArgs, ItemIn, ItemOut, ItemPage, ItemPatch

ACTION = "items.write"
bp = api_blueprint("registers_items", __name__, "/items", description="抽查事项清单 Inspection items")


@bp.route("", methods=["GET"])
@bp.arguments(ItemArgs, location="query")
@bp.response(200, ItemPage)
def list_(args):
    """List items: q (name or code prefix), department_id, category, active."""
    ensure("registers.read")
    filters, paging = split_args(args)
    return page_body(list_items(filters, **paging))


@bp.route("", methods=["POST"])
@checked_before_body(role_may(ACTION))
@bp.arguments(ItemIn)
@bp.response(201, ItemOut)
def create(data):
    ensure(ACTION, data["department_id"])
    with transaction():
        item = save_item(None, data)
    return item


@bp.route("/<int:item_id>", methods=["GET"])
@bp.response(200, ItemOut)
def get(item_id: int):
    ensure("registers.read")
    return get_or_404(InspectionItem, item_id)


@bp.route("/<int:item_id>", methods=["PATCH"])
@checked_before_body(lambda item_id: _writable(item_id))
@bp.arguments(ItemPatch)
@bp.response(200, ItemOut)
def update(data, item_id: int):
    item = _writable(item_id)
    if "department_id" in data:
        ensure(ACTION, data["department_id"])
    with transaction():
        save_item(item, data)
    return item


@bp.route("/<int:item_id>/deactivate", methods=["POST"])
@bp.response(200, ItemOut)
def deactivate(item_id: int):
    return _toggle(item_id, False)


@bp.route("/<int:item_id>/reactivate", methods=["POST"])
@bp.response(200, ItemOut)
def reactivate(item_id: int):
    return _toggle(item_id, True)


def _toggle(item_id: int, active: bool) -> InspectionItem:
    item = _writable(item_id)
    with transaction():
        set_active(item, active)
    return item


def _writable(item_id: int) -> InspectionItem:
    ensure("registers.read")
    item = get_or_404(InspectionItem, item_id)
    ensure(ACTION, item.department_id)
    return item
