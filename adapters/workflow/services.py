"""Python functions that BPMN service tasks call by name (the engine's service registry).

Each runs inside the engine step, in the caller's transaction, and returns JSON-able data stored
in the task's result variable. Register new ones in `SERVICES`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from adapters import joint_task_reports
from adapters.plans import process as plan_process


def notify_overdue(case_id: Any = None, stage: str = "", due: str | None = None, **_: Any) -> dict:
    """Mark the overdue escalation; the office's overdue list reads it from the case data and the
    instance summary (notifications to people are sent by the notification jobs)."""
    return {"case_id": case_id, "stage": stage, "due": due, "at": datetime.now(UTC).isoformat(timespec="seconds")}


def publish_result(case_id: Any = None, **_: Any) -> dict:
    """Record that the result was published (the public record itself is written by the
    publication module when it exists)."""
    return {"case_id": case_id, "published_at": datetime.now(UTC).isoformat(timespec="seconds")}


def publish_follow_up(**kwargs: Any) -> dict:
    return {"published_at": datetime.now(UTC).isoformat(timespec="seconds"), **{k: v for k, v in kwargs.items() if isinstance(v, str | int)}}


SERVICES: dict[str, Callable[..., Any]] = {
    "record_report": joint_task_reports.record_report,  # processes/joint_task: 部门报到
    "escalate_report": joint_task_reports.escalate_report,
    "close_reporting": joint_task_reports.close_reporting,
    "notify_overdue": notify_overdue,
    "publish_result": publish_result,
    "publish_follow_up": publish_follow_up,
    "mark_plan_revision": plan_process.mark_plan_revision,  # processes/annual_plan: 提交审核/退回/通过
    "publish_plan": plan_process.publish_plan,  # processes/annual_plan: 发布
}
