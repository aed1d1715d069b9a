"""The stored shape of a draw record (`draws` row) and its conversion to engine.draw_replay's
DrawRecord. docs/draw.md §7 describes every field.

- `pool`: {"format": "lines+zlib+base64", "count", "data"}: the snapshot text of
  engine.draw_pool, compressed (a million members take about 9 MB instead of 30 MB of JSON);
- `filters`: the pool filters, the task number (`task_ref`) and the ratio table version;
- `result`: counts, sizes, targets [[id, uscc, risk, region], ...] in draw order, the
  departments with their eligible inspectors, exclusions per target, the first slots and
  leaders, shortages, load spread, and the re-draw log.
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.models import Draw, InspectorAssignment
from engine.draw import Candidate, MinimumRule
from engine.draw_replay import DepartmentPool, DrawRecord, Redraw, Slots

POOL_FORMAT = "lines+zlib+base64"


def encode_pool(text: bytes) -> dict:
    count = text.count(b"\n") + 1 if text else 0
    return {
        "format": POOL_FORMAT,
        "count": count,
        "data": base64.b64encode(zlib.compress(text, 1)).decode("ascii"),
    }


def decode_pool(pool: Mapping | list | None) -> bytes:
    """The snapshot text; a record whose pool cannot be read gives b'' (verify reports it)."""
    if not isinstance(pool, Mapping) or pool.get("format") != POOL_FORMAT:
        return b""
    try:
        return zlib.decompress(base64.b64decode(pool.get("data", "")))
    except (ValueError, zlib.error):
        return b""


def slots_json(slots: Slots) -> dict[str, dict[str, list[int]]]:
    out: dict[str, dict[str, list[int]]] = {}
    for (target, dept), ids in slots.items():
        out.setdefault(str(target), {})[dept] = list(ids)
    return out


def slots_from_json(data: Mapping) -> Slots:
    return {(int(t), d): list(ids) for t, by_dept in (data or {}).items() for d, ids in by_dept.items()}


def current_slots(session: Session, draw_id: int) -> tuple[Slots, dict[int, int]]:
    """The active assignment rows of a draw as slots, and the leaders."""
    slots: Slots = {}
    leaders: dict[int, int] = {}
    rows = session.execute(
        select(
            InspectorAssignment.enterprise_id,
            InspectorAssignment.department_id,
            InspectorAssignment.inspector_id,
            InspectorAssignment.is_leader,
        )
        .where(InspectorAssignment.draw_id == draw_id, InspectorAssignment.status == "active")
        .order_by(InspectorAssignment.id)
    )
    for enterprise_id, department_id, inspector_id, is_leader in rows:
        slots.setdefault((enterprise_id, str(department_id)), []).append(inspector_id)
        if is_leader:
            leaders[enterprise_id] = inspector_id
    return slots, leaders


def to_record(draw: Draw, current: tuple[Slots, dict[int, int]] | None = None) -> DrawRecord:
    """engine.draw_replay's view of a stored record (malformed parts become problems)."""
    result, filters = dict(draw.result or {}), dict(draw.filters or {})
    problems = []
    try:
        departments = [
            DepartmentPool(
                key=str(d["key"]),
                per_target=int(d["per_target"]),
                candidates=tuple(Candidate(int(c[0]), str(c[1]), c[2]) for c in d["candidates"]),
            )
            for d in result.get("departments", [])
        ]
        excluded = {
            int(t): {int(i) for ids in reasons.values() for i in ids}
            for t, reasons in result.get("excluded", {}).items()
        }
        redraws = [
            Redraw(
                int(r["no"]),
                int(r["enterprise_id"]),
                str(r["department"]),
                int(r["replaced"]),
                int(r["replacement"]),
            )
            for r in result.get("redraws", [])
        ]
        targets = [(int(t[0]), str(t[1]), str(t[2]), t[3]) for t in result.get("targets", [])]
    except (KeyError, TypeError, ValueError, IndexError) as err:
        problems.append(f"记录结构损坏：{err!r}")
        departments, excluded, redraws, targets = [], {}, [], []
    pool_text = decode_pool(draw.pool)
    if draw.pool and not pool_text and (draw.pool or {}).get("count"):
        problems.append("抽取池快照无法读取")
    return DrawRecord(
        task_ref=str(filters.get("task_ref", "")),
        algorithm=draw.algorithm,
        commitment=draw.commitment,
        entropy=draw.entropy or "",
        seed=draw.seed or "",
        pool_text=pool_text,
        pool_hash=draw.pool_hash or "",
        ratios=dict(draw.ratios or {}),
        minimums=[MinimumRule(int(a), int(b)) for a, b in draw.minimums or []],
        counts=dict(result.get("counts", {})),
        sizes=dict(result.get("sizes", {})),
        targets=targets,
        departments=departments,
        lead=result.get("lead"),
        excluded=excluded,
        slots=slots_from_json(result.get("slots", {})),
        leaders={int(t): int(i) for t, i in result.get("leaders", {}).items()},
        redraws=redraws,
        current=current[0] if current else None,
        current_leaders=current[1] if current else None,
        problems=problems,
    )
