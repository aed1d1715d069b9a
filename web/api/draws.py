"""API of the draws (随机抽取): preview, commit, draw, targets, re-draw, confirm, void, record,
pool snapshot, verify, and the ratio table. The same rules as the pages: the lead department's
officers and the office draw; participating departments' officers, auditors, the office and
sysadmins read. The entropy stays hidden until the draw reveals it."""

from __future__ import annotations

from flask_login import current_user

from adapters.db import db
from adapters.draws import queries, ratios
from adapters.draws.record import decode_pool
from adapters.draws.redraw import redraw_slot
from adapters.draws.verify import verify_draw
from adapters.models import Draw, JointTask
from engine.draw_pool import members
from web.api import api_blueprint
from web.auth import allowed, current_actor, ensure
from web.draws import ensure_read, ensure_run, service
from web.runtime import engine, who, workflow
from web.schemas import draws as s

bp = api_blueprint("draws_api", __name__, "/draws", description="随机抽取 Draws of targets and inspectors")


def _draw(draw_id: int, *, run: bool = False) -> tuple[Draw, JointTask]:
    row = service().draw(draw_id)
    task = db.session.get(JointTask, row.task_id)
    (ensure_run if run else ensure_read)(task)
    return row, task


def draw_body(row: Draw, task: JointTask) -> dict:
    result = row.result or {}
    return {
        "id": row.id,
        "task_id": row.task_id,
        "task_number": task.number,
        "status": row.status,
        "algorithm": row.algorithm,
        "commitment": row.commitment,
        "committed_at": row.committed_at,
        "entropy": None if row.status == "committed" else row.entropy,
        "seed": row.seed,
        "pool_hash": row.pool_hash,
        "pool_count": (row.pool or {}).get("count", 0),
        "filters": row.filters or {},
        "ratios": row.ratios or {},
        "minimums": row.minimums or [],
        "counts": result.get("counts", {}),
        "sizes": result.get("sizes", {}),
        "shortages": result.get("shortages", []),
        "loads": result.get("loads", {}),
        "redraws": result.get("redraws", []),
        "void": result.get("void"),
        "operator_id": row.operator_id,
        "drawn_at": row.drawn_at,
        "confirmed_at": row.confirmed_at,
        "confirmed_by_id": row.confirmed_by_id,
        "spawn_progress": task.spawn_progress or {},
    }


@bp.route("", methods=["GET"])
@bp.arguments(s.ListArgs, location="query")
@bp.response(200, s.DrawList)
def list_(args):
    """Draw records visible to the user, newest first (optionally of one task)."""
    ensure_any_read()
    actor = current_actor()
    rows = queries.visible_draws(db.session, actor.department_id, everything=allowed("draws.read"), limit=500)
    if args.get("task_id") is not None:
        rows = [(d, t) for d, t in rows if t.id == args["task_id"]]
    return {"items": [draw_body(d, t) for d, t in rows]}


def ensure_any_read() -> None:
    """Global readers, or an officer (for their own department's tasks)."""
    actor = current_actor()
    ensure("draws.read", actor.department_id if actor else None)


@bp.route("/tasks/<int:task_id>/preview", methods=["GET"])
@bp.response(200, s.PreviewOut)
def preview(task_id: int):
    """Pool size and k per credit risk class now, and each department's eligible inspectors."""
    task = service().task(task_id)
    ensure_run(task)
    p = service().preview(task)
    return {
        "task_id": task.id,
        "pool_size": p.pool_size,
        "counts": p.counts,
        "ratios": p.ratios,
        "sizes": p.sizes,
        "total": p.total,
        "minimums": p.rules.minimums_json(),
        "rules_version": p.rules.version,
        "filters": p.filters.as_json(),
        "departments": [
            {
                "key": d.key,
                "department_id": d.department_id,
                "name": d.name,
                "lead": d.is_lead,
                "per_target": d.per_target,
                "eligible": n,
            }
            for d, n in p.departments
        ],
        "pending_departments": [r.department_id for r in p.pending],
    }


@bp.route("", methods=["POST"])
@bp.arguments(s.CommitIn)
@bp.response(201, s.DrawOut)
def commit(data):
    """Commit: store SHA-256 of the public random value (generated if none is given)."""
    task = service().task(data["task_id"])
    ensure_run(task)
    row = service().commit(task.id, data.get("entropy"), current_user.id)
    db.session.commit()
    return draw_body(row, task)


@bp.route("/<int:draw_id>", methods=["GET"])
@bp.response(200, s.DrawOut)
def get(draw_id: int):
    row, task = _draw(draw_id)
    return draw_body(row, task)


@bp.route("/<int:draw_id>/draw", methods=["POST"])
@bp.response(200, s.DrawOut)
def run(draw_id: int):
    """Read the pool, reveal the random value, draw targets and inspectors."""
    row, task = _draw(draw_id, run=True)
    service().run(row.id, current_user.id)
    db.session.commit()
    return draw_body(row, task)


