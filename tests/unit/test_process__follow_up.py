"""The follow-up process (processes/follow_up) and its report back to the case by message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from engine.errors import NotFound
from tests.unit.process_support import (
    RecordingServices,
    case_start_data,
    filled_checklist,
    make_engine,
    only,
    parsed_model,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
ACCEPTED_ON = datetime(2026, 9, 21, 9, 0, tzinfo=SHANGHAI)  # Monday
# 20 working days after Mon 9/21 (DOMAIN.md §8): 9/22–9/24 (1–3), 中秋 9/25–27 off, 9/28–9/30
# (4–6), 国庆 10/1–7 off, 10/8 10/9 (7–8), Sat 10/10 make-up (9), 10/12–16 (10–14),
# 10/19–23 (15–19), Mon 10/26 is the 20th.
MEASURES_DUE = datetime(2026, 10, 26, 23, 59, 59, tzinfo=SHANGHAI)


@pytest.fixture
def services():
    return RecordingServices("publish_result", "notify_overdue", "publish_follow_up")


@pytest.fixture
def engine(services):
    return make_engine(services)


def _start_follow_up(engine, **overrides):
    data = {
        "case_id": "C-2026-0001",
        "follow_up_id": "C-2026-0001-1",
        "lead_department": "10",
        "department": "20",
        "problem": "疏散通道堵塞",
        "department_choices": [
            {"const": "20", "title": "消防救援大队"},
            {"const": "40", "title": "应急管理局"},
        ],
        **overrides,
    }
    return engine.start(parsed_model("follow_up"), data)


def _accept(instance):
    transfer = only(instance.ready_human_tasks(), "transfer")
    assert (transfer.department, transfer.form_data["department"]) == ("10", "20")
    instance.complete(transfer.id, {**transfer.form_data, "basis": "《消防法》第二十八条"})
    accept = only(instance.ready_human_tasks(), "accept")
    assert accept.department == "20"
    instance.complete(accept.id, {"decision": "accept"})


HANDLING = {"measures": "责令当场清理疏散通道", "outcome": "rectified", "completed_on": "2026-09-30"}


def test_follow_up__returned_transfer_goes_back_to_the_lead(engine):
    with time_machine.travel(ACCEPTED_ON, tick=False):
        instance = _start_follow_up(engine)
        transfer = only(instance.ready_human_tasks(), "transfer")
        instance.complete(transfer.id, transfer.form_data)
        accept = only(instance.ready_human_tasks(), "accept")
        instance.complete(accept.id, {"decision": "return", "reason": "属应急管理部门管辖"})
        transfer = only(instance.ready_human_tasks(), "transfer")
        assert transfer.data["acceptance"]["reason"] == "属应急管理部门管辖"
        instance.complete(transfer.id, {**transfer.form_data, "department": "40"})
        assert only(instance.ready_human_tasks(), "accept").department == "40"


def test_follow_up__measures_due_in_20_working_days_and_reported_back(engine, services):
    with time_machine.travel(ACCEPTED_ON, tick=False):
        instance = _start_follow_up(engine)
        _accept(instance)
    assert instance.next_wakeup() == MEASURES_DUE.astimezone(UTC)
    with time_machine.travel(ACCEPTED_ON + timedelta(days=9), tick=False):
        measures = only(instance.ready_human_tasks(), "measures")
        instance.complete(measures.id, HANDLING)
    assert instance.status == "complete"
    assert services.called("publish_follow_up")[0]["handling"] == HANDLING
    [report] = instance.outgoing_messages()
    assert (report.name, report.correlation) == ("follow_up_reported", {"case_id": "C-2026-0001"})
    assert report.payload == {
        "case_id": "C-2026-0001",
        "follow_up_id": "C-2026-0001-1",
        "department": "20",
        "handling": HANDLING,
        "completed_on": "2026-09-30",
        "overdue": False,
    }


def test_follow_up__overdue_measures_escalate_and_continue(engine, services):
    with time_machine.travel(ACCEPTED_ON, tick=False) as traveller:
        instance = _start_follow_up(engine)
        _accept(instance)
        traveller.move_to(MEASURES_DUE - timedelta(minutes=1))
        instance.advance()
        assert not services.called("notify_overdue")
        traveller.move_to(MEASURES_DUE + timedelta(minutes=1))
        instance.advance()
        assert services.called("notify_overdue") == [
            {"case_id": "C-2026-0001", "stage": "follow_up:C-2026-0001-1", "due": "2026-10-26T15:59:59+00:00"}
        ]
        traveller.move_to(MEASURES_DUE + timedelta(days=1))
        instance.complete(only(instance.ready_human_tasks(), "measures").id, HANDLING)
    assert instance.status == "complete"
    assert instance.outgoing_messages()[0].payload["overdue"] is True


def _case_waiting_for_follow_up(engine):
    """A case whose review approved one problem for follow-up; returns (case, request message)."""
    with time_machine.travel(datetime(2026, 9, 15, 10, 0, tzinfo=SHANGHAI), tick=False):
        case = engine.start(parsed_model("inspection_case"), case_start_data())
        case.complete(
            only(case.ready_human_tasks(), "notice").id, {"notice_no": "N-1", "visit_date": "2026-09-15"}
        )
        for task in case.ready_human_tasks():
            case.complete(task.id, filled_checklist(task.form_data, ["A"] if task.key == "20" else ["1"]))
        consolidate = only(case.ready_human_tasks(), "consolidate")
        case.complete(consolidate.id, {**consolidate.form_data, "summary": "发现一处问题"})
        case.complete(only(case.ready_human_tasks(), "review").id, {"decision": "approve"})
    [request] = case.outgoing_messages()
    return case, request


def test_follow_up__report_reaches_the_case_by_correlation_key(engine):
    case, request = _case_waiting_for_follow_up(engine)
    [item] = request.payload["follow_ups"]
    with time_machine.travel(ACCEPTED_ON, tick=False):
        follow_up = _start_follow_up(engine, **item, case_id=request.payload["case_id"])
        _accept(follow_up)
        follow_up.complete(only(follow_up.ready_human_tasks(), "measures").id, HANDLING)
    [report] = follow_up.outgoing_messages()

    # the service's subscription table matches (name, correlation) to the waiting case
    [waiting] = case.waiting_messages()
    assert (waiting.name, waiting.correlation) == (report.name, report.correlation)
    with pytest.raises(NotFound):
        case.deliver_message(report.name, {**report.payload, "case_id": "C-OTHER"}, {"case_id": "C-OTHER"})
    case.deliver_message(report.name, report.payload, report.correlation)

    close = only(case.ready_human_tasks(), "close")
    assert close.data["follow_up_reports"] == [report.payload]
    assert [e.kind for e in case.events_since_last_save()].count("message_received") == 1
    case.complete(close.id, {"conclusion": "问题已整改，结案"})
    assert case.status == "complete"
