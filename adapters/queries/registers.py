"""Read side of the registers: filtered listings with keyset paging on `id`.

A page never uses OFFSET and never counts a whole table: rows come from `id > after` (or
`id < before`) in id order, and the count stops at COUNT_CAP + 1 rows, so a page costs about
the same at a million enterprises as at a thousand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import String, cast, exists, func, or_, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import selectinload

from adapters.db import db
from adapters.models import (
    Enterprise,
    Expert,
    IndustryJointList,
    InspectionItem,
    Inspector,
    Region,
    Tag,
    enterprise_tags,
    inspector_tags,
    joint_list_departments,
)
from engine.identifiers import USCC_ALPHABET, industry_section, normalise_industry_code

COUNT_CAP = 10000
COUNT_TIMEOUT_MS = 250
MAX_LIMIT = 200


@dataclass(frozen=True)
class Filters:
    """Every filter a register listing understands; each register applies the ones it has."""

    q: str | None = None
    industry: str | None = None
    region: str | None = None
    risk: tuple[str, ...] = ()
    tags: tuple[int, ...] = ()
    status: str | None = None
    department_id: int | None = None
    category: str | None = None
    active: bool | None = None


@dataclass(frozen=True)
class Page:
    items: list
    next_after: int | None
    prev_before: int | None
    total: int | None = None
    total_capped: bool = False
    extra: dict = field(default_factory=dict)


def list_enterprises(f: Filters, after=None, before=None, limit=50, with_total=False) -> Page:
    e = Enterprise
    where = []
    if f.q:
        q = f.q.strip()
        code = q.upper()
        if len(code) <= 18 and all(c in USCC_ALPHABET for c in code):
            where.append(or_(prefix(e.name, q), uscc_prefix(e.uscc, code)))
        else:
            where.append(prefix(e.name, q))
    if f.industry:
        where.append(industry_clause(e.industry_code, f.industry))
    if f.region:
        where.append(region_clause(e.region_code, f.region))
    if f.risk:
        where.append(e.risk_class.in_(f.risk))
    if f.status:
        where.append(e.status == f.status)
    where += [
        exists().where(enterprise_tags.c.enterprise_id == e.id, enterprise_tags.c.tag_id == t) for t in f.tags
    ]
    options = (selectinload(e.region), selectinload(e.tags))
    return keyset(select(e).where(*where), e.id, after, before, limit, with_total, options)


def list_items(f: Filters, after=None, before=None, limit=50, with_total=False) -> Page:
    i = InspectionItem
    where = _common(i, f, code_col=i.code)
    if f.department_id:
        where.append(i.department_id == f.department_id)
    if f.category:
        where.append(i.category == f.category)
    return keyset(
        select(i).where(*where), i.id, after, before, limit, with_total, (selectinload(i.department),)
    )


def list_joint_lists(f: Filters, after=None, before=None, limit=50, with_total=False) -> Page:
    j = IndustryJointList
    where = _common(j, f)
    if f.department_id:
        member = exists().where(
            joint_list_departments.c.joint_list_id == j.id,
            joint_list_departments.c.department_id == f.department_id,
        )
        where.append(or_(j.lead_department_id == f.department_id, member))
    if f.industry:
        # Few lists exist: match any element of the JSON array by its text form ("62… inside).
        text = cast(j.industry_codes, String)
        where.append(or_(*[text.like(f'%"{p}%') for p in industry_prefixes(f.industry)]))
    options = (selectinload(j.lead_department), selectinload(j.departments), selectinload(j.items))
    return keyset(select(j).where(*where), j.id, after, before, limit, with_total, options)


def list_inspectors(f: Filters, after=None, before=None, limit=50, with_total=False) -> Page:
    i = Inspector
    where = _common(i, f, code_col=i.cert_no)
    if f.department_id:
        where.append(i.department_id == f.department_id)
    if f.region:
        where.append(region_clause(i.region_code, f.region))
    where += [
        exists().where(inspector_tags.c.inspector_id == i.id, inspector_tags.c.tag_id == t) for t in f.tags
    ]
    options = (selectinload(i.department), selectinload(i.tags))
    return keyset(select(i).where(*where), i.id, after, before, limit, with_total, options)


def list_experts(f: Filters, after=None, before=None, limit=50, with_total=False) -> Page:
    x = Expert
    where = _common(x, f)
    if f.department_id:
        where.append(x.department_id == f.department_id)
    return keyset(
        select(x).where(*where), x.id, after, before, limit, with_total, (selectinload(x.department),)
    )


def list_tags(f: Filters, after=None, before=None, limit=50, with_total=False) -> Page:
    return keyset(select(Tag).where(*_common(Tag, f)), Tag.id, after, before, limit, with_total)


def _common(model, f: Filters, code_col=None) -> list:
    where = []
    if f.active is not None:
        where.append(model.active == f.active)
    if f.q:
        q = f.q.strip()
        by_name = prefix(model.name, q)
        where.append(or_(by_name, prefix(code_col, q)) if code_col is not None else by_name)
    return where


def keyset(stmt, id_col, after, before, limit, with_total=False, options=()) -> Page:
    """One page of `stmt` in id order after `after` (or before `before`), with cursors to the
    neighbouring pages only when rows exist there."""
    limit = max(1, min(int(limit or 50), MAX_LIMIT))
    total = capped_count(stmt, id_col) if with_total else None
    paged = stmt.options(*options)
    if before is not None:
        rows = list(db.session.scalars(paged.where(id_col < before).order_by(id_col.desc()).limit(limit + 1)))
        more_before = len(rows) > limit
        rows = rows[:limit][::-1]
        more_after = bool(rows) and _any(stmt, id_col, id_col > rows[-1].id)
    else:
        start = paged.where(id_col > after) if after is not None else paged
        rows = list(db.session.scalars(start.order_by(id_col).limit(limit + 1)))
        more_after = len(rows) > limit
        rows = rows[:limit]
        more_before = after is not None and bool(rows) and _any(stmt, id_col, id_col < rows[0].id)
    return Page(
        items=rows,
        next_after=rows[-1].id if more_after else None,
        prev_before=rows[0].id if more_before else None,
        total=min(total, COUNT_CAP) if total is not None else None,
        total_capped=total is not None and total > COUNT_CAP,
    )


def capped_count(stmt, id_col) -> int | None:
    """How many rows match, counting no further than COUNT_CAP + 1. A filter that the indexes
    do not serve can still make that a long scan: on PostgreSQL the count gives up after
    COUNT_TIMEOUT_MS and the page shows no count (None) rather than making everyone wait."""
    capped = stmt.with_only_columns(id_col).order_by(None).limit(COUNT_CAP + 1).subquery()
    query = select(func.count()).select_from(capped)
    if db.session.get_bind().dialect.name != "postgresql":
        return db.session.scalar(query)
    savepoint = db.session.begin_nested()
    try:
        # SET LOCAL ends with the savepoint, which is always rolled back: a count writes nothing.
        db.session.execute(text(f"SET LOCAL statement_timeout = {int(COUNT_TIMEOUT_MS)}"))
        return db.session.scalar(query)
    except OperationalError:  # the count was cancelled by the timeout
        return None
    finally:
        savepoint.rollback()


def _any(stmt, id_col, condition) -> bool:
    probe = stmt.with_only_columns(id_col).where(condition).order_by(None).limit(1)
    return db.session.execute(probe).first() is not None


def prefix(col, text: str):
    """`col` starts with `text`, written so that an index serves it: GLOB on SQLite (case-
    sensitive, so its LIKE optimisation applies to BINARY columns), LIKE with the default
    backslash escape on PostgreSQL (served by a varchar_pattern_ops index whatever the database
    collation, see migration 0004)."""
    if db.session.get_bind().dialect.name == "sqlite":
        escaped = "".join(f"[{c}]" if c in "*?[" else c for c in text)
        return col.op("GLOB")(escaped + "*")
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return col.like(escaped + "%")


def uscc_prefix(col, code: str):
    """USCCs starting with `code`, as a range the unique index serves in any collation: digits
    and capital letters sort alike everywhere, and 'Z' is above every USCC character."""
    return (col >= code) & (col <= code + "Z" * (18 - len(code)))


def industry_prefixes(code: str) -> list[str]:
    """The numeric prefixes an industry filter stands for (a section letter → its divisions)."""
    code = normalise_industry_code(code)
    if code.isalpha():
        return [f"{d:02d}" for d in range(1, 100) if industry_section(f"{d:02d}") == code] or [code]
    return [code]


def industry_clause(col, code: str):
    prefixes = industry_prefixes(code)
    if len(prefixes) > 1:  # a contiguous run of divisions: one index range
        return (col >= prefixes[0]) & (col < f"{int(prefixes[-1]) + 1:02d}")
    return prefix(col, prefixes[0])


def region_clause(col, code: str):
    """A region and the counties/districts directly under it."""
    children = select(Region.code).where(Region.parent_code == code)
    return or_(col == code, col.in_(children))


def active_tags() -> list[Tag]:
    return list(db.session.scalars(select(Tag).where(Tag.active.is_(True)).order_by(Tag.name)))


def joint_list_groups(jl: IndustryJointList) -> list[dict]:
    """The lead department first, then each cooperating department, each with its items.
    (`jl.departments` holds every participating department, the lead included.)"""
    groups = [{"department": jl.lead_department, "role": "lead"}]
    groups += [
        {"department": d, "role": "cooperating"}
        for d in sorted(jl.departments, key=lambda d: d.id)
        if d.id != jl.lead_department_id
    ]
    for g in groups:
        g["items"] = sorted(
            (i for i in jl.items if i.department_id == g["department"].id), key=lambda i: i.code
        )
    return groups
