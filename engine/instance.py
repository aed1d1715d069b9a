"""One running process instance: its run loop, human tasks, timers, messages, incidents, events.

The instance never saves itself: callers load it, call one or more methods, then persist
`to_state()` together with `events_since_last_save()` (audit) in one transaction, route
`outgoing_messages()` and keep `waiting_messages()` / `next_wakeup()` for subscriptions and
wake-ups. One writer per instance: the caller holds the lock.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.exceptions import TaskNotFoundException
from SpiffWorkflow.util.task import TaskState

from engine import forms, human_tasks, messages
from engine.errors import Conflict, NotFound, ValidationFailed
from engine.events import EventRecorder, incident_message
from engine.models import ParsedModel
from engine.runtime_types import (
    CANCELLED,
    COMPLETE,
    ERROR,
    INCIDENT_RETRIED,
    MESSAGE_RECEIVED,
    RUNNING,
    TASK_COMPLETED,
    WAITING,
    EngineEvent,
    HumanTask,
    Incident,
    OutgoingMessage,
    WaitingMessage,
)
from engine.serialization import EncodedState, dump, dump_text

if TYPE_CHECKING:
    from engine.runtime import ProcessEngine

INCIDENTS_KEY = "liancha_incidents"  # workflow-level data, persisted with the instance
MAX_ROUNDS = 100  # engine-step rounds per call; each round may record one incident
MAX_CYCLE_CATCH_UP = 100  # cycle-timer occurrences fired per timer and call
_LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC).isoformat()


class Instance:
    """A process instance bound to its parsed model version and the engine's script engine."""

    def __init__(self, engine: ProcessEngine, parsed: ParsedModel, workflow: Any, *, new: bool = False):
        self.parsed = parsed
        self.workflow = workflow
        self._engine = engine
        self._recorder = EventRecorder(engine.clock, workflow, incident_messages=self._incidents, new=new)

    @property
    def version(self) -> str:
        """The content hash of the model version the instance runs on."""
        return self.parsed.hash

    @property
    def status(self) -> str:
        """running, waiting, complete or error; cancelled after `cancel()` (suspension is the service's)."""
        if self.workflow.is_completed():
            return COMPLETE if self.workflow.success else CANCELLED
        if self._failed_tasks():
            return ERROR
        if self._automatic_ready():
            return RUNNING
        return WAITING

    def advance(self) -> None:
        """Run every ready automatic task and due timer until only waits remain."""
        self._run(None)

    def data(self, keys: Iterable[str] | None = None) -> dict:
        """A copy of the data of the last completed task of the top-level process (`keys`: only
        these variables, those present — cheaper than copying everything)."""
        last = self.workflow.last_task
        if last is None:
            return {}
        if keys is None:
            return copy.deepcopy(last.data)
        return {k: copy.deepcopy(last.data[k]) for k in keys if k in last.data}

    def completed_elements(self) -> set[str]:
        """BPMN element ids of every task that has completed, inside subprocesses and
        multi-instance tasks too (e.g. to mark a diagram)."""
        return {
            t.task_spec.bpmn_id
            for t in self._all_tasks()
            if t.state == TaskState.COMPLETED and getattr(t.task_spec, "bpmn_id", None)
        }

    # --- human tasks -------------------------------------------------------------------------

    def ready_human_tasks(self, *, row_only: bool = False) -> list[HumanTask]:
        """Every READY user or manual task, also inside subprocesses (`row_only`: without form
        schema and data copies, for task list rows — see `human_tasks.build`)."""
        tasks = self.workflow.get_tasks(state=TaskState.READY, manual=True)
        return [human_tasks.build(task, self.parsed, row_only=row_only) for task in tasks]

    def human_task(self, task_id: str, *, row_only: bool = False) -> HumanTask:
        """One READY manual task (NotFound / Conflict otherwise), e.g. to authorise before completing."""
        return human_tasks.build(self._ready_manual(task_id), self.parsed, row_only=row_only)

    def complete(self, task_id: str, data: dict) -> None:
        """Validate `data` against the task's form, store a copy, run the task and advance.

        Nothing changes when validation fails (ValidationFailed with per-field messages).
        """
        task = self._ready_manual(task_id)
        if not isinstance(data, dict):
            raise ValidationFailed("表单数据格式错误", {forms.ROOT_FIELD: "应为对象"})
        errors = human_tasks.form_errors(task, self.parsed, data)
        if errors:
            raise ValidationFailed("表单填写有误，请检查标出的字段", errors)
        submitted = copy.deepcopy(data)
        human_tasks.apply_form(task, submitted)
        self._recorder.add(TASK_COMPLETED, task, detail={"data": submitted})
        self._run(task.run)

    def cancel(self) -> None:
        """Cancel every unfinished task; the instance can do nothing more."""
        self.workflow.cancel()
        self._recorder.add(CANCELLED)
        self._recorder.collect()

    # --- timers ------------------------------------------------------------------------------

    def next_wakeup(self) -> datetime | None:
        """The earliest time a waiting timer is due (UTC), None when no timer waits."""
        due = [d for d in (self._timer_due(t) for t in self._timer_tasks()) if d is not None]
        return min(due) if due else None

    def fire_due_timers(self, now: datetime) -> int:
        """Fire every timer due at `now` (aware) and advance; returns how many fired. A date or
        duration timer fires once; a cycle timer (`R3/PT1H`) fires once per occurrence due by
        `now` (a worker that was down catches up, at most MAX_CYCLE_CATCH_UP at a time)."""
        fired = 0
        for task in self._timer_tasks():
            if isinstance(task.task_spec.event_definition, CycleTimerEventDefinition):
                fired += self._fire_cycle(task, now)
                continue
            due = self._timer_due(task)
            if due is not None and due <= now and not task.internal_data.get("event_fired"):
                task._set_internal_data(event_fired=True)
                fired += 1
        self._run(None)
        return fired

    def _fire_cycle(self, task: Any, now: datetime) -> int:
        """Fire a cycle timer's occurrences due by `now`. SpiffWorkflow compares a cycle's next
        occurrence with the system clock only, so each due occurrence is handed to it as already
        past, and the schedule is then put back on its own dates."""
        definition = task.task_spec.event_definition
        fired = 0
        while fired < MAX_CYCLE_CATCH_UP:
            value = task.internal_data.get("event_value")
            if not isinstance(value, dict) or value.get("cycles") == 0:
                break
            due = TimerEventDefinition.get_datetime(value["next"])
            if due > now:
                break
            task._set_internal_data(event_value={**value, "next": _LONG_AGO})
            definition.update_task(task)  # adds the occurrence's path; counts the cycle down
            after = dict(task.internal_data.get("event_value") or value)
            after["next"] = (due + timedelta(seconds=value["duration"])).isoformat()
            task._set_internal_data(event_value=after)
            fired += 1  # the event recorder sees the cycle count down
        return fired

    # --- incidents ---------------------------------------------------------------------------

    def incidents(self) -> list[Incident]:
        """Tasks stopped by an error, with the message recorded when they failed."""
        messages_by_id = self._incidents()
        return [
            Incident(
                str(t.id),
                t.task_spec.bpmn_id,
                t.task_spec.bpmn_name or t.task_spec.bpmn_id,
                messages_by_id.get(str(t.id), "任务出错"),
            )
            for t in self._failed_tasks()
        ]

    def retry(self, task_id: str) -> None:
        """Run a failed task again (after the cause was fixed) and advance."""
        task = self._task(task_id)
        if task.state != TaskState.ERROR:
            raise Conflict("该任务没有出错，无需重试")
        self._incidents().pop(str(task.id), None)
        self._recorder.add(INCIDENT_RETRIED, task)
        if isinstance(getattr(task.parent, "task_spec", None), MultiInstanceTask):
            # one instance of a multi-instance task: resetting it would drop its input item (only
            # the multi-instance task hands that out, once), so run it again as it stands
            self._run(lambda: task._set_state(TaskState.READY))
        else:
            self._run(lambda: self.workflow.reset_from_task_id(task.id))

    # --- messages ----------------------------------------------------------------------------

    def waiting_messages(self) -> list[WaitingMessage]:
        """Messages the instance waits for, with their correlation values (for subscriptions)."""
        return messages.waiting(self.workflow)

    def deliver_message(self, name: str, payload: Any, correlation: dict[str, Any] | None = None) -> None:
        """Deliver a message routed from another instance, then advance."""
        task_id = messages.deliver(self.workflow, name, payload, correlation)
        task = self._task(task_id)
        detail = {"message": name, "payload": copy.deepcopy(payload), "correlation": dict(correlation or {})}
        self._recorder.add(MESSAGE_RECEIVED, task, detail=detail)
        self._run(None)

    def outgoing_messages(self) -> list[OutgoingMessage]:
        """Messages thrown since the last call that nothing in this instance caught (drained)."""
        return messages.outgoing(self.workflow)

    # --- persistence -------------------------------------------------------------------------

    def events_since_last_save(self) -> list[EngineEvent]:
        """Audit-worthy engine events since load/start or the last `mark_saved()`."""
        return self._recorder.events()

    def mark_saved(self) -> None:
        """Start a new batch of events (call after the state and its events were committed)."""
        self._recorder.clear()

    def to_state(self) -> dict[str, Any]:
        """The instance as a JSON-safe dict without its spec (restore with `ProcessEngine.load`)."""
        return dump(self._engine.serializer, self.workflow)

    def to_encoded_state(self) -> EncodedState:
        """`to_state()` as its JSON text, decoded only if read: for a store that writes the text
        (encoding once instead of encode, decode and encode again)."""
        return EncodedState(dump_text(self._engine.serializer, self.workflow))

    # --- internals ---------------------------------------------------------------------------

    def _incidents(self) -> dict[str, str]:
        return self.workflow.data.setdefault(INCIDENTS_KEY, {})

    def _all_tasks(self) -> Iterator[Any]:
        """Every task of the workflow and its subprocesses, without walking the tree.

        SpiffWorkflow's state-filtered `get_tasks` does not descend below tasks in a lower state
        than the one asked for: an ERROR child of a STARTED parallel multi-instance task (or of a
        running subprocess) is never found by `get_tasks(state=ERROR)`."""
        yield from self.workflow.tasks.values()
        for sub in self.workflow.subprocesses.values():
            yield from sub.tasks.values()

    def _failed_tasks(self) -> list[Any]:
        return [t for t in self._all_tasks() if t.state == TaskState.ERROR]

    def _automatic_ready(self) -> bool:
        return any(not t.task_spec.manual for t in self.workflow.get_tasks(state=TaskState.READY))

    def _run(self, action: Callable[[], Any] | None) -> None:
        try:
            if action is not None:
                action()
        except WorkflowTaskException as err:
            self._record_incident(err)
        for _ in range(MAX_ROUNDS):
            try:
                self.workflow.refresh_timers()
                self.workflow.do_engine_steps()
            except WorkflowTaskException as err:
                self._record_incident(err)
                continue
            if not self._automatic_ready():
                break
        self._recorder.collect()

    def _record_incident(self, err: WorkflowTaskException) -> None:
        task = err.task
        if task.state != TaskState.ERROR:
            # Errors outside `run()` (e.g. a timer expression) leave the task as it was; park it.
            task._set_state(TaskState.ERROR)
            self.workflow.event_manager.remove_task(task)
        self._incidents()[str(task.id)] = incident_message(err)

    def _task(self, task_id: str) -> Any:
        try:
            return self.workflow.get_task_from_id(uuid.UUID(str(task_id)))
        except (ValueError, TaskNotFoundException):
            raise NotFound("任务不存在") from None

    def _ready_manual(self, task_id: str) -> Any:
        task = self._task(task_id)
        if not task.task_spec.manual:
            raise Conflict("该任务由系统自动办理，不能手工提交")
        if task.state != TaskState.READY:
            raise Conflict(f"任务当前不可办理（状态：{TaskState.get_name(task.state)}）")
        return task

    def _timer_tasks(self) -> list[Any]:
        return [
            t
            for t in self.workflow.event_manager.tasks.values()
            if isinstance(
                t.task_spec.event_definition,
                TimeDateEventDefinition | DurationTimerEventDefinition | CycleTimerEventDefinition,
            )
        ]

    @staticmethod
    def _timer_due(task: Any) -> datetime | None:
        value = task.internal_data.get("event_value")
        if isinstance(value, dict):  # a cycle: {"cycles": left (-1: endless), "next": ISO, "duration": s}
            return TimerEventDefinition.get_datetime(value["next"]) if value.get("cycles") != 0 else None
        return TimerEventDefinition.get_datetime(value) if isinstance(value, str) else None
