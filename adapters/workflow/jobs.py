"""Jobs of the case runtime: routing messages between instances and waking due timers."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import current_app

from adapters.db import db
from adapters.jobs.registry import job
from adapters.workflow import message_starters

log = logging.getLogger(__name__)
FACTORY = "liancha.workflow_factory"
WAKE_BATCH = 200


def workflow_service():
    """The app's WorkflowService factory (set by the composition root, web/runtime.py)."""
    return current_app.extensions[FACTORY]()


@job("route_message")
def route_message(
    name: str, correlation: dict, payload: Any = None, source_instance_id: int | None = None
) -> None:
    """Deliver a message thrown by one instance to the instances waiting for it. No subscriber
    is an error (retried, then visible as a failed job), never a silent loss. A message with a
    registered starter (adapters/workflow/message_starters.py) starts instances instead."""
    starter = message_starters.STARTERS.get(name)
    if starter is not None:
        starter(workflow_service(), payload, source_instance_id)
        return
    delivered = workflow_service().deliver(name, correlation, payload)
    if not delivered:
        raise LookupError(f"没有案件在等待消息 {name} {correlation}")


def wake_due(now: datetime | None = None) -> int:
    """Wake every instance whose next wake-up has passed, one row at a time (PostgreSQL: FOR
    UPDATE SKIP LOCKED, so several workers share the work); commits after each instance. An
    instance that fails is skipped for this round and reported at the end."""
    now = now or datetime.now(UTC)
    woken, failed = 0, []
    for _ in range(WAKE_BATCH):
        service = workflow_service()
        ids = service.due_instance_ids(now, limit=1, exclude=failed)
        if not ids:
            break
        try:
            woken += 1 if service.wake(ids[0], now) else 0
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("waking instance %s failed", ids[0])
            failed.append(ids[0])
    if failed:
        raise RuntimeError(f"唤醒案件失败：{failed}")
    return woken
