"""API of the enterprise register (检查对象名录库). Enterprises are never deleted; their status
(存续/注销/吊销/迁出) takes them out of draws. A USCC whose only fault is its check character
needs `uscc_override: true` and `uscc_override_reason`."""

from __future__ import annotations

from flask_login import current_user

from adapters.models import Enterprise
from adapters.queries.registers import list_enterprises
from adapters.registers import save_enterprise, transaction
from web.api import api_blueprint
from web.api.registers import checked_before_body, get_or_404, page_body, role_may, split_args
from web.auth import allowed, ensure
from web.schemas.registers import EnterpriseArgs, EnterpriseIn, EnterpriseOut, EnterprisePage, EnterprisePatch

bp = api_blueprint(
    "registers_enterprises", __name__, "/enterprises", description="检查对象名录库 Enterprises"
)


@bp.route("", methods=["GET"])
@bp.arguments(EnterpriseArgs, location="query")
@bp.response(200, EnterprisePage)
def list_(args):
    """List enterprises: q (name or USCC prefix), industry (prefix or section letter), region
    (with its counties), risk (repeatable), tag (repeatable, all must match), status."""
    ensure("registers.read")
    filters, paging = split_args(args)
    return page_body(list_enterprises(filters, **paging))


@bp.route("", methods=["POST"])
@checked_before_body(role_may("enterprises.write"))
@bp.arguments(EnterpriseIn)
@bp.response(201, EnterpriseOut)
def create(data):
    """Create an enterprise (office, sysadmin)."""
    ensure("enterprises.write")
    with transaction():
        ent = _save(None, data)
    return ent


@bp.route("/<int:ent_id>", methods=["GET"])
@bp.response(200, EnterpriseOut)
def get(ent_id: int):
    ensure("registers.read")
    return get_or_404(Enterprise, ent_id)


@bp.route("/<int:ent_id>", methods=["PATCH"])
@checked_before_body(role_may("enterprises.write"))
@bp.arguments(EnterprisePatch)
@bp.response(200, EnterpriseOut)
def update(data, ent_id: int):
    """Change some fields of an enterprise (office, sysadmin)."""
    ensure("enterprises.write")
    ent = get_or_404(Enterprise, ent_id)
    with transaction():
        _save(ent, data)
    return ent


def _save(ent: Enterprise | None, data: dict) -> Enterprise:
    return save_enterprise(ent, data, current_user.id, allowed("enterprises.override_uscc"))
