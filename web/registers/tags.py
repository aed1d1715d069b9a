"""分类标签: labels shared by enterprises and inspectors (office and sysadmin write)."""

from __future__ import annotations

from flask import render_template

from adapters.models import Tag
from adapters.queries.registers import list_tags
from adapters.registers import save_tag
from web.auth import require
from web.registers import bp
from web.registers.common import get_or_404, save_form, toggle
from web.registers.forms import TagForm, form_data
from web.registers.paging import PAGE_SIZE, cursor, pager, read_filters
from web.registers.rules import may_write
from web.schemas.registers import PageArgs


@bp.get("/tags", endpoint="tags")
@require("registers.read")
def tags_list():
    filters, raw = read_filters(PageArgs())
    page = list_tags(filters, **cursor(), limit=PAGE_SIZE, with_total=True)
    return render_template(
        "registers/tags.html", page=pager(page), raw=raw, can_write=may_write("tags.write")
    )


@bp.route("/tags/new", methods=["GET", "POST"], endpoint="tag_new")
@require("tags.write")
def tag_new():
    form = TagForm()
    done = save_form(form, lambda: save_tag(None, form_data(form)), "registers.tags")
    return done or render_template("registers/tag_form.html", form=form, tag=None)


@bp.route("/tags/<int:tag_id>/edit", methods=["GET", "POST"], endpoint="tag_edit")
@require("tags.write")
def tag_edit(tag_id: int):
    tag = get_or_404(Tag, tag_id)
    form = TagForm(obj=tag)
    done = save_form(form, lambda: save_tag(tag, form_data(form)), "registers.tags")
    return done or render_template("registers/tag_form.html", form=form, tag=tag)


@bp.post("/tags/<int:tag_id>/deactivate", endpoint="tag_deactivate")
@require("tags.write")
def tag_deactivate(tag_id: int):
    return toggle(get_or_404(Tag, tag_id), False, "registers.tags")


@bp.post("/tags/<int:tag_id>/reactivate", endpoint="tag_reactivate")
@require("tags.write")
def tag_reactivate(tag_id: int):
    return toggle(get_or_404(Tag, tag_id), True, "registers.tags")
