"""Jobs in-process (no Redis): a job runs right after the transaction that enqueued it commits,
in a fresh app context (so with its own database session), retrying synchronously."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from flask import Flask

from adapters.jobs.queue import BaseQueue
from adapters.jobs.runner import run_job

log = logging.getLogger(__name__)
# Waits between in-process retries are capped: the request that committed is waiting for them.
MAX_INLINE_DELAY = 2.0


class InlineQueue(BaseQueue):
    mode = "in-process"

    def __init__(
        self,
        app: Flask,
        retry_intervals: tuple[int, ...] = (10, 60, 300),
        sleep: Callable[[float], None] = time.sleep,
    ):
        super().__init__(retry_intervals)
        self.app = app
        self._sleep = sleep

    def dispatch(self, run_id: int, key: str | None) -> None:
        with self.app.app_context():
            self.run(run_id)

    def run(self, run_id: int) -> str:
        """Run with retries; 'done', 'skipped' or 'failed' (the failure is recorded on the run)."""
        tries = len(self.retry_intervals) + 1
        for attempt in range(tries):
            try:
                return run_job(run_id, final=attempt == tries - 1)
            except Exception:
                if attempt == tries - 1:
                    log.exception("job run %s failed for good", run_id)
                    return "failed"
                self._sleep(min(self.retry_intervals[attempt], MAX_INLINE_DELAY))
        return "failed"  # pragma: no cover - the loop always returns
