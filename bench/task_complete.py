"""Completing one human task: `WorkflowService.complete` against a bare load–complete–save.

Setup (not timed): an inspection case started and its notice sent through the service, so three
department checklists are ready, then copied in SQL as often as needed; every state is copied
into the floor's plain table. Measured, alternating one by one: the service completing a
checklist (task and instance row in one query with the lock, deserialize, validate the form,
complete, engine steps, serialize, task rows, audit, commit) and the floor completing the same
task of its copy (SELECT … FOR UPDATE, JSON → workflow, set the form, run, engine steps,
workflow → JSON, one UPDATE, commit). Every third completion is a case's last checklist and
readies the consolidation on both sides. `size` completions each; ratio = median service /
median floor, goal ≤ 2.
"""

from __future__ import annotations

import sys
import time

import psycopg

from bench._engine_support import (
    BARE_TABLE,
    Bare,
    World,
    bare_table,
    case_data,
    checklist_form,
    engine_world,
    median_ms,
    notice_form,
    ready_rows,
)
from bench.common import Result

DEFAULT_SIZE = 3_000
GOAL = "≤ 2"
WARM_UP = 6


INSTANCE_COLUMNS = (
    "model_id, version_id, title, status, state, summary, department_id, next_wakeup, lock_version,"
    " started_by_id, started_at, updated_at"
)
TASK_COLUMNS = (
    "task_uuid, element_id, name, lane, mi_key, department_id, roles, form, due_at, state, created_at"
)


def _cases(world: World, count: int) -> list[tuple[int, int, str, int]]:
    """One case started and its notice sent through the service, then copied `count - 1` times
    in SQL (instance row and ready task rows; the copies differ only in their ids, which the
    service does not mind); (instance, task row, task uuid, department) for every ready
    checklist, and every state copied into the floor's table under the same id."""
    from adapters.db import db

    lead = world.whos[world.departments[0]]
    row = world.service().start("inspection_case", case_data("T-000001", world.departments), lead)
    db.session.commit()
    (notice,) = ready_rows(row.id)
    world.service().complete(notice.id, notice_form(), lead)
    db.session.commit()
    with psycopg.connect(world.url) as conn:
        conn.execute(
            f"INSERT INTO process_instances ({INSTANCE_COLUMNS}) SELECT {INSTANCE_COLUMNS}"
            " FROM process_instances, generate_series(2, %s) WHERE id = %s",
            (count, row.id),
        )
        conn.execute(
            f"INSERT INTO human_tasks (instance_id, {TASK_COLUMNS}) SELECT p.id, {TASK_COLUMNS.replace(', ', ', t.')}"
            " FROM human_tasks t, process_instances p WHERE t.instance_id = %s AND t.state = 'ready' AND p.id <> %s",
            (row.id, row.id),
        )
        conn.execute(f"INSERT INTO {BARE_TABLE} (id, state) SELECT id, state FROM process_instances")
        tasks = conn.execute(
            "SELECT instance_id, id, task_uuid, department_id FROM human_tasks WHERE state = 'ready'"
            " ORDER BY instance_id, id"
        ).fetchall()
    return [tuple(t) for t in tasks]


def _service_once(world: World, task_id: int, department: int) -> float:
    from adapters.db import db

    start = time.perf_counter()
    world.service().complete(task_id, checklist_form(department, ["1"]), world.whos[department])
    db.session.commit()
    return time.perf_counter() - start


def _bare_once(
    conn: psycopg.Connection, bare: Bare, instance_id: int, task_uuid: str, department: int
) -> float:
    from adapters.db import db

    start = time.perf_counter()
    (state,) = conn.execute(
        f"SELECT state FROM {BARE_TABLE} WHERE id = %s FOR UPDATE", (instance_id,)
    ).fetchone()
    workflow = bare.loads(state)
    bare.complete(workflow, task_uuid, "checklist", checklist_form(department, ["1"]))
    conn.execute(f"UPDATE {BARE_TABLE} SET state = %s WHERE id = %s", (bare.dumps(workflow), instance_id))
    conn.commit()
    db.session.commit()  # what the service tasks did (e.g. `mark_result_codes_used`) ends with it
    return time.perf_counter() - start


def run(size: int, database_url: str) -> Result:
    with engine_world(database_url) as world:
        bare_table(world.url)
        bare = world.bare()
        per_case = len(world.departments)
        work = _cases(world, -(-(size + WARM_UP) // per_case))
        service, floor = [], []
        # psycopg hands `json` back parsed; the floor reads the text as a plain table would
        with psycopg.connect(world.url) as conn:
            conn.adapters.register_loader("json", psycopg.types.string.TextLoader)
            for n, (instance_id, task_id, task_uuid, department) in enumerate(work[: size + WARM_UP]):
                floor_s = _bare_once(conn, bare, instance_id, task_uuid, department)
                service_s = _service_once(world, task_id, department)
                if n >= WARM_UP:
                    floor.append(floor_s)
                    service.append(service_s)
        with psycopg.connect(world.url) as conn:
            consolidations = conn.execute(
                "SELECT count(*) FROM human_tasks WHERE element_id = 'consolidate' AND state = 'ready'"
            ).fetchone()[0]
    correct = consolidations == (size + WARM_UP) // per_case
    ratio = median_ms(service) / median_ms(floor)
    print(f"medians: service {median_ms(service):.2f} ms, floor {median_ms(floor):.2f} ms", file=sys.stderr)
    return Result(
        bench="task_complete",
        figure=f"{size} checklist completions (3-department case): service median {median_ms(service):.2f} ms, "
        f"bare load–complete–save median {median_ms(floor):.2f} ms"
        f"{'' if correct else ' — WRONG NUMBER OF CONSOLIDATION TASKS'}",
        ratio=ratio,
        goal=GOAL,
        ok=correct and ratio <= 2,
    )
