"""Read side of the draw pages and API: lists of records, one page of targets with their
inspector slots, names for ids."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from adapters.models import (
    Department,
    Draw,
    Enterprise,
    Inspector,
    InspectorAssignment,
    JointTask,
    JointTaskDepartment,
)

RISK_ORDER = ("D", "C", "B", "A")


def task_department_ids(task: JointTask) -> set[int]:
    return {task.lead_department_id} | {r.department_id for r in task.departments}


def visible_draws(session: Session, department_id: int | None, *, everything: bool, limit: int = 100) -> list:
    """(draw, task) pairs, newest first: all of them, or those of tasks the department is in."""
    query = (
        select(Draw, JointTask)
        .join(JointTask, JointTask.id == Draw.task_id)
        .order_by(Draw.id.desc())
        .limit(limit)
    )
    if not everything:
        member = select(JointTaskDepartment.task_id).where(JointTaskDepartment.department_id == department_id)
        query = query.where(or_(JointTask.lead_department_id == department_id, JointTask.id.in_(member)))
    return [tuple(row) for row in session.execute(query)]


def tasks_to_draw(session: Session, department_id: int | None, *, everything: bool) -> list[JointTask]:
    """Joint tasks (led by the department) that have no draw in force yet."""
    drawn = select(Draw.task_id).where(Draw.status.in_(("committed", "drawn", "confirmed")))
    query = (
        select(JointTask)
        .where(JointTask.status.in_(("reporting", "drawing")), JointTask.id.not_in(drawn))
        .order_by(JointTask.id)
    )
    if not everything:
        query = query.where(JointTask.lead_department_id == department_id)
    return list(session.execute(query).scalars())


@dataclass
class TargetRow:
    rank: int
    enterprise_id: int
    uscc: str
    risk: str
    region: str | None
    name: str
    slots: dict[str, list[InspectorAssignment]]  # department key -> active assignments


def target_page(session: Session, draw: Draw, page: int, per_page: int = 100) -> tuple[list[TargetRow], int]:
    """One page of the drawn targets (draw order: D, C, B, A) and the number of pages."""
    targets = (draw.result or {}).get("targets", [])
    pages = max(1, -(-len(targets) // per_page))
    page = min(max(1, page), pages)
    chunk = list(enumerate(targets, start=1))[(page - 1) * per_page : page * per_page]
    ids = [t[0] for _n, t in chunk]
    rows = session.execute(
        select(InspectorAssignment)
        .where(
            InspectorAssignment.draw_id == draw.id,
            InspectorAssignment.status == "active",
            InspectorAssignment.enterprise_id.in_(ids),
        )
        .order_by(InspectorAssignment.id)
    ).scalars()
    slots: dict[int, dict[str, list[InspectorAssignment]]] = {}
    for a in rows:
        slots.setdefault(a.enterprise_id, {}).setdefault(str(a.department_id), []).append(a)
    names = dict(session.execute(select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(ids))).all())
    out = [TargetRow(n, t[0], t[1], t[2], t[3], names.get(t[0], ""), slots.get(t[0], {})) for n, t in chunk]
    return out, pages


def replaced(session: Session, draw_id: int) -> list[InspectorAssignment]:
    return list(
        session.execute(
            select(InspectorAssignment)
            .where(InspectorAssignment.draw_id == draw_id, InspectorAssignment.status == "replaced")
            .order_by(InspectorAssignment.id)
        ).scalars()
    )


def inspector_names(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    ids = sorted(set(ids))
    out = {}
    for start in range(0, len(ids), 5000):
        rows = session.execute(
            select(Inspector.id, Inspector.name, Inspector.cert_no).where(
                Inspector.id.in_(ids[start : start + 5000])
            )
        )
        out.update({i: (n, c) for i, n, c in rows})
    return out


def department_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    return dict(
        session.execute(select(Department.id, Department.name).where(Department.id.in_(set(ids)))).all()
    )
