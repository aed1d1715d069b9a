"""The starter of `follow_up_requested`: one instance per item, idempotent, refusing a malformed
request without starting anything."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from adapters.db import db
from adapters.models import HumanTask, ProcessInstance
from adapters.workflow.jobs import route_message
from tests.integration.cases_support import build_world


def _payload(w: dict, **changes) -> dict:
    return {
        "case_id": "C-9",
        "lead_department": str(w["lead"].id),
        "enterprise": {"name": "某某餐馆", "uscc": "91310110666007217T"},
        "follow_ups": [
            {"follow_up_id": "C-9-1", "department": str(w["fire"].id), "problem": "疏散通道堵塞"},
            {"follow_up_id": "C-9-2", "department": str(w["health"].id), "problem": "健康证明缺失"},
        ],
        **changes,
    }


def _count() -> int:
    return db.session.execute(select(func.count()).where(ProcessInstance.model_id == "follow_up")).scalar()


def test_start__one_instance_per_item_and_none_more_when_run_again(app):
    w = build_world()
    for _ in range(2):
        route_message("follow_up_requested", {"case_id": "C-9"}, _payload(w))
        db.session.commit()
    rows = db.session.execute(
        select(ProcessInstance).where(ProcessInstance.model_id == "follow_up")
    ).scalars()
    rows = sorted(rows, key=lambda r: r.id)
    assert [(r.business_key, r.department_id, r.parent_id) for r in rows] == [
        ("follow_up:C-9-1", w["lead"].id, None),
        ("follow_up:C-9-2", w["lead"].id, None),
    ]
    assert rows[0].title == "后续处置 C-9-1·某某餐馆·疏散通道堵塞"
    tasks = db.session.execute(select(HumanTask).where(HumanTask.instance_id == rows[0].id)).scalars().all()
    assert [(t.element_id, t.department_id) for t in tasks] == [("transfer", w["lead"].id)]


@pytest.mark.parametrize(
    "changes",
    [
        {"follow_ups": []},
        {"lead_department": "消防"},
        {"lead_department": "999999"},
        {"case_id": ""},
        {"follow_ups": [{"follow_up_id": "C-9-1", "department": "x", "problem": "p"}]},
        {"follow_ups": [{"follow_up_id": "C-9-1", "department": "1", "problem": " "}]},
        {"follow_ups": [{"follow_up_id": "C-9-1", "department": "1", "problem": "p"}] * 2},
    ],
)
def test_start__a_malformed_request_starts_nothing(app, changes):
    w = build_world()
    with pytest.raises(ValueError):
        route_message("follow_up_requested", {"case_id": "C-9"}, _payload(w, **changes))
    db.session.rollback()
    assert _count() == 0
