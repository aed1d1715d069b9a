"""The inspector half of a draw and the rows a draw writes: each participating department's
eligible inspectors and each target's exclusions go into engine.draw.draw_inspectors, and the
result — with those inputs, so that `verify` can replay it — into the record."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from adapters.draws import eligibility
from adapters.draws.record import slots_json
from adapters.models import Draw, InspectorAssignment, JointTask, TaskTarget
from engine.draw import Target, draw_inspectors


def draw_task_inspectors(session: Session, task: JointTask, chosen: list[list], seed: str) -> dict:
    """The inspector half of a draw, as the record's part of `result` (docs/draw.md §5, §7)."""
    setups = eligibility.participating(task)
    counties = eligibility.county_regions(session)
    pools = {d.key: eligibility.candidates(session, d, counties) for d in setups}
    ids = [t[0] for t in chosen]
    conflicts = eligibility.conflicts(session, ids)
    previous = eligibility.previous_inspectors(session, task.id, ids)
    excluded = {t: conflicts.get(t, set()) | previous.get(t, set()) for t in ids}
    lead = str(task.lead_department_id)
    drawn = draw_inspectors(
        [Target(t[0], t[1], t[3]) for t in chosen],
        pools,
        {d.key: d.per_target for d in setups},
        seed,
        {t: s for t, s in excluded.items() if s},
        lead,
    )
    loads = {
        dept: {"min": min(v.values(), default=0), "max": max(v.values(), default=0)}
        for dept, v in drawn.loads.items()
    }
    return {
        "departments": [
            {
                "key": d.key,
                "department_id": d.department_id,
                "name": d.name,
                "lead": d.is_lead,
                "per_target": d.per_target,
                "item_ids": list(d.item_ids),
                "tag_ids": list(d.tag_ids),
                "candidates": [[c.id, c.cert_no, c.region_code] for c in pools[d.key]],
            }
            for d in setups
        ],
        "lead": lead,
        "excluded": {
            str(t): {"conflict": sorted(conflicts.get(t, ())), "previous": sorted(previous.get(t, ()))}
            for t in ids
            if conflicts.get(t) or previous.get(t)
        },
        "slots": slots_json(drawn.assignments),
        "leaders": {str(t): i for t, i in drawn.leaders.items()},
        "shortages": drawn.shortages,
        "loads": loads,
    }


def write_rows(session: Session, row: Draw, task: JointTask, result: dict) -> None:
    """The task's target rows and the assignment rows of a fresh draw."""
    targets = [
        {"task_id": task.id, "enterprise_id": t[0], "draw_id": row.id, "rank": n}
        for n, t in enumerate(result["targets"], start=1)
    ]
    if targets:
        session.execute(insert(TaskTarget), targets)
    leaders = {int(t): i for t, i in result["leaders"].items()}
    now = datetime.now(UTC)
    assignments = [
        {
            "draw_id": row.id,
            "task_id": task.id,
            "enterprise_id": int(t),
            "department_id": int(dept),
            "inspector_id": i,
            "is_leader": dept == result["lead"] and leaders.get(int(t)) == i,
            "status": "active",
            "redraw_no": 0,
            "created_at": now,
        }
        for t, by_dept in result["slots"].items()
        for dept, ids in by_dept.items()
        for i in ids
    ]
    if assignments:
        session.execute(insert(InspectorAssignment), assignments)
