"""The draw's fast path against the reference, on both databases.

The fast path (what `DrawService.draw_targets` runs): the pool read as one text per risk class
(`read_strata`, string_agg / group_concat), the snapshot built from it (`Pool.from_strata`), the
members ranked with pre-hashed HMAC pads and the drawn rows carried along. The reference: the
enterprises filtered in Python from plain ORM rows, drawn by `engine.draw.draw_targets` (one
`rank_key` per member). Same selected members with the same ids and regions in the same order,
same pool hash, counts and sizes — on random pools (hypothesis) and on the edge cases."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.db import db
from adapters.draws import ratios
from adapters.draws.pool import PoolFilters, count_by_risk, read_strata
from adapters.models import Enterprise, Region
from engine.draw import MinimumRule, PoolMember, draw_targets
from engine.draw_pool import Pool, draw_targets_text, pool_text, text_hash
from engine.identifiers import make_uscc
from tests import factories as f
from tests.integration import draws_support as s
from web.runtime import engine

COUNTIES = ("130102", "130104")
FILTERS = PoolFilters(("621",), (COUNTIES[0],), (), 12, date(2026, 6, 1))
DEFAULT = {"A": "0.05", "B": "0.10", "C": "0.30", "D": "0.70"}

# one enterprise: (risk, in the filtered county?, restaurant unless 0, active unless 0)
members = st.lists(
    st.tuples(st.sampled_from("ABCD"), st.booleans(), st.integers(0, 5), st.integers(0, 9)),
    max_size=60,
)
ratio_tables = st.one_of(
    st.just(DEFAULT),
    st.fixed_dictionaries({r: st.sampled_from(["0", "0.01", "0.3", "0.5", "1"]) for r in "ABCD"}),
)


def _regions() -> None:
    f.region("130100", "石家庄市", "city")
    for code in COUNTIES:
        f.region(code, code, "county", "130100")
    db.session.commit()


def _insert(spec, numbers) -> list[Enterprise]:
    rows = [
        Enterprise(
            uscc=make_uscc("9", "1", "130100", f"{n:08d}"),
            name=f"企业{n}",
            industry_code="6210" if kind else "5265",  # 1 in 6 is not a restaurant
            region_code=COUNTIES[0] if here else COUNTIES[1],
            risk_class=risk,
            status="active" if alive else "deregistered",  # 1 in 10 is not active
            uscc_override=False,
        )
        for (risk, here, kind, alive), n in zip(spec, numbers, strict=True)
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def _reference(rows: list[Enterprise], table, seed: str, minimums):
    pool = [PoolMember(e.id, e.uscc, e.risk_class) for e in _pool_members(rows)]
    return draw_targets(pool, table, seed, minimums), {e.id: e.region_code for e in rows}


def _fast(table, seed: str, minimums):
    snapshot = Pool.from_strata(read_strata(db.session, FILTERS))
    return snapshot, draw_targets_text(snapshot, table, seed, minimums)


def _assert_same(rows, table, seed, minimums):
    expected, regions = _reference(rows, table, seed, minimums)
    snapshot, got = _fast(table, seed, minimums)
    assert got.selected == [(m.uscc, m.risk_class) for m in expected.selected]
    assert [row.decode().split("\t") for row in got.rows] == [
        [m.uscc, str(m.id), regions[m.id]] for m in expected.selected
    ]
    assert (got.pool_hash, got.counts, got.sizes) == (expected.pool_hash, expected.counts, expected.sizes)
    assert snapshot.text == pool_text((m.uscc, m.risk_class) for m in _pool_members(rows))
    assert text_hash(snapshot.text) == expected.pool_hash
    assert count_by_risk(db.session, FILTERS) == expected.counts


def _pool_members(rows):
    return [
        e
        for e in rows
        if e.status == "active" and e.industry_code.startswith("621") and e.region_code == COUNTIES[0]
    ]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    members,
    st.randoms(use_true_random=False),
    ratio_tables,
    st.text(min_size=1, max_size=70),
    st.integers(0, 6),
)
def test_draws__fast_path_draws_what_the_reference_draws(app, spec, rnd, table, seed, at_least):
    if db.session.get(Region, COUNTIES[0]) is None:
        _regions()
    numbers = rnd.sample(range(100_000_000), len(spec))
    rows = _insert(spec, numbers)
    try:
        _assert_same(rows, table, seed, [MinimumRule(10, at_least)])
    finally:
        db.session.rollback()


def test_draws__fast_path_edge_cases(app):
    _regions()
    # empty pool: nothing to draw, the hash of the empty snapshot
    _assert_same([], DEFAULT, "s", [MinimumRule(10, 2)])
    # one stratum only, the others empty; every member drawn (k = pool)
    rows = _insert([("C", True, 1, 1)] * 7, range(7))
    _assert_same(rows, {"A": "1", "B": "1", "C": "1", "D": "1"}, "seed", [])
    _assert_same(rows, DEFAULT, "seed", [MinimumRule(10, 7)])
    # members outside the pool (other county, other industry, deregistered) change nothing
    rows += _insert([("D", False, 1, 1), ("D", True, 0, 1), ("D", True, 1, 0)], range(7, 10))
    _assert_same(rows, DEFAULT, "seed", [])
    db.session.rollback()


def test_draws__service_draw_is_the_reference_draw(app):
    """Through DrawService.draw_targets with the shipped ratio table: the targets as stored."""
    w = s.build()
    svc = s.service()
    filters = svc.filters(w.task)
    rules = ratios.current_rules(db.session)
    snapshot, found, targets, chosen = svc.draw_targets(filters, rules, "a" * 64)
    everyone = db.session.query(Enterprise).all()
    pool = [
        PoolMember(e.id, e.uscc, e.risk_class)
        for e in everyone
        if e.status == "active"
        and e.industry_code.startswith(("621", "622"))
        and (e.last_inspected_on is None or e.last_inspected_on < filters.cutoff)
    ]
    expected = draw_targets(pool, found, "a" * 64, rules.minimums)
    region = {e.id: e.region_code for e in everyone}
    assert chosen == [[m.id, m.uscc, m.risk_class, region[m.id]] for m in expected.selected]
    assert targets.pool_hash == expected.pool_hash == text_hash(snapshot)
    assert found == ratios.evaluate(engine(), rules, expected.counts)
