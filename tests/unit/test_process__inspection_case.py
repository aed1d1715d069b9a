"""The joint inspection case (processes/inspection_case): real BPMN, no database, time travel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from engine.errors import ValidationFailed
from tests.unit.process_support import (
    RecordingServices,
    case_start_data,
    filled_checklist,
    make_engine,
    only,
    parsed_model,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
VISIT_DAY = datetime(2026, 9, 15, 10, 0, tzinfo=SHANGHAI)
# Counted by hand from DOMAIN.md §8 (2026): after Tue 9/15 the working days are
# 9/16 9/17 9/18 (1–3), Sun 9/20 make-up day (4), 9/21–9/24 (5–8); 中秋 9/25–27 off;
# 9/28–9/30 (9–11); 国庆 10/1–7 off; 10/8 10/9 (12–13), Sat 10/10 make-up day (14);
# 10/12–10/16 (15–19); Mon 10/19 is the 20th. So the result entry is due at the end of
# 2026-10-19 (23:59:59 Beijing time = 15:59:59 UTC), not 10/21.
RESULT_DUE = datetime(2026, 10, 19, 23, 59, 59, tzinfo=SHANGHAI)


@pytest.fixture
def services():
    return RecordingServices("publish_result", "notify_overdue")


@pytest.fixture
def engine(services):
    return make_engine(services)


@pytest.fixture
def case(engine):
    """A case started on the visit day with its notice sent: three checklists are ready."""
    with time_machine.travel(VISIT_DAY, tick=False):
        instance = engine.start(parsed_model("inspection_case"), case_start_data())
        notice = only(instance.ready_human_tasks(), "notice")
        instance.complete(notice.id, {"notice_no": "冀市监联查〔2026〕1号", "visit_date": "2026-09-15"})
    return instance


def _submit_checklists(instance, codes_by_department: dict[str, list[str]]) -> None:
    for task in [t for t in instance.ready_human_tasks() if t.element_id == "department_check"]:
        instance.complete(task.id, filled_checklist(task.form_data, codes_by_department[task.key]))


def test_inspection_case__notice_goes_to_the_lead_department(engine):
    with time_machine.travel(VISIT_DAY, tick=False):
        instance = engine.start(parsed_model("inspection_case"), case_start_data())
    notice = only(instance.ready_human_tasks(), "notice")
    assert (notice.lane, notice.department, notice.roles) == ("lead", "10", ("officer", "inspector"))
    assert instance.status == "waiting"


def test_inspection_case__one_checklist_per_department_routed_by_key(case):
    checks = [t for t in case.ready_human_tasks() if t.element_id == "department_check"]
    assert sorted((t.key, t.department, t.lane) for t in checks) == [
        ("10", "10", "department"),
        ("20", "20", "department"),
        ("30", "30", "department"),
    ]
    fire = next(t for t in checks if t.key == "20")
    assert fire.form_data["results"] == [
        {"item_code": "XF-01", "item_name": "疏散通道", "result_codes": [], "note": ""}
    ]
    assert fire.form == "checklist.json" and fire.ui_schema["results"]["ui:widget"] == "table"


def test_inspection_case__deadline_is_20_working_days_after_the_visit(case):
    assert case.data()["result_due"] == "2026-10-19T15:59:59+00:00"
    assert case.next_wakeup() == RESULT_DUE.astimezone(UTC)


def test_inspection_case__no_problem_code_cannot_be_combined(case):
    task = next(t for t in case.ready_human_tasks() if t.key == "10")
    with pytest.raises(ValidationFailed) as err:
        case.complete(task.id, filled_checklist(task.form_data, ["1", "A"]))
    assert err.value.fields == {
        "results.0.result_codes": "最多选择或填写 1 项",
        "results.1.result_codes": "最多选择或填写 1 项",
    }
    assert case.human_task(task.id).form_data == task.form_data  # nothing changed


def test_inspection_case__full_run_with_a_return(case, engine, services):
    with time_machine.travel(VISIT_DAY + timedelta(days=3), tick=False):
        _submit_checklists(case, {"10": ["1"], "20": ["A", "3"], "30": ["1"]})
        consolidate = only(case.ready_human_tasks(), "consolidate")
        assert (consolidate.department, consolidate.form_data["follow_ups"]) == (
            "10",
            [{"department": "20", "problem": "疏散通道"}],
        )
        case.complete(consolidate.id, {**consolidate.form_data, "summary": "消防通道堵塞，其余未发现问题"})

        review = only(case.ready_human_tasks(), "review")
        choices = review.form_schema["properties"]["return_department"]["oneOf"]
        assert [c["title"] for c in choices] == ["市场监督管理局", "消防救援大队", "卫生健康局"]
        with pytest.raises(ValidationFailed) as err:
            case.complete(review.id, {"decision": "return", "return_department": "30"})
        assert err.value.fields == {"reason": "必填项"}
        case.complete(
            review.id, {"decision": "return", "return_department": "30", "reason": "健康证明已过期"}
        )

        correct = only(case.ready_human_tasks(), "correct")
        assert (correct.department, correct.lane) == ("30", "department")
        case.complete(correct.id, filled_checklist(correct.form_data, ["E"]))

        review = only(case.ready_human_tasks(), "review")
        assert review.form_data == {}  # a fresh decision each round
        case.complete(review.id, {"decision": "approve"})

    [published] = services.called("publish_result")
    assert published["case_id"] == "C-2026-0001"
    assert published["checklists"]["30"]["results"][0]["result_codes"] == ["E"]
    assert published["checklists"]["20"]["results"][0]["result_codes"] == ["A", "3"]
    [request] = case.outgoing_messages()
    assert (request.name, request.correlation) == ("follow_up_requested", {"case_id": "C-2026-0001"})
    assert request.payload["follow_ups"] == [
        {"follow_up_id": "C-2026-0001-1", "department": "20", "problem": "疏散通道"}
    ]
    [waiting] = case.waiting_messages()
    assert (waiting.name, waiting.correlation) == ("follow_up_reported", {"case_id": "C-2026-0001"})
    assert case.ready_human_tasks() == [] and case.status == "waiting"
    assert not services.called("notify_overdue")


def test_inspection_case__timer_fires_after_the_20th_working_day_not_before(case, services):
    with time_machine.travel(datetime(2026, 10, 18, 12, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        case.advance()  # Sunday before: nothing
        assert not [t for t in case.ready_human_tasks() if t.element_id == "supervise"]
        traveller.move_to(datetime(2026, 10, 19, 23, 59, 0, tzinfo=SHANGHAI))
        case.advance()  # the last minute of the due day: still in time
        assert not [t for t in case.ready_human_tasks() if t.element_id == "supervise"]
        assert not services.called("notify_overdue")
        traveller.move_to(datetime(2026, 10, 20, 0, 0, 30, tzinfo=SHANGHAI))
        case.advance()
    supervise = only(case.ready_human_tasks(), "supervise")
    assert (supervise.lane, supervise.department, supervise.data["overdue"]) == ("office", None, True)
    assert services.called("notify_overdue") == [
        {"case_id": "C-2026-0001", "stage": "result_entry", "due": "2026-10-19T15:59:59+00:00"}
    ]
    # non-interrupting: the department checklists are still there
    assert len([t for t in case.ready_human_tasks() if t.element_id == "department_check"]) == 3
    assert [e.element_id for e in case.events_since_last_save() if e.kind == "timer_fired"] == [
        "result_overdue"
    ]
    assert case.next_wakeup() is None


def test_inspection_case__fire_due_timers_uses_the_given_time(case, services):
    # The machine's clock says it is the day after the visit; the worker passes its own `now`.
    with time_machine.travel(VISIT_DAY + timedelta(days=1), tick=False):
        assert case.fire_due_timers(RESULT_DUE.astimezone(UTC) - timedelta(seconds=1)) == 0
        assert not services.called("notify_overdue")
        assert case.fire_due_timers(RESULT_DUE.astimezone(UTC)) == 1
    assert only(case.ready_human_tasks(), "supervise").data["overdue"] is True
    assert len(services.called("notify_overdue")) == 1


def test_inspection_case__overdue_work_still_completes(case, services):
    with time_machine.travel(RESULT_DUE + timedelta(days=2), tick=False):
        case.advance()
        _submit_checklists(case, {"10": ["1"], "20": ["1"], "30": ["1"]})
        consolidate = only(case.ready_human_tasks(), "consolidate")
        assert consolidate.form_data["follow_ups"] == []
        case.complete(consolidate.id, {"summary": "未发现问题", "follow_ups": []})
        case.complete(only(case.ready_human_tasks(), "review").id, {"decision": "approve"})
        case.complete(only(case.ready_human_tasks(), "close").id, {"conclusion": "结案"})
        assert case.status == "waiting"  # the office's supervision is still open
        case.complete(only(case.ready_human_tasks(), "supervise").id, {"measures": "已约谈牵头部门"})
    assert case.status == "complete"
    assert case.outgoing_messages() == []  # no follow-up needed
    assert [e.kind for e in case.events_since_last_save()][-1] == "completed"
