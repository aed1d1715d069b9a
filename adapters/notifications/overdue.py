"""`notify_overdue`: the service a non-interrupting boundary timer calls when result entry and
review (inspection_case) or the follow-up measures (follow_up) pass their deadline.

It runs inside the engine step of the instance being woken, in that transaction. The BPMN hands
it the business case number, not the instance: the instance is the one the caller has loaded
and locked in this session, found by the case number (and follow-up number) in its start data.
It tells the office (双随机办), the officers of the lead department and of the departments with
open tasks in the case; the office's overdue list reads the case's `overdue` mark itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import inspect, select

from adapters.db import db
from adapters.models import HumanTask, Notification, ProcessInstance
from adapters.notifications.recipients import Recipients

FOLLOW_UP_STAGE = "follow_up:"
STAGE_TITLES = {"result_entry": "检查结果录入与审核逾期", FOLLOW_UP_STAGE: "后续处置逾期"}


def notify_overdue(case_id: Any = None, stage: str = "", due: str | None = None, **_: Any) -> dict:
    """Notify the people concerned; returns the escalation record kept in the case data."""
    session = db.session
    case = stepping_instance(case_id, stage)
    people = Recipients(session)
    recipients = {r.id for r in people.by_role(None, frozenset({"office"}))}
    if case is not None:
        departments = {case.department_id} | set(
            session.scalars(
                select(HumanTask.department_id).where(
                    HumanTask.instance_id == case.id, HumanTask.state == "ready"
                )
            )
        )
        for department in departments - {None}:
            recipients |= {r.id for r in people.by_role(department, frozenset({"officer"}))}
    title = stage_title(stage)
    for user_id in sorted(recipients):
        session.add(
            Notification(
                user_id=user_id,
                kind="overdue",
                title=title,
                body=(case.title if case is not None else str(case_id or "")),
                instance_id=case.id if case is not None else None,
            )
        )
    at = datetime.now(UTC).isoformat(timespec="seconds")
    return {"case_id": case_id, "stage": stage, "due": due, "at": at, "notified": len(recipients)}


def stage_title(stage: str) -> str:
    if stage.startswith(FOLLOW_UP_STAGE):
        return STAGE_TITLES[FOLLOW_UP_STAGE]
    return STAGE_TITLES.get(stage, "逾期提醒")


def stepping_instance(case_id: Any, stage: str) -> ProcessInstance | None:
    """The loaded instance whose start data names `case_id` (and the follow-up of `stage`)."""
    follow_up = stage[len(FOLLOW_UP_STAGE) :] if stage.startswith(FOLLOW_UP_STAGE) else None
    for obj in list(db.session.identity_map.values()):
        if not isinstance(obj, ProcessInstance) or "state" in inspect(obj).unloaded:
            continue
        data = start_data(obj.state)
        if str(data.get("case_id")) != str(case_id):
            continue
        if (follow_up is None) == ("follow_up_id" not in data) and (
            follow_up is None or str(data.get("follow_up_id")) == follow_up
        ):
            return obj
    return None


def start_data(state: dict | None) -> dict:
    """The data the instance was started with (its root task's), from the stored state."""
    try:
        return state["tasks"][state["root"]]["data"] or {}
    except (KeyError, TypeError):
        return {}
