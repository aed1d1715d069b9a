"""检查对象名录库: the enterprise register (office and sysadmin write, everyone reads).

Enterprises are never deleted: they leave the draw pool through their status (注销/吊销/迁出).
A 统一社会信用代码 whose only fault is its check character (an early pilot code) is accepted
only with the override box ticked and a reason, and who/when is recorded.
"""

from __future__ import annotations

from flask import render_template

from adapters.models import Enterprise
from adapters.models.registers import RISK_CLASSES
from adapters.queries.registers import active_tags, list_enterprises
from adapters.registers import save_enterprise
from web.auth import allowed, require
from web.registers import bp
from web.registers.common import actor_id, get_or_404, save_form
from web.registers.forms import STATUS_LABELS, EnterpriseForm, choices, form_data
from web.registers.paging import PAGE_SIZE, cursor, pager, read_filters
from web.registers.rules import active_regions
from web.schemas.registers import EnterpriseArgs

ACTION = "enterprises.write"


@bp.get("/enterprises", endpoint="enterprises")
@require("registers.read")
def enterprises_list():
    filters, raw = read_filters(EnterpriseArgs())
    page = list_enterprises(filters, **cursor(), limit=PAGE_SIZE, with_total=True)
    return render_template(
        "registers/enterprises.html",
        page=pager(page),
        raw=raw,
        regions=[(r.code, r.name) for r in active_regions()],
        tags=[(t.id, t.name) for t in active_tags()],
        risks=[(r, r) for r in RISK_CLASSES],
        statuses=STATUS_LABELS,
        can_write=allowed(ACTION),
    )


@bp.route("/enterprises/new", methods=["GET", "POST"], endpoint="enterprise_new")
@require(ACTION)
def enterprise_new():
    form = _form()
    done = save_form(form, lambda: _save(None, form), "registers.enterprises")
    return done or render_template("registers/enterprise_form.html", form=form, ent=None)


@bp.route("/enterprises/<int:ent_id>/edit", methods=["GET", "POST"], endpoint="enterprise_edit")
@require(ACTION)
def enterprise_edit(ent_id: int):
    ent = get_or_404(Enterprise, ent_id)
    form = _form(ent)
    done = save_form(form, lambda: _save(ent, form), "registers.enterprises")
    return done or render_template("registers/enterprise_form.html", form=form, ent=ent)


def _save(ent: Enterprise | None, form: EnterpriseForm) -> Enterprise:
    return save_enterprise(ent, form_data(form), actor_id(), allowed("enterprises.override_uscc"))


def _form(ent: Enterprise | None = None) -> EnterpriseForm:
    form = EnterpriseForm(obj=ent)
    regions = active_regions()
    if ent is not None and ent.region not in regions:
        regions.append(ent.region)
    form.region_code.choices = choices((r.code, f"{r.name}（{r.code}）") for r in regions)
    tags = active_tags()
    tags += [t for t in (ent.tags if ent else []) if t not in tags]
    form.tag_ids.choices = choices((t.id, t.name) for t in tags)
    if ent is not None and form.tag_ids.data is None:
        form.tag_ids.data = [t.id for t in ent.tags]
    return form
