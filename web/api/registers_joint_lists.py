"""API of the industry joint lists (一业一查清单): the office writes all, an officer the lists
their department leads."""

from __future__ import annotations

from adapters.models import IndustryJointList
from adapters.queries.registers import list_joint_lists
from adapters.registers import save_joint_list, set_active, transaction
from web.api import api_blueprint
from web.api.registers import checked_before_body, get_or_404, page_body, role_may, split_args
from web.auth import ensure
from web.schemas.registers import JointListArgs, JointListIn, JointListOut, JointListPage, JointListPatch

ACTION = "joint_lists.write"
bp = api_blueprint(
    "registers_joint_lists", __name__, "/joint-lists", description="一业一查清单 Industry joint lists"
)


@bp.route("", methods=["GET"])
@bp.arguments(JointListArgs, location="query")
@bp.response(200, JointListPage)
def list_(args):
    """List joint lists: q (name prefix), industry, department_id (lead or cooperating), active."""
    ensure("registers.read")
    filters, paging = split_args(args)
    return page_body(list_joint_lists(filters, **paging))


@bp.route("", methods=["POST"])
@checked_before_body(role_may(ACTION))
@bp.arguments(JointListIn)
@bp.response(201, JointListOut)
def create(data):
    """Create a list; `item_ids` must belong to the lead or a cooperating department."""
    ensure(ACTION, data["lead_department_id"])
    with transaction():
        jl = save_joint_list(None, data)
    return jl


@bp.route("/<int:list_id>", methods=["GET"])
@bp.response(200, JointListOut)
def get(list_id: int):
    ensure("registers.read")
    return get_or_404(IndustryJointList, list_id)


@bp.route("/<int:list_id>", methods=["PATCH"])
@checked_before_body(lambda list_id: _writable(list_id))
@bp.arguments(JointListPatch)
@bp.response(200, JointListOut)
def update(data, list_id: int):
    jl = _writable(list_id)
    if "lead_department_id" in data:
        ensure(ACTION, data["lead_department_id"])
    with transaction():
        save_joint_list(jl, data)
    return jl


@bp.route("/<int:list_id>/deactivate", methods=["POST"])
@bp.response(200, JointListOut)
def deactivate(list_id: int):
    return _toggle(list_id, False)


@bp.route("/<int:list_id>/reactivate", methods=["POST"])
@bp.response(200, JointListOut)
def reactivate(list_id: int):
    return _toggle(list_id, True)


def _toggle(list_id: int, active: bool) -> IndustryJointList:
    jl = _writable(list_id)
    with transaction():
        set_active(jl, active)
    return jl


def _writable(list_id: int) -> IndustryJointList:
    ensure("registers.read")
    jl = get_or_404(IndustryJointList, list_id)
    ensure(ACTION, jl.lead_department_id)
    return jl
