"""Build the demo data set: a list of steps run in order inside one transaction.

To extend the demo (annual plans, joint tasks, cases …) write `def add_x(ctx: DemoContext)` in a
module of this package and append `("x", add_x)` to STEPS; use `ctx.rng("x")` for randomness and
the ids that earlier steps left in the context.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from adapters.db import db
from adapters.demo.context import DEFAULT_SEED, DemoContext, DemoUser
from adapters.demo.enterprise_steps import add_enterprises
from adapters.demo.org_steps import add_departments, add_items, add_joint_lists, add_regions, add_tags
from adapters.demo.people_steps import add_conflicts, add_experts, add_inspectors, add_users
from adapters.demo.task_steps import add_joint_tasks, add_plan
from adapters.models import Department, Enterprise, User
from adapters.workflow.service import WorkflowService
from engine.runtime import ProcessEngine

Step = Callable[[DemoContext], None]

STEPS: list[tuple[str, Step]] = [
    ("regions", add_regions),
    ("departments", add_departments),
    ("tags", add_tags),
    ("items", add_items),
    ("joint_lists", add_joint_lists),
    ("enterprises", add_enterprises),
    ("inspectors", add_inspectors),
    ("experts", add_experts),
    ("users", add_users),
    ("conflicts", add_conflicts),
]
# Steps through the real processes: each commits as the requests they stand for would.
PROCESS_STEPS: list[tuple[str, Step]] = [
    ("plan", add_plan),
    ("joint_tasks", add_joint_tasks),
]


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    counts: dict[str, int]
    users: list[DemoUser]
    seconds: float


def build(
    *,
    hash_password: Callable[[str], str],
    seed: int = DEFAULT_SEED,
    enterprises: int = 20000,
    inspectors: int = 200,
    session: Session | None = None,
    engine: ProcessEngine | None = None,
    workflow: Callable[[], WorkflowService] | None = None,
) -> DemoSummary:
    """Fill an empty database with the demo data set and commit; the same seed (and sizes) give
    the same rows. `hash_password` comes from the web layer so that logins accept the users.
    With the process runtime (`engine`, a `workflow` service factory) the plan and joint task
    steps run too: the registers are committed first, then each of those steps commits."""
    started = time.perf_counter()
    ctx = DemoContext(
        session=session or db.session,
        seed=seed,
        enterprise_count=enterprises,
        inspector_count=inspectors,
        hash_password=hash_password,
        engine=engine,
        workflow=workflow,
    )
    try:
        for _name, step in STEPS:
            step(ctx)
        ctx.session.commit()
        if engine is not None and workflow is not None:
            for _name, step in PROCESS_STEPS:
                step(ctx)
                ctx.session.commit()
    except Exception:
        ctx.session.rollback()
        raise
    return DemoSummary(seed, dict(ctx.counts), list(ctx.users), time.perf_counter() - started)


def is_populated(session: Session | None = None) -> bool:
    """True when users, departments or enterprises exist (the demo would collide with them)."""
    session = session or db.session
    return any(session.scalar(select(func.count()).select_from(m)) for m in (User, Department, Enterprise))


def wipe(session: Session | None = None) -> None:
    """Delete every row of every table (identities restart), then commit. This includes
    deployed process models and calendars: the next app start redeploys the processes."""
    session = session or db.session
    conn = session.connection()
    # Only tables the migrations have created: models may run ahead of the database.
    existing = set(inspect(conn).get_table_names())
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name in existing]
    if conn.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    else:
        for table in tables:
            conn.execute(table.delete())
    session.commit()
