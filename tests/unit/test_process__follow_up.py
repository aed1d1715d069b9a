"""The follow-up process (processes/follow_up): transfer or judicial referral, acceptance or
return to the office, measures within 20 working days, publication, report back to the case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from engine.errors import NotFound, ValidationFailed
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
HANDLING = {"measures": "责令当场清理疏散通道", "outcome": "rectified", "completed_on": "2026-09-30"}


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
            {"const": "10", "title": "市场监督管理局"},
            {"const": "20", "title": "消防救援大队"},
            {"const": "30", "title": "卫生健康局"},
            {"const": "40", "title": "应急管理局"},
        ],
        **overrides,
    }
    return engine.start(parsed_model("follow_up"), data)


def _transfer(instance, **changes):
    transfer = only(instance.ready_human_tasks(), "transfer")
    assert (transfer.department, transfer.lane) == ("10", "lead")
    assert transfer.form_data["department"] == "20"  # proposed by the case's consolidation
    instance.complete(transfer.id, {**transfer.form_data, "basis": "《消防法》第二十八条", **changes})


def _accept(instance):
    _transfer(instance)
    accept = only(instance.ready_human_tasks(), "accept")
    assert accept.department == "20"
    assert accept.form_data["problem"] == "疏散通道堵塞"
    instance.complete(accept.id, {"decision": "accept"})


def _return(instance, reason="属应急管理部门管辖"):
    accept = only(instance.ready_human_tasks(), "accept")
    instance.complete(accept.id, {"decision": "return", "reason": reason})
    return only(instance.ready_human_tasks(), "reassign")


def test_follow_up__returned_transfer_goes_to_the_office_which_reassigns(engine, services):
    with time_machine.travel(ACCEPTED_ON, tick=False):
        instance = _start_follow_up(engine)
        _transfer(instance)
        reassign = _return(instance)
        assert (reassign.lane, reassign.department, reassign.roles) == ("office", None, ("office",))
        assert reassign.form_data["returned_by"] == "20"
        assert reassign.form_data["return_reason"] == "属应急管理部门管辖"
        with pytest.raises(ValidationFailed) as refused:  # reassigning needs the department
            instance.complete(reassign.id, {"decision": "reassign"})
        assert "department" in refused.value.fields
        instance.complete(reassign.id, {"decision": "reassign", "department": "40"})
        accept = only(instance.ready_human_tasks(), "accept")
        assert accept.department == "40"
        instance.complete(accept.id, {"decision": "accept"})
        measures = only(instance.ready_human_tasks(), "record_measures")
        assert measures.department == "40"
        instance.complete(measures.id, HANDLING)
    [report] = instance.outgoing_messages()
    assert report.payload["department"] == "40"
    assert report.payload["status"] == "closed"
    assert services.called("publish_follow_up")[0]["department"] == "40"


def test_follow_up__office_may_decide_no_transfer_with_a_reason(engine, services):
    with time_machine.travel(ACCEPTED_ON, tick=False):
        instance = _start_follow_up(engine)
        _transfer(instance)
        reassign = _return(instance, "已当场整改，无需移送")
        with pytest.raises(ValidationFailed) as refused:
            instance.complete(reassign.id, {"decision": "no_transfer"})
        assert "reason" in refused.value.fields
        instance.complete(reassign.id, {"decision": "no_transfer", "reason": "检查时已当场改正"})
    assert instance.status == "complete"
    assert not services.called("publish_follow_up")
    [report] = instance.outgoing_messages()
    assert report.payload["status"] == "not_transferred"
    assert report.payload["reason"] == "检查时已当场改正"
    assert report.correlation == {"case_id": "C-2026-0001"}


def test_follow_up__judicial_referral_needs_organ_and_letter_and_is_handled_by_the_lead(engine, services):
    with time_machine.travel(ACCEPTED_ON, tick=False):
        instance = _start_follow_up(engine)
        transfer = only(instance.ready_human_tasks(), "transfer")
        with pytest.raises(ValidationFailed) as refused:
            instance.complete(transfer.id, {**transfer.form_data, "mode": "judicial"})
        assert {"judicial_organ", "letter_no"} <= set(refused.value.fields)
        instance.complete(
            transfer.id,
            {
                **transfer.form_data,
                "mode": "judicial",
                "judicial_organ": "石家庄市公安局长安分局",
                "letter_no": "长市监移〔2026〕3号",
            },
        )
        assert [t.element_id for t in instance.ready_human_tasks()] == ["record_measures"]  # no acceptance
        measures = only(instance.ready_human_tasks(), "record_measures")
        assert measures.department == "10"
        instance.complete(measures.id, {**HANDLING, "outcome": "judicial"})
    assert instance.next_wakeup() is None
    [report] = instance.outgoing_messages()
    assert (report.payload["mode"], report.payload["department"]) == ("judicial", "10")
    assert services.called("publish_follow_up")[0]["outcome"] == "judicial"


def test_follow_up__measures_due_in_20_working_days_and_reported_back(engine, services):
    with time_machine.travel(ACCEPTED_ON, tick=False):
        instance = _start_follow_up(engine)
        _accept(instance)
    assert instance.next_wakeup() == MEASURES_DUE.astimezone(UTC)
    assert (
        only(instance.ready_human_tasks(), "record_measures").data["measures_due"]
        == "2026-10-26T15:59:59+00:00"
    )
    with time_machine.travel(ACCEPTED_ON + timedelta(days=9), tick=False):
        measures = only(instance.ready_human_tasks(), "record_measures")
        instance.complete(measures.id, HANDLING)
    assert instance.status == "complete"
    assert services.called("publish_follow_up") == [
        {
            "case_id": "C-2026-0001",
            "follow_up_id": "C-2026-0001-1",
            "department": "20",
            "problem": "疏散通道堵塞",
            "measures": "责令当场清理疏散通道",
            "outcome": "rectified",
            "outcome_note": "",
            "completed_on": "2026-09-30",
            "mode": "department",
            "judicial_organ": "",
        }
    ]
    [report] = instance.outgoing_messages()
    assert (report.name, report.correlation) == ("follow_up_reported", {"case_id": "C-2026-0001"})
    assert report.payload == {
        "case_id": "C-2026-0001",
        "follow_up_id": "C-2026-0001-1",
        "status": "closed",
        "mode": "department",
        "department": "20",
        "problem": "疏散通道堵塞",
        "handling": HANDLING,
        "reason": "",
        "completed_on": "2026-09-30",
        "overdue": False,
    }


def test_follow_up__overdue_measures_escalate_on_the_day_after_the_20th_and_continue(engine, services):
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
        instance.complete(only(instance.ready_human_tasks(), "record_measures").id, HANDLING)
    assert instance.status == "complete"
    assert instance.outgoing_messages()[0].payload["overdue"] is True


def _case_waiting_for_follow_ups(engine):
    """A case whose review approved two problems (departments 20 and 30) for follow-up."""
    with time_machine.travel(datetime(2026, 9, 15, 10, 0, tzinfo=SHANGHAI), tick=False):
        case = engine.start(parsed_model("inspection_case"), case_start_data())
        case.complete(
            only(case.ready_human_tasks(), "notice").id, {"notice_no": "N-1", "visit_date": "2026-09-15"}
        )
        for task in case.ready_human_tasks():
            case.complete(task.id, filled_checklist(task.form_data, ["A"] if task.key != "10" else ["1"]))
        consolidate = only(case.ready_human_tasks(), "consolidate")
        case.complete(consolidate.id, {**consolidate.form_data, "summary": "发现两处问题"})
        case.complete(only(case.ready_human_tasks(), "review").id, {"decision": "approve"})
    [request] = case.outgoing_messages()
    return case, request


def test_follow_up__case_closes_only_after_every_follow_up_reported(engine):
    case, request = _case_waiting_for_follow_ups(engine)
    assert [(i["follow_up_id"], i["department"]) for i in request.payload["follow_ups"]] == [
        ("C-2026-0001-1", "20"),
        ("C-2026-0001-2", "30"),
    ]
    reports = []
    with time_machine.travel(ACCEPTED_ON, tick=False):
        for item in request.payload["follow_ups"]:
            follow_up = _start_follow_up(engine, **item, case_id=request.payload["case_id"])
            _transfer(follow_up) if item["department"] == "20" else None
            if item["department"] == "30":
                transfer = only(follow_up.ready_human_tasks(), "transfer")
                follow_up.complete(transfer.id, transfer.form_data)
            accept = only(follow_up.ready_human_tasks(), "accept")
            follow_up.complete(accept.id, {"decision": "accept"})
            follow_up.complete(only(follow_up.ready_human_tasks(), "record_measures").id, HANDLING)
            [report] = follow_up.outgoing_messages()
            reports.append(report)

    [waiting] = case.waiting_messages()
    assert (waiting.name, waiting.correlation) == (reports[0].name, reports[0].correlation)
    with pytest.raises(NotFound):
        case.deliver_message(
            reports[0].name, {**reports[0].payload, "case_id": "C-OTHER"}, {"case_id": "C-OTHER"}
        )
    case.deliver_message(reports[0].name, reports[0].payload, reports[0].correlation)
    assert not [t for t in case.ready_human_tasks() if t.element_id == "close"]  # one still open
    # the same follow-up's report delivered twice counts once: the case still waits for the other
    case.deliver_message(reports[0].name, reports[0].payload, reports[0].correlation)
    assert not [t for t in case.ready_human_tasks() if t.element_id == "close"]
    case.deliver_message(reports[1].name, reports[1].payload, reports[1].correlation)
    close = only(case.ready_human_tasks(), "close")
    assert close.data["follow_up_reports"] == [r.payload for r in reports]
    case.complete(close.id, {"conclusion": "问题已整改，结案"})
    assert case.status == "complete"
