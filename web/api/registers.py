"""API of the registers (一单两库): shared helpers, and the tags (分类标签).

Every register lists with the same filters as its page and keyset cursors: `after=<id>` (or
`before=<id>`) with the `next_after` / `prev_before` of the previous answer; `with_total=true`
adds a count capped at 10000 (`total_capped` says when there are more). The other registers
are in `web/api/registers_*.py`.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from adapters.db import db
from adapters.models import Tag
from adapters.queries.registers import Filters, Page, list_tags
from adapters.registers import save_tag, set_active, transaction
from engine.errors import NotFound
from web.api import api_blueprint
from web.auth import ensure, may_somewhere
from web.schemas.registers import PageArgs, TagIn, TagOut, TagPage, TagPatch

PAGING = ("after", "before", "limit", "with_total")
_RENAMES = {"tag": "tags"}

bp = api_blueprint(
    "registers_tags", __name__, "/tags", description="分类标签 Tags of enterprises and inspectors"
)


def split_args(args: dict, **forced) -> tuple[Filters, dict]:
    """Query arguments → (Filters, paging keywords for the list_* queries)."""
    paging = {k: args[k] for k in PAGING if k in args}
    values = {
        _RENAMES.get(k, k): tuple(v) if isinstance(v, list) else v for k, v in args.items() if k not in PAGING
    }
    return Filters(**{**values, **forced}), paging


def page_body(page: Page) -> dict:
    return {
        "items": page.items,
        "next_after": page.next_after,
        "prev_before": page.prev_before,
        "total": page.total,
        "total_capped": page.total_capped,
    }


def checked_before_body(check):
    """Run `check(**url_kwargs)` before the request body is parsed (put it between `@bp.route`
    and `@bp.arguments`): a caller who may not write gets 403 even when the body is also bad."""

    def deco(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            check(**kwargs)
            return view(*args, **kwargs)

        return wrapper

    return deco


def role_may(action: str):
    """A check for `checked_before_body`: the user's roles allow `action` somewhere (the
    department of the new row is checked again once the body is read)."""

    def check(**_):
        if not current_user.is_authenticated:
            abort(401)
        if not may_somewhere(action):
            abort(403)

    return check


def get_or_404(model, key):
    row = db.session.get(model, key)
    if row is None:
        raise NotFound("未找到该记录")
    return row


@bp.route("", methods=["GET"])
@bp.arguments(PageArgs, location="query")
@bp.response(200, TagPage)
def list_(args):
    """List tags."""
    ensure("registers.read")
    filters, paging = split_args(args)
    return page_body(list_tags(filters, **paging))


@bp.route("", methods=["POST"])
@checked_before_body(role_may("tags.write"))
@bp.arguments(TagIn)
@bp.response(201, TagOut)
def create(data):
    """Create a tag (office, sysadmin)."""
    ensure("tags.write")
    with transaction():
        tag = save_tag(None, data)
    return tag


@bp.route("/<int:tag_id>", methods=["GET"])
@bp.response(200, TagOut)
def get(tag_id: int):
    ensure("registers.read")
    return get_or_404(Tag, tag_id)


@bp.route("/<int:tag_id>", methods=["PATCH"])
@checked_before_body(role_may("tags.write"))
@bp.arguments(TagPatch)
@bp.response(200, TagOut)
def update(data, tag_id: int):
    ensure("tags.write")
    tag = get_or_404(Tag, tag_id)
    with transaction():
        save_tag(tag, data)
    return tag


@bp.route("/<int:tag_id>/deactivate", methods=["POST"])
@bp.response(200, TagOut)
def deactivate(tag_id: int):
    return _toggle(tag_id, False)


@bp.route("/<int:tag_id>/reactivate", methods=["POST"])
@bp.response(200, TagOut)
def reactivate(tag_id: int):
    return _toggle(tag_id, True)


def _toggle(tag_id: int, active: bool) -> Tag:
    ensure("tags.write")
    tag = get_or_404(Tag, tag_id)
    with transaction():
        set_active(tag, active)
    return tag
