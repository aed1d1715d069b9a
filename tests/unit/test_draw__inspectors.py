from hypothesis import given, settings
from hypothesis import strategies as st

from engine.draw import Candidate, Target, draw_inspectors, redraw_slot
from engine.identifiers import make_uscc


def _targets(n: int) -> list[Target]:
    return [Target(id=i, uscc=make_uscc("9", "1", "130102", f"{i:08d}")) for i in range(n)]


def _pool(dept: str, n: int, start: int) -> list[Candidate]:
    return [Candidate(id=start + i, cert_no=f"{dept}{start + i:06d}") for i in range(n)]


worlds = st.tuples(
    st.integers(min_value=1, max_value=60),  # targets
    st.integers(min_value=2, max_value=15),  # inspectors per department
    st.integers(min_value=1, max_value=3),  # departments
    st.text(alphabet="0123456789abcdef", min_size=4, max_size=16),
)


@settings(max_examples=80)
@given(worlds)
def test_draw__without_constraints_every_slot_is_filled_and_loads_differ_by_at_most_one(world):
    n_targets, n_insp, n_dept, seed = world
    pools = {f"d{d}": _pool(f"d{d}", n_insp, d * 1000) for d in range(n_dept)}
    result = draw_inspectors(_targets(n_targets), pools, dict.fromkeys(pools, 2), seed, lead_department="d0")
    assert not result.shortages
    for (_target, _dept), ids in result.assignments.items():
        assert len(ids) == 2 and len(set(ids)) == 2
    for loads in result.loads.values():
        assert max(loads.values()) - min(loads.values()) <= 1
    assert set(result.leaders) == {t.id for t in _targets(n_targets)}


@settings(max_examples=80)
@given(worlds, st.data())
def test_draw__a_conflicted_inspector_is_never_assigned(world, data):
    n_targets, n_insp, n_dept, seed = world
    pools = {f"d{d}": _pool(f"d{d}", n_insp, d * 1000) for d in range(n_dept)}
    everyone = [c.id for p in pools.values() for c in p]
    excluded = {t: set(data.draw(st.lists(st.sampled_from(everyone), max_size=4))) for t in range(n_targets)}
    result = draw_inspectors(_targets(n_targets), pools, dict.fromkeys(pools, 2), seed, excluded)
    for (target, _dept), ids in result.assignments.items():
        assert not set(ids) & excluded[target]
    for (target, dept), ids in result.assignments.items():
        eligible = [c for c in pools[dept] if c.id not in excluded[target]]
        assert len(ids) == min(2, len(eligible))


def test_draw__region_rule_keeps_county_inspectors_at_home():
    pools = {"m": [Candidate(1, "a", "130102"), Candidate(2, "b", "130110"), Candidate(3, "c", None)]}
    targets = [Target(10, "x", "130102"), Target(11, "y", "130110")]
    result = draw_inspectors(targets, pools, {"m": 2}, "seed")
    assert set(result.assignments[(10, "m")]) == {1, 3}
    assert set(result.assignments[(11, "m")]) == {2, 3}


def test_draw__shortage_is_reported_not_hidden():
    pools = {"m": _pool("m", 3, 0)}
    result = draw_inspectors(_targets(1), pools, {"m": 2}, "s", {0: {0, 1}})
    assert result.assignments[(0, "m")] == [2]
    assert result.shortages and "需要2名" in result.shortages[0]


def test_draw__same_inputs_same_assignments():
    pools = {"m": _pool("m", 12, 0), "f": _pool("f", 9, 100)}
    a = draw_inspectors(_targets(30), pools, {"m": 2, "f": 2}, "abc", lead_department="m")
    b = draw_inspectors(_targets(30), pools, {"m": 2, "f": 2}, "abc", lead_department="m")
    c = draw_inspectors(_targets(30), pools, {"m": 2, "f": 2}, "abd", lead_department="m")
    assert a.assignments == b.assignments and a.leaders == b.leaders
    assert a.assignments != c.assignments


def test_redraw__replaces_one_slot_with_the_least_loaded_eligible():
    cands = _pool("m", 5, 0)
    target = _targets(1)[0]
    new = redraw_slot(target, "m", 0, 1, cands, on_case={0, 1}, blocked={2}, loads={3: 4, 4: 1}, seed="s")
    assert new == 4
    assert (
        redraw_slot(target, "m", 0, 1, cands[:2], on_case={0, 1}, blocked=set(), loads={}, seed="s") is None
    )
