"""Follow-ups (后续处置) and revisits (回访) on the case pages: the panel the case page includes
(`follow_ups/_case_panel.html`, filled by the Jinja global `follow_up_panel`), the printable
referral letter (移送函) of a follow-up, and adding a revisit to a closed case.

The follow-up tasks themselves are ordinary human tasks: they appear in the inboxes and are
done through the generic task form (web/cases)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from adapters.db import db
from adapters.follow_ups import queries, revisits
from adapters.models import ProcessInstance
from adapters.queries.cases import department_names
from web.auth import allowed, current_actor, ensure, require
from web.cases import actions, present, rules
from web.runtime import who, workflow

bp = Blueprint("follow_ups", __name__)

STAGE_LABELS = {
    "transfer": _l("To be transferred"),
    "accept": _l("Waiting for acceptance"),
    "returned": _l("Returned to the office"),
    "measures": _l("Being handled"),
    "closed": _l("Closed"),
    "not_transferred": _l("Closed without transfer"),
}
MODE_LABELS = {"department": _l("Department with jurisdiction"), "judicial": _l("Judicial organ")}
OUTCOME_LABELS = {
    "rectified": _l("Ordered to correct, corrected"),
    "penalized": _l("Case filed and punished"),
    "judicial": _l("Transferred to a judicial organ"),
    "no_violation": _l("No violation found"),
    "other": _l("Other"),
}
REVISIT_METHODS = {"onsite": _l("On site"), "phone": _l("By phone"), "document": _l("In writing")}
REVISIT_RESULTS = {
    "rectified": _l("Rectified"),
    "partly": _l("Partly rectified"),
    "not_rectified": _l("Not rectified"),
    "closed": _l("Business closed or deregistered"),
}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["follow_up_panel"] = panel


def panel(row: ProcessInstance) -> dict | None:
    """What the case page shows about follow-ups and revisits (None: nothing for this model).
    The case page has already checked that the user may see `row`."""
    if row.model_id in (queries.FOLLOW_UP, revisits.MODEL):
        parent = db.session.get(ProcessInstance, row.parent_id) if row.parent_id else None
        visible = parent is not None and rules.may_see_case(parent, current_actor())
        letter = row.model_id == queries.FOLLOW_UP and _transfer(row) is not None
        return {"kind": "child", "parent": parent if visible else None, "letter": letter, "row": row}
    if row.model_id != revisits.CASE_MODEL:
        return None
    service, now, actor = workflow(), datetime.now(UTC), current_actor()
    follow_ups = queries.case_follow_ups(service, row.id, now)
    visits = queries.case_revisits(service, row.id)
    children = {i.id: i for i in _rows([f.instance_id for f in follow_ups] + [v.instance_id for v in visits])}
    names = department_names(
        {d for d in [f.department_id for f in follow_ups] + [v.department_id for v in visits] if d}
    )
    return {
        "kind": "case",
        "row": row,
        "follow_ups": [
            {
                "view": f,
                "department": names.get(f.department_id, "—"),
                "stage": present.label({**present.STATUS_LABELS, **STAGE_LABELS}, f.stage),
                "mode": present.label(MODE_LABELS, f.mode),
                "outcome": present.label(OUTCOME_LABELS, f.outcome) if f.outcome else "",
                "due": present.due(f.due_at, now),
                "linked": rules.may_see_case(children[f.instance_id], actor),
            }
            for f in follow_ups
        ],
        "revisits": [
            {
                "view": v,
                "status": present.label(present.STATUS_LABELS, v.status),
                "due": present.due(v.due_at, now),
                "method": present.label(REVISIT_METHODS, (v.result or {}).get("method")),
                "result": present.label(REVISIT_RESULTS, (v.result or {}).get("result")),
                "linked": rules.may_see_case(children[v.instance_id], actor),
            }
            for v in visits
        ],
        "can_add_revisit": row.status == "complete" and allowed("revisits.add", row.department_id),
        "fmt_time": present.fmt_time,
    }


def _rows(ids: list[int]) -> list[ProcessInstance]:
    if not ids:
        return []
    return list(db.session.execute(db.select(ProcessInstance).where(ProcessInstance.id.in_(ids))).scalars())


def _transfer(row: ProcessInstance) -> dict | None:
    """The completed transfer of a follow-up (None while it is not transferred yet)."""
    data = workflow().load(row).data()
    transfer = data.get("transfer")
    if not data.get("transferred_on") or not isinstance(transfer, dict):
        return None
    return {**data, "transfer": transfer}


@bp.get("/follow-ups/<int:instance_id>/letter")
@require("tasks.read")
def letter(instance_id: int):
    """The printable referral letter (移送函) of a transferred follow-up."""
    row = actions.visible_case(instance_id)
    data = _transfer(row) if row.model_id == queries.FOLLOW_UP else None
    if data is None:
        abort(404)
    transfer = data["transfer"]
    departments = department_names()
    lead = departments.get(_int(data.get("lead_department")))
    judicial = transfer.get("mode") == "judicial"
    return render_template(
        "follow_ups/letter.html",
        row=row,
        data=data,
        transfer=transfer,
        judicial=judicial,
        recipient=transfer.get("judicial_organ")
        if judicial
        else departments.get(_int(transfer.get("department"))),
        sender=lead,
        enterprise=data.get("enterprise") or {},
        date_text=_date_text(data.get("transferred_on")),
    )


@bp.post("/cases/<int:instance_id>/revisits")
@require("revisits.add")
def add_revisit(instance_id: int):
    case = actions.visible_case(instance_id)
    ensure("revisits.add", case.department_id)
    revisits.start_revisit(workflow(), case.id, request.form.get("purpose", ""), who())
    db.session.commit()
    flash(_("The revisit was added; the lead department finds it in its tasks."), "success")
    return redirect(url_for("cases.case", instance_id=case.id))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date_text(iso: str | None) -> str:
    """2026-09-21 → 2026年9月21日 (dates in documents)."""
    try:
        d = datetime.fromisoformat(str(iso)).date()
    except ValueError:
        return ""
    return f"{d.year}年{d.month}月{d.day}日"
