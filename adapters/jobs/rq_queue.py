"""Jobs on Redis with RQ: a committed run is pushed to the `liancha` queue; a worker
(`liancha worker`) runs it with rq's retries; the periodic tick re-schedules itself every
`TICK_SECONDS` through rq's scheduler.

RQ job ids are derived from the run (from its key when it has one), and pushed with
`unique=True`: the same run is never twice in Redis at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from datetime import UTC, datetime, timedelta

from redis import Redis
from rq import Queue, Retry, get_current_job
from rq.exceptions import DuplicateJobError
from rq.job import Job, JobStatus

from adapters.jobs import periodic
from adapters.jobs.queue import BaseQueue
from adapters.jobs.runner import run_job

log = logging.getLogger(__name__)
QUEUE_NAME = "liancha"
TICK_SECONDS = 30
FAILURE_TTL = int(timedelta(days=7).total_seconds())  # job_runs keeps the lasting record
_REPLACEABLE = {JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED}


class RqQueue(BaseQueue):
    mode = "rq"

    def __init__(self, redis_url: str, retry_intervals: tuple[int, ...] = (10, 60, 300)):
        super().__init__(retry_intervals)
        self.redis_url = redis_url
        self._connection: Redis | None = None

    @property
    def connection(self) -> Redis:
        if self._connection is None:  # built on first use, never at import or app creation
            self._connection = Redis.from_url(self.redis_url)
        return self._connection

    def queue(self) -> Queue:
        return Queue(QUEUE_NAME, connection=self.connection)

    def dispatch(self, run_id: int, key: str | None) -> None:
        job_id = rq_job_id(run_id, key)
        retry = (
            Retry(max=len(self.retry_intervals), interval=list(self.retry_intervals))
            if self.retry_intervals
            else None
        )
        options = {"job_id": job_id, "retry": retry, "unique": True, "failure_ttl": FAILURE_TTL}
        queue = self.queue()
        try:
            queue.enqueue(perform, run_id, **options)
        except DuplicateJobError:
            old = Job.fetch(job_id, connection=self.connection)
            if old.get_status() not in _REPLACEABLE:
                return  # already waiting or running in Redis
            old.delete()
            queue.enqueue(perform, run_id, **options)


def rq_job_id(run_id: int, key: str | None) -> str:
    if key is None:
        return f"lc-run-{run_id}"
    return "lc-key-" + hashlib.sha256(key.encode()).hexdigest()[:40]


def perform(run_id: int) -> str:
    """The RQ entry point (in a worker's app context): run the job run; rq retries on error."""
    job = get_current_job()
    return run_job(run_id, final=not (job and job.retries_left))


def tick() -> dict[str, str]:
    """The periodic tick as an RQ job: run the periodic hooks, then schedule the next tick."""
    try:
        return periodic.tick()
    finally:
        job = get_current_job()
        if job is not None:
            schedule_tick(Queue(QUEUE_NAME, connection=job.connection))


def schedule_tick(queue: Queue, moment: datetime | None = None) -> str:
    """Schedule the tick of the next 30-second slot, once however many workers ask."""
    moment = moment or datetime.now(UTC)
    slot = int(moment.timestamp()) // TICK_SECONDS + 1
    job_id = f"lc-tick-{slot}"
    at = datetime.fromtimestamp(slot * TICK_SECONDS, UTC)
    with contextlib.suppress(DuplicateJobError):  # another worker scheduled this slot already
        queue.enqueue_at(
            at, tick, job_id=job_id, unique=True, result_ttl=TICK_SECONDS * 4, failure_ttl=FAILURE_TTL
        )
    return job_id
