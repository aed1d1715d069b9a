"""One inspection case from start to closing, through the service against the engine alone.

Each case: start; notice; three department checklists (one finds a problem); consolidation
(one follow-up); review returning a department; its correction; review approving (publication
and the follow-up request run automatically); the follow-up's report delivered as a message;
closing — 15 units of work. Through the service each is its own unit of work: find the ready
task rows, lock and load the instance row, deserialize, run, serialize, write task rows,
subscriptions and audit, commit. The floor drives the same case in memory with the same
ProcessEngine (no loading; the state is serialized once, at the end). `size` counts units of
work through the service (3,000 = 200 cases); ratio = service time / memory time, goal ≤ 3.5.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from bench._engine_support import World, case_data, checklist_form, engine_world, notice_form, ready_rows
from bench.common import Result, timed

DEFAULT_SIZE = 3_000
GOAL = "≤ 3.5"
STEPS = 15  # start, notice, 3 checklists, consolidate, review, correct, review, report, close
Form = Callable[[int], dict]  # the form, given the department the task belongs to


def _steps(departments: list[int]) -> list[tuple[str, Form]]:
    """The human tasks after the start in order: (element id, form)."""
    problem, returned = departments[1], departments[-1]
    consolidation = {
        "summary": "消防通道堵塞，已移送",
        "follow_ups": [{"department": str(problem), "problem": "疏散通道"}],
    }
    returning = {"decision": "return", "return_department": str(returned), "reason": "请补充说明"}
    return [
        ("notice", lambda d: notice_form()),
        *[
            ("department_check", lambda d: checklist_form(d, ["A"] if d == problem else ["1"]))
            for _ in departments
        ],
        ("consolidate", lambda d: consolidation),
        ("review", lambda d: returning),
        ("correct", lambda d: checklist_form(d, ["E"])),
        ("review", lambda d: {"decision": "approve"}),
    ]


def _report(case_id: str, department: int) -> dict:
    """What a follow_up instance sends back (see processes/follow_up)."""
    return {
        "case_id": case_id,
        "follow_up_id": f"{case_id}-1",
        "department": str(department),
        "handling": "已责令整改",
        "completed_on": "2026-11-20",
        "overdue": False,
    }


def _through_service(world: World, number: int) -> str:
    from adapters.db import db

    departments, lead = world.departments, world.departments[0]
    case_id = f"L-{number:06d}"
    row = world.service().start("inspection_case", case_data(case_id, departments), world.whos[lead])
    db.session.commit()
    instance_id = row.id
    for element_id, form in _steps(departments):
        task = next(t for t in ready_rows(instance_id) if t.element_id == element_id)
        department = task.department_id or lead
        world.service().complete(task.id, form(department), world.whos[department])
        db.session.commit()
    world.service().deliver("follow_up_reported", {"case_id": case_id}, _report(case_id, departments[1]))
    db.session.commit()
    (close,) = ready_rows(instance_id)
    status = world.service().complete(close.id, {"conclusion": "结案"}, world.whos[lead]).status
    db.session.commit()
    return status


def _in_memory(world: World, engine, parsed, number: int) -> str:
    from adapters.db import db

    departments, lead = world.departments, world.departments[0]
    case_id = f"M-{number:06d}"
    instance = engine.start(parsed, {**case_data(case_id, departments), "instance_id": number})
    db.session.rollback()  # one unit of work ends, as on the service side (its service calls read
    for element_id, form in _steps(departments):  # the database; their cache lasts a transaction)
        task = next(t for t in instance.ready_human_tasks() if t.element_id == element_id)
        instance.complete(task.id, form(int(task.department or lead)))
        db.session.rollback()
    instance.outgoing_messages()
    instance.deliver_message("follow_up_reported", _report(case_id, departments[1]), {"case_id": case_id})
    (close,) = instance.ready_human_tasks()
    instance.complete(close.id, {"conclusion": "结案"})
    instance.events_since_last_save()
    instance.to_state()
    return instance.status


def run(size: int, database_url: str) -> Result:
    from web.runtime import engine

    cases = max(1, size // STEPS)
    with engine_world(database_url) as world:
        parsed, process_engine = world.parsed(), engine(world.app)
        for i in range(min(cases, 3)):  # warm-up
            _through_service(world, 900_000 + i)
            _in_memory(world, process_engine, parsed, 900_000 + i)
        # the two sides alternate case by case, so both see the same machine (load drifts)
        memory_s = service_s = 0.0
        in_memory, serviced = set(), set()
        for i in range(cases):
            with timed() as memory:
                in_memory.add(_in_memory(world, process_engine, parsed, i))
            with timed() as measured:
                serviced.add(_through_service(world, i))
            memory_s, service_s = memory_s + memory.seconds, service_s + measured.seconds
    correct = in_memory == serviced == {"complete"}
    ratio = service_s / memory_s
    print(f"memory {memory_s:.2f} s, service {service_s:.2f} s for {cases} cases", file=sys.stderr)
    per_case, per_memory = service_s / cases * 1000, memory_s / cases * 1000
    return Result(
        bench="lifecycle",
        figure=f"{cases} cases × {STEPS} steps: service {per_case:.1f} ms/case ({per_case / STEPS:.2f} ms/step), "
        f"engine in memory {per_memory:.1f} ms/case{'' if correct else ' — CASES DID NOT COMPLETE'}",
        ratio=ratio,
        goal=GOAL,
        ok=correct and ratio <= 3.5,
    )
