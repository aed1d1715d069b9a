"""Audit-worthy engine events, found by comparing task states before and after each call.

SpiffWorkflow keeps only each task's latest state, and has no per-transition hook that survives
serialization. The recorder keeps a small map task id → (state, what the task is) and, after
every call that ran the engine, turns the differences into events: a human task became ready,
a ready human task vanished (cancelled), a timer fired, a message was thrown, a task failed, the
instance completed. Completions of human tasks and received messages are added by the instance
itself, with the submitted data / payload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition, TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent, ThrowingEvent
from SpiffWorkflow.util.task import TaskState

from engine.human_tasks import multi_instance_key
from engine.ports import Clock
from engine.runtime_types import (
    COMPLETED,
    INCIDENT,
    MESSAGE_SENT,
    TASK_CANCELLED,
    TASK_READY,
    TIMER_FIRED,
    EngineEvent,
)


@dataclass(frozen=True)
class _Seen:
    state: int
    manual: bool
    element_id: str | None
    name: str | None
    lane: str | None
    key: str | None
    cycles: int | None = None  # a cycle timer's occurrences left


def _seen(task: Any, *, full: bool = False) -> _Seen:
    """What is kept of a task between collects; what it is (element, name, lane, key) only when
    `full` or for a ready manual task — the only tasks whose vanishing is told from it."""
    spec, state = task.task_spec, task.state
    manual = bool(spec.manual)
    cycle = task.internal_data.get("event_value") if _is_cycle(spec) else None
    cycles = cycle.get("cycles") if isinstance(cycle, dict) else None
    if not full and not (manual and state == TaskState.READY):
        return _Seen(state, manual, None, None, None, None, cycles)
    return _Seen(
        state,
        manual,
        getattr(spec, "bpmn_id", None),
        getattr(spec, "bpmn_name", None),
        spec.lane,
        multi_instance_key(task),
        cycles,
    )


def _is_cycle(spec: Any) -> bool:
    return isinstance(getattr(spec, "event_definition", None), CycleTimerEventDefinition)


def incident_message(err: WorkflowTaskException) -> str:
    """The user-facing message of a task failure (SpiffWorkflow adds English notes; we say where)."""
    message = str(err.args[0]) if err.args else type(err).__name__
    notes = " ".join(getattr(err, "notes", []))
    if "Pre-Script" in notes:
        return f"前置脚本：{message}"
    if "Post-Script" in notes:
        return f"后置脚本：{message}"
    return message


def _kind(task: Any) -> str | None:
    spec, state = task.task_spec, task.state
    if spec.manual:
        return TASK_READY if state == TaskState.READY else None
    if state == TaskState.ERROR:
        return INCIDENT
    if state != TaskState.COMPLETED:
        return None
    definition = getattr(spec, "event_definition", None)
    if isinstance(spec, CatchingEvent) and isinstance(definition, TimerEventDefinition):
        # a cycle timer's occurrences are counted while it waits; its completion is no firing
        return None if isinstance(definition, CycleTimerEventDefinition) else TIMER_FIRED
    if isinstance(spec, ThrowingEvent) and isinstance(definition, MessageEventDefinition):
        return MESSAGE_SENT
    return None


class EventRecorder:
    """Collects EngineEvents for one instance between saves."""

    def __init__(self, clock: Clock, workflow: Any, *, incident_messages: Any, new: bool):
        self._clock = clock
        self._workflow = workflow
        self._incident_messages = incident_messages
        self._events: list[EngineEvent] = []
        self._seen: dict[Any, _Seen] = {} if new else self._snapshot()
        self._completed = False if new else workflow.is_completed()

    def _snapshot(self) -> dict[Any, _Seen]:
        return {task.id: _seen(task) for task in self._workflow.get_tasks()}

    def add(self, kind: str, task: Any = None, *, detail: dict | None = None) -> None:
        """Record an event, about `task` when given."""
        if task is None:
            self._events.append(EngineEvent(kind, self._clock.now(), detail=detail or {}))
            return
        seen = _seen(task, full=True)
        self._events.append(
            EngineEvent(
                kind,
                self._clock.now(),
                task_id=str(task.id),
                element_id=seen.element_id,
                name=seen.name,
                lane=seen.lane,
                key=seen.key,
                detail=detail or {},
            )
        )

    def collect(self) -> None:
        """Turn the task-state changes since the last collect into events."""
        current = {}
        for task in self._workflow.get_tasks():
            current[task.id] = seen = _seen(task)
            before = self._seen.get(task.id)
            if before is not None and before.cycles is not None and seen.cycles is not None:
                for _ in range(max(0, before.cycles - seen.cycles)):
                    self.add(TIMER_FIRED, task)
            if before is not None and before.state == task.state:
                continue
            kind = _kind(task)
            if kind == INCIDENT:
                self.add(kind, task, detail={"message": self._incident_messages().get(str(task.id), "")})
            elif kind:
                self.add(kind, task)
        for task_id, before in self._seen.items():
            after = current.get(task_id)
            if (
                before.manual
                and before.state == TaskState.READY
                and (after is None or after.state == TaskState.CANCELLED)
            ):
                self._vanished(task_id, before)
        if self._workflow.is_completed() and self._workflow.success and not self._completed:
            self._completed = True
            self.add(COMPLETED)
        self._seen = current

    def _vanished(self, task_id: Any, before: _Seen) -> None:
        self._events.append(
            EngineEvent(
                TASK_CANCELLED,
                self._clock.now(),
                task_id=str(task_id),
                element_id=before.element_id,
                name=before.name,
                lane=before.lane,
                key=before.key,
            )
        )

    def events(self) -> list[EngineEvent]:
        """The events recorded since the last clear, oldest first."""
        return list(self._events)

    def clear(self) -> None:
        """Forget the recorded events (they were saved)."""
        self._events.clear()
