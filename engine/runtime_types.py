"""What the runtime hands out: plain frozen values, no SpiffWorkflow objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Event kinds; the same words as the audit trail's (engine.audit).
TASK_READY = "task_ready"
TASK_COMPLETED = "task_completed"
TASK_CANCELLED = "task_cancelled"
TIMER_FIRED = "timer_fired"
MESSAGE_RECEIVED = "message_received"
MESSAGE_SENT = "message_sent"
INCIDENT = "incident"
INCIDENT_RETRIED = "incident_retried"
COMPLETED = "completed"
CANCELLED = "cancelled"

# Instance statuses (plus CANCELLED after cancel()); suspension is the service's business.
RUNNING = "running"  # automatic work is ready (normally only between calls)
WAITING = "waiting"  # waits for people, timers or messages
COMPLETE = "complete"
ERROR = "error"  # at least one incident


@dataclass(frozen=True)
class HumanTask:
    """A READY user/manual task with everything needed to authorise and render it.

    `key` is the multi-instance key (e.g. the department id of a per-department checklist);
    `department` is the department that must do the task, resolved from the `departmentVariable`
    property, the multi-instance key or the lane hint of model.json (None: any department);
    `roles` come from the lane hint. `form_data` pre-fills the form; `data` is a copy of the task's
    whole data.
    """

    id: str
    element_id: str
    name: str
    process_id: str
    lane: str | None
    key: str | None
    department: str | None
    roles: tuple[str, ...]
    form: str | None
    form_schema: dict | None
    ui_schema: dict | None
    instructions: str | None
    form_data: dict
    data: dict


@dataclass(frozen=True)
class Incident:
    """A task stopped by an error (failing script, service or expression)."""

    task_id: str
    element_id: str
    name: str
    message: str


@dataclass(frozen=True)
class WaitingMessage:
    """A message an instance waits for: subscribe it under (name, correlation)."""

    name: str
    element_id: str
    task_id: str
    correlation: dict[str, Any]


@dataclass(frozen=True)
class OutgoingMessage:
    """A message thrown by an instance that nothing inside it caught: route it to others."""

    name: str
    payload: Any
    correlation: dict[str, Any]


@dataclass(frozen=True)
class EngineEvent:
    """Something audit-worthy that happened inside the engine."""

    kind: str
    at: datetime
    task_id: str | None = None
    element_id: str | None = None
    name: str | None = None
    lane: str | None = None
    key: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
