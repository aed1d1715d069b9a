"""Read side of the organisation: users, departments, regions and API tokens for lists and choices."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from adapters.db import db
from adapters.models import ApiToken, Department, Region, User, UserRole


@dataclass(frozen=True)
class UserFilter:
    q: str = ""
    department_id: int | None = None
    role: str | None = None
    active: bool | None = None


def users_page(flt: UserFilter, limit: int = 50, offset: int = 0) -> tuple[list[User], int]:
    """Users matching the filter, ordered by username, and how many match in all."""
    stmt = select(User)
    if flt.q:
        like = f"%{flt.q.strip()}%"
        stmt = stmt.where(
            or_(User.username.ilike(like), User.display_name.ilike(like), User.email.ilike(like))
        )
    if flt.department_id is not None:
        stmt = stmt.where(User.department_id == flt.department_id)
    if flt.role:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == flt.role)))
    if flt.active is not None:
        stmt = stmt.where(User.active.is_(flt.active))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.options(selectinload(User.department)).order_by(User.username).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def departments(active: bool | None = None, region_code: str | None = None) -> list[Department]:
    """Departments, city level first, then by region and name."""
    stmt = select(Department).options(selectinload(Department.region), selectinload(Department.parent))
    if active is not None:
        stmt = stmt.where(Department.active.is_(active))
    if region_code:
        stmt = stmt.where(Department.region_code == region_code)
    stmt = stmt.order_by(Department.level, Department.region_code, Department.name, Department.id)
    return list(db.session.scalars(stmt).all())


def department_choices(include: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of the active departments, plus `include` even when inactive (the current value)."""
    rows = departments()
    return [(d.id, d.name) for d in rows if d.active or d.id == include]


def user_counts_by_department() -> dict[int, int]:
    stmt = (
        select(User.department_id, func.count())
        .where(User.active.is_(True), User.department_id.is_not(None))
        .group_by(User.department_id)
    )
    return dict(db.session.execute(stmt).all())


def regions(
    level: str | None = None, parent_code: str | None = None, active: bool | None = None
) -> list[Region]:
    stmt = select(Region)
    if level:
        stmt = stmt.where(Region.level == level)
    if parent_code:
        stmt = stmt.where(Region.parent_code == parent_code)
    if active is not None:
        stmt = stmt.where(Region.active.is_(active))
    return list(db.session.scalars(stmt.order_by(Region.code)).all())


def region_tree() -> list[tuple[Region, list[Region]]]:
    """Each city with its counties/districts; counties whose city is missing come last on their own."""
    all_regions = regions()
    cities = [r for r in all_regions if r.level == "city"]
    by_parent: dict[str | None, list[Region]] = {}
    for r in all_regions:
        if r.level != "city":
            by_parent.setdefault(r.parent_code, []).append(r)
    tree = [(city, by_parent.pop(city.code, [])) for city in cities]
    return tree + [(orphan, []) for rest in by_parent.values() for orphan in rest]


def region_choices(level: str | None = None, include: str | None = None) -> list[tuple[str, str]]:
    return [(r.code, f"{r.code} {r.name}") for r in regions(level=level) if r.active or r.code == include]


def department_parents() -> dict[int, int | None]:
    """Each department's parent, for cycle checks."""
    return dict(db.session.execute(select(Department.id, Department.parent_id)).all())


def tokens(user_id: int | None = None, include_revoked: bool = False) -> list[ApiToken]:
    stmt = select(ApiToken).options(selectinload(ApiToken.user))
    if user_id is not None:
        stmt = stmt.where(ApiToken.user_id == user_id)
    if not include_revoked:
        stmt = stmt.where(ApiToken.revoked_at.is_(None))
    return list(db.session.scalars(stmt.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())).all())


def user_choices(include: int | None = None) -> list[tuple[int, str]]:
    rows = db.session.scalars(select(User).order_by(User.username)).all()
    return [(u.id, f"{u.display_name}（{u.username}）") for u in rows if u.active or u.id == include]
