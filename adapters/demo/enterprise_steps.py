"""Demo step for the 检查对象名录库: enterprises with valid, unique USCCs, and their tags."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import select

from adapters.demo import names
from adapters.demo.context import DemoContext
from adapters.demo.data_industries import INDUSTRIES, IndustrySpec
from adapters.demo.data_org import COUNTIES
from adapters.models import Enterprise, enterprise_tags
from adapters.models.base import utcnow
from engine.identifiers import make_uscc

RISK_MIX = (("A", 40), ("B", 40), ("C", 15), ("D", 5))
STATUS_MIX = (("active", 950), ("deregistered", 25), ("revoked", 10), ("moved", 15))
INSPECTED_SHARE = 0.22
INSPECTED_FROM = date(2025, 1, 2)
INSPECTED_DAYS = (date(2026, 10, 30) - INSPECTED_FROM).days


def add_enterprises(ctx: DemoContext) -> None:
    rng = ctx.rng("enterprises")
    builder = _Builder(rng, ctx.enterprise_count)
    rows, tag_names = [], []
    now = utcnow()  # one timestamp for the batch spares a default call per row
    for _ in range(ctx.enterprise_count):
        row, tags = builder.enterprise()
        rows.append({**row, "created_at": now, "updated_at": now})
        tag_names.append(tags)
    ctx.insert(Enterprise.__table__, rows)
    ids = dict(ctx.session.execute(select(Enterprise.uscc, Enterprise.id)).all())
    ctx.enterprise_ids = [ids[row["uscc"]] for row in rows]
    links = (
        {"enterprise_id": ids[row["uscc"]], "tag_id": ctx.tags[tag]}
        for row, tags in zip(rows, tag_names, strict=True)
        for tag in tags
    )
    ctx.counts["enterprise_tags"] = ctx.insert(enterprise_tags, links)
    ctx.counts["enterprises"] = len(rows)


class _Builder:
    """Draws one enterprise at a time; remembers names and codes already used."""

    def __init__(self, rng: random.Random, count: int):
        self.rng = rng
        self.usccs: set[str] = set()
        self.names: set[str] = set()
        self.county = _Picker(rng, COUNTIES, [c[2] for c in COUNTIES])
        # Classes and risk classes by quota, not by chance: even a small register then holds
        # every industry of the joint lists, and the risk mix is the target mix.
        self.industries = iter(_quota(rng, INDUSTRIES, [i.weight for i in INDUSTRIES], count))
        self.risks = iter(_quota(rng, [r for r, _ in RISK_MIX], [w for _, w in RISK_MIX], count))
        self.status = _Picker(rng, [s for s, _ in STATUS_MIX], [w for _, w in STATUS_MIX])

    def enterprise(self) -> tuple[dict[str, Any], list[str]]:
        rng = self.rng
        county_code, county_name, _share = self.county()
        industry = next(self.industries)
        category = _category(rng, industry)
        name, chained = self._name(industry, category, county_code)
        address, rural = names.address(rng, county_code, county_name)
        risk = next(self.risks)
        row = {
            "uscc": self._uscc(category, county_code),
            "name": name,
            "industry_code": industry.code,
            "region_code": county_code,
            "address": address,
            "legal_representative": names.person_name(rng),
            "contact": names.contact_phone(rng),
            "risk_class": risk,
            "status": self.status(),
            "last_inspected_on": self._last_inspected(),
            "uscc_override": False,
        }
        return row, _tags(rng, industry, county_code, risk, chained, rural)

    def _name(self, industry: IndustrySpec, category: str, county_code: str) -> tuple[str, bool]:
        for _ in range(30):
            name, chained = names.enterprise_name(self.rng, industry, category, county_code)
            if name not in self.names:
                self.names.add(name)
                return name, chained
        # A crowded pattern: number the branch rather than loop forever.
        name = f"{name}第{len(self.names)}分店"
        self.names.add(name)
        return name, chained

    def _uscc(self, category: str, county_code: str) -> str:
        while True:
            code = make_uscc("9", category, county_code, names.org_body(self.rng))
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def _last_inspected(self) -> date | None:
        if self.rng.random() >= INSPECTED_SHARE:
            return None
        return INSPECTED_FROM + timedelta(days=self.rng.randrange(INSPECTED_DAYS + 1))


def _quota(rng: random.Random, population: Sequence, weights: Sequence[float], count: int) -> list:
    """`count` members in proportion to their weights (largest remainders), shuffled."""
    shares = [count * w / sum(weights) for w in weights]
    sizes = [int(share) for share in shares]
    order = sorted(range(len(shares)), key=lambda i: (sizes[i] - shares[i], i))
    for i in order[: count - sum(sizes)]:
        sizes[i] += 1
    members = [member for member, size in zip(population, sizes, strict=True) for _ in range(size)]
    rng.shuffle(members)
    return members


class _Picker:
    """A weighted choice with its cumulative weights computed once (20,000 draws each)."""

    def __init__(self, rng: random.Random, population: Sequence, weights: Sequence[float]):
        self.rng, self.population = rng, population
        self.cumulative = list(accumulate(weights))

    def __call__(self):
        return self.population[bisect(self.cumulative, self.rng.random() * self.cumulative[-1])]


def _category(rng: random.Random, industry: IndustrySpec) -> str:
    """USCC category under registrar 9: 1 enterprise (most), 2 个体工商户, 3 农民专业合作社."""
    pick = rng.random()
    if industry.coop and (not industry.company or pick < 0.08):
        return "3"
    if industry.individual and (not industry.company or pick < 0.3):
        return "2"
    return "1"


def _tags(
    rng: random.Random, industry: IndustrySpec, county_code: str, risk: str, chained: bool, rural: bool
) -> list[str]:
    tags = [tag for tag in industry.tags if rng.random() < _tag_chance(tag, county_code)]
    if chained:
        tags.append("连锁经营")
    if rural and rng.random() < 0.5:
        tags.append("城乡结合部")
    if risk in "CD" and "重点监管" not in tags and rng.random() < 0.5:
        tags.append("重点监管")
    if rng.random() < 0.05:
        tags.append("新设立企业")
    return tags


def _tag_chance(tag: str, county_code: str) -> float:
    if tag == "旅游景区":
        # 鹿泉区 has the scenic areas (抱犊寨 and others).
        return 0.35 if county_code == "130110" else 0.05
    if tag in ("危险化学品", "重点监管"):
        return 0.8
    return 0.2
