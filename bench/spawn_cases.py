"""Spawning the cases of one confirmed draw: the `spawn_cases` job against bare SpiffWorkflow.

The world: 3 departments (one item each, 40 inspectors each), `size` restaurants, a joint task
drawn with a ratio table of 100 % for every credit risk class, so every restaurant is a target
with 2 inspectors per department, and confirmed. Measured: the `spawn_cases` job — per target
the case's start data (departments, items, inspectors, team leader), `WorkflowService.start` of
`inspection_case` with its business key (instance row, engine run to the notice task, human
task row, audit events), the target's link to its case, progress per batch of 50, one commit
per batch. Floor, same database, same run: bare SpiffWorkflow with the same start data —
`BpmnWorkflow(spec)` + `do_engine_steps()` + JSON without the spec + one INSERT into a plain
table, also committed per 50. Ratio = floor time / job time; goal ≥ 0.5.
"""

from __future__ import annotations

import sys

import psycopg

from bench._engine_support import BARE_TABLE, Bare, World, bare_table, engine_world
from bench.common import Result, timed

DEFAULT_SIZE = 5_000
GOAL = "≥ 0.5"
INSPECTORS = 40
WARM = 20


def _all_drawn_rules():
    from adapters.db import db
    from adapters.draws import ratios
    from web.runtime import engine

    dmn = ratios.default_rules().dmn
    for value in ('"0.05"', '"0.10"', '"0.30"', '"0.70"'):
        dmn = dmn.replace(value, '"1"')
    ratios.save_rules(db.session, engine(), dmn, [], "基准：全部抽取", None)


def _task(world: World, size: int):
    """A confirmed draw of `size` targets (every enterprise of the register)."""
    from adapters.db import db
    from adapters.draws.service import DrawService
    from adapters.models import Enterprise, InspectionItem, Inspector, JointTask, JointTaskDepartment
    from engine.identifiers import make_uscc
    from web.runtime import engine

    items = {
        d: InspectionItem(code=f"SX-{d}", name=f"抽查事项{d}", department_id=d) for d in world.departments
    }
    db.session.add_all(items.values())
    db.session.add_all(
        Inspector(cert_no=f"{d:03d}{i:05d}", name=f"检查员{d}-{i}", department_id=d)
        for d in world.departments
        for i in range(INSPECTORS)
    )
    db.session.add_all(
        Enterprise(
            uscc=make_uscc("9", "1", "130100", f"{n:08d}"),
            name=f"石家庄第{n}号餐饮有限公司",
            industry_code="6210",
            region_code="130100",
            risk_class="ABCD"[n % 4],
        )
        for n in range(size)
    )
    task = JointTask(number="JT-2026-0100", name="餐饮服务一业一查", lead_department_id=world.departments[0])
    task.industry_codes, task.region_codes, task.tag_ids, task.spawn_progress = ["62"], [], [], {}
    db.session.add(task)
    db.session.flush()
    for d in world.departments:
        db.session.add(
            JointTaskDepartment(
                task_id=task.id,
                department_id=d,
                is_lead=d == world.departments[0],
                status="confirmed",
                item_ids=[items[d].id],
            )
        )
    _all_drawn_rules()
    db.session.commit()
    service = DrawService(db.session, engine(), None)
    draw = service.commit(task.id, "基准随机值", None)
    db.session.commit()
    service.run(draw.id, None)
    service.confirm(draw.id, None)
    db.session.commit()
    return task.id, draw.id


def _floor_data(task_id: int, draw_id: int) -> list[dict]:
    """The same start data the job builds, made before the clock starts."""
    from adapters.db import db
    from adapters.draws.spawn import case_data, departments_of, inspectors_of
    from adapters.models import Draw, Enterprise, JointTask, TaskTarget

    task, draw = db.session.get(JointTask, task_id), db.session.get(Draw, draw_id)
    departments = departments_of(draw)
    rows = db.session.execute(
        db.select(TaskTarget, Enterprise)
        .join(Enterprise, Enterprise.id == TaskTarget.enterprise_id)
        .where(TaskTarget.draw_id == draw_id)
        .order_by(TaskTarget.rank)
    ).tuples()
    rows = list(rows)
    inspectors = inspectors_of(draw_id, [t.enterprise_id for t, _e in rows])
    out = [case_data(task, t.rank, e, departments, inspectors.get(t.enterprise_id, [])) for t, e in rows]
    db.session.rollback()
    return out


def _bare(world: World, bare: Bare, data: list[dict], batch: int = 50) -> None:
    from adapters.db import db

    with psycopg.connect(world.url) as conn:
        for n, start in enumerate(data, start=1):
            workflow = bare.create({**start, "case_id": f"B-{start['case_id']}"})
            conn.execute(f"INSERT INTO {BARE_TABLE} (state) VALUES (%s)", (bare.dumps(workflow),))
            if n % batch == 0:
                conn.commit()
                db.session.commit()  # the service tasks' reads end with the batch, as the job's do
        conn.commit()
        db.session.commit()


def _warm_service(world: World, data: list[dict]) -> None:
    from adapters.db import db

    for n, start in enumerate(data):
        world.service().start("inspection_case", {**start, "case_id": f"W-{n}"}, business_key=f"warm:{n}")
    db.session.commit()


def _counts(world: World, draw_id: int) -> tuple[int, int, int]:
    with psycopg.connect(world.url) as conn:
        cases = conn.execute(
            "SELECT count(*) FROM process_instances WHERE model_id = 'inspection_case'"
        ).fetchone()
        linked = conn.execute(
            "SELECT count(*) FROM task_targets WHERE draw_id = %s AND instance_id IS NOT NULL", (draw_id,)
        ).fetchone()
        bare = conn.execute(f"SELECT count(*) FROM {BARE_TABLE}").fetchone()
        return cases[0], linked[0], bare[0]


def run(size: int, database_url: str) -> Result:
    from adapters.draws.spawn import spawn_cases

    with engine_world(database_url) as world:
        with timed() as drawing:
            task_id, draw_id = _task(world, size)
        print(f"drew {size} targets in {drawing.seconds:.1f} s", file=sys.stderr)
        bare_table(world.url)
        bare = world.bare()
        data = _floor_data(task_id, draw_id)
        _warm_service(world, data[:WARM])  # caches, prepared statements, connection pool
        _bare(world, bare, data[:WARM])
        with timed() as floor:
            _bare(world, bare, data)
        with timed() as measured:
            spawn_cases(task_id)
        cases, linked, bare_rows = _counts(world, draw_id)
    correct = (cases, linked, bare_rows) == (size + WARM, size, size + WARM)
    ratio = floor.seconds / measured.seconds
    print(
        f"bare {floor.seconds:.2f} s, spawn_cases {measured.seconds:.2f} s for {size} cases", file=sys.stderr
    )
    return Result(
        bench="spawn_cases",
        figure=f"{size} cases from one draw, commit per 50: spawn_cases {measured.seconds / size * 1000:.2f} ms/case "
        f"({size / measured.seconds:,.0f}/s), bare SpiffWorkflow {floor.seconds / size * 1000:.2f} ms/case"
        f"{'' if correct else f' — WRONG COUNTS {cases}/{linked}/{bare_rows}'}",
        ratio=ratio,
        goal=GOAL,
        ok=correct and ratio >= 0.5,
    )
