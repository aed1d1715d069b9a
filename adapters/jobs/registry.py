"""Jobs by name. A job is a function taking plain JSON-able keyword arguments; the runner calls it
inside a Flask app context (so it may use `db`) and commits after it returns.

Register with the decorator in a module listed in `JOB_MODULES` (imported before any lookup, in
the web process and in the worker alike):

    @job("notify_task_ready")
    def notify_task_ready(task_id: int) -> None: ...

A job may run more than once (a retry after a crash, a re-enqueued failed key): write it so that
running it twice has the effect of running it once.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

JobFunction = Callable[..., Any]

# Modules whose import registers jobs; add yours here.
JOB_MODULES = [
    "adapters.jobs.periodic",
    "adapters.workflow.jobs",
    "adapters.draws.spawn",
    "adapters.importers.background",
    "adapters.notifications.mail",
]

_JOBS: dict[str, JobFunction] = {}


class UnknownJob(LookupError):
    pass


def job(name: str) -> Callable[[JobFunction], JobFunction]:
    """Decorator: register `fn` as the job `name`."""

    def deco(fn: JobFunction) -> JobFunction:
        register(name, fn)
        return fn

    return deco


def register(name: str, fn: JobFunction) -> None:
    if not name or len(name) > 64:
        raise ValueError(f"bad job name: {name!r}")
    _JOBS[name] = fn


def load_modules() -> None:
    for module in JOB_MODULES:
        importlib.import_module(module)


def lookup(name: str) -> JobFunction:
    load_modules()
    try:
        return _JOBS[name]
    except KeyError:
        raise UnknownJob(f"no job is registered as {name!r}") from None


def names() -> list[str]:
    load_modules()
    return sorted(_JOBS)
