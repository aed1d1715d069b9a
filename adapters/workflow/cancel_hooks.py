"""What must happen elsewhere when an instance of a model is cancelled (a registry, like SERVICES
and STARTERS). `hook(service, row, instance, reason)` runs inside the cancelling transaction; it
may enqueue jobs (they run after commit).

A cancelled follow-up still reports back to its case, so the case never waits for it forever.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any


def report_cancelled_follow_up(service: Any, row: Any, instance: Any, reason: str) -> None:
    data = instance.data(("case_id", "follow_up_id", "department", "transfer"))
    case_id, follow_up_id = data.get("case_id"), data.get("follow_up_id")
    if not case_id or not follow_up_id or service.jobs is None:
        return
    transfer = data.get("transfer") if isinstance(data.get("transfer"), dict) else {}
    service.jobs.enqueue(
        "route_message",
        key=f"follow_up_cancelled:{follow_up_id}",
        name="follow_up_reported",
        correlation={"case_id": case_id},
        payload={
            "case_id": case_id,
            "follow_up_id": follow_up_id,
            "department": transfer.get("department") or data.get("department"),
            "status": "cancelled",
            "reason": reason,
            "completed_on": datetime.now(UTC).date().isoformat(),
            "overdue": False,
        },
        source_instance_id=row.id,
    )


ON_CANCEL: dict[str, Callable[..., None]] = {
    "follow_up": report_cancelled_follow_up,  # the case counts it as reported (status cancelled)
}
