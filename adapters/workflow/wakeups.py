"""Timers and messages (part of WorkflowService): which instances are due, waking one, and
delivering a routed message to the instances subscribed to it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from adapters.models.workflow import MessageSubscription, ProcessInstance
from adapters.workflow.rows import aware, correlation_key
from adapters.workflow.who import SYSTEM


class TimersAndMessages:
    """due_instance_ids / wake / deliver (mixed into WorkflowService)."""

    def due_instance_ids(
        self, now: datetime, limit: int = 100, exclude: list[int] | None = None
    ) -> list[int]:
        query = (
            select(ProcessInstance.id)
            .where(ProcessInstance.next_wakeup <= now, ProcessInstance.status.in_(("running", "waiting")))
            .where(ProcessInstance.id.not_in(exclude or []))
            .order_by(ProcessInstance.next_wakeup)
            .limit(limit)
        )
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return list(self.session.execute(query).scalars())

    def wake(self, instance_id: int, now: datetime | None = None) -> int:
        """Fire the instance's due timers; returns how many fired (0 if another worker did)."""
        now = now or self.clock()
        row = self.instance_row(instance_id, lock=True)
        if (
            row.status not in ("running", "waiting")
            or row.next_wakeup is None
            or aware(row.next_wakeup) > now
        ):
            return 0
        instance = self.load(row)
        before = self._before(row, instance)
        fired = instance.fire_due_timers(now)
        self._persist(row, instance, SYSTEM, before=before)
        return fired

    def deliver(self, name: str, correlation: Mapping[str, Any], payload: Any) -> list[int]:
        """Deliver a message to every instance subscribed under (name, correlation)."""
        key = correlation_key(correlation)
        ids = list(
            self.session.execute(
                select(MessageSubscription.instance_id).where(
                    MessageSubscription.message_name == name, MessageSubscription.correlation_key == key
                )
            ).scalars()
        )
        for instance_id in ids:
            row = self.instance_row(instance_id, lock=True)
            instance = self.load(row)
            before = self._before(row, instance)
            instance.deliver_message(name, payload, dict(correlation))
            self._persist(row, instance, SYSTEM, before=before)
        return ids
