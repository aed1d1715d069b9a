"""The target pool (抽取池): active enterprises matching a joint task's industries, regions and
tags, minus those inspected recently — read as the canonical snapshot text of engine.draw_pool.

One statement computes the whole pool: status, industry prefixes (LIKE 'x%'), regions (IN),
tags (EXISTS, any of), and the exclusions (NOT EXISTS over targets of confirmed draws of other
tasks within the window, plus `last_inspected_on`). Only the USCC, id and region of each member
leave the database, as one text per risk class. There is no ORDER BY random(): ranking is
engine.draw's seeded HMAC, computed in Python (docs/benchmarks.md: faster than sha256() in SQL).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Select, String, and_, cast, exists, func, literal, or_, select
from sqlalchemy.orm import Session

from adapters.models import Draw, Enterprise, Region, TaskTarget, enterprise_tags
from engine.draw import DrawError

_PREFIX = re.compile(r"^[A-Z0-9]{1,4}$")
CHUNK = 5_000  # ids per IN list (SQLite allows 32,766 variables)


@dataclass(frozen=True)
class PoolFilters:
    industry_prefixes: tuple[str, ...] = ()  # GB/T 4754 prefixes; empty: every industry
    region_codes: tuple[str, ...] = ()  # already expanded to sub-regions; empty: every region
    tag_ids: tuple[int, ...] = ()  # any of them; empty: no tag filter
    exclusion_months: int = 12
    as_of: date | None = None  # the draw's day; the window is the N months before it
    task_id: int | None = None  # this task's own targets are not an earlier inspection

    @property
    def cutoff(self) -> date:
        return months_before(self.as_of or date.today(), self.exclusion_months)

    def as_json(self) -> dict:
        data = asdict(self)
        data["as_of"] = (self.as_of or date.today()).isoformat()
        data["cutoff"] = self.cutoff.isoformat()
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the last day of a shorter month)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def expand_regions(session: Session, codes: Iterable[str]) -> tuple[str, ...]:
    """The codes and every region below them (a city includes its counties)."""
    children: dict[str, list[str]] = {}
    for code, parent in session.execute(select(Region.code, Region.parent_code)):
        children.setdefault(parent, []).append(code)
    out, todo = set(), list(codes)
    while todo:
        code = todo.pop()
        if code not in out:
            out.add(code)
            todo.extend(children.get(code, []))
    return tuple(sorted(out))


def _where(stmt: Select, f: PoolFilters) -> Select:
    for prefix in f.industry_prefixes:
        if not _PREFIX.match(prefix):
            raise DrawError(f"行业代码前缀无效：{prefix}")
    stmt = stmt.where(Enterprise.status == "active")
    if f.industry_prefixes:
        stmt = stmt.where(or_(*(Enterprise.industry_code.like(p + "%") for p in f.industry_prefixes)))
    if f.region_codes:
        stmt = stmt.where(Enterprise.region_code.in_(f.region_codes))
    if f.tag_ids:
        tagged = select(enterprise_tags.c.enterprise_id).where(
            enterprise_tags.c.enterprise_id == Enterprise.id, enterprise_tags.c.tag_id.in_(f.tag_ids)
        )
        stmt = stmt.where(exists(tagged))
    cutoff = f.cutoff
    since = datetime(cutoff.year, cutoff.month, cutoff.day, tzinfo=UTC)
    recent = (
        select(TaskTarget.id)
        .join(Draw, Draw.id == TaskTarget.draw_id)
        .where(
            TaskTarget.enterprise_id == Enterprise.id,
            Draw.status == "confirmed",
            or_(
                TaskTarget.inspected_on >= cutoff,
                and_(TaskTarget.inspected_on.is_(None), Draw.confirmed_at >= since),
            ),
        )
    )
    if f.task_id is not None:
        recent = recent.where(TaskTarget.task_id != f.task_id)
    stmt = stmt.where(~exists(recent))
    return stmt.where(or_(Enterprise.last_inspected_on.is_(None), Enterprise.last_inspected_on < cutoff))


def counts_query(f: PoolFilters) -> Select:
    """SELECT risk_class, count(*) with the pool's filters (the preview, and the benchmark floor)."""
    return _where(select(Enterprise.risk_class, func.count()), f).group_by(Enterprise.risk_class)


def count_by_risk(session: Session, f: PoolFilters) -> dict[str, int]:
    return dict(session.execute(counts_query(f)).all())


def strata_query(f: PoolFilters) -> Select:
    """Per risk class, its members as one text: '<uscc>\\t<id>\\t<region>' rows joined by '\\n', in
    no particular order (string_agg on PostgreSQL, group_concat on SQLite)."""
    row = (
        Enterprise.uscc + literal("\t") + cast(Enterprise.id, String) + literal("\t") + Enterprise.region_code
    )
    return _where(select(Enterprise.risk_class, func.aggregate_strings(row, "\n")), f).group_by(
        Enterprise.risk_class
    )


def read_strata(session: Session, f: PoolFilters) -> dict[bytes, list[bytes]]:
    """The pool in one statement, as engine.draw_pool.Pool.from_strata takes it: risk class ->
    its members' rows b'<uscc>\\t<id>\\t<region>'. One long value per risk class, not a row
    per member: the driver's per-row work took as long as the query itself."""
    return {
        risk.encode(): members.encode().split(b"\n")
        for risk, members in session.execute(strata_query(f))
        if members
    }


def enterprises_by_uscc(session: Session, usccs: Sequence[str]) -> dict[str, tuple[int, str, str]]:
    """uscc -> (id, region_code, name) for the drawn targets."""
    out = {}
    for start in range(0, len(usccs), CHUNK):
        chunk = usccs[start : start + CHUNK]
        rows = session.execute(
            select(Enterprise.uscc, Enterprise.id, Enterprise.region_code, Enterprise.name).where(
                Enterprise.uscc.in_(chunk)
            )
        )
        out.update({u: (i, r, n) for u, i, r, n in rows})
    return out
