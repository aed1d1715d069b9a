"""Inspector draws on the database: eligibility, conflicts, the previous inspection, the number
per department and target, the load bound, the team leader, the region rule."""

from __future__ import annotations

from collections import Counter

from adapters.db import db
from adapters.draws.record import current_slots
from adapters.models import Inspector, InspectorAssignment
from tests.integration import draws_support as s


def _rows(draw_id: int) -> list[InspectorAssignment]:
    return db.session.query(InspectorAssignment).filter_by(draw_id=draw_id, status="active").all()


def test_draws__every_department_gets_its_inspectors_on_every_target(app):
    w = s.build(per_target=3)
    draw = s.drawn(w)
    slots, leaders = current_slots(db.session, draw.id)
    targets = [t[0] for t in draw.result["targets"]]
    for t in targets:
        for dept in w.departments.values():
            ids = slots[(t, str(dept))]
            assert len(ids) == 3 and len(set(ids)) == 3
            owners = {db.session.get(Inspector, i).department_id for i in ids}
            assert owners == {dept}
    market = set(w.inspectors["market"])
    assert set(leaders) == set(targets) and set(leaders.values()) <= market
    assert not draw.result["shortages"]
    never = set(w.inspectors["unfit"]) | set(w.inspectors["inactive"])
    assert never.isdisjoint(r.inspector_id for r in _rows(draw.id))


def test_draws__no_conflicted_inspector_is_ever_assigned(app):
    w = s.build()
    for e in w.restaurants:  # every market inspector but two conflicts with every restaurant
        for i in w.inspectors["market"][2:]:
            s.conflict(i, e)
    db.session.commit()
    draw = s.drawn(w)
    market_rows = [r for r in _rows(draw.id) if r.department_id == w.departments["market"]]
    assert {r.inspector_id for r in market_rows} == set(w.inspectors["market"][:2])
    excluded = draw.result["excluded"]
    assert all(
        set(excluded[str(t[0])]["conflict"]) == set(w.inspectors["market"][2:])
        for t in draw.result["targets"]
    )


def test_draws__the_previous_inspectors_of_a_target_are_not_drawn_again(app):
    w = s.build()
    previous = w.inspectors["market"][:2]
    s.confirmed_earlier(w, w.restaurants, dict.fromkeys(w.restaurants, previous), days_ago=400)
    draw = s.drawn(w)
    market = [r for r in _rows(draw.id) if r.department_id == w.departments["market"]]
    assert market and not {r.inspector_id for r in market} & set(previous)
    assert all(v["previous"] == sorted(previous) for v in draw.result["excluded"].values())


def test_draws__loads_within_a_department_differ_by_at_most_one(app):
    w = s.build(restaurants=80)
    draw = s.drawn(w)
    for key, dept in w.departments.items():
        counts = Counter(r.inspector_id for r in _rows(draw.id) if r.department_id == dept)
        loads = [counts.get(i, 0) for i in w.inspectors[key]]
        assert max(loads) - min(loads) <= 1, (key, loads)
        assert draw.result["loads"][str(dept)]["max"] - draw.result["loads"][str(dept)]["min"] <= 1


def test_draws__a_county_inspector_only_inspects_in_their_county(app):
    w = s.build()
    county = db.session.get(Inspector, w.inspectors["health"][0])
    county.region_code = "130104"
    db.session.commit()
    draw = s.drawn(w)
    regions = {t[0]: t[3] for t in draw.result["targets"]}
    mine = [r for r in _rows(draw.id) if r.inspector_id == county.id]
    assert mine and all(regions[r.enterprise_id] == "130104" for r in mine)


def test_draws__too_few_eligible_inspectors_are_reported_as_shortages(app):
    w = s.build()
    for i in w.inspectors["health"][1:]:
        db.session.get(Inspector, i).active = False
    db.session.commit()
    draw = s.drawn(w)
    assert len(draw.result["shortages"]) == len(draw.result["targets"])
    assert "需要2名，仅有1名" in draw.result["shortages"][0]
