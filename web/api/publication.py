"""API of 公示管理: published results (the office and auditors all, an officer those of the cases
their department led) and corrections (the office, or the case's lead department). The public
read side is the public pages and their CSV/JSON exports."""

from __future__ import annotations

from flask_login import current_user

from adapters.db import db
from adapters.publication import corrections, queries
from engine.errors import DomainError
from web.api import api_blueprint
from web.auth import allowed, current_actor, ensure
from web.schemas.publication import (
    CorrectionOut,
    FollowUpCorrectionIn,
    ResultArgs,
    ResultCorrectionIn,
    ResultDetail,
    ResultList,
)

bp = api_blueprint("publication_api", __name__, "/publication", description="公示管理 Published records")


def _ensure_read(lead_department_id: int | None = None) -> None:
    actor = current_actor()
    own = actor.department_id if actor else None
    ensure("publication.read", lead_department_id if lead_department_id is not None else own)


@bp.route("/results", methods=["GET"])
@bp.arguments(ResultArgs, location="query")
@bp.response(200, ResultList)
def results(args):
    """Published results, newest first (a USCC: its results; other text: a name prefix)."""
    _ensure_read()
    scope = None if allowed("publication.read") else current_actor().department_id
    page = queries.search(args.get("q", ""), args.get("after"), 50, scope)
    return {"items": page.items, "next_after": page.next_after}


@bp.route("/results/<int:result_id>", methods=["GET"])
@bp.response(200, ResultDetail)
def result(result_id: int):
    record = corrections.get_result(result_id)
    _ensure_read(record.lead_department_id or -1)
    follow_ups = queries.follow_ups_of([record.id]).get(record.id, [])
    out = {k: getattr(record, k) for k in ResultDetail().fields if hasattr(record, k)}
    return {**out, "follow_ups": follow_ups, "corrections": queries.corrections_of(record, follow_ups)}


@bp.route("/results/<int:result_id>/corrections", methods=["POST"])
@bp.arguments(ResultCorrectionIn)
@bp.response(201, CorrectionOut)
def correct_result(data, result_id: int):
    """Correct a published result: `reason` and the changed fields."""
    record = corrections.get_result(result_id)
    ensure("publication.manage", record.lead_department_id)
    reason = data.pop("reason")
    if "completed_on" in data:
        data["completed_on"] = data["completed_on"].isoformat()
    return _commit(lambda: corrections.correct_result(record, data, reason, current_actor(), _name()))


@bp.route("/follow-ups/<int:record_id>/corrections", methods=["POST"])
@bp.arguments(FollowUpCorrectionIn)
@bp.response(201, CorrectionOut)
def correct_follow_up(data, record_id: int):
    """Correct a published follow-up outcome: `reason` and the changed fields."""
    record = corrections.get_follow_up(record_id)
    result = corrections.get_result(record.result_id) if record.result_id else None
    ensure("publication.manage", result.lead_department_id if result else None)
    reason = data.pop("reason")
    if "completed_on" in data:
        data["completed_on"] = data["completed_on"].isoformat()
    return _commit(lambda: corrections.correct_follow_up(record, data, reason, current_actor(), _name()))


def _commit(action):
    try:
        out = action()
        db.session.commit()
    except DomainError:
        db.session.rollback()
        raise
    return out


def _name() -> str:
    return getattr(current_user, "display_name", "") or ""