@bp.route("/<int:draw_id>/targets", methods=["GET"])
@bp.arguments(s.PageArgs, location="query")
@bp.response(200, s.TargetPage)
def targets(args, draw_id: int):
    """The drawn targets in draw order with their current inspector slots."""
    row, _task = _draw(draw_id)
    rows, pages = queries.target_page(db.session, row, args["page"], args["per_page"])
    names = queries.inspector_names(
        db.session, [a.inspector_id for t in rows for v in t.slots.values() for a in v]
    )
    items = [
        {
            "rank": t.rank,
            "enterprise_id": t.enterprise_id,
            "uscc": t.uscc,
            "name": t.name,
            "risk_class": t.risk,
            "region_code": t.region,
            "departments": {
                key: [
                    {
                        "assignment_id": a.id,
                        "inspector_id": a.inspector_id,
                        "name": names.get(a.inspector_id, ("", ""))[0],
                        "cert_no": names.get(a.inspector_id, ("", ""))[1],
                        "leader": a.is_leader,
                        "redraw_no": a.redraw_no,
                    }
                    for a in slot
                ]
                for key, slot in t.slots.items()
            },
        }
        for t in rows
    ]
    return {"page": min(args["page"], pages), "pages": pages, "items": items}


@bp.route("/<int:draw_id>/pool", methods=["GET"])
@bp.arguments(s.PageArgs, location="query")
@bp.response(200, s.PoolOut)
def pool(args, draw_id: int):
    """The pool snapshot, paged: [uscc, risk_class] in the order the pool hash is computed."""
    row, _task = _draw(draw_id)
    found = members(decode_pool(row.pool)) if row.status != "committed" else []
    per = args["per_page"]
    pages = max(1, -(-len(found) // per))
    page = min(args["page"], pages)
    chunk = found[(page - 1) * per : page * per]
    return {"count": len(found), "pool_hash": row.pool_hash, "page": page, "pages": pages, "members": chunk}


@bp.route("/<int:draw_id>/redraws", methods=["POST"])
@bp.arguments(s.RedrawIn)
@bp.response(201, s.AssignmentOut)
def redraw(data, draw_id: int):
    """Re-draw one slot (recusal or absence, with the reason); every other slot stays."""
    row, _task = _draw(draw_id, run=True)
    locked = service().draw(row.id, lock=True)
    new = redraw_slot(
        db.session,
        locked,
        data["assignment_id"],
        data["kind"],
        data["reason"],
        current_user.id,
        current_user.display_name,
    )
    db.session.commit()
    return new


@bp.route("/<int:draw_id>/confirm", methods=["POST"])
@bp.response(200, s.DrawOut)
def confirm(draw_id: int):
    """Confirm: final result; the cases are started in the background (see spawn_progress)."""
    row, task = _draw(draw_id, run=True)
    service().confirm(row.id, current_user.id, workflow(), who())
    db.session.commit()
    return draw_body(row, task)


@bp.route("/<int:draw_id>/void", methods=["POST"])
@bp.arguments(s.VoidIn)
@bp.response(200, s.DrawOut)
def void(data, draw_id: int):
    """Void an unconfirmed draw with the reason (the record is kept)."""
    row, task = _draw(draw_id, run=True)
    service().void(row.id, data["reason"], current_user.id, current_user.display_name)
    db.session.commit()
    return draw_body(row, task)


@bp.route("/<int:draw_id>/verify", methods=["GET"])
@bp.response(200, s.VerifyOut)
def verify(draw_id: int):
    """Recompute the draw from its record and compare (match, or every mismatch)."""
    row, _task = _draw(draw_id)
    return verify_draw(db.session, engine(), row.id).as_json()


@bp.route("/ratios", methods=["GET"])
@bp.response(200, s.RulesOut)
def rules():
    """The ratio table in force (DMN) and the minimum rules."""
    ensure_any_read()
    current = ratios.current_rules(db.session)
    return _rules_body(current)


@bp.route("/ratios", methods=["POST"])
@bp.arguments(s.RulesIn)
@bp.response(201, s.RulesOut)
def save_rules(data):
    """A new version of the ratio table (office); refused with the problems if it does not evaluate."""
    ensure("draws.rules")
    ratios.save_rules(db.session, engine(), data["dmn"], data["minimums"], data["comment"], current_user.id)
    db.session.commit()
    return _rules_body(ratios.current_rules(db.session))


def _rules_body(rules: ratios.RuleSet) -> dict:
    return {
        "version": rules.version,
        "dmn": rules.dmn,
        "minimums": rules.minimums_json(),
        "content_hash": rules.content_hash,
        "ratios": ratios.evaluate(engine(), rules, {}),
    }
