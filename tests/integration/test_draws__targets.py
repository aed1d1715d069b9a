"""Target draws on the database: the pool's filters and exclusions, the preview's numbers, the
ratio table, and the same inputs giving the same draw (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from adapters.db import db
from adapters.draws import ratios
from adapters.draws.pool import PoolFilters, count_by_risk, read_strata
from adapters.draws.record import decode_pool
from adapters.draws.verify import verify_draw
from adapters.models import Enterprise, TaskTarget
from engine.draw_pool import Pool, draw_targets_text, members
from engine.errors import ValidationFailed
from tests import factories as f
from tests.integration import draws_support as s
from web.runtime import engine


def _pool_ids(draw) -> set[int]:
    usccs = {u for u, _r in members(decode_pool(draw.pool))}
    return {e.id for e in db.session.query(Enterprise).filter(Enterprise.uscc.in_(usccs))}


def test_draws__same_inputs_give_the_same_draw(app):
    w = s.build()
    draw = s.drawn(w)
    again = draw_targets_text(decode_pool(draw.pool), draw.ratios, draw.seed, ratios.default_rules().minimums)
    assert [u for u, _r in again.selected] == [t[1] for t in draw.result["targets"]]
    assert verify_draw(db.session, engine(), draw.id).match
    ranks = db.session.query(TaskTarget.enterprise_id, TaskTarget.rank).filter_by(draw_id=draw.id).all()
    assert sorted(ranks, key=lambda r: r[1]) == [(t[0], n) for n, t in enumerate(draw.result["targets"], 1)]


def test_draws__pool_leaves_out_inactive_other_industries_and_recently_inspected(app):
    w = s.build()
    old, recent = w.restaurants[0], w.restaurants[1]
    s.confirmed_earlier(w, [recent], {}, days_ago=100)  # inspected within 12 months
    s.confirmed_earlier(w, [old], {}, days_ago=400)  # longer ago: back in the pool
    draw = s.drawn(w)
    pool = _pool_ids(draw)
    assert pool.isdisjoint(w.never.values())
    assert recent not in pool and old in pool
    assert pool == set(w.restaurants) - {recent}


def test_draws__preview_numbers_are_the_drawn_numbers(app):
    w = s.build()
    preview = s.service().preview(w.task)
    assert preview.counts == {"A": 10, "B": 15, "C": 10, "D": 5}
    assert preview.sizes == {"A": 1, "B": 2, "C": 3, "D": 4}  # ceil(n × 5/10/30/70 %)
    draw = s.drawn(w)
    assert draw.result["sizes"] == preview.sizes and draw.result["counts"] == preview.counts
    drawn = [t[2] for t in draw.result["targets"]]
    assert {r: drawn.count(r) for r in "ABCD"} == preview.sizes
    assert drawn == sorted(drawn, key="DCBA".index)  # D first, then C, B, A


def test_draws__regions_and_tags_narrow_the_pool(app):
    w = s.build()
    tag = f.tag("学校周边")
    tagged = [db.session.get(Enterprise, e) for e in w.restaurants[:6]]
    for e in tagged:
        e.tags = [tag]
    w.task.region_codes, w.task.tag_ids = ["130102"], [tag.id]
    db.session.commit()
    draw = s.drawn(w)
    expected = {e.id for e in tagged if e.region_code == "130102"}
    assert _pool_ids(draw) == expected and len(expected) == 3
    assert len(draw.result["targets"]) >= 2  # pool ≤ 10 → at least 2


def test_draws__minimum_rule_and_office_ratio_table(app):
    w = s.build(restaurants=8)
    table = (
        ratios.default_rules().dmn.replace('"0.05"', '"0"').replace('"0.10"', '"0"').replace('"0.30"', '"0"')
    )
    ratios.save_rules(
        db.session, engine(), table.replace('"0.70"', '"0"'), [[10, 3]], "全部为零，最少3户", None
    )
    db.session.commit()
    preview = s.service().preview(w.task)
    assert preview.ratios == {"A": "0", "B": "0", "C": "0", "D": "0"} and preview.total == 3
    draw = s.drawn(w)
    assert len(draw.result["targets"]) == 3 and draw.minimums == [[10, 3]]
    assert draw.filters["rules_version"] == 1
    assert verify_draw(db.session, engine(), draw.id).match


def test_draws__a_ratio_table_that_does_not_evaluate_is_refused(app):
    bad = ratios.default_rules().dmn.replace('"0.70"', '"1.5"')
    with pytest.raises(ValidationFailed) as err:
        ratios.save_rules(db.session, engine(), bad, [[10, 2]], "", None)
    assert "0 到 1" in err.value.fields["dmn"]
    with pytest.raises(ValidationFailed):
        ratios.save_rules(db.session, engine(), "<definitions", [[10, 2]], "", None)
    assert ratios.current_rules(db.session).version == 0


def test_draws__pool_query_counts_what_it_reads(app):
    w = s.build()
    filters = PoolFilters(("621",), ("130102", "130104"), (), 12, date.today() - timedelta(days=1), w.task.id)
    strata = read_strata(db.session, filters)
    counted = count_by_risk(db.session, filters)
    assert {r.decode(): len(rows) for r, rows in strata.items()} == counted
    assert sum(counted.values()) == len(members(Pool.from_strata(strata).text)) == 40
    first = db.session.get(Enterprise, w.restaurants[0])
    row = f"{first.uscc}\t{first.id}\t{first.region_code}".encode()
    assert row in strata[first.risk_class.encode()]
    nobody = PoolFilters(("999",), (), (), 12, date.today(), w.task.id)
    assert read_strata(db.session, nobody) == {} == count_by_risk(db.session, nobody)
