"""The periodic tick: hooks run every 30 seconds (by the RQ scheduler with Redis, by a thread in
the web process without it).

The case runtime registers its wake-up here, replacing the placeholder:

    from adapters.jobs import periodic
    periodic.register("wake_due", wake_due_instances)   # wakes instances whose next_wakeup passed

A hook runs in an app context and may use `db`; the tick commits after each hook. Hooks must be
safe to run concurrently from several workers (PostgreSQL: `FOR UPDATE SKIP LOCKED`) and twice.
A failing hook is recorded as a failed `wake_due_instances` run, one row per hook and hour.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from adapters.db import db
from adapters.jobs import runs
from adapters.jobs.registry import job

log = logging.getLogger(__name__)
Hook = Callable[[], object]
TICK_JOB = "wake_due_instances"


def _wake_due_placeholder() -> int:
    """Nothing to wake until the case runtime registers its own `wake_due`."""
    return 0


_HOOKS: dict[str, Hook] = {"wake_due": _wake_due_placeholder}


def register(name: str, hook: Hook) -> None:
    """Add a periodic hook, or replace the one with that name."""
    _HOOKS[name] = hook


def hooks() -> dict[str, Hook]:
    return dict(_HOOKS)


def run_hooks() -> dict[str, Exception | None]:
    """Run every hook once, committing after each; {name: its error or None}."""
    outcome: dict[str, Exception | None] = {}
    for name, hook in hooks().items():
        try:
            hook()
            db.session.commit()
            outcome[name] = None
        except Exception as err:
            db.session.rollback()
            log.exception("periodic hook %s failed", name)
            outcome[name] = err
    return outcome


def tick() -> dict[str, str]:
    """The tick: run the hooks, record failures; {name: 'ok' | 'failed'}. Never raises."""
    results = {}
    for name, err in run_hooks().items():
        results[name] = "ok" if err is None else "failed"
        if err is not None:
            hour = datetime.now(UTC).strftime("%Y%m%d%H")
            runs.record_failure(db.session, TICK_JOB, f"tick-failure:{name}:{hour}", err)
            db.session.commit()
    return results


@job(TICK_JOB)
def wake_due_instances() -> None:
    """The hooks as an ordinary job (what retrying a recorded tick failure runs)."""
    failed = {name: err for name, err in run_hooks().items() if err is not None}
    if failed:
        raise RuntimeError("; ".join(f"{name}: {err}" for name, err in failed.items()))
