"""Drawing inspectors: 10,000 targets × 3 departments × 2 inspectors from 3,000 inspectors with
60,000 declared conflicts, through engine.draw.draw_inspectors.

Floor, measured in the same run: a bare loop filling the same slots with two inspectors each by
index arithmetic (no ranking, no conflicts, no bookkeeping). The figure reports µs per slot and
the load spread (max − min assignments within a department); the goal is absolute, ≤ 50 µs per
slot and spread ≤ 2; the ratio printed is measured time / floor time.
"""

from __future__ import annotations

import hashlib

from bench.common import Result, timed
from engine.draw import Candidate, Target, draw_inspectors
from engine.identifiers import make_uscc

DEFAULT_SIZE = 10_000
GOAL = "≤ 50 µs/slot, spread ≤ 2"
DEPARTMENTS = ("fire", "market", "safety")
INSPECTORS_PER_DEPT = 1_000
CONFLICTS_PER_TARGET_SCALE = 6  # 60,000 conflicts for 10,000 targets


def _world(size: int):
    targets = [Target(id=i, uscc=make_uscc("9", "1", "130102", f"{i:08d}")) for i in range(size)]
    pools = {
        d: [Candidate(id=k * 10_000 + i, cert_no=f"{k:02d}{i:06d}") for i in range(INSPECTORS_PER_DEPT)]
        for k, d in enumerate(DEPARTMENTS)
    }
    everyone = [c.id for pool in pools.values() for c in pool]
    excluded: dict[int, set[int]] = {}
    for n in range(size * CONFLICTS_PER_TARGET_SCALE):
        digest = hashlib.sha256(str(n).encode()).digest()
        t = int.from_bytes(digest[:4], "big") % size
        excluded.setdefault(t, set()).add(everyone[int.from_bytes(digest[4:8], "big") % len(everyone)])
    return targets, pools, excluded


def _floor(targets, pools) -> int:
    filled = 0
    for dept, pool in pools.items():
        n = len(pool)
        out = {}
        for i, t in enumerate(targets):
            out[(t.id, dept)] = [pool[(2 * i) % n].id, pool[(2 * i + 1) % n].id]
            filled += 1
    return filled


def run(size: int, database_url: str | None = None) -> Result:
    targets, pools, excluded = _world(size)
    with timed() as floor:
        slots = _floor(targets, pools)
    with timed() as measured:
        result = draw_inspectors(targets, pools, dict.fromkeys(pools, 2), "bench-seed", excluded, "market")
    per_slot_us = measured.seconds / (slots * 2) * 1e6
    spread = max(max(loads.values()) - min(loads.values()) for loads in result.loads.values())
    conflicts = sum(len(s) for s in excluded.values())
    ratio = measured.seconds / floor.seconds
    figure = (
        f"{size} targets × {len(pools)} depts × 2 from {len(pools) * INSPECTORS_PER_DEPT} inspectors, "
        f"{conflicts} conflicts: {per_slot_us:.1f} µs/slot (floor {floor.seconds / (slots * 2) * 1e6:.2f}), "
        f"spread {spread}, shortages {len(result.shortages)}"
    )
    return Result("draw_inspectors", figure, ratio, GOAL, per_slot_us <= 50 and spread <= 2)
