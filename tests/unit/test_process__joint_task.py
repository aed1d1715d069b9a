"""The joint task process (processes/joint_task): 牵头吹哨、部门报到 — real BPMN, real calendar, no
database (the services write to an in-memory ledger standing in for JointTaskDepartment)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from engine.errors import ValidationFailed
from tests.unit.process_support import make_engine, only, parsed_model

SHANGHAI = ZoneInfo("Asia/Shanghai")
WHISTLE = datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)  # a Wednesday
# Counted by hand from DOMAIN.md §8 (2026): after Wed 9/30, 国庆 10/1–7 is off; the working days
# are Thu 10/8 (1), Fri 10/9 (2) and the make-up Saturday 10/10 (3). So 报到 is due at the end
# of 2026-10-10, 23:59:59 Beijing time = 15:59:59 UTC — not Tue 10/13 as plain weekdays would say.
REPORT_DUE = datetime(2026, 10, 10, 23, 59, 59, tzinfo=SHANGHAI)
BEFORE_DUE = datetime(2026, 10, 10, 23, 0, tzinfo=SHANGHAI)
AFTER_DUE = datetime(2026, 10, 11, 0, 1, tzinfo=SHANGHAI)


class Ledger(dict):
    """The services of the process over a dict {department id: status}, like the real ones over
    JointTaskDepartment: a report confirms or declines, escalation marks those still pending."""

    def __init__(self, departments: list[str]):
        super().__init__(dict.fromkeys(departments, "pending"))
        self.reports: list[tuple[str, dict]] = []
        self.escalations: list[dict] = []
        self.closed = 0
        self.absences: list[str] = []
        self.closings: list[tuple] = []

    def services(self) -> dict:
        return {
            "record_report": self.record_report,
            "escalate_report": self.escalate_report,
            "close_reporting": self.close_reporting,
            "record_absence": self.record_absence,
            "note_report_closing": self.note_report_closing,
        }

    def record_report(self, task_id, department_id, report_data):
        assert task_id == 7
        self[department_id] = "confirmed" if report_data["participate"] else "declined"
        self.reports.append((department_id, report_data))
        return {"department_id": department_id, "status": self[department_id]}

    def escalate_report(self, task_id, department_ids, due):
        self.escalations.append({"task_id": task_id, "department_ids": department_ids, "due": due})
        late = [d for d in department_ids if self[d] == "pending"]
        self.update(dict.fromkeys(late, "overdue"))
        return late

    def record_absence(self, task_id, department_id):
        assert self[department_id] in ("pending", "overdue"), self[department_id]
        self[department_id] = "absent"
        self.absences.append(department_id)
        return {"department_id": department_id, "status": "absent"}

    def note_report_closing(self, task_id, reason, closed_by):
        # the closing is noted before any department is recorded absent
        self.closings.append(
            (closed_by, reason, sorted(d for d, s in self.items() if s in ("pending", "overdue")))
        )
        return {"closed_by": closed_by}

    def close_reporting(self, task_id):
        self.closed += 1
        return {"task_id": task_id, "status": "drawing"}


def start_data(report_days=3) -> dict:
    """Department 10 leads; 20 (fire) and 30 (health) must report."""
    return {
        "task_id": 7,
        "task_number": "JT-2026-0001",
        "title": "JT-2026-0001 餐饮服务联合抽查",
        "lead_department": "10",
        "report_days": report_days,
        "departments": [
            {
                "id": 20,
                "name": "消防救援大队",
                "items": [
                    {"id": 201, "code": "XF-01", "name": "消防安全"},
                    {"id": 202, "code": "XF-02", "name": "疏散通道"},
                ],
                "suggested_item_ids": [201],
            },
            {
                "id": 30,
                "name": "卫生健康委",
                "items": [{"id": 301, "code": "WS-01", "name": "生活饮用水卫生"}],
            },
        ],
        "tags": [{"id": 5, "name": "消防"}, {"id": 6, "name": "公共卫生"}],
    }


def confirm(items, tags=(), per_target=2) -> dict:
    return {
        "participate": True,
        "item_ids": list(items),
        "inspector_tag_ids": list(tags),
        "inspectors_per_target": per_target,
        "contact": "王联络",
    }


DECLINE = {"participate": False, "decline_reason": "本部门无相关监管职责"}


@pytest.fixture
def ledger():
    return Ledger(["20", "30"])


@pytest.fixture
def engine(ledger):
    return make_engine(ledger.services())


@pytest.fixture
def task(engine):
    with time_machine.travel(WHISTLE, tick=False):
        return engine.start(parsed_model("joint_task"), start_data())


def report_task(instance, department: str):
    found = [
        t for t in instance.ready_human_tasks() if t.element_id == "report" and t.department == department
    ]
    assert len(found) == 1, [(t.element_id, t.department) for t in instance.ready_human_tasks()]
    return found[0]


def test_joint_task__whistle_sets_the_report_deadline_in_working_days(task):
    assert task.data()["report_due"] == "2026-10-10T15:59:59+00:00"
    assert task.next_wakeup() == REPORT_DUE.astimezone(UTC)


def test_joint_task__report_days_default_to_three(engine):
    with time_machine.travel(WHISTLE, tick=False):
        instance = engine.start(parsed_model("joint_task"), start_data(report_days=None))
    assert instance.data()["report_days"] == 3
    assert instance.data()["report_due"] == "2026-10-10T15:59:59+00:00"


def test_joint_task__one_report_task_per_cooperating_department(task):
    tasks = task.ready_human_tasks()
    assert sorted((t.element_id, t.department, t.lane, t.roles) for t in tasks) == [
        ("report", "20", "department", ("officer",)),
        ("report", "30", "department", ("officer",)),
    ]
    fire = report_task(task, "20")
    items = fire.form_schema["properties"]["item_ids"]["items"]["oneOf"]
    assert items == [{"const": 201, "title": "XF-01 消防安全"}, {"const": 202, "title": "XF-02 疏散通道"}]
    tags = fire.form_schema["properties"]["inspector_tag_ids"]["items"]["oneOf"]
    assert [t["title"] for t in tags] == ["消防", "公共卫生"]
    assert fire.form_data == {
        "participate": True,
        "item_ids": [201],
        "inspector_tag_ids": [],
        "inspectors_per_target": 2,
    }
    assert report_task(task, "30").form_data["item_ids"] == []


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({**confirm([]), "item_ids": []}, {"item_ids": "至少选择或填写 1 项"}),
        (confirm([201], per_target=1), {"inspectors_per_target": "不能小于 2"}),
        (confirm([999]), {"item_ids.0": "请选择有效的选项"}),
        ({"participate": True, "item_ids": [201], "inspectors_per_target": 2}, {"contact": "必填项"}),
        ({"participate": False}, {"decline_reason": "必填项"}),
        ({"participate": False, "decline_reason": ""}, {"decline_reason": "不能为空"}),
    ],
)
def test_joint_task__report_form_is_checked(task, ledger, data, errors):
    fire = report_task(task, "20")
    with pytest.raises(ValidationFailed) as err:
        task.complete(fire.id, data)
    assert err.value.fields == errors
    assert ledger.reports == []


def test_joint_task__all_reports_in_then_the_lead_draws(task, ledger):
    with time_machine.travel(WHISTLE, tick=False):
        task.complete(report_task(task, "20").id, confirm([201, 202], tags=[5], per_target=3))
        assert [t.department for t in task.ready_human_tasks()] == ["30"]
        task.complete(report_task(task, "30").id, DECLINE)
    assert [d for d, _r in ledger.reports] == ["20", "30"]
    assert ledger.reports[0][1]["inspector_tag_ids"] == [5]
    assert dict(ledger) == {"20": "confirmed", "30": "declined"}
    draw = only(task.ready_human_tasks(), "draw")
    assert (draw.lane, draw.department, draw.roles, draw.name) == ("lead", "10", ("officer",), "随机抽取")
    assert draw.data["reports"]["30"] == DECLINE
    assert ledger.closed == 1 and ledger.escalations == []
    assert task.next_wakeup() is None  # the deadline timer went with the reporting


def test_joint_task__draw_needs_a_draw_id_and_ends_the_process(task):
    with time_machine.travel(WHISTLE, tick=False):
        task.complete(report_task(task, "20").id, confirm([201]))
        task.complete(report_task(task, "30").id, confirm([301]))
        draw = only(task.ready_human_tasks(), "draw")
        with pytest.raises(ValidationFailed) as err:
            task.complete(draw.id, {"draw_id": "one"})
        assert err.value.fields == {"draw_id": "应为整数"}
        task.complete(draw.id, {"draw_id": 12})
    assert task.status == "complete"
    assert task.data()["draw_id"] == 12


def test_joint_task__a_missing_report_is_escalated_after_the_last_working_day(task, ledger, engine):
    with time_machine.travel(WHISTLE, tick=False):
        task.complete(report_task(task, "20").id, confirm([201]))
    with time_machine.travel(BEFORE_DUE, tick=False):
        assert task.fire_due_timers(datetime.now(UTC)) == 0
        assert ledger.escalations == [] and ledger["30"] == "pending"
    with time_machine.travel(AFTER_DUE, tick=False):
        assert task.fire_due_timers(datetime.now(UTC)) == 1
    assert ledger.escalations == [
        {"task_id": 7, "department_ids": ["20", "30"], "due": "2026-10-10T15:59:59+00:00"}
    ]
    assert dict(ledger) == {"20": "confirmed", "30": "overdue"}
    supervise = only(task.ready_human_tasks(), "supervise")
    assert (supervise.lane, supervise.department, supervise.roles) == ("office", None, ("office",))
    assert supervise.data["report_overdue"] == ["30"] and supervise.data["overdue"] is True
    # the department that reported is done; the late one still has its 报到 task
    assert [t.department for t in task.ready_human_tasks() if t.element_id == "report"] == ["30"]

    state = task.to_state()  # as the database keeps it between the timer and the late report
    later = engine.load(parsed_model("joint_task"), state)
    with time_machine.travel(AFTER_DUE, tick=False):
        later.complete(report_task(later, "30").id, confirm([301]))
    assert dict(ledger) == {"20": "confirmed", "30": "confirmed"}
    draw = only(later.ready_human_tasks(), "draw")
    assert sorted(draw.data["reports"]) == ["20", "30"]
    assert draw.data["reports"]["20"]["item_ids"] == [201]  # the early report is kept
    assert ledger.closed == 1


def test_joint_task__the_office_records_its_supervision(task):
    with time_machine.travel(AFTER_DUE, tick=False):
        task.fire_due_timers(datetime.now(UTC))
        supervise = only(task.ready_human_tasks(), "supervise")
        with pytest.raises(ValidationFailed):
            task.complete(supervise.id, {})
        task.complete(supervise.id, {"measures": "已电话督促卫生健康委当日报到"})
    # both 报到 tasks stay open, and so does the lead's 截止报到
    assert sorted((t.element_id, t.department) for t in task.ready_human_tasks()) == [
        ("close_report", "10"),
        ("report", "20"),
        ("report", "30"),
    ]


# --- 截止报到: the lead (or the office) closes reporting after the deadline -------------------


def _overdue(task, engine, *reported):
    """Departments `reported` report in time; the deadline passes; the state goes through the
    database's JSON (as between requests) before the next step."""
    with time_machine.travel(WHISTLE, tick=False):
        for dept in reported:
            task.complete(report_task(task, dept).id, confirm([201] if dept == "20" else [301]))
    with time_machine.travel(AFTER_DUE, tick=False):
        assert task.fire_due_timers(datetime.now(UTC)) == 1
    return engine.load(parsed_model("joint_task"), task.to_state())


