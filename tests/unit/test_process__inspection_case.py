"""The joint inspection case (processes/inspection_case): real BPMN, no database, time travel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from engine.errors import ValidationFailed
from tests.unit.process_support import (
    DICTIONARY_SERVICES,
    RESULT_CODES,
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
    return RecordingServices("publish_result", "notify_overdue", "mark_result_codes_used")


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
        {"item_code": "XF-01", "item_name": "疏散通道", "result_codes": [], "note": "", "attachments": []}
    ]
    assert fire.form == "checklist.json" and fire.ui_schema["results"]["ui:widget"] == "table"
    # the result codes are the dictionary's active codes, read when the task is built
    options = fire.form_schema["properties"]["results"]["items"]["properties"]["result_codes"]["items"]
    assert [(o["const"], o["title"]) for o in options["oneOf"]] == RESULT_CODES


def test_inspection_case__deadline_is_20_working_days_after_the_visit(case):
    assert case.data()["result_due"] == "2026-10-19T15:59:59+00:00"
    assert case.next_wakeup() == RESULT_DUE.astimezone(UTC)


def test_inspection_case__no_problem_code_cannot_be_combined(case):
    task = next(t for t in case.ready_human_tasks() if t.key == "10")
    with pytest.raises(ValidationFailed) as err:
        case.complete(task.id, filled_checklist(task.form_data, ["1", "A"]))
    assert err.value.fields == {
        "results.0.result_codes": "“未发现问题”不能与其他检查结果同时选择",
        "results.1.result_codes": "“未发现问题”不能与其他检查结果同时选择",
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
        assert correct.data["review"]["reason"] == "健康证明已过期"  # the page shows it
        assert "{{ review.reason }}" in correct.instructions
        assert correct.form_data == correct.data["checklists"]["30"]  # its own checklist again
        case.complete(correct.id, filled_checklist(correct.form_data, ["E"]))

        review = only(case.ready_human_tasks(), "review")
        assert review.form_data == {}  # a fresh decision each round
        case.complete(review.id, {"decision": "approve"})

    # codes of submitted checklists become undeletable: after the checklists and the correction
    marked = services.called("mark_result_codes_used")
    assert [m["checklists"]["30"]["results"][0]["result_codes"] for m in marked] == [["1"], ["E"]]
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
        assert [t.element_id for t in case.ready_human_tasks()] == ["close", "supervise"]
        case.complete(only(case.ready_human_tasks(), "close").id, {"conclusion": "结案"})
    # 结案 is a terminate end event: the office's open supervision ends with the case (the overdue
    # mark and the timer's audit events stay)
    assert case.status == "complete" and case.ready_human_tasks() == []
    fired = [e.element_id for e in case.events_since_last_save() if e.kind == "timer_fired"]
    assert fired == ["result_overdue"]
    assert case.outgoing_messages() == []  # no follow-up needed
    assert [e.kind for e in case.events_since_last_save()][-1] == "completed"


def test_inspection_case__problem_codes_are_the_snapshot_taken_at_start(services):
    """A dictionary where "E" (责令改正) counts as a problem: the case started with it sends the
    item to follow-up, whatever the dictionary says later."""
    snapshot = {"problem_codes": ["A", "8", "E"], "names": dict(RESULT_CODES)}
    services["load_result_dictionary"] = lambda **_: snapshot
    engine = make_engine(services)
    with time_machine.travel(VISIT_DAY, tick=False):
        case = engine.start(parsed_model("inspection_case"), case_start_data())
        snapshot = {"problem_codes": ["A"], "names": {}}  # changed after the start: not seen
        case.complete(
            only(case.ready_human_tasks(), "notice").id, {"notice_no": "N-1", "visit_date": "2026-09-15"}
        )
        _submit_checklists(case, {"10": ["1"], "20": ["E"], "30": ["F"]})
    consolidate = only(case.ready_human_tasks(), "consolidate")
    assert consolidate.data["problem_codes"] == ["A", "8", "E"]
    assert consolidate.form_data["follow_ups"] == [{"department": "20", "problem": "疏散通道"}]


def test_inspection_case__result_choices_follow_the_dictionary_at_validation_time(services):
    active = [{"const": c, "title": t} for c, t in RESULT_CODES]
    services["result_code_choices"] = lambda **_: list(active)
    engine = make_engine(services)
    with time_machine.travel(VISIT_DAY, tick=False):
        case = engine.start(parsed_model("inspection_case"), case_start_data())
        case.complete(
            only(case.ready_human_tasks(), "notice").id, {"notice_no": "N-1", "visit_date": "2026-09-15"}
        )
    task = next(t for t in case.ready_human_tasks() if t.key == "20")
    active[:] = [o for o in active if o["const"] != "F"] + [{"const": "H", "title": "新增结果"}]
    with pytest.raises(ValidationFailed) as err:
        case.complete(task.id, filled_checklist(task.form_data, ["F"]))  # deactivated meanwhile
    assert err.value.fields == {"results.0.result_codes.0": "请选择有效的选项"}
    case.complete(task.id, filled_checklist(task.form_data, ["H"]))
    [completed] = [e for e in case.events_since_last_save() if e.kind == "task_completed" and e.key == "20"]
    assert completed.detail["data"]["results"][0]["result_codes"] == ["H"]


def test_inspection_case__starts_with_a_notice_number_and_no_hard_coded_codes(engine):
    with time_machine.travel(VISIT_DAY, tick=False):
        instance = engine.start(parsed_model("inspection_case"), case_start_data())
    notice = only(instance.ready_human_tasks(), "notice")
    assert notice.form_data == {"notice_no": "联查通〔C-2026-0001〕号"}
    assert notice.data["problem_codes"] == DICTIONARY_SERVICES["load_result_dictionary"]()["problem_codes"]
