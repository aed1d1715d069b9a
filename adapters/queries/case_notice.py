"""What the inspection notice (随机抽查通知书) needs beyond the case data, from the registers:
the drawn inspectors of a case's target (when the case was started without them) and the
enterprise's registered address."""

from __future__ import annotations

from sqlalchemy import select

from adapters.db import db
from adapters.models import Enterprise, Inspector, InspectorAssignment, TaskTarget


def drawn_inspectors(instance_id: int) -> list[dict]:
    """The active assignments of the target the case was spawned for, in the spawn's shape."""
    target = db.session.execute(select(TaskTarget).where(TaskTarget.instance_id == instance_id)).scalar()
    if target is None:
        return []
    rows = db.session.execute(
        select(InspectorAssignment, Inspector)
        .join(Inspector, Inspector.id == InspectorAssignment.inspector_id)
        .where(
            InspectorAssignment.draw_id == target.draw_id,
            InspectorAssignment.enterprise_id == target.enterprise_id,
            InspectorAssignment.status == "active",
        )
        .order_by(InspectorAssignment.department_id, InspectorAssignment.id)
    ).tuples()
    return [
        {
            "department_id": a.department_id,
            "inspector_id": i.id,
            "name": i.name,
            "cert_no": i.cert_no,
            "leader": a.is_leader,
        }
        for a, i in rows
    ]


def enterprise_address(uscc: str | None) -> str | None:
    if not uscc:
        return None
    return db.session.execute(select(Enterprise.address).where(Enterprise.uscc == uscc)).scalar()
