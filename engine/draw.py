"""Reproducible double-random draws (双随机): targets, then inspectors.

Everything here is a pure, deterministic function of its inputs; `docs/draw.md` specifies the
algorithm precisely enough to reimplement it elsewhere. It uses only SHA-256 and HMAC-SHA256,
never `random` or numpy, so results do not depend on library versions.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

ALGORITHM_VERSION = "liancha-draw-v1"
RISK_ORDER = ("D", "C", "B", "A")  # highest risk first: extra draws for minimums go here first


class DrawError(ValueError):
    """The inputs cannot produce a draw (with a Chinese message for users)."""


@dataclass(frozen=True)
class PoolMember:
    id: int
    uscc: str
    risk_class: str


@dataclass(frozen=True)
class MinimumRule:
    """When the whole pool has at most `pool_at_most` members, draw at least `at_least` (capped
    at the pool size)."""

    pool_at_most: int
    at_least: int


# --- seeds and commitments ------------------------------------------------------------------


def commitment(entropy: str) -> str:
    """SHA-256 (hex) of the public entropy value; stored before the pool is read."""
    return hashlib.sha256(entropy.encode("utf-8")).hexdigest()


def derive_seed(task_ref: str, entropy: str) -> str:
    """The draw seed: SHA-256 of 'liancha-draw-v1|<task_ref>|<entropy>' (hex)."""
    return hashlib.sha256(f"{ALGORITHM_VERSION}|{task_ref}|{entropy}".encode()).hexdigest()


def rank_key(seed: str, message: str) -> str:
    """HMAC-SHA256(key=seed as UTF-8, message as UTF-8), hex: the sort key of a member."""
    return hmac.new(seed.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def pool_hash(members: Iterable[PoolMember]) -> str:
    """SHA-256 over the sorted lines '<uscc>,<risk_class>' joined by '\\n'."""
    lines = sorted(f"{m.uscc},{m.risk_class}" for m in members)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


# --- target draw ----------------------------------------------------------------------------


def stratum_sizes(
    counts: Mapping[str, int], ratios: Mapping[str, str | Decimal], minimums: Sequence[MinimumRule] = ()
) -> dict[str, int]:
    """k per risk class: ceil(n × ratio) (ratio a decimal fraction, e.g. '0.05'), capped at n;
    then, if the pool total is covered by a minimum rule and the sum is below it, one extra per
    step in the order D, C, B, A (cycling) among strata that still have undrawn members."""
    k = {}
    for risk, n in counts.items():
        ratio = Decimal(str(ratios.get(risk, "0")))
        if ratio < 0 or ratio > 1:
            raise DrawError(f"抽查比例必须在0到1之间：{risk}={ratio}")
        k[risk] = min(n, int((Decimal(n) * ratio).to_integral_value(rounding=ROUND_CEILING)))
    total = sum(counts.values())
    wanted = max((r.at_least for r in minimums if total <= r.pool_at_most), default=0)
    wanted = min(wanted, total)
    order = [r for r in RISK_ORDER if r in counts] + sorted(set(counts) - set(RISK_ORDER))
    while sum(k.values()) < wanted:
        for risk in order:
            if sum(k.values()) >= wanted:
                break
            if k[risk] < counts[risk]:
                k[risk] += 1
    return k


@dataclass(frozen=True)
class TargetDraw:
    seed: str
    pool_hash: str
    counts: dict[str, int]
    sizes: dict[str, int]
    selected: list[PoolMember]  # in draw order: strata D, C, B, A, each by rank


def draw_targets(
    members: Sequence[PoolMember],
    ratios: Mapping[str, str | Decimal],
    seed: str,
    minimums: Sequence[MinimumRule] = (),
) -> TargetDraw:
    """Rank each stratum's members by rank_key(seed, uscc) (ties by USCC) and take the first k."""
    if len({m.uscc for m in members}) != len(members):
        raise DrawError("抽取池中存在重复的统一社会信用代码")
    strata: dict[str, list[PoolMember]] = {}
    for m in members:
        strata.setdefault(m.risk_class, []).append(m)
    counts = {risk: len(ms) for risk, ms in strata.items()}
    sizes = stratum_sizes(counts, ratios, minimums)
    selected: list[PoolMember] = []
    for risk in [r for r in RISK_ORDER if r in strata] + sorted(set(strata) - set(RISK_ORDER)):
        ranked = sorted(strata[risk], key=lambda m: (rank_key(seed, m.uscc), m.uscc))
        selected.extend(ranked[: sizes[risk]])
    return TargetDraw(seed, pool_hash(members), counts, sizes, selected)


