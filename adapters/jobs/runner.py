"""Run one job run in the current app context: claim it, call the job, commit its work together
with the `done` mark; on error roll the work back and record the error."""

from __future__ import annotations

import logging

from adapters.db import db
from adapters.jobs import runs
from adapters.jobs.registry import UnknownJob, lookup

log = logging.getLogger(__name__)


def run_job(run_id: int, *, final: bool) -> str:
    """'done', or 'skipped' when the run is not claimable (already done, or taken by another
    worker). Re-raises the job's error after recording it; `final` says whether no retry follows,
    so the run ends failed."""
    session = db.session
    run = runs.claim(session, run_id)
    if run is None:
        return "skipped"
    name, kwargs = run.name, dict(run.kwargs or {})
    try:
        lookup(name)(**kwargs)
        runs.finish(session, run_id)
        session.commit()
    except Exception as err:
        session.rollback()
        last = final or isinstance(err, UnknownJob)
        log.warning("job %s (run %s) failed%s: %s", name, run_id, "" if last else ", will retry", err)
        runs.fail(session, run_id, err, final=last)
        session.commit()
        raise
    return "done"
