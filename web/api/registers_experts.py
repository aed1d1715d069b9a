"""API of the expert register (专家库). Experts assist only and are never an inspecting party."""

from __future__ import annotations

from adapters.models import Expert
from adapters.queries.registers import list_experts
from adapters.registers import save_expert, set_active, transaction
from web.api import api_blueprint
from web.api.registers import checked_before_body, get_or_404, page_body, role_may, split_args
from web.auth import ensure
from web.schemas.registers import ExpertArgs, ExpertIn, ExpertOut, ExpertPage, ExpertPatch

ACTION = "experts.write"
bp = api_blueprint(
    "registers_experts",
    __name__,
    "/experts",
    description="专家库 Experts (assist only, never inspecting parties)",
)


@bp.route("", methods=["GET"])
@bp.arguments(ExpertArgs, location="query")
@bp.response(200, ExpertPage)
def list_(args):
    ensure("registers.read")
    filters, paging = split_args(args)
    return page_body(list_experts(filters, **paging))


@bp.route("", methods=["POST"])
@checked_before_body(role_may(ACTION))
@bp.arguments(ExpertIn)
@bp.response(201, ExpertOut)
def create(data):
    ensure(ACTION)
    with transaction():
        expert = save_expert(None, data)
    return expert


@bp.route("/<int:expert_id>", methods=["GET"])
@bp.response(200, ExpertOut)
def get(expert_id: int):
    ensure("registers.read")
    return get_or_404(Expert, expert_id)


@bp.route("/<int:expert_id>", methods=["PATCH"])
@checked_before_body(role_may(ACTION))
@bp.arguments(ExpertPatch)
@bp.response(200, ExpertOut)
def update(data, expert_id: int):
    ensure(ACTION)
    expert = get_or_404(Expert, expert_id)
    with transaction():
        save_expert(expert, data)
    return expert


@bp.route("/<int:expert_id>/deactivate", methods=["POST"])
@bp.response(200, ExpertOut)
def deactivate(expert_id: int):
    return _toggle(expert_id, False)


@bp.route("/<int:expert_id>/reactivate", methods=["POST"])
@bp.response(200, ExpertOut)
def reactivate(expert_id: int):
    return _toggle(expert_id, True)


def _toggle(expert_id: int, active: bool) -> Expert:
    ensure(ACTION)
    expert = get_or_404(Expert, expert_id)
    with transaction():
        set_active(expert, active)
    return expert
