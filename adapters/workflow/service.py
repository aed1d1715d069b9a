"""WorkflowService: the case runtime on the database.

One writer per instance: the instance row is locked (`SELECT … FOR UPDATE` on PostgreSQL) and
versioned (`lock_version`, checked by the UPDATE); a lost race raises `Conflict` (HTTP 409) and
changes nothing. State, human-task rows, subscriptions, incidents and audit events are written in
the caller's transaction; side effects (routing messages, notifications) are enqueued as jobs that
run only after commit. The caller commits.

The service is assembled from parts: starting, loading and completing here; claims and the
may-work rule in `task_actions`; cancel/suspend/resume/retry in `administration`; timers and
messages in `wakeups`; saving in `persistence`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.audit_store import SqlAuditLog, remember_head
from adapters.models.workflow import HumanTask, ProcessInstance, ProcessVersion
from adapters.workflow import queries, versions
from adapters.workflow.administration import Administration
from adapters.workflow.persistence import Before, Persistence, subscription_keys
from adapters.workflow.rows import ACTIVE, SUMMARY_KEYS, correlation_key
from adapters.workflow.task_actions import TaskActions
from adapters.workflow.wakeups import TimersAndMessages
from adapters.workflow.who import SYSTEM, Who
from engine.audit import case_stream
from engine.errors import Conflict, NotFound
from engine.instance import Instance
from engine.ports import JobQueue
from engine.runtime import ProcessEngine

__all__ = ["ACTIVE", "SUMMARY_KEYS", "SYSTEM", "Before", "Start", "Who", "WorkflowService", "correlation_key"]


@dataclass(frozen=True)
class Start:
    """One instance to start with `WorkflowService.start_many` (the arguments of `start`)."""

    data: Mapping[str, Any]
    business_key: str | None = None
    title: str = ""
    department_id: int | None = None
    parent_id: int | None = None


class WorkflowService(TaskActions, Administration, TimersAndMessages, Persistence):
    def __init__(self, session: Session, engine: ProcessEngine, jobs: JobQueue | None = None, clock=None):
        self.session = session
        self.engine = engine
        self.jobs = jobs
        self.clock = clock or (lambda: datetime.now(UTC))
        self.audit = SqlAuditLog(session, self.clock)
        self._hashes: dict[int, str] = {}  # version id -> content hash, for this unit of work
        self._pending_audit: dict[int, list] = {}  # instance id -> events queued for its next save

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
        version, new_id = self._latest_version(model_id, new_ids=1)
        return self._start(
            version,
            new_id[0] if new_id else None,
            data,
            who,
            business_key=business_key,
            title=title,
            department_id=department_id,
            parent_id=parent_id,
        )

    def start_many(self, model_id: str, starts: Sequence[Start], who: Who = SYSTEM) -> list[ProcessInstance]:
        """`start` for many instances of one model in the caller's transaction (a spawn batch):
        the version looked up, the business keys checked and (on PostgreSQL) the ids drawn once
        for all; each instance is then started and saved exactly as `start` does (its row, task
        rows, audit events). Returns the instances in order — the existing one for a known
        business key, as `start` does."""
        keys = [s.business_key for s in starts if s.business_key]
        existing = {}
        if keys:
            existing = {
                r.business_key: r
                for r in self.session.execute(
                    select(ProcessInstance).where(ProcessInstance.business_key.in_(keys))
                ).scalars()
            }
        wanted = sum(1 for s in starts if not s.business_key or s.business_key not in existing)
        version, ids = self._latest_version(model_id, new_ids=wanted)
        fresh = iter(ids)
        batch: dict[str, list] = {}  # the new cases' audit events, appended together at the end
        out = []
        for s in starts:
            if s.business_key and s.business_key in existing:
                out.append(existing[s.business_key])
                continue
            row = self._start(
                version,
                next(fresh, None),
                s.data,
                who,
                business_key=s.business_key,
                title=s.title,
                department_id=s.department_id,
                parent_id=s.parent_id,
                batch=batch,
            )
            if s.business_key:
                existing[s.business_key] = row  # the same key twice in one batch: one instance
            out.append(row)
        self.session.flush()  # the batch's rows (instances, task rows) in a few multi-row INSERTs
        self.audit.append_new_streams(batch)
        self._flush()
        return out

    def _start(
        self,
        version: ProcessVersion,
        new_id: int | None,
        data: Mapping[str, Any],
        who: Who,
        *,
        business_key: str | None,
        title: str,
        department_id: int | None,
        parent_id: int | None,
        batch: dict[str, list] | None = None,
    ) -> ProcessInstance:
        """Start one instance of `version`; `new_id`: its id drawn beforehand (PostgreSQL), so that
        the row is inserted once with its state, else it is inserted first to get one. `batch`:
        part of `start_many` — the rows are flushed and the audit events appended by it."""
        now = self.clock()
        row = ProcessInstance(
            id=new_id,
            model_id=version.model_id,
            version_id=version.id,
            business_key=business_key,
            title=title,
            status="running",
            state={},
            summary={},
            department_id=department_id,
            parent_id=parent_id,
            started_by_id=who.actor_id,
            started_at=now,
            updated_at=now,
        )
        if new_id is None:
            self.session.add(row)
            self.session.flush()
        start_data = {**dict(data), "instance_id": row.id}
        self._hashes[version.id] = version.content_hash
        instance = self.engine.start(self.parsed(version), start_data)
        # added only now: the services the engine ran must not flush it without its state
        self.session.add(row)
        self._audit(
            row,
            "instance_started",
            who,
            {"model": version.model_id, "version": version.version, "data": dict(data)},
        )
        self._persist(row, instance, who, before=Before.new(), batch=batch)
        return row

    def parsed(self, version: ProcessVersion):
        return self.engine.cached(version.content_hash) or self.engine.parse(versions.files_of(version))

    def _latest_version(self, model_id: str, *, new_ids: int = 0) -> tuple[ProcessVersion, list[int]]:
        """`versions.latest_deployed` without the files (they are read only to parse a version the
        engine has not cached yet); on PostgreSQL with `new_ids` instance ids drawn from the
        instances' sequence in the same query (none elsewhere: SQLite numbers rows on insert)."""
        if not new_ids or self.session.get_bind().dialect.name != "postgresql":
            params = {"model_id": model_id}
            version = self.session.execute(queries.latest_version(), params).scalar_one_or_none()
            # the latter raises NotFound
            return version or versions.latest_deployed(self.session, model_id), []
        found = self.session.execute(
            queries.latest_version_with_ids(), {"model_id": model_id, "n": new_ids}
        ).all()
        if not found:
            return versions.latest_deployed(self.session, model_id), []  # raises NotFound
        return found[0][0], [int(n) for _v, n in found]

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
        params = {"instance_id": instance_id}
        if lock:
            found = self._locked("instance", params)
        else:
            found = self.session.execute(queries.instance_with_hash(), params).one_or_none()
        if found is None:
            raise NotFound("案件不存在")
        row, digest = found
        self._hashes[row.version_id] = digest
        return row

    def _locked(self, kind: str, params: dict) -> tuple | None:
        """Run the query of `kind` (`queries.QUERIES`), which reads the instance row: re-read
        (`populate_existing`: every object it returns is overwritten with what the database holds
        now, whatever this session read before) and, on PostgreSQL, locked FOR UPDATE together
        with the case's audit head, which the audit store then needs not lock again (SQLite has a
        single writer)."""
        if self.session.get_bind().dialect.name != "postgresql":
            return self.session.execute(queries.reread(kind), params).one_or_none()
        found = self.session.execute(queries.locked_with_head(kind), params).one_or_none()
        if found is None:  # no such row, or a case without audit events yet
            return self.session.execute(queries.locked(kind), params).one_or_none()
        *values, seq, digest = found
        instance = next(v for v in values if isinstance(v, ProcessInstance))
        remember_head(self.session, case_stream(instance.id), seq, digest)
        return tuple(values)

    def load(self, row: ProcessInstance) -> Instance:
        parsed = self.engine.cached(self._content_hash(row.version_id))
        return self.engine.load(parsed or self.parsed(row.version), row.state)

    @staticmethod
    def _before(row: ProcessInstance, instance: Instance, *known: HumanTask) -> Before:
        return Before(row.status, subscription_keys(instance), {t.task_uuid: t for t in known})

    # --- completing ----------------------------------------------------------------------------

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
        task.completed_by_id = who.actor_id
        self._persist(row, instance, who, before=before)
        return row

    def _locked_task(self, task_id: int) -> tuple[HumanTask, ProcessInstance]:
        """The task and its instance, read in one query with the instance row locked and both
        re-read (see `_locked`), so both say what the last committed writer left even when this
        session had read them before."""
        found = self._locked("task", {"task_id": task_id})
        if found is None:
            raise NotFound("任务不存在")
        task, row, digest = found
        self._hashes[row.version_id] = digest
        return task, row
