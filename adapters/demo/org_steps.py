"""Demo steps for the organisation and the 一单: regions, departments, tags, items, joint lists."""

from __future__ import annotations

from adapters.demo.context import DemoContext
from adapters.demo.data_items import ITEMS
from adapters.demo.data_joint_lists import JOINT_LISTS
from adapters.demo.data_names import ENTERPRISE_TAGS, INSPECTOR_TAGS
from adapters.demo.data_org import CITY, COUNTIES, DEPARTMENTS
from adapters.models import Department, IndustryJointList, InspectionItem, Region, Tag


def add_regions(ctx: DemoContext) -> None:
    city_code, city_name = CITY
    ctx.session.add(Region(code=city_code, name=city_name, level="city", parent_code=None, active=True))
    ctx.session.flush()
    for code, name, _share in COUNTIES:
        ctx.session.add(Region(code=code, name=name, level="county", parent_code=city_code, active=True))
    ctx.session.flush()
    ctx.counts["regions"] = 1 + len(COUNTIES)


def add_departments(ctx: DemoContext) -> None:
    # City departments come first in DEPARTMENTS, so a county's parent already has its id.
    for spec in DEPARTMENTS:
        dept = Department(
            name=spec.name,
            short_name=spec.short_name,
            level=spec.level,
            region_code=spec.region_code,
            parent_id=ctx.departments[spec.parent_key] if spec.parent_key else None,
            active=True,
        )
        ctx.session.add(dept)
        ctx.session.flush()
        ctx.departments[spec.key] = dept.id
    ctx.counts["departments"] = len(DEPARTMENTS)


def add_tags(ctx: DemoContext) -> None:
    for name, description in {**ENTERPRISE_TAGS, **INSPECTOR_TAGS}.items():
        tag = Tag(name=name, description=description, active=True)
        ctx.session.add(tag)
        ctx.session.flush()
        ctx.tags[name] = tag.id
    ctx.counts["tags"] = len(ctx.tags)


def add_items(ctx: DemoContext) -> None:
    for department_key, specs in ITEMS.items():
        for spec in specs:
            item = InspectionItem(
                code=spec.code,
                name=spec.name,
                department_id=ctx.departments[department_key],
                legal_basis=spec.legal_basis,
                method=spec.method,
                category=spec.category,
                fields=spec.field,
                active=True,
            )
            ctx.session.add(item)
            ctx.session.flush()
            ctx.items[spec.code] = item.id
    ctx.counts["items"] = len(ctx.items)


def add_joint_lists(ctx: DemoContext) -> None:
    """The lead department is also one of `departments`: every participating department is."""
    for spec in JOINT_LISTS:
        joint = IndustryJointList(
            name=spec.name,
            industry_codes=list(spec.industry_codes),
            lead_department_id=ctx.departments[spec.lead],
            frequency_per_year=spec.frequency_per_year,
            notes=spec.notes,
            active=True,
        )
        joint.departments = [ctx.session.get(Department, ctx.departments[key]) for key in spec.items]
        joint.items = [
            ctx.session.get(InspectionItem, ctx.items[code])
            for codes in spec.items.values()
            for code in codes
        ]
        ctx.session.add(joint)
        ctx.session.flush()
    ctx.counts["joint_lists"] = len(JOINT_LISTS)
