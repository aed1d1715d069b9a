import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.draw import DrawError, MinimumRule, PoolMember, draw_targets, pool_hash, rank_key
from engine.draw_pool import Pool, Ranker, canonical, draw_targets_text, members, pool_text, text_hash
from engine.identifiers import make_uscc

RATIOS = {"A": "0.05", "B": "0.10", "C": "0.30", "D": "0.70"}


def _member(i: int, risk: str) -> PoolMember:
    return PoolMember(id=i, uscc=make_uscc("9", "1", "130102", f"{i:08d}"), risk_class=risk)


pools = st.lists(st.sampled_from("ABCD"), min_size=0, max_size=150).map(
    lambda risks: [_member(i * 7919 % 100_000, r) for i, r in enumerate(risks)]
)
seeds = st.text(min_size=1, max_size=80)  # any text, longer than a 64-byte HMAC block too


@settings(max_examples=120)
@given(pools, seeds, st.integers(min_value=0, max_value=6))
def test_draw__text_pool_draws_exactly_what_the_member_pool_draws(pool, seed, at_least):
    minimums = [MinimumRule(10, at_least)]
    expected = draw_targets(pool, RATIOS, seed, minimums)
    got = draw_targets_text(pool_text((m.uscc, m.risk_class) for m in pool), RATIOS, seed, minimums)
    assert got.selected == [(m.uscc, m.risk_class) for m in expected.selected]
    assert (got.pool_hash, got.counts, got.sizes) == (expected.pool_hash, expected.counts, expected.sizes)


@given(seeds, st.binary(max_size=40))
def test_draw__ranker_is_the_hmac_rank_key(seed, message):
    text = message.decode("latin-1")
    assert Ranker(seed).digest(text.encode("utf-8")).hex() == rank_key(seed, text)


def test_draw__snapshot_hash_is_the_pool_hash_and_order_does_not_matter():
    pool = [_member(i, "ABCD"[i % 4]) for i in range(30)]
    text = pool_text((m.uscc, m.risk_class) for m in pool)
    shuffled = b"\n".join(reversed(text.split(b"\n")))
    assert text_hash(text) == pool_hash(pool)
    assert canonical(shuffled) == text
    assert draw_targets_text(shuffled, RATIOS, "s").selected == draw_targets_text(text, RATIOS, "s").selected
    first = min(pool, key=lambda m: m.uscc)
    assert members(text)[0] == (first.uscc, first.risk_class)


def test_draw__a_duplicated_uscc_or_broken_line_is_refused():
    one = _member(1, "A")
    with pytest.raises(DrawError, match="重复"):
        draw_targets_text(f"{one.uscc},A\n{one.uscc},B".encode(), RATIOS, "s")
    with pytest.raises(DrawError, match="第2行"):
        members(f"{one.uscc},A\nbroken".encode())


def test_draw__empty_pool_draws_nothing():
    result = draw_targets_text(b"", RATIOS, "s", [MinimumRule(10, 2)])
    assert result.selected == [] and result.counts == {} and result.pool_hash == pool_hash([])


@settings(max_examples=120)
@given(pools, seeds, st.integers(min_value=0, max_value=6), st.randoms(use_true_random=False))
def test_draw__pool_from_strata_draws_what_the_member_pool_draws_and_carries_the_rows(
    pool, seed, at_least, rnd
):
    """Rows given per risk class in any order, with a payload after a tab: same snapshot, same
    draw, and each drawn member's own row."""
    rows: dict[bytes, list[bytes]] = {}
    for m in rnd.sample(pool, len(pool)):
        rows.setdefault(m.risk_class.encode(), []).append(f"{m.uscc}\t{m.id}\tx{m.id}".encode())
    minimums = [MinimumRule(10, at_least)]
    expected = draw_targets(pool, RATIOS, seed, minimums)
    snapshot = Pool.from_strata(rows)
    got = draw_targets_text(snapshot, RATIOS, seed, minimums)
    assert snapshot.text == pool_text((m.uscc, m.risk_class) for m in pool)
    assert got.selected == [(m.uscc, m.risk_class) for m in expected.selected]
    assert got.rows == [f"{m.uscc}\t{m.id}\tx{m.id}".encode() for m in expected.selected]
    assert (got.pool_hash, got.counts, got.sizes) == (expected.pool_hash, expected.counts, expected.sizes)


def test_draw__pool_from_strata_refuses_a_uscc_twice_and_takes_bare_usccs():
    one, two = _member(1, "A"), _member(2, "B")
    with pytest.raises(DrawError, match="重复"):
        Pool.from_strata({b"A": [f"{one.uscc}\t1".encode()], b"B": [f"{one.uscc}\t2".encode()]})
    bare = Pool.from_strata({b"B": [two.uscc.encode()], b"A": [one.uscc.encode()]})
    assert bare.text == pool_text([(one.uscc, "A"), (two.uscc, "B")])
    drawn = draw_targets_text(bare, {"A": "1", "B": "1"}, "s")
    assert drawn.rows == [two.uscc.encode(), one.uscc.encode()]  # B before A
    assert (
        Pool.from_strata({}).text == b"" and draw_targets_text(Pool.from_strata({}), RATIOS, "s").rows == []
    )