def test_joint_task__no_close_before_the_deadline(task):
    assert [t.element_id for t in task.ready_human_tasks()] == ["report", "report"]


def test_joint_task__the_lead_closes_reporting_and_the_draw_goes_on(task, ledger, engine):
    task = _overdue(task, engine, "20")
    close = only(task.ready_human_tasks(), "close_report")
    assert (close.lane, close.department, close.roles, close.name) == ("lead", "10", ("officer",), "截止报到")
    with time_machine.travel(AFTER_DUE, tick=False):
        with pytest.raises(ValidationFailed):
            task.complete(close.id, {})
        task.complete(close.id, {"reason": "经督促仍未报到"})
    assert dict(ledger) == {"20": "confirmed", "30": "absent"}
    assert ledger.absences == ["30"] and ledger.closed == 1
    draw = only(task.ready_human_tasks(), "draw")
    assert draw.data["reports"]["30"] == {"participate": False, "not_reported": True}
    assert draw.data["reports"]["20"]["item_ids"] == [201]
    assert ledger.closings == [("lead", "经督促仍未报到", ["30"])]
    assert sorted(t.element_id for t in task.ready_human_tasks()) == ["draw", "supervise"]
    with time_machine.travel(AFTER_DUE, tick=False):
        task.complete(only(task.ready_human_tasks(), "supervise").id, {"measures": "已知悉"})
        task.complete(only(task.ready_human_tasks(), "draw").id, {"draw_id": 3})
    assert task.status == "complete"


