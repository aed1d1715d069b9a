"""Read side of the public records, with keyset paging (never OFFSET, never a count of the table).

A search text of 18 letters and digits is a USCC (exact match, newest first, served by the
(uscc, id) index); anything else is an enterprise name prefix, listed in (name, id) order so
that the (enterprise_name, id) index serves both the prefix and the page order; no text lists
everything newest first. The cursor `after` is the id of the last row shown.

The prefix is written as a range, `prefix <= name < prefix with its last character raised by
one`: names compare by code point (the C collation on PostgreSQL, BINARY on SQLite), so the
range holds exactly the names starting with the prefix, and unlike `LIKE :pattern` it stays an
index range in a prepared statement's generic plan (psycopg prepares repeated statements).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, select, tuple_
from sqlalchemy.orm import defer

from adapters.db import db
from adapters.models import PublicationCorrection, PublishedFollowUp, PublishedResult

PAGE_SIZE = 20
EXPORT_BATCH = 1000
USCC_SHAPE = re.compile(r"^[0-9A-Z]{18}$")


@dataclass
class Page:
    items: list
    next_after: int | None


def is_uscc(text: str) -> bool:
    return bool(USCC_SHAPE.match(text.strip().upper()))


def search_statement(text: str, after: int | None, lead_department_id: int | None = None) -> Select:
    """The SELECT of one page (without its LIMIT) of results matching `text` after `after`."""
    r = PublishedResult
    text = (text or "").strip()
    query = select(r)
    if lead_department_id is not None:
        query = query.where(r.lead_department_id == lead_department_id)
    if text and not is_uscc(text):
        query = query.where(*name_range(r.enterprise_name, text[:200])).order_by(r.enterprise_name, r.id)
        if after:
            name = db.session.execute(select(r.enterprise_name).where(r.id == after)).scalar()
            if name is not None:
                query = query.where(tuple_(r.enterprise_name, r.id) > tuple_(name, after))
        return query
    if text:
        query = query.where(r.uscc == text.upper())
    if after:
        query = query.where(r.id < after)
    return query.order_by(r.id.desc())


def name_range(col, text: str) -> tuple:
    """Conditions for "`col` starts with `text`" (see the module's docstring)."""
    end = prefix_end(text)
    return (col >= text,) if end is None else (col >= text, col < end)


def prefix_end(text: str) -> str | None:
    """The least string above every string starting with `text` (None: there is none)."""
    last = ord(text[-1])
    return None if last >= 0x10FFFF else text[:-1] + chr(last + 1)


def search(
    text: str,
    after: int | None = None,
    limit: int = PAGE_SIZE,
    lead_department_id: int | None = None,
    *,
    with_items: bool = True,
) -> Page:
    """One page of results matching `text`; `with_items=False` leaves the item results unread
    (a listing does not show them)."""
    query = search_statement(text, after, lead_department_id).limit(limit + 1)
    if not with_items:
        query = query.options(defer(PublishedResult.items))
    rows = list(db.session.execute(query).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, rows[-1].id if more and rows else None)


# The public listing (/public/results): only the columns its table shows, as plain rows (no ORM
# objects), from statements built once — building and keying a SELECT costs more CPU than running
# it through the index. Same WHERE and ORDER BY as `search_statement`.
_t = PublishedResult.__table__
LISTING_COLUMNS = (
    _t.c.id,
    _t.c.enterprise_name,
    _t.c.uscc,
    _t.c.task_name,
    _t.c.organs,
    _t.c.completed_on,
    _t.c.result_text,
    _t.c.correction_count,
)
_listed = select(*LISTING_COLUMNS).limit(PAGE_SIZE + 1)
_newest = _listed.order_by(_t.c.id.desc())
_by_name = _listed.where(_t.c.enterprise_name >= bindparam("low")).order_by(_t.c.enterprise_name, _t.c.id)
_bounded = _by_name.where(_t.c.enterprise_name < bindparam("high"))
_uscc = _newest.where(_t.c.uscc == bindparam("uscc"))
_after_id = _t.c.id < bindparam("after")
_after_name = tuple_(_t.c.enterprise_name, _t.c.id) > tuple_(bindparam("after_name"), bindparam("after"))
# (kind, paged) -> statement; kind: "all", "uscc", "name" (prefix with an upper bound), "name_open"
LISTING = {
    ("all", False): _newest,
    ("all", True): _newest.where(_after_id),
    ("uscc", False): _uscc,
    ("uscc", True): _uscc.where(_after_id),
    ("name", False): _bounded,
    ("name", True): _bounded.where(_after_name),
    ("name_open", False): _by_name,
    ("name_open", True): _by_name.where(_after_name),
}
_NAME_OF = select(_t.c.enterprise_name).where(_t.c.id == bindparam("id"))


def listing(text: str, after: int | None = None) -> Page:
    """One page (PAGE_SIZE) of the public listing: rows of `LISTING_COLUMNS` matching `text`,
    in the order of `search`. Read in autocommit, outside the session's transaction: a lone
    SELECT needs none, and BEGIN and ROLLBACK would be two more round trips than the SELECT."""
    text = (text or "").strip()
    params: dict = {"after": after or None}
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if text and not is_uscc(text):
            params["low"] = text = text[:200]
            params["high"] = prefix_end(text)
            kind = "name" if params["high"] is not None else "name_open"
            if params["after"]:  # the name of the last row shown (an unknown id: the first page)
                params["after_name"] = conn.execute(_NAME_OF, {"id": after}).scalar()
                if params["after_name"] is None:
                    params["after"] = None
        elif text:
            kind, params["uscc"] = "uscc", text.upper()
        else:
            kind = "all"
        rows = conn.execute(LISTING[kind, params["after"] is not None], params).all()
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return Page(rows, rows[-1].id if more and rows else None)


def export_rows(text: str) -> Iterator[PublishedResult]:
    """Every result matching `text`, in the search's order, read in batches."""
    after = None
    while True:
        page = search(text, after, EXPORT_BATCH)
        yield from page.items
        db.session.expunge_all()  # a million rows must not pile up in the identity map
        if page.next_after is None:
            return
        after = page.next_after


def history(uscc: str, limit: int = 200) -> list[PublishedResult]:
    """An enterprise's published inspections, newest first."""
    query = select(PublishedResult).where(PublishedResult.uscc == uscc.strip().upper())
    return list(db.session.execute(query.order_by(PublishedResult.id.desc()).limit(limit)).scalars())


def follow_ups_of(result_ids: list[int]) -> dict[int, list[PublishedFollowUp]]:
    out: dict[int, list[PublishedFollowUp]] = {}
    if result_ids:
        query = select(PublishedFollowUp).where(PublishedFollowUp.result_id.in_(result_ids))
        for row in db.session.execute(query.order_by(PublishedFollowUp.id)).scalars():
            out.setdefault(row.result_id, []).append(row)
    return out


def follow_up_page(after: int | None = None, limit: int = PAGE_SIZE) -> Page:
    """Published follow-up outcomes, newest first, each with its result (or None)."""
    f, r = PublishedFollowUp, PublishedResult
    query = select(f, r).outerjoin(r, r.id == f.result_id)
    if after:
        query = query.where(f.id < after)
    rows = [tuple(row) for row in db.session.execute(query.order_by(f.id.desc()).limit(limit + 1))]
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, rows[-1][0].id if more and rows else None)


def corrections_of(
    result: PublishedResult, follow_ups: list[PublishedFollowUp]
) -> list[PublicationCorrection]:
    """The public history of a result and its follow-ups, oldest first."""
    c = PublicationCorrection
    clause = c.result_id == result.id
    if follow_ups:
        clause = clause | c.follow_up_id.in_([f.id for f in follow_ups])
    return list(db.session.execute(select(c).where(clause).order_by(c.corrected_at, c.id)).scalars())
