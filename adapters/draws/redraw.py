"""Re-drawing one inspector slot (回避 / 缺席 → 按程序递补), before the draw is confirmed.

The replacement follows docs/draw.md §6: among the department's eligible inspectors recorded
with the draw, not on the target's case, not excluded for the target and not one who already
left one of its slots, the least loaded in this task, ties by the seeded rank. Only that slot
changes: the old assignment row is kept as `replaced` with the reason and points to the new one,
and the re-draw is appended to the record's log, which `verify` replays.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.draws.record import current_slots, to_record
from adapters.models import Draw, InspectorAssignment
from engine.draw import Target
from engine.draw_replay import replacement
from engine.errors import Conflict, NotFound, ValidationFailed

KINDS = {"recusal": "回避", "absence": "缺席"}
REASON_MAX = 200


def redraw_slot(
    session: Session,
    draw: Draw,
    assignment_id: int,
    kind: str,
    reason: str,
    user_id: int | None,
    user_name: str,
) -> InspectorAssignment:
    """Replace the inspector of one assignment; `draw` must be locked by the caller."""
    reason = (reason or "").strip()
    problems = {}
    if kind not in KINDS:
        problems["kind"] = "请选择回避或缺席"
    if not reason:
        problems["reason"] = "请填写递补理由"
    elif len(reason) > REASON_MAX:
        problems["reason"] = f"最多 {REASON_MAX} 个字符"
    if problems:
        raise ValidationFailed("递补信息不完整", problems)
    if draw.status != "drawn":
        raise Conflict("只有已抽取、未确认的记录可以递补")
    old = session.get(InspectorAssignment, assignment_id)
    if old is None or old.draw_id != draw.id:
        raise NotFound("该检查人员名额不存在")
    if old.status != "active":
        raise Conflict("该名额已被递补，请刷新后重试")
    record = to_record(draw)
    department = next((d for d in record.departments if d.key == str(old.department_id)), None)
    target = next((t for t in record.targets if t[0] == old.enterprise_id), None)
    if department is None or target is None:
        raise Conflict("抽取记录中没有该部门或检查对象")
    slots, _leaders = current_slots(session, draw.id)
    left = set(
        session.execute(
            select(InspectorAssignment.inspector_id).where(
                InspectorAssignment.draw_id == draw.id,
                InspectorAssignment.enterprise_id == old.enterprise_id,
                InspectorAssignment.status == "replaced",
            )
        ).scalars()
    )
    blocked = set(record.excluded.get(old.enterprise_id, set())) | left
    number = len(record.redraws) + 1
    chosen = replacement(
        slots,
        Target(target[0], target[1], target[3]),
        department,
        old.inspector_id,
        number,
        blocked,
        draw.seed or "",
    )
    if chosen is None:
        raise Conflict("没有符合条件、可以递补的检查人员")
    new = InspectorAssignment(
        draw_id=draw.id,
        task_id=old.task_id,
        enterprise_id=old.enterprise_id,
        department_id=old.department_id,
        inspector_id=chosen,
        is_leader=old.is_leader,
        status="active",
        redraw_no=number,
    )
    session.add(new)
    session.flush()
    old.status, old.replaced_by_id, old.reason = "replaced", new.id, f"{KINDS[kind]}：{reason}"
    entry = {
        "no": number,
        "enterprise_id": old.enterprise_id,
        "uscc": target[1],
        "department": str(old.department_id),
        "replaced": old.inspector_id,
        "replacement": chosen,
        "kind": kind,
        "reason": reason,
        "by": user_id,
        "by_name": user_name,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    result = dict(draw.result or {})
    draw.result = {**result, "redraws": [*result.get("redraws", []), entry]}
    session.flush()
    return new
