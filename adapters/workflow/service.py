"""WorkflowService: the case runtime on the database.

One writer per instance: the instance row is locked (`SELECT … FOR UPDATE` on PostgreSQL) and
versioned (`lock_version`, checked by the UPDATE); a lost race raises `Conflict` (HTTP 409) and
changes nothing. State, human-task rows, subscriptions, incidents and audit events are written in
the caller's transaction; side effects (routing messages, notifications) are enqueued as jobs that
run only after commit. The caller commits.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, load_only
from sqlalchemy.orm.exc import StaleDataError

from adapters.audit_store import SqlAuditLog
from adapters.models.workflow import HumanTask, Incident, MessageSubscription, ProcessInstance, ProcessVersion
from adapters.workflow import versions
from engine.access import Actor
from engine.audit import case_stream
from engine.errors import Conflict, Forbidden, NotFound
from engine.instance import Instance
from engine.ports import JobQueue
from engine.runtime import ProcessEngine
from engine.runtime_types import COMPLETE, TASK_CANCELLED, TASK_COMPLETED, TASK_READY, EngineEvent

ACTIVE = ("running", "waiting", "error")
# model.json's due variables per content hash (a version's files never change)
_DUE_VARIABLES: dict[str, dict[str, str]] = {}


@dataclass(frozen=True)
class Who:
    """Who acts, for authorisation and the audit trail (None actor: the system)."""

    actor: Actor | None = None
    name: str = "system"
    client_addr: str | None = None


SYSTEM = Who()


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


def correlation_key(correlation: Mapping[str, Any] | None) -> str:
    return json.dumps(dict(correlation or {}), sort_keys=True, ensure_ascii=False, default=str)


class WorkflowService:
    def __init__(self, session: Session, engine: ProcessEngine, jobs: JobQueue | None = None, clock=None):
        self.session = session
        self.engine = engine
        self.jobs = jobs
        self.clock = clock or (lambda: datetime.now(UTC))
        self.audit = SqlAuditLog(session)
        self._hashes: dict[int, str] = {}  # version id -> content hash, for this unit of work

    # --- starting ------------------------------------------------------------------------------

    def start(
        self,
        model_id: str,
        data: Mapping[str, Any],
        who: Who = SYSTEM,
        *,
        business_key: str | None = None,
        title: str = "",
        department_id: int | None = None,
        parent_id: int | None = None,
    ) -> ProcessInstance:
        """Start the newest deployed version of `model_id`. With a `business_key`, starting twice
        returns the first instance (idempotent spawning)."""
        if business_key:
            existing = self.session.execute(
                select(ProcessInstance).where(ProcessInstance.business_key == business_key)
            ).scalar_one_or_none()
            if existing is not None:
                return existing
        version = self._latest_version(model_id)
        row = ProcessInstance(
            model_id=model_id,
            version_id=version.id,
            business_key=business_key,
            title=title,
            status="running",
            state={},
            summary={},
            department_id=department_id,
            parent_id=parent_id,
            started_by_id=who.actor.id if who.actor else None,
            started_at=self.clock(),
            updated_at=self.clock(),
        )
        self.session.add(row)
        self.session.flush()
        start_data = {**dict(data), "instance_id": row.id}
        self._hashes[version.id] = version.content_hash
        instance = self.engine.start(self.parsed(version), start_data)
        self._audit(
            row, "instance_started", who, {"model": model_id, "version": version.version, "data": dict(data)}
        )
        self._persist(row, instance, who, before=Before.new())
        return row

    def parsed(self, version: ProcessVersion):
        return self.engine.cached(version.content_hash) or self.engine.parse(versions.files_of(version))

    def _latest_version(self, model_id: str) -> ProcessVersion:
        """`versions.latest_deployed` without the files: they are read only to parse a version
        the engine has not cached yet."""
        version = self.session.execute(
            select(ProcessVersion)
            .options(load_only(ProcessVersion.model_id, ProcessVersion.version, ProcessVersion.content_hash))
            .where(ProcessVersion.model_id == model_id, ProcessVersion.status == "deployed")
            .order_by(ProcessVersion.version.desc())
            .limit(1)
        ).scalar_one_or_none()
        return version or versions.latest_deployed(self.session, model_id)  # the latter raises NotFound

    def _content_hash(self, version_id: int) -> str:
        if version_id not in self._hashes:
            self._hashes[version_id] = self.session.execute(
                select(ProcessVersion.content_hash).where(ProcessVersion.id == version_id)
            ).scalar_one()
        return self._hashes[version_id]

    # --- loading and locking -------------------------------------------------------------------

    def instance_row(self, instance_id: int, *, lock: bool = False) -> ProcessInstance:
        """The instance row (with its version's content hash in one query); `lock`: locked and
        re-read, so that what it says is what the last committed writer left."""
        query = (
            select(ProcessInstance, ProcessVersion.content_hash)
            .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
            .where(ProcessInstance.id == instance_id)
        )
        if lock:
            query = query.execution_options(populate_existing=True)
            if self.session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(of=ProcessInstance)
        found = self.session.execute(query).one_or_none()
        if found is None:
            raise NotFound("案件不存在")
        row, digest = found
        self._hashes[row.version_id] = digest
        return row

    def load(self, row: ProcessInstance) -> Instance:
        parsed = self.engine.cached(self._content_hash(row.version_id))
        return self.engine.load(parsed or self.parsed(row.version), row.state)

    @staticmethod
    def _before(row: ProcessInstance, instance: Instance, *known: HumanTask) -> Before:
        return Before(row.status, _subscription_keys(instance), {t.task_uuid: t for t in known})

    # --- human tasks ---------------------------------------------------------------------------

    def task_row(self, task_id: int) -> HumanTask:
        row = self.session.get(HumanTask, task_id)
        if row is None:
            raise NotFound("任务不存在")
        return row

    def complete(self, task_id: int, data: Mapping[str, Any], who: Who) -> ProcessInstance:
        """Complete a READY human task the user may do; form errors raise ValidationFailed with
        nothing changed."""
        task, row = self._locked_task(task_id)
        self._ensure_may_work(task, who)
        if row.status not in ACTIVE:
            raise Conflict("该任务已办结或案件不在办理中，请刷新后重试")
        instance = self.load(row)
        before = self._before(row, instance, task)
        instance.complete(task.task_uuid, dict(data))
        task.completed_by_id = who.actor.id if who.actor else None
        self._persist(row, instance, who, before=before)
        return row

    def _locked_task(self, task_id: int) -> tuple[HumanTask, ProcessInstance]:
        """The task and its instance, read in one query with the instance row locked, so both say
        what the last committed writer left."""
        query = (
            select(HumanTask, ProcessInstance, ProcessVersion.content_hash)
            .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
            .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
            .where(HumanTask.id == task_id)
            .execution_options(populate_existing=True)
        )
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(of=ProcessInstance)
        found = self.session.execute(query).one_or_none()
        if found is None:
            raise NotFound("任务不存在")
        task, row, digest = found
        self._hashes[row.version_id] = digest
        return task, row

    def claim(self, task_id: int, who: Who) -> HumanTask:
        task = self.task_row(task_id)
        self._ensure_may_work(task, who)
        if task.assignee_id not in (None, who.actor.id):
            raise Conflict("该任务已被他人认领")
        task.assignee_id = who.actor.id
        self._audit_task(task, "task_claimed", who, {})
        return task

    def unclaim(self, task_id: int, who: Who) -> HumanTask:
        task = self.task_row(task_id)
        if task.assignee_id != (who.actor.id if who.actor else None) and not self._is_officer_of(task, who):
            raise Forbidden("只有认领人或本部门管理人员可以退回认领")
        task.assignee_id = None
        self._audit_task(task, "task_unclaimed", who, {})
        return task

    def reassign(self, task_id: int, user_id: int, user_department_id: int | None, who: Who) -> HumanTask:
        task = self.task_row(task_id)
        if not self._is_officer_of(task, who):
            raise Forbidden("只有本部门管理人员可以转办")
        if task.department_id is not None and user_department_id != task.department_id:
            raise Conflict("只能转办给本部门人员")
        task.assignee_id = user_id
        self._audit_task(task, "task_reassigned", who, {"to": user_id})
        return task

    def may_work(self, task: HumanTask, who: Who) -> bool:
        actor = who.actor
        if actor is None or task.state != "ready":
            return False
        roles = set((task.roles or "").split(",")) - {""}
        if roles and not actor.roles & roles:
            return False
        if task.department_id is not None and actor.department_id != task.department_id:
            return False
        return task.assignee_id in (None, actor.id) or self._is_officer_of(task, who)

    def _ensure_may_work(self, task: HumanTask, who: Who) -> None:
        if task.state != "ready":
            raise Conflict("该任务已办结，请刷新后重试")
        if not self.may_work(task, who):
            raise Forbidden("您没有办理该任务的权限")

    @staticmethod
    def _is_officer_of(task: HumanTask, who: Who) -> bool:
        a = who.actor
        return bool(
            a
            and "officer" in a.roles
            and (task.department_id is None or a.department_id == task.department_id)
        )

    # --- instance administration --------------------------------------------------------------

    def cancel(self, instance_id: int, who: Who, reason: str) -> ProcessInstance:
        row = self.instance_row(instance_id, lock=True)
        if row.status in ("complete", "cancelled"):
            raise Conflict("案件已结束，不能撤销")
        instance = self.load(row)
        instance.cancel()
        self._audit(row, "admin_action", who, {"action": "cancel", "reason": reason})
        self._persist(row, instance, who, status="cancelled")
        return row

    def suspend(self, instance_id: int, who: Who, reason: str) -> ProcessInstance:
        row = self.instance_row(instance_id, lock=True)
        if row.status not in ACTIVE:
            raise Conflict("只有办理中的案件可以挂起")
        row.status = "suspended"
        self._audit(row, "admin_action", who, {"action": "suspend", "reason": reason})
        self._flush()
        return row

    def resume(self, instance_id: int, who: Who, reason: str = "") -> ProcessInstance:
        row = self.instance_row(instance_id, lock=True)
        if row.status != "suspended":
            raise Conflict("案件未挂起")
        instance = self.load(row)
        self._audit(row, "admin_action", who, {"action": "resume", "reason": reason})
        self._persist(row, instance, who, status=instance.status)
        return row

    def retry_incident(self, incident_id: int, who: Who) -> ProcessInstance:
        incident = self.session.get(Incident, incident_id)
        if incident is None or incident.resolved_at is not None:
            raise NotFound("故障不存在或已处理")
        row = self.instance_row(incident.instance_id, lock=True)
        instance = self.load(row)
        instance.retry(incident.task_uuid)
        self._audit(row, "admin_action", who, {"action": "retry", "element": incident.element_id})
        self._persist(row, instance, who)
        return row

    # --- timers and messages ------------------------------------------------------------------

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
            or _aware(row.next_wakeup) > now
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

    # --- persistence ---------------------------------------------------------------------------

    def _persist(
        self,
        row: ProcessInstance,
        instance: Instance,
        who: Who,
        status: str | None = None,
        *,
        before: Before | None = None,
    ) -> None:
        """Write the instance and everything derived from it. With `before` (what was stored when
        it was loaded) only the changes are written; without, every derived row is re-read and
        compared (the administrative actions, where tasks may change without an event)."""
        now = self.clock()
        events = instance.events_since_last_save()
        current = instance.status
        row.state = instance.to_state()
        row.status = status or ("suspended" if row.status == "suspended" else current)
        wake = instance.next_wakeup()
        row.next_wakeup = wake if row.status in ("running", "waiting") else None
        row.updated_at = now
        if current == COMPLETE and row.completed_at is None:
            row.completed_at = now
        row.summary = _summary(instance.data())
        if before is None:
            self._sync_tasks(row, instance, events, status == "cancelled")
        else:
            self._sync_changed_tasks(row, instance, events, before)
        self._sync_subscriptions(row, instance, before)
        self._sync_incidents(row, instance, before)
        for event in events:
            self._audit_engine_event(row, event, who)
        for message in instance.outgoing_messages():
            if self.jobs is not None:
                self.jobs.enqueue(
                    "route_message",
                    name=message.name,
                    correlation=dict(message.correlation),
                    payload=message.payload,
                    source_instance_id=row.id,
                )
        self._flush()
        instance.mark_saved()

    def _flush(self) -> None:
        try:
            self.session.flush()
        except StaleDataError:
            raise Conflict("案件已被他人同时修改，请刷新后重试") from None

    def _sync_tasks(
        self, row: ProcessInstance, instance: Instance, events: list[EngineEvent], cancelled: bool
    ) -> None:
        existing = {
            t.task_uuid: t
            for t in self.session.execute(
                select(HumanTask).where(HumanTask.instance_id == row.id, HumanTask.state == "ready")
            ).scalars()
        }
        ready = {t.id: t for t in ([] if cancelled else instance.ready_human_tasks())}
        completed = {e.task_id for e in events if e.kind == TASK_COMPLETED}
        now = self.clock()
        for uuid, task in existing.items():
            if uuid not in ready:
                task.state = "completed" if uuid in completed else "cancelled"
                task.completed_at = now
        self._add_tasks(row, [ht for uuid, ht in ready.items() if uuid not in existing], now)

    def _sync_changed_tasks(
        self, row: ProcessInstance, instance: Instance, events: list[EngineEvent], before: Before
    ) -> None:
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
        for uuid, state in leaving.items():
            task = rows.get(uuid)
            if task is not None and task.state == "ready":
                task.state, task.completed_at = state, now
        arrived = dict.fromkeys(e.task_id for e in events if e.kind == TASK_READY and e.task_id not in rows)
        self._add_tasks(
            row, [ht for ht in (_still_ready(instance, i) for i in arrived) if ht is not None], now
        )

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
                    department_id=_int_or_none(ht.department),
                    roles=",".join(ht.roles),
                    form=ht.form,
                    due_at=_due_at(ht.data, due_vars.get(ht.element_id) or due_vars.get("*")),
                    state="ready",
                    created_at=now,
                )
            )

    def _due_variables(self, version_id: int) -> dict[str, str]:
        digest = self._content_hash(version_id)
        if digest not in _DUE_VARIABLES:
            _DUE_VARIABLES[digest] = _due_variables(self.session.get(ProcessVersion, version_id).files)
        return _DUE_VARIABLES[digest]

    def _sync_subscriptions(self, row: ProcessInstance, instance: Instance, before: Before | None) -> None:
        wanted = _subscription_keys(instance)
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

    def _sync_incidents(self, row: ProcessInstance, instance: Instance, before: Before | None) -> None:
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
        for uuid, inc in now_open.items():
            if uuid not in open_rows:
                self.session.add(
                    Incident(
                        instance_id=row.id, task_uuid=uuid, element_id=inc.element_id, message=inc.message
                    )
                )

    def _audit(self, row: ProcessInstance, kind: str, who: Who, data: dict) -> None:
        self.audit.append(
            case_stream(row.id),
            kind,
            data=data,
            actor_id=who.actor.id if who.actor else None,
            actor_name=who.name,
            client_addr=who.client_addr,
        )

    def _audit_task(self, task: HumanTask, kind: str, who: Who, data: dict) -> None:
        row = self.session.get(ProcessInstance, task.instance_id)
        self._audit(row, kind, who, {"task": task.element_id, "task_name": task.name, **data})

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
        self.audit.append(
            case_stream(row.id),
            event.kind,
            data=data,
            actor_id=who.actor.id if (who.actor and by_person) else None,
            actor_name=who.name if by_person else "system",
            client_addr=who.client_addr if by_person else None,
            occurred_at=event.at,
        )


def _subscription_keys(instance: Instance) -> frozenset[tuple[str, str]]:
    return frozenset((m.name, correlation_key(m.correlation)) for m in instance.waiting_messages())


def _still_ready(instance: Instance, task_id: str):
    """The task as a HumanTask if it is ready now (it may have been ready for a moment only)."""
    try:
        return instance.human_task(task_id)
    except (Conflict, NotFound):
        return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _due_variables(files: Mapping[str, str]) -> dict[str, str]:
    """model.json may map element ids (or "*") to the data variable holding a task's due time."""
    try:
        return dict(json.loads(files.get("model.json", "{}")).get("task_due") or {})
    except (ValueError, AttributeError):
        return {}


def _due_at(data: Mapping[str, Any], variable: str | None) -> datetime | None:
    value = data.get(variable) if variable else None
    if not isinstance(value, str):
        return None
    try:
        return _aware(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None


SUMMARY_KEYS = ("title", "enterprise_name", "uscc", "task_number", "lead_department", "overdue", "result_due")


def _summary(data: Mapping[str, Any]) -> dict:
    return {k: data[k] for k in SUMMARY_KEYS if k in data and isinstance(data[k], str | int | float | bool)}
