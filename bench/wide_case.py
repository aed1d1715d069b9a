"""Cost per completed task as a case grows wide: 100 parallel department instances against 5.

The model (generated in bench/_engine_support.py, deployed like any upload) is one parallel
multi-instance user task over a dict of departments — the shape of the case's checklists.
Through the service, every department completes its task, each completion its own unit of
work; the time per completion of a 100-department case is compared with that of a
5-department case. `size` completions in all, half at each width (whole cases, at least one each),
the narrow cases spread between the wide ones. The floor is the narrow case: ratio = wide per-task time / narrow
per-task time, goal ≤ 1.2 (the cost of one completion does not grow with the case's width).
"""

from __future__ import annotations

import sys
import time

from bench._engine_support import WIDE_MODEL, World, engine_world, ready_rows, wide_data
from bench.common import Result

DEFAULT_SIZE = 4_000
GOAL = "≤ 1.2"
WIDE, NARROW = 100, 5


def _case(world: World, width: int) -> float:
    """Start a `width`-department case, complete every task; seconds spent completing."""
    from adapters.db import db

    departments = world.departments[:width]
    row = world.service().start(WIDE_MODEL, wide_data(departments), world.office)
    db.session.commit()
    tasks = [(t.id, t.department_id) for t in ready_rows(row.id)]
    assert len(tasks) == width, (len(tasks), width)
    spent = 0.0
    for task_id, department in tasks:
        start = time.perf_counter()
        world.service().complete(task_id, {"result_codes": ["1"]}, world.whos[department])
        db.session.commit()
        spent += time.perf_counter() - start
    db.session.refresh(row)
    assert row.status == "complete", row.status
    return spent


def _schedule(wide_cases: int, narrow_cases: int) -> list[int]:
    """The narrow cases spread evenly between the wide ones, so both see the same machine."""
    order, per = [], narrow_cases / wide_cases
    for n in range(wide_cases):
        order += [WIDE] + [NARROW] * (round((n + 1) * per) - round(n * per))
    return order


def run(size: int, database_url: str) -> Result:
    with engine_world(database_url, departments=WIDE, wide=True) as world:
        _case(world, NARROW)  # warm-up
        wide_cases, narrow_cases = max(1, size // 2 // WIDE), max(1, size // 2 // NARROW)
        spent = {WIDE: 0.0, NARROW: 0.0}
        for width in _schedule(wide_cases, narrow_cases):
            spent[width] += _case(world, width)
    wide_s, narrow_s = spent[WIDE], spent[NARROW]
    per_wide = wide_s / (wide_cases * WIDE) * 1000
    per_narrow = narrow_s / (narrow_cases * NARROW) * 1000
    ratio = per_wide / per_narrow
    print(
        f"wide {wide_s:.2f} s / {wide_cases} cases, narrow {narrow_s:.2f} s / {narrow_cases} cases",
        file=sys.stderr,
    )
    return Result(
        bench="wide_case",
        figure=f"per completed task: {per_wide:.2f} ms with {WIDE} parallel departments "
        f"({wide_cases} cases), {per_narrow:.2f} ms with {NARROW} ({narrow_cases} cases)",
        ratio=ratio,
        goal=GOAL,
        ok=ratio <= 1.2,
    )
