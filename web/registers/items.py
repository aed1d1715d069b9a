"""抽查事项清单: inspection items. The office writes all; an officer only their department's."""

from __future__ import annotations

from flask import render_template, request

from adapters.models import InspectionItem
from adapters.queries.registers import list_items
from adapters.registers import save_item
from web.auth import allowed, ensure, require
from web.registers import bp
from web.registers.common import get_or_404, save_form, toggle
from web.registers.forms import CATEGORY_LABELS, ItemForm, choices, form_data
from web.registers.paging import PAGE_SIZE, cursor, pager, read_filters
from web.registers.rules import active_departments, ensure_department, may_write, writable_departments
from web.schemas.registers import ItemArgs

ACTION = "items.write"


@bp.get("/items", endpoint="items")
@require("registers.read")
def items_list():
    filters, raw = read_filters(ItemArgs())
    page = list_items(filters, **cursor(), limit=PAGE_SIZE, with_total=True)
    return render_template(
        "registers/items.html",
        page=pager(page),
        raw=raw,
        departments=[(d.id, d.name) for d in active_departments()],
        categories=CATEGORY_LABELS,
        can_create=may_write(ACTION),
        can_edit=lambda item: allowed(ACTION, item.department_id),
    )


@bp.route("/items/new", methods=["GET", "POST"], endpoint="item_new")
@require(ACTION)
def item_new():
    form = _form()
    if request.method == "POST":
        ensure_department(ACTION, request.form.get("department_id"))
    done = save_form(form, lambda: save_item(None, form_data(form)), "registers.items")
    return done or render_template("registers/item_form.html", form=form, item=None)


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"], endpoint="item_edit")
@require(ACTION)
def item_edit(item_id: int):
    item = get_or_404(InspectionItem, item_id)
    ensure(ACTION, item.department_id)
    form = _form(item)
    if request.method == "POST":
        ensure_department(ACTION, request.form.get("department_id"))
    done = save_form(form, lambda: save_item(item, form_data(form)), "registers.items")
    return done or render_template("registers/item_form.html", form=form, item=item)


@bp.post("/items/<int:item_id>/deactivate", endpoint="item_deactivate")
@require(ACTION)
def item_deactivate(item_id: int):
    return _toggle(item_id, False)


@bp.post("/items/<int:item_id>/reactivate", endpoint="item_reactivate")
@require(ACTION)
def item_reactivate(item_id: int):
    return _toggle(item_id, True)


def _toggle(item_id: int, active: bool):
    item = get_or_404(InspectionItem, item_id)
    ensure(ACTION, item.department_id)
    return toggle(item, active, "registers.items")


def _form(item: InspectionItem | None = None) -> ItemForm:
    form = ItemForm(obj=item)
    # An officer's select holds only their own department; the POST is checked all the same.
    departments = writable_departments(ACTION)
    if item is not None and item.department not in departments:  # e.g. a since-deactivated one
        departments.append(item.department)
    form.department_id.choices = choices((d.id, d.name) for d in departments)
    return form
