"""What both queues share: a job run row written in the caller's transaction, handed to the
concrete queue only after that transaction commits."""

from __future__ import annotations

from typing import Any

from adapters.db import db
from adapters.jobs import runs
from adapters.jobs.after_commit import after_commit
from adapters.jobs.registry import lookup


class BaseQueue:
    """`engine.ports.JobQueue`; subclasses say how a committed run is dispatched."""

    mode = "base"

    def __init__(self, retry_intervals: tuple[int, ...] = (10, 60, 300)):
        self.retry_intervals = tuple(retry_intervals)

    def enqueue(self, job_name: str, *, key: str | None = None, **kwargs: Any) -> str:
        """Enqueue `job_name(**kwargs)` when the current transaction commits; the id of its run.
        A key already queued, running or done is not enqueued again."""
        lookup(job_name)  # an unknown name is a bug: fail in the caller, not later in a worker
        run, dispatch = runs.record(db.session, job_name, key, kwargs)
        if dispatch:
            self._after_commit(run.id, key)
        return str(run.id)

    def retry(self, run_id: int) -> None:
        """Run a failed (or stale) run again once the current transaction commits."""
        run = runs.requeue(db.session, run_id)
        self._after_commit(run.id, run.key)

    def _after_commit(self, run_id: int, key: str | None) -> None:
        after_commit(db.session(), lambda: self.dispatch(run_id, key))

    def dispatch(self, run_id: int, key: str | None) -> None:
        raise NotImplementedError
