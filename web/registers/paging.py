"""List pages: filters read from the query string (with the API's schemas) and keyset pagers."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, request, url_for
from marshmallow import Schema, ValidationError, fields

from adapters.queries.registers import Filters, Page

PAGE_SIZE = 50
# query-string names → Filters fields
_RENAMES = {"tag": "tags"}
_CURSOR = ("after", "before", "limit", "with_total")


def read_filters(schema: Schema, defaults: dict | None = None) -> tuple[Filters, dict]:
    """The filters of the current list page; bad values are dropped with a message rather than
    failing the page. Returns the Filters and the raw values to fill the filter form."""
    raw = {}
    for name, f in schema.fields.items():
        if name in _CURSOR:
            continue
        values = [v for v in request.args.getlist(name) if v.strip()]
        if values:
            raw[name] = values if isinstance(f, fields.List) else values[0]
    try:
        loaded = schema.load(raw)
    except ValidationError as err:
        for name, messages in err.normalized_messages().items():
            flash(f"{name}: {_flatten(messages)}", "error")
        loaded = {k: v for k, v in (err.valid_data or {}).items() if k not in err.messages}
    values = {**(defaults or {}), **{_RENAMES.get(k, k): v for k, v in loaded.items()}}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    return Filters(**values), raw


def cursor() -> dict:
    """after/before from the query string (ignored when not a non-negative integer)."""
    out = {}
    for name in ("after", "before"):
        value = request.args.get(name, "")
        if value.isdigit():
            out[name] = int(value)
    return out


@dataclass
class Pager:
    """What the `pager` macro needs."""

    items: list
    prev_url: str | None
    next_url: str | None
    total: str | int | None


def pager(page: Page) -> Pager:
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k not in ("after", "before")}
    prev_url = url_for(request.endpoint, **request.view_args, **args, before=page.prev_before)
    next_url = url_for(request.endpoint, **request.view_args, **args, after=page.next_after)
    total = f"{page.total}+" if page.total_capped else page.total
    return Pager(
        page.items,
        prev_url if page.prev_before is not None else None,
        next_url if page.next_after is not None else None,
        total,
    )


def _flatten(messages) -> str:
    if isinstance(messages, dict):
        return "；".join(_flatten(m) for m in messages.values())
    if isinstance(messages, list):
        return "；".join(_flatten(m) for m in messages)
    return str(messages)