def test_joint_task__closing_with_nobody_reported_records_every_department(task, ledger, engine):
    task = _overdue(task, engine)
    with time_machine.travel(AFTER_DUE, tick=False):
        task.complete(only(task.ready_human_tasks(), "close_report").id, {"reason": "均未报到"})
    assert dict(ledger) == {"20": "absent", "30": "absent"}
    assert sorted(t.element_id for t in task.ready_human_tasks()) == ["draw", "supervise"]


def test_joint_task__the_office_closes_reporting_while_supervising(task, ledger, engine):
    task = _overdue(task, engine, "30")
    supervise = only(task.ready_human_tasks(), "supervise")
    with time_machine.travel(AFTER_DUE, tick=False):
        task.complete(supervise.id, {"measures": "多次督促无果", "close_reporting": True})
    assert dict(ledger) == {"20": "absent", "30": "confirmed"}
    assert ledger.closings == [("office", "多次督促无果", ["20"])]
    # the lead's 截止报到 task went with it; the lead draws
    assert [t.element_id for t in task.ready_human_tasks()] == ["draw"]


def test_joint_task__supervising_without_closing_keeps_waiting(task, ledger, engine):
    task = _overdue(task, engine)
    with time_machine.travel(AFTER_DUE, tick=False):
        task.complete(only(task.ready_human_tasks(), "supervise").id, {"measures": "电话督促"})
    assert sorted(t.element_id for t in task.ready_human_tasks()) == ["close_report", "report", "report"]
    assert ledger.absences == [] and ledger.closings == []


def test_joint_task__late_reports_withdraw_the_close_task(task, ledger, engine):
    task = _overdue(task, engine, "20")
    assert sorted(t.element_id for t in task.ready_human_tasks()) == ["close_report", "report", "supervise"]
    with time_machine.travel(AFTER_DUE, tick=False):
        task.complete(report_task(task, "30").id, confirm([301]))
    assert sorted(t.element_id for t in task.ready_human_tasks()) == ["draw", "supervise"]
    assert dict(ledger) == {"20": "confirmed", "30": "confirmed"} and ledger.absences == []
    with time_machine.travel(AFTER_DUE, tick=False):
        task.complete(only(task.ready_human_tasks(), "supervise").id, {"measures": "已补报"})
        task.complete(only(task.ready_human_tasks(), "draw").id, {"draw_id": 4})
    assert task.status == "complete"
