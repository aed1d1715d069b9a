"""Starting inspection cases: `WorkflowService.start` against bare SpiffWorkflow, one commit per
instance on both sides (what one request does), in alternating blocks of 50.

Measured: `size` starts of `inspection_case` (three departments) through the service — the
instance row, the engine run to the notice task, the state without the spec, the human-task
row, the audit events — each committed on its own. Floor, same database, same run:
`BpmnWorkflow(spec)` + start data + `do_engine_steps()` + JSON without the spec + one INSERT
into a plain table, each committed on its own. Ratio = floor time / service time; goal ≥ 0.5.
"""

from __future__ import annotations

import sys

import psycopg

from bench._engine_support import BARE_TABLE, Bare, World, bare_table, case_data, engine_world
from bench.common import Result, timed

DEFAULT_SIZE = 5_000
GOAL = "≥ 0.5"
WARM_UP = 20
BLOCK = 50


def _service(world: World, first: int, size: int) -> None:
    from adapters.db import db

    lead = world.whos[world.departments[0]]
    for i in range(first, first + size):
        data = case_data(f"S-{i:06d}", world.departments)
        world.service().start(
            "inspection_case", data, lead, title=f"联合检查{i}", department_id=world.departments[0]
        )
        db.session.commit()


def _bare(conn: psycopg.Connection, bare: Bare, world: World, first: int, size: int) -> None:
    from adapters.db import db

    for i in range(first, first + size):
        workflow = bare.create(case_data(f"B-{i:06d}", world.departments))
        conn.execute(f"INSERT INTO {BARE_TABLE} (state) VALUES (%s)", (bare.dumps(workflow),))
        conn.commit()
        db.session.commit()  # the service tasks' reads: their unit of work ends with the instance's


def _counts(world: World) -> tuple[int, int, int]:
    with psycopg.connect(world.url) as conn:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("process_instances", "human_tasks", BARE_TABLE)
        )


def run(size: int, database_url: str) -> Result:
    with engine_world(database_url) as world:
        bare_table(world.url)
        bare = world.bare()
        floor = measured = 0.0
        with psycopg.connect(world.url) as conn:
            _service(world, -WARM_UP, WARM_UP)  # caches, prepared statements, connection pool
            _bare(conn, bare, world, -WARM_UP, WARM_UP)
            # alternate blocks, so that both sides see the same machine
            for first in range(0, size, BLOCK):
                block = min(BLOCK, size - first)
                with timed() as watch:
                    _bare(conn, bare, world, first, block)
                floor += watch.seconds
                with timed() as watch:
                    _service(world, first, block)
                measured += watch.seconds
        instances, tasks, bare_rows = _counts(world)
    expected = size + WARM_UP
    correct = (instances, tasks, bare_rows) == (expected, expected, expected)
    ratio = floor / measured
    per_service, per_bare = measured / size * 1000, floor / size * 1000
    print(f"bare {floor:.2f} s, service {measured:.2f} s for {size} starts", file=sys.stderr)
    return Result(
        bench="case_start",
        figure=f"{size} starts, commit per instance: service {per_service:.2f} ms/case "
        f"({size / measured:,.0f}/s), bare SpiffWorkflow {per_bare:.2f} ms/case"
        f"{'' if correct else ' — WRONG ROW COUNT'}",
        ratio=ratio,
        goal=GOAL,
        ok=correct and ratio >= 0.5,
    )
