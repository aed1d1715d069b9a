"""Who may be drawn for a joint task (随机选派检查人员): each participating department's eligible
inspectors, and for each drawn target the inspectors it excludes (回避).

Eligible: an active inspector of that department whose 执法领域 cover the fields of every item
the department reported, and who has at least one of the department's required tags (if any).
An inspector with a county region only inspects targets in that county; one with a city region
(or none) inspects anywhere. Excluded for a target: a declared, active conflict with it, and
the inspectors of its previous inspection (the active assignments of its most recent confirmed
draw in another task).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.draws.pool import CHUNK
from adapters.models import (
    Draw,
    InspectionItem,
    Inspector,
    InspectorAssignment,
    InspectorConflict,
    JointTask,
    JointTaskDepartment,
    Region,
)
from engine.draw import Candidate

FIELD_SEPARATORS = re.compile(r"[、；;,，\s]+")
LEGAL_MINIMUM = 2  # 行政处罚法第四十二条: at least two law-enforcement officers


@dataclass(frozen=True)
class DepartmentSetup:
    department_id: int
    name: str
    is_lead: bool
    per_target: int
    item_ids: tuple[int, ...]
    tag_ids: tuple[int, ...]

    @property
    def key(self) -> str:
        return str(self.department_id)


def fields_of(text: str | None) -> set[str]:
    return {f for f in FIELD_SEPARATORS.split(text or "") if f}


def participating(task: JointTask) -> list[DepartmentSetup]:
    """The lead department and every department that confirmed its 报到, by id."""
    out = []
    for row in sorted(task.departments, key=lambda r: r.department_id):
        if row.is_lead or row.department_id == task.lead_department_id or row.status == "confirmed":
            out.append(_setup(task, row))
    return out


def pending(task: JointTask) -> list[JointTaskDepartment]:
    """Departments that have not answered their 报到 (待报到, or 已逾期 and not yet closed out by
    截止报到): the draw waits for them."""
    return [
        r
        for r in task.departments
        if r.status in ("pending", "overdue") and r.department_id != task.lead_department_id
    ]


def _setup(task: JointTask, row: JointTaskDepartment) -> DepartmentSetup:
    per_target = row.inspectors_per_target or task.inspectors_per_department or LEGAL_MINIMUM
    return DepartmentSetup(
        department_id=row.department_id,
        name=row.department.name if row.department else str(row.department_id),
        is_lead=row.department_id == task.lead_department_id,
        per_target=max(LEGAL_MINIMUM, int(per_target)),
        item_ids=tuple(int(i) for i in row.item_ids or ()),
        tag_ids=tuple(int(t) for t in row.inspector_tag_ids or ()),
    )


def county_regions(session: Session) -> set[str]:
    """Regions without sub-regions: an inspector assigned to one stays inside it."""
    parents = {
        p for (p,) in session.execute(select(Region.parent_code).where(Region.parent_code.is_not(None)))
    }
    return {c for (c,) in session.execute(select(Region.code))} - parents


def candidates(session: Session, dept: DepartmentSetup, counties: set[str]) -> list[Candidate]:
    """The department's eligible inspectors, by id."""
    needed: set[str] = set()
    if dept.item_ids:
        for (text,) in session.execute(
            select(InspectionItem.fields).where(InspectionItem.id.in_(dept.item_ids))
        ):
            needed |= fields_of(text)
    rows = session.execute(
        select(Inspector)
        .where(Inspector.department_id == dept.department_id, Inspector.active.is_(True))
        .order_by(Inspector.id)
    ).scalars()
    out = []
    for insp in rows:
        if not needed <= fields_of(insp.fields):
            continue
        if dept.tag_ids and not {t.id for t in insp.tags} & set(dept.tag_ids):
            continue
        region = insp.region_code if insp.region_code in counties else None
        out.append(Candidate(id=insp.id, cert_no=insp.cert_no, region_code=region))
    return out


def conflicts(session: Session, target_ids: Sequence[int]) -> dict[int, set[int]]:
    """enterprise id -> inspectors with an active declared conflict."""
    out: dict[int, set[int]] = {}
    for chunk in _chunks(target_ids):
        rows = session.execute(
            select(InspectorConflict.enterprise_id, InspectorConflict.inspector_id).where(
                InspectorConflict.enterprise_id.in_(chunk), InspectorConflict.active.is_(True)
            )
        )
        for enterprise_id, inspector_id in rows:
            out.setdefault(enterprise_id, set()).add(inspector_id)
    return out


def previous_inspectors(session: Session, task_id: int, target_ids: Sequence[int]) -> dict[int, set[int]]:
    """enterprise id -> the inspectors of its most recent confirmed draw in another task."""
    latest: dict[int, tuple] = {}
    found: dict[tuple[int, int], set[int]] = {}
    for chunk in _chunks(target_ids):
        rows = session.execute(
            select(
                InspectorAssignment.enterprise_id,
                Draw.confirmed_at,
                Draw.id,
                InspectorAssignment.inspector_id,
            )
            .join(Draw, Draw.id == InspectorAssignment.draw_id)
            .where(
                InspectorAssignment.enterprise_id.in_(chunk),
                InspectorAssignment.task_id != task_id,
                InspectorAssignment.status == "active",
                Draw.status == "confirmed",
            )
        )
        for enterprise_id, confirmed_at, draw_id, inspector_id in rows:
            when = (confirmed_at.isoformat() if confirmed_at else "", draw_id)
            if when > latest.get(enterprise_id, ("", 0)):
                latest[enterprise_id] = when
            found.setdefault((enterprise_id, draw_id), set()).add(inspector_id)
    return {e: found[(e, when[1])] for e, when in latest.items()}


def _chunks(ids: Sequence[int]):
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
