from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.draw import (
    MinimumRule,
    PoolMember,
    commitment,
    derive_seed,
    draw_targets,
    pool_hash,
    stratum_sizes,
)
from engine.identifiers import make_uscc

RATIOS = {"A": "0.05", "B": "0.10", "C": "0.30", "D": "0.70"}
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _member(i: int, risk: str) -> PoolMember:
    body = f"{i:08d}"
    return PoolMember(id=i, uscc=make_uscc("9", "1", "130102", body), risk_class=risk)


pools = st.lists(st.sampled_from("ABCD"), min_size=0, max_size=120).map(
    lambda risks: [_member(i, r) for i, r in enumerate(risks)]
)
seeds = st.text(alphabet="0123456789abcdef", min_size=8, max_size=64)


def test_draw__seed_is_derived_from_committed_entropy():
    seed = derive_seed("JT-2026-001", "开奖号码 03 07 15 22 28 31")
    assert seed == derive_seed("JT-2026-001", "开奖号码 03 07 15 22 28 31")
    assert seed != derive_seed("JT-2026-002", "开奖号码 03 07 15 22 28 31")
    assert len(commitment("x")) == 64 and commitment("x") != commitment("y")


@given(pools, seeds)
def test_draw__same_inputs_same_targets(members, seed):
    a = draw_targets(members, RATIOS, seed)
    b = draw_targets(list(reversed(members)), RATIOS, seed)
    assert [m.uscc for m in a.selected] == [m.uscc for m in b.selected]
    assert a.pool_hash == b.pool_hash == pool_hash(members)


@given(pools, seeds)
def test_draw__ratios_give_exact_k_per_stratum(members, seed):
    result = draw_targets(members, RATIOS, seed)
    for risk, n in result.counts.items():
        expected = min(n, -(-n * int(Decimal(RATIOS[risk]) * 100) // 100))
        assert result.sizes[risk] == expected
        assert sum(1 for m in result.selected if m.risk_class == risk) == expected
    assert len({m.uscc for m in result.selected}) == len(result.selected)


@given(pools, seeds, st.integers(min_value=1, max_value=5))
def test_draw__minimum_rule_holds_for_small_pools(members, seed, at_least):
    rule = MinimumRule(pool_at_most=10, at_least=at_least)
    result = draw_targets(members, {"A": "0", "B": "0", "C": "0", "D": "0"}, seed, [rule])
    if len(members) <= 10:
        assert len(result.selected) == min(at_least, len(members))
    else:
        assert result.selected == []


def test_draw__minimum_goes_to_the_highest_risk_first():
    assert stratum_sizes({"A": 5, "D": 1, "B": 2}, {"A": "0", "B": "0", "D": "0"}, [MinimumRule(10, 2)]) == {
        "A": 0,
        "B": 1,
        "D": 1,
    }


@settings(max_examples=60)
@given(pools.filter(lambda p: len(p) > 5), seeds, st.data())
def test_draw__removing_an_unselected_member_changes_nothing_else(members, seed, data):
    before = draw_targets(members, RATIOS, seed)
    chosen = {m.uscc for m in before.selected}
    others = [m for m in members if m.uscc not in chosen]
    if not others:
        return
    gone = data.draw(st.sampled_from(others))
    rest = [m for m in members if m is not gone]
    after = draw_targets(rest, RATIOS, seed)
    if after.sizes == before.sizes:
        assert [m.uscc for m in after.selected] == [m.uscc for m in before.selected]
    # a smaller stratum may draw one fewer, never different members
    assert {m.uscc for m in after.selected} <= chosen


@settings(max_examples=60)
@given(pools.filter(lambda p: len(p) > 5), seeds)
def test_draw__adding_one_member_displaces_at_most_one(members, seed):
    before = draw_targets(members, RATIOS, seed)
    extra = _member(10_000, "B")
    after = draw_targets([*members, extra], RATIOS, seed)
    if after.sizes == before.sizes:
        assert len({m.uscc for m in before.selected} - {m.uscc for m in after.selected}) <= 1


def test_draw__another_seed_draws_differently():
    members = [_member(i, "C") for i in range(200)]
    a = {m.uscc for m in draw_targets(members, RATIOS, "seed-one").selected}
    b = {m.uscc for m in draw_targets(members, RATIOS, "seed-two").selected}
    assert len(a) == len(b) == 60 and a != b
