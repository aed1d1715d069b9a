"""Draws and draw ratio rules."""

from __future__ import annotations

from tests.access_rules.core import (
    OFFICE_ONLY,
    READERS,
    Rule,
)


def _redraw_data(w: dict) -> dict:
    return {"assignment_id": w["draw_assignment"], "kind": "recusal", "reason": "矩阵回避"}


def _draw_rules() -> dict[str, Rule]:
    """Draws (web/draws.py, web/draw_ratios.py, web/api/draws.py). The world's `draw_task` is led
    by department A alone and `draw_a` is its drawn record (tests/access_world.py build_draws):
    department A's officer and the office draw; readers and A's officer read. Allowed writes
    may find the draw already confirmed or void: a 409, or a redirect with a message."""
    runners = {"office", "officer"}
    readers = READERS | {"officer"}
    task = {"task_id": "draw_task"}
    draw = {"draw_id": "draw_a"}
    redraw = _redraw_data
    rules = {
        "draws.index": Rule(read=readers),
        "draws.ratios": Rule(read=readers, write=OFFICE_ONLY, note="an allowed empty form re-renders"),
        "draws.task": Rule(read=runners, owner="dept", args=task),
        "draws.commit": Rule(write=runners, owner="dept", args=task),
        "draws.redraw": Rule(write=runners, owner="dept", args=draw, data=redraw),
        "draws.void": Rule(write=runners, owner="dept", args=draw, data={"reason": "矩阵作废"}),
        "draws_api.list_": Rule(read=readers),
        "draws_api.rules": Rule(read=readers),
        "draws_api.save_rules": Rule(
            write=OFFICE_ONLY,
            data={"dmn": "<definitions/>", "minimums": []},
            note="an allowed bad table is a 422",
        ),
        "draws_api.preview": Rule(read=runners, owner="dept", args=task),
        "draws_api.commit": Rule(write=runners, owner="dept", data=lambda w: {"task_id": w["draw_task"]}),
        "draws_api.redraw": Rule(write=runners, owner="dept", args=draw, data=redraw),
        "draws_api.void": Rule(write=runners, owner="dept", args=draw, data={"reason": "矩阵作废"}),
    }
    for name in ("result", "record", "pool"):
        rules[f"draws.{name}"] = Rule(read=readers, owner="dept", args=draw)
    for name in ("get", "targets", "pool", "verify"):
        rules[f"draws_api.{name}"] = Rule(read=readers, owner="dept", args=draw)
    for name in ("run", "confirm"):
        rules[f"draws.{name}"] = Rule(write=runners, owner="dept", args=draw)
        rules[f"draws_api.{name}"] = Rule(write=runners, owner="dept", args=draw)
    return rules


def rules() -> dict[str, Rule]:
    return _draw_rules()
