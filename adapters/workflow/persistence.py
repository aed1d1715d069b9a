"""Saving an instance: its row, the human-task rows, subscriptions, incidents and audit events.

`Persistence` is a part of `WorkflowService` (it uses the service's session, clock, job queue and
version caches). Everything is written in the caller's transaction; outgoing messages become
`route_message` jobs that run only after commit. The audit events of one save — those the service
queued with `_audit` and the engine's — are appended to the case's stream together (one head
lock, one INSERT, one head write).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import inspect, select
from sqlalchemy.orm.exc import StaleDataError

from adapters.audit_store import WriteMismatch, draft
from adapters.models.workflow import HumanTask, Incident, MessageSubscription, ProcessInstance, ProcessVersion
from adapters.workflow import combined
from adapters.workflow.combined import combined_write_possible
from adapters.workflow.rows import SUMMARY_KEYS, correlation_key, due_at, due_variables, int_or_none, summary
from adapters.workflow.who import Who
from engine.audit import AuditEvent, case_stream
from engine.errors import Conflict, NotFound
from engine.instance import Instance
from engine.runtime_types import COMPLETE, TASK_CANCELLED, TASK_COMPLETED, TASK_READY, EngineEvent

# model.json's due variables per content hash (a version's files never change)
_DUE_VARIABLES: dict[str, dict[str, str]] = {}


@dataclass(frozen=True)
class Before:
    """What the database holds for an instance as it was loaded (its rows mirror the last save),
    so that saving writes only what changed instead of re-reading every row."""

    status: str | None  # the row's status; None: a new instance, nothing stored yet
    subscriptions: frozenset[tuple[str, str]]
    tasks: Mapping[str, HumanTask]  # ready task rows already in the session, by task uuid

    @classmethod
    def new(cls) -> Before:
        return cls(None, frozenset(), {})


def subscription_keys(instance: Instance) -> frozenset[tuple[str, str]]:
    return frozenset((m.name, correlation_key(m.correlation)) for m in instance.waiting_messages())


class Persistence:
    """Writing instances and what derives from them (mixed into WorkflowService)."""

    def _persist(
        self,
        row: ProcessInstance,
        instance: Instance,
        who: Who,
        status: str | None = None,
        *,
        before: Before | None = None,
        batch: dict[str, list] | None = None,
    ) -> None:
        """Write the instance and everything derived from it. With `before` (what was stored when
        it was loaded) only the changes are written; without, every derived row is re-read and
        compared (the administrative actions, where tasks may change without an event)."""
        now = self.clock()
        events = instance.events_since_last_save()
        current = instance.status
        row.state = instance.to_encoded_state()
        row.status = status or ("suspended" if row.status == "suspended" else current)
        wake = instance.next_wakeup()
        row.next_wakeup = wake if row.status in ("running", "waiting") else None
        row.updated_at = now
        if current == COMPLETE and row.completed_at is None:
            row.completed_at = now
        row.summary = summary(instance.data(SUMMARY_KEYS))
        closing: list[HumanTask] = []
        if before is None:
            self._sync_tasks(row, instance, events, status == "cancelled")
        else:
            closing = self._sync_changed_tasks(row, instance, events, before)
        self._sync_subscriptions(row, instance, before)
        self._sync_incidents(row, instance, before, who)
        for event in events:
            self._audit_engine_event(row, event, who)
        if batch is not None and before is not None and before.status is None:
            # a new case of a batch (`start_many`): its events are appended with the batch's
            batch[case_stream(row.id)] = self._pending_audit.pop(row.id, [])
        elif before is not None and before.status is not None and combined_write_possible(self.session, row):
            self._write_with_audit(row, closing)
        else:
            self._write_audit(row, new=before is not None and before.status is None)
        for message in instance.outgoing_messages():
            if self.jobs is not None:
                self.jobs.enqueue(
                    "route_message",
                    name=message.name,
                    correlation=dict(message.correlation),
                    payload=message.payload,
                    source_instance_id=row.id,
                )
        if batch is None:
            self._flush()
        instance.mark_saved()

    def _flush(self) -> None:
        try:
            self.session.flush()
        except StaleDataError:
            raise Conflict("案件已被他人同时修改，请刷新后重试") from None

    # --- human-task rows -------------------------------------------------------------------------

    def _sync_tasks(
        self, row: ProcessInstance, instance: Instance, events: list[EngineEvent], cancelled: bool
    ) -> None:
        existing = {
            t.task_uuid: t
            for t in self.session.execute(
                select(HumanTask).where(HumanTask.instance_id == row.id, HumanTask.state == "ready")
            ).scalars()
        }
        ready = {t.id: t for t in ([] if cancelled else instance.ready_human_tasks(row_only=True))}
        completed = {e.task_id for e in events if e.kind == TASK_COMPLETED}
        now = self.clock()
        for uuid, task in existing.items():
            if uuid not in ready:
                task.state = "completed" if uuid in completed else "cancelled"
                task.completed_at = now
        self._add_tasks(row, [ht for uuid, ht in ready.items() if uuid not in existing], now)

    def _sync_changed_tasks(
        self, row: ProcessInstance, instance: Instance, events: list[EngineEvent], before: Before
    ) -> list[HumanTask]:
        """`_sync_tasks` from the events: a ready task leaves only by being completed or cancelled
        (both recorded), a task becoming ready is recorded too. Builds only the new tasks and
        reads only the rows that close — a wide case must not cost more per task."""
        leaving: dict[str, str] = {}
        for e in events:
            if e.kind == TASK_COMPLETED:
                leaving[e.task_id] = "completed"
            elif e.kind == TASK_CANCELLED:
                leaving.setdefault(e.task_id, "cancelled")
        rows = dict(before.tasks)
        unknown = [uuid for uuid in leaving if uuid not in rows]
        if unknown and before.status is not None:
            query = select(HumanTask).where(
                HumanTask.instance_id == row.id, HumanTask.state == "ready", HumanTask.task_uuid.in_(unknown)
            )
            rows.update((t.task_uuid, t) for t in self.session.execute(query).scalars())
        now = self.clock()
        closing = []
        for uuid, state in leaving.items():
            task = rows.get(uuid)
            if task is not None and task.state == "ready":
                task.state, task.completed_at = state, now
                closing.append(task)
        arrived = dict.fromkeys(e.task_id for e in events if e.kind == TASK_READY and e.task_id not in rows)
        self._add_tasks(
            row, [ht for ht in (_still_ready(instance, i) for i in arrived) if ht is not None], now
        )
        return closing

    def _add_tasks(self, row: ProcessInstance, ready: list, now: datetime) -> None:
        if not ready:
            return
        due_vars = self._due_variables(row.version_id)
        for ht in ready:
            self.session.add(
                HumanTask(
                    instance_id=row.id,
                    task_uuid=ht.id,
                    element_id=ht.element_id,
                    name=ht.name,
                    lane=ht.lane,
                    mi_key=ht.key,
                    department_id=int_or_none(ht.department),
                    roles=",".join(ht.roles),
                    form=ht.form,
                    due_at=due_at(ht.data, due_vars.get(ht.element_id) or due_vars.get("*")),
                    state="ready",
                    created_at=now,
                )
            )

    def _due_variables(self, version_id: int) -> dict[str, str]:
        digest = self._content_hash(version_id)
        if digest not in _DUE_VARIABLES:
            _DUE_VARIABLES[digest] = due_variables(self.session.get(ProcessVersion, version_id).files)
        return _DUE_VARIABLES[digest]

    # --- subscriptions and incidents -----------------------------------------------------------

    def _sync_subscriptions(self, row: ProcessInstance, instance: Instance, before: Before | None) -> None:
        wanted = subscription_keys(instance)
        if before is not None and wanted == before.subscriptions:
            return
        current = {
            (s.message_name, s.correlation_key): s
            for s in self.session.execute(
                select(MessageSubscription).where(MessageSubscription.instance_id == row.id)
            ).scalars()
        }
        for key, sub in current.items():
            if key not in wanted:
                self.session.delete(sub)
        for name, corr in wanted - set(current):
            self.session.add(MessageSubscription(instance_id=row.id, message_name=name, correlation_key=corr))

    def _sync_incidents(
        self, row: ProcessInstance, instance: Instance, before: Before | None, who: Who
    ) -> None:
        """Open an incident row per failed task, resolve those whose task no longer fails (by
        `who`: the admin who retried it; None when the system moved on)."""
        now_open = {i.task_id: i for i in instance.incidents()}
        # open incident rows exist only while the stored status says error (or suspended/cancelled)
        if before is not None and not now_open and before.status in (None, "running", "waiting"):
            return
        open_rows = {
            i.task_uuid: i
            for i in self.session.execute(
                select(Incident).where(Incident.instance_id == row.id, Incident.resolved_at.is_(None))
            ).scalars()
        }
        for uuid, inc in open_rows.items():
            if uuid not in now_open:
                inc.resolved_at = self.clock()
                inc.resolved_by_id = who.actor_id
        for uuid, inc in now_open.items():
            if uuid not in open_rows:
                self.session.add(
                    Incident(
                        instance_id=row.id, task_uuid=uuid, element_id=inc.element_id, message=inc.message
                    )
                )

    # --- audit ---------------------------------------------------------------------------------

    def _audit(self, row: ProcessInstance, kind: str, who: Who, data: dict) -> None:
        """Queue an event for the case's stream; written with the next save (`_write_audit`)."""
        self._pending_audit.setdefault(row.id, []).append(
            draft(
                case_stream(row.id),
                kind,
                data=data,
                actor_id=who.actor_id,
                actor_name=who.name,
                client_addr=who.client_addr,
                occurred_at=self.clock(),
            )
        )

    def _write_audit(self, row: ProcessInstance, *, new: bool = False) -> list[AuditEvent]:
        """Append the case's queued events in one go (`new`: a case being started)."""
        return self.audit.append_all(case_stream(row.id), self._pending_audit.pop(row.id, []), new=new)

    def _write_with_audit(self, row: ProcessInstance, closing: list[HumanTask]) -> None:
        """PostgreSQL, an instance loaded from its row: the instance row, the rows of the tasks
        that close and the queued audit events in one statement (`combined.writes`) instead of
        an ORM flush of the rows and then the events; the ORM is told the rows are written."""
        queued = self._pending_audit.pop(row.id, [])
        if not queued:
            return
        closing = [t for t in closing if inspect(t).persistent]
        try:
            with self.session.no_autoflush:
                self.audit.append_all(case_stream(row.id), queued, writes=combined.writes(row, closing))
        except WriteMismatch:
            raise Conflict("案件已被他人同时修改，请刷新后重试") from None
        combined.mark_written(row, closing)

    def _audit_task(self, task: HumanTask, kind: str, who: Who, data: dict) -> None:
        row = self.session.get(ProcessInstance, task.instance_id)
        self._audit(row, kind, who, {"task": task.element_id, "task_name": task.name, **data})
        self._write_audit(row)

    def _audit_engine_event(self, row: ProcessInstance, event: EngineEvent, who: Who) -> None:
        data = {
            k: v
            for k, v in (
                ("task", event.element_id),
                ("task_name", event.name),
                ("lane", event.lane),
                ("key", event.key),
            )
            if v
        }
        data.update(event.detail)
        by_person = event.kind == TASK_COMPLETED
        self._pending_audit.setdefault(row.id, []).append(
            draft(
                case_stream(row.id),
                event.kind,
                data=data,
                actor_id=who.actor_id if by_person else None,
                actor_name=who.name if by_person else "system",
                client_addr=who.client_addr if by_person else None,
                occurred_at=event.at,
            )
        )


def _still_ready(instance: Instance, task_id: str):
    """The task as a HumanTask if it is ready now (it may have been ready for a moment only)."""
    try:
        return instance.human_task(task_id, row_only=True)
    except (Conflict, NotFound):
        return None
