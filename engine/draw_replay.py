"""Re-running a recorded draw: targets, inspectors and every logged re-draw, then comparing.

A draw record holds everything the draw used (docs/draw.md): the committed entropy, the pool
snapshot, ratios and minimums, each department's eligible inspectors and each target's
exclusions, the result, and the re-draw log. `verify` recomputes all of it from the inputs and
lists every difference in Chinese; an empty list means the record is consistent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from engine.draw import (
    ALGORITHM_VERSION,
    Candidate,
    DrawError,
    InspectorDraw,
    MinimumRule,
    Target,
    commitment,
    derive_seed,
    draw_inspectors,
    redraw_slot,
)
from engine.draw_pool import TextDraw, draw_targets_text, text_hash

Slots = dict[tuple[int, str], list[int]]  # (target id, department key) -> inspector ids


@dataclass(frozen=True)
class DepartmentPool:
    key: str
    per_target: int
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Redraw:
    """The j-th re-draw of a record: `replaced` left the slot, `replacement` took it."""

    no: int
    target_id: int
    department: str
    replaced: int
    replacement: int


@dataclass
class DrawRecord:
    task_ref: str
    algorithm: str
    commitment: str
    entropy: str
    seed: str
    pool_text: bytes
    pool_hash: str
    ratios: Mapping[str, str]
    minimums: Sequence[MinimumRule]
    counts: Mapping[str, int]
    sizes: Mapping[str, int]
    targets: Sequence[tuple[int, str, str, str | None]]  # (id, uscc, risk, region) in draw order
    departments: Sequence[DepartmentPool]
    lead: str | None
    excluded: Mapping[int, set[int]]
    slots: Slots  # as first drawn
    leaders: Mapping[int, int]
    redraws: Sequence[Redraw] = ()
    current: Slots | None = None  # the slots as they stand now (assignment rows), if known
    current_leaders: Mapping[int, int] | None = None
    problems: list[str] = field(default_factory=list)


def inspector_targets(record: DrawRecord) -> list[Target]:
    return [Target(id=t[0], uscc=t[1], region_code=t[3]) for t in record.targets]


def draw_record_inspectors(record: DrawRecord) -> InspectorDraw:
    pools = {d.key: list(d.candidates) for d in record.departments}
    per_target = {d.key: d.per_target for d in record.departments}
    targets = inspector_targets(record)
    return draw_inspectors(targets, pools, per_target, record.seed, dict(record.excluded), record.lead)


def replacement(
    slots: Slots,
    target: Target,
    department: DepartmentPool,
    replaced: int,
    no: int,
    blocked: set[int],
    seed: str,
) -> int | None:
    """The inspector who takes `replaced`'s slot on `target` (docs/draw.md §6), or None.
    `blocked`: the target's exclusions and everyone who already left one of its slots."""
    on_case = {i for (t, _d), ids in slots.items() if t == target.id for i in ids}
    loads: dict[int, int] = {}
    for (_t, d), ids in slots.items():
        if d == department.key:
            for i in ids:
                loads[i] = loads.get(i, 0) + 1
    return redraw_slot(
        target, department.key, replaced, no, department.candidates, on_case, blocked, loads, seed
    )


def replay(record: DrawRecord) -> tuple[TextDraw, InspectorDraw, Slots, dict[int, int], list[str]]:
    """Recompute the targets, the first inspector draw, and the slots after every re-draw."""
    problems: list[str] = []
    targets = draw_targets_text(record.pool_text, record.ratios, record.seed, record.minimums)
    first = draw_record_inspectors(record)
    slots = {key: list(ids) for key, ids in first.assignments.items()}
    leaders = dict(first.leaders)
    by_id = {t.id: t for t in inspector_targets(record)}
    departments = {d.key: d for d in record.departments}
    left: dict[int, set[int]] = {}
    for r in sorted(record.redraws, key=lambda r: r.no):
        ids = slots.get((r.target_id, r.department), [])
        if r.target_id not in by_id or r.department not in departments or r.replaced not in ids:
            problems.append(f"第{r.no}次递补：被替换的检查人员 {r.replaced} 不在该检查对象该部门的名单中")
            continue
        blocked = set(record.excluded.get(r.target_id, set())) | left.get(r.target_id, set())
        chosen = replacement(
            slots, by_id[r.target_id], departments[r.department], r.replaced, r.no, blocked, record.seed
        )
        if chosen != r.replacement:
            problems.append(f"第{r.no}次递补：重算得到检查人员 {chosen}，记录为 {r.replacement}")
        ids[ids.index(r.replaced)] = r.replacement
        left.setdefault(r.target_id, set()).add(r.replaced)
        if leaders.get(r.target_id) == r.replaced:
            leaders[r.target_id] = r.replacement
    return targets, first, slots, leaders, problems


def verify(record: DrawRecord) -> list[str]:
    """Every inconsistency of the record, in Chinese (empty: the record checks out)."""
    problems = list(record.problems)
    if record.algorithm != ALGORITHM_VERSION:
        return [*problems, f"算法版本 {record.algorithm} 无法核验（本系统为 {ALGORITHM_VERSION}）"]
    if commitment(record.entropy) != record.commitment:
        problems.append("公开随机值与抽取前登记的承诺值（SHA-256）不符")
    if derive_seed(record.task_ref, record.entropy) != record.seed:
        problems.append("随机种子与任务编号、公开随机值不符")
    if text_hash(record.pool_text) != record.pool_hash:
        problems.append("抽取池快照的 SHA-256 与记录的抽取池哈希不符")
    try:
        targets, first, slots, leaders, replay_problems = replay(record)
    except DrawError as err:
        return [*problems, f"无法重算：{err}"]
    problems += replay_problems
    if dict(targets.counts) != dict(record.counts) or dict(targets.sizes) != dict(record.sizes):
        problems.append(f"各风险等级的池数量或抽取数量不符：重算 {targets.sizes}，记录 {dict(record.sizes)}")
    recorded = [(t[1], t[2]) for t in record.targets]
    if targets.selected != recorded:
        missing = {u for u, _r in targets.selected} - {u for u, _r in recorded}
        extra = {u for u, _r in recorded} - {u for u, _r in targets.selected}
        problems.append(
            f"检查对象名单不符：应抽中而未记录 {sorted(missing)[:5]}，记录中多出 {sorted(extra)[:5]}"
            + ("" if missing or extra else "（顺序不同）")
        )
    problems += _slot_problems("首次选派", first.assignments, record.slots)
    if dict(first.leaders) != dict(record.leaders):
        problems.append("首次选派的检查组长与重算结果不符")
    if record.current is not None:
        problems += _slot_problems("当前", slots, record.current, ordered=False)
    if record.current_leaders is not None and dict(leaders) != dict(record.current_leaders):
        problems.append("当前检查组长与重算结果不符")
    return problems


def _slot_problems(label: str, expected: Slots, recorded: Slots, *, ordered: bool = True) -> list[str]:
    """Differences slot by slot; the first draw's order is recorded, the current rows' is not."""
    out = []
    for key in sorted(set(expected) | set(recorded)):
        want, got = list(expected.get(key, [])), list(recorded.get(key, []))
        if (want != got) if ordered else (sorted(want) != sorted(got)):
            out.append(f"{label}检查人员不符：检查对象 {key[0]}、部门 {key[1]}，重算 {want}，记录 {got}")
    return out[:20] + ([f"……另有 {len(out) - 20} 处不符"] if len(out) > 20 else [])
