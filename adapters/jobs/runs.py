"""Bookkeeping of job runs in `job_runs`: record, claim, finish, fail, requeue.

Status: queued → running → done, or back to queued while retries remain, or failed for good.
A run stuck in queued or running for longer than `STALE_AFTER` (its worker died, Redis lost the
job) may be claimed or retried again.
"""

from __future__ import annotations

import json
import traceback
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from adapters.models.jobs import JobRun
from engine.errors import Conflict, NotFound

STALE_AFTER = timedelta(minutes=30)
ERROR_LIMIT = 4000


def now() -> datetime:
    return datetime.now(UTC)


def record(session: Session, name: str, key: str | None, kwargs: dict[str, Any]) -> tuple[JobRun, bool]:
    """The run for this job in the caller's transaction, and whether it must be dispatched: False
    when a run with the same key is already queued, running or done."""
    _check_json(kwargs)
    if key is None:
        run = JobRun(name=name, kwargs=kwargs, status="queued", attempts=0, enqueued_at=now())
        session.add(run)
        session.flush()
        return run, True
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    # ON CONFLICT: a concurrent enqueue of the same key waits for the other transaction, then yields
    created = session.execute(
        insert(JobRun)
        .values(name=name, key=key, kwargs=kwargs, status="queued", attempts=0, enqueued_at=now())
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(JobRun.id)
    ).scalar_one_or_none()
    run = session.execute(
        select(JobRun).where(JobRun.key == key).execution_options(populate_existing=True)
    ).scalar_one()
    if run.name != name:
        raise ValueError(f"job key {key!r} already belongs to job {run.name!r}")
    if created is not None:
        return run, True
    if run.status == "failed":  # enqueueing a failed key again means: try again
        _reset(run)
        session.flush()
        return run, True
    return run, False


def _check_json(kwargs: dict[str, Any]) -> None:
    try:
        json.dumps(kwargs)
    except (TypeError, ValueError) as err:
        raise TypeError(f"job arguments must be plain JSON: {err}") from None


def _reset(run: JobRun) -> None:
    run.status = "queued"
    run.attempts = 0
    run.started_at = None
    run.finished_at = None
    run.enqueued_at = now()


def claim(session: Session, run_id: int) -> JobRun | None:
    """Mark the run running and commit, or None when another worker has it or it is finished."""
    moment = now()
    claimable = or_(
        JobRun.status == "queued",
        and_(JobRun.status == "running", JobRun.started_at < moment - STALE_AFTER),
    )
    result = session.execute(
        update(JobRun)
        .where(JobRun.id == run_id, claimable)
        .values(status="running", attempts=JobRun.attempts + 1, started_at=moment)
    )
    if result.rowcount != 1:
        session.rollback()
        return None
    session.commit()
    return session.get(JobRun, run_id)


def finish(session: Session, run_id: int) -> None:
    run = session.get(JobRun, run_id, populate_existing=True)
    run.status = "done"
    run.finished_at = now()


def fail(session: Session, run_id: int, error: BaseException, *, final: bool) -> None:
    """Record the error; the run goes back to queued while retries remain, else it is failed."""
    run = session.get(JobRun, run_id, populate_existing=True)
    run.last_error = describe(error)
    run.status = "failed" if final else "queued"
    run.finished_at = now() if final else None


def describe(error: BaseException) -> str:
    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    return text[:ERROR_LIMIT]


def requeue(session: Session, run_id: int) -> JobRun:
    """A failed (or stale) run made ready to dispatch again, in the caller's transaction."""
    run = session.get(JobRun, run_id, with_for_update=True)
    if run is None:
        raise NotFound("未找到该后台作业")
    if not retryable(run):
        raise Conflict("该后台作业未失败，无需重试")
    _reset(run)
    session.flush()
    return run


def retryable(run: JobRun) -> bool:
    if run.status == "failed":
        return True
    since = run.started_at if run.status == "running" else run.enqueued_at
    return run.status in ("queued", "running") and since is not None and _aware(since) < now() - STALE_AFTER


def record_failure(session: Session, name: str, key: str, error: BaseException) -> None:
    """A failed run for work that is not itself tracked (the periodic tick): one row per key, its
    attempts counting the failures."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    moment = now()
    stmt = insert(JobRun).values(
        name=name,
        key=key,
        kwargs={},
        status="failed",
        attempts=1,
        enqueued_at=moment,
        last_error=describe(error),
        finished_at=moment,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "attempts": JobRun.attempts + 1,
            "last_error": stmt.excluded.last_error,
            "finished_at": moment,
            "status": "failed",
        },
    )
    session.execute(stmt)


def listing(session: Session, *, status: str | None = None, limit: int = 50) -> list[JobRun]:
    query = select(JobRun).order_by(JobRun.enqueued_at.desc(), JobRun.id.desc()).limit(limit)
    if status:
        query = query.where(JobRun.status == status)
    return list(session.execute(query).scalars())


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(JobRun.status, func.count()).group_by(JobRun.status))
    return dict(rows.all())  # not dict(rows): a Result has keys() and would pass for a mapping


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
