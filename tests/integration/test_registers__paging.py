"""Filters and keyset paging of the register listings: every matching row exactly once, in id
order, whichever way the pages are walked; counts capped instead of counting a whole table."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from adapters.db import db
from adapters.models import Enterprise, enterprise_tags
from adapters.queries import registers as q
from adapters.queries.registers import Filters, list_enterprises
from tests import factories as f

RISKS = "ABCD"
INDUSTRIES = ["6210", "6220", "5265", "8391", "1310"]
STATUSES = ["active", "active", "active", "deregistered", "revoked", "moved"]


@pytest.fixture
def client(app):
    return f.client(app)


@pytest.fixture
def register(app):
    """257 enterprises spread over risk classes, industries, regions, statuses and one tag."""
    f.region()
    f.region("130102", "长安区", "county", "130100")
    f.region("130182", "藁城区", "county", "130100")
    f.region("130200", "唐山市", "city")
    regions = ["130100", "130102", "130182", "130200"]
    cold = f.tag("冷链")
    rows = [
        {
            "uscc": f.uscc(n),
            "name": ("石家庄" if n % 3 else "唐山") + f"企业{n:04d}",
            "industry_code": INDUSTRIES[n % 5],
            "region_code": regions[n % 4],
            "risk_class": RISKS[n % 4],
            "status": STATUSES[n % 6],
            "uscc_override": False,
        }
        for n in range(1, 258)
    ]
    db.session.execute(insert(Enterprise), rows)
    ids = {e.uscc: e.id for e in db.session.scalars(db.select(Enterprise))}
    tagged = [ids[f.uscc(n)] for n in range(1, 258) if n % 7 == 0]
    db.session.execute(insert(enterprise_tags), [{"enterprise_id": i, "tag_id": cold.id} for i in tagged])
    db.session.commit()
    return {"cold": cold.id, "rows": rows}


def _walk_forward(filters: Filters, limit: int) -> list[int]:
    seen, after = [], None
    while True:
        page = list_enterprises(filters, after=after, limit=limit)
        seen += [e.id for e in page.items]
        if page.next_after is None:
            return seen
        after = page.next_after


def _walk_backward(filters: Filters, limit: int, start: int) -> list[int]:
    seen, before = [], start
    while before is not None:
        page = list_enterprises(filters, before=before, limit=limit)
        seen = [e.id for e in page.items] + seen
        before = page.prev_before
    return seen


def _expected(rows, keep) -> list[int]:
    ids = {e.uscc: e.id for e in db.session.scalars(db.select(Enterprise))}
    return sorted(ids[r["uscc"]] for r in rows if keep(r))


CASES = [
    (Filters(), lambda r: True),
    (Filters(risk=("D",)), lambda r: r["risk_class"] == "D"),
    (
        Filters(risk=("A", "C"), status="active"),
        lambda r: r["risk_class"] in "AC" and r["status"] == "active",
    ),
    (Filters(industry="62"), lambda r: r["industry_code"].startswith("62")),
    (Filters(industry="H"), lambda r: r["industry_code"][:2] in ("61", "62")),
    (Filters(industry="C"), lambda r: r["industry_code"] == "1310"),
    (Filters(region="130100"), lambda r: r["region_code"] in ("130100", "130102", "130182")),
    (Filters(region="130102"), lambda r: r["region_code"] == "130102"),
    (Filters(q="唐山"), lambda r: r["name"].startswith("唐山")),
    (Filters(q="石家庄企业00"), lambda r: r["name"].startswith("石家庄企业00")),
]


@pytest.mark.parametrize(("filters", "keep"), CASES)
def test_keyset__pages_cover_every_match_once_both_ways(register, filters, keep):
    expected = _expected(register["rows"], keep)
    forward = _walk_forward(filters, limit=10)
    assert forward == expected
    if expected:
        assert _walk_backward(filters, limit=7, start=expected[-1] + 1) == expected


def test_keyset__tag_filter_and_uscc_prefix(register):
    cold = _walk_forward(Filters(tags=(register["cold"],)), limit=5)
    assert cold == _expected(register["rows"], lambda r: int(r["uscc"][8:16]) % 7 == 0)
    exact = f.uscc(123)
    assert [e.uscc for e in list_enterprises(Filters(q=exact.lower())).items] == [exact]
    prefix = list_enterprises(Filters(q=exact[:16]), limit=200).items
    assert exact in {e.uscc for e in prefix} and all(e.uscc.startswith(exact[:16]) for e in prefix)


def test_keyset__like_wildcards_in_search_are_literal(register):
    assert list_enterprises(Filters(q="%")).items == []
    assert list_enterprises(Filters(q="_")).items == []
    assert list_enterprises(Filters(q="石家庄*")).items == []


def test_keyset__first_and_last_pages_have_no_cursor_outwards(register):
    first = list_enterprises(Filters(), limit=50)
    assert first.prev_before is None and first.next_after == first.items[-1].id
    last = list_enterprises(Filters(), after=first.items[-1].id + 200, limit=50)
    assert last.next_after is None and last.prev_before == last.items[0].id


def test_keyset__count_is_capped(register, monkeypatch):
    page = list_enterprises(Filters(), limit=10, with_total=True)
    assert (page.total, page.total_capped) == (257, False)
    monkeypatch.setattr(q, "COUNT_CAP", 100)
    capped = list_enterprises(Filters(), limit=10, with_total=True)
    assert (capped.total, capped.total_capped) == (100, True)


def test_enterprise_page__filters_and_pager_links(client, register):
    office = f.account("office", ["office"], f.department().id)
    db.session.commit()
    f.login_as(client, office)
    body = client.get("/registers/enterprises?risk=B&region=130100").get_data(as_text=True)
    assert "共 65 条" in body and "after=" in body and "企业0003" not in body
    api = client.get("/api/v1/enterprises?risk=B&region=130100&limit=20&with_total=true").get_json()
    assert api["total"] == 65 and len(api["items"]) == 20 and api["prev_before"] is None
    nxt = client.get(
        f"/api/v1/enterprises?risk=B&region=130100&limit=20&after={api['next_after']}"
    ).get_json()
    assert nxt["items"][0]["id"] > api["items"][-1]["id"] and nxt["prev_before"] == nxt["items"][0]["id"]


def test_enterprise_page__bad_filter_is_dropped_with_a_message(client, register):
    office = f.account("office", ["office"], f.department().id)
    db.session.commit()
    f.login_as(client, office)
    resp = client.get("/registers/enterprises?risk=E&status=active")
    assert resp.status_code == 200 and "取值无效" in resp.get_data(as_text=True)