# --- inspector draw -------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    id: int
    cert_no: str
    region_code: str | None = None  # None: may inspect anywhere (city level)


@dataclass(frozen=True)
class Target:
    id: int
    uscc: str
    region_code: str | None = None


@dataclass
class InspectorDraw:
    assignments: dict[tuple[int, str], list[int]] = field(default_factory=dict)  # (target, dept) → ids
    leaders: dict[int, int] = field(default_factory=dict)  # target → inspector id (组长)
    shortages: list[str] = field(default_factory=list)  # slots the constraints could not fill
    loads: dict[str, dict[int, int]] = field(default_factory=dict)  # dept → inspector → count


def draw_inspectors(
    targets: Sequence[Target],
    pools: Mapping[str, Sequence[Candidate]],
    per_target: Mapping[str, int],
    seed: str,
    excluded: Mapping[int, set[int]] | None = None,
    lead_department: str | None = None,
) -> InspectorDraw:
    """For each target (in the given order) and each department key, pick `per_target[dept]`
    inspectors by a seeded round-robin: the department's eligible inspectors are ordered by
    rank_key(seed, 'inspector|<dept>|<cert_no>') into a queue; a slot takes the first queued
    inspectors who are not excluded for that target (declared conflict, previous inspection) and
    whose region fits, and moves them to the back; skipped inspectors keep their place at the
    front. The team leader of a target is the first inspector picked for the lead department."""
    excluded = excluded or {}
    result = InspectorDraw()
    for dept in sorted(pools):
        queue = deque(
            sorted(pools[dept], key=lambda c: (rank_key(seed, f"inspector|{dept}|{c.cert_no}"), c.cert_no))
        )
        loads = {c.id: 0 for c in queue}
        need = per_target.get(dept, 2)
        for target in targets:
            picked, skipped = [], []
            blocked = excluded.get(target.id, set())
            while queue and len(picked) < need:
                cand = queue.popleft()
                if cand.id in blocked or not _region_fits(cand, target):
                    skipped.append(cand)
                else:
                    picked.append(cand)
            queue.extendleft(reversed(skipped))
            queue.extend(picked)
            for c in picked:
                loads[c.id] += 1
            result.assignments[(target.id, dept)] = [c.id for c in picked]
            if len(picked) < need:
                result.shortages.append(f"{target.uscc}/{dept}: 需要{need}名，仅有{len(picked)}名符合条件")
            if dept == lead_department and picked:
                result.leaders[target.id] = picked[0].id
        result.loads[dept] = loads
    return result


def _region_fits(cand: Candidate, target: Target) -> bool:
    return cand.region_code is None or target.region_code is None or cand.region_code == target.region_code


def redraw_slot(
    target: Target,
    dept: str,
    replaced: int,
    reason_no: int,
    candidates: Sequence[Candidate],
    on_case: set[int],
    blocked: set[int],
    loads: Mapping[int, int],
    seed: str,
) -> int | None:
    """Replace one inspector (回避/缺席 → 递补): among the department's eligible candidates who
    are not on the case, not blocked for the target and whose region fits, the one with the
    lowest load, ties by rank_key(seed, 'redraw|<uscc>|<dept>|<replaced>|<reason_no>|<cert_no>')."""
    pool = [
        c
        for c in candidates
        if c.id != replaced and c.id not in on_case and c.id not in blocked and _region_fits(c, target)
    ]
    if not pool:
        return None
    best = min(
        pool,
        key=lambda c: (
            loads.get(c.id, 0),
            rank_key(seed, f"redraw|{target.uscc}|{dept}|{replaced}|{reason_no}|{c.cert_no}"),
            c.cert_no,
        ),
    )
    return best.id
