"""The annual plan review process (processes/annual_plan): real BPMN, no database."""

from __future__ import annotations

import pytest

from engine.errors import ValidationFailed
from tests.unit.process_support import RecordingServices, make_engine, only, parsed_model


@pytest.fixture
def services():
    return RecordingServices("mark_plan_revision", "publish_plan")


@pytest.fixture
def plan(services):
    """Revision 5 of plan 1, drafted by two lead departments (10 市场监管局, 20 商务局)."""
    engine = make_engine(services)
    return engine.start(
        parsed_model("annual_plan"),
        {
            "plan_id": 1,
            "revision_id": 5,
            "lead_departments": ["10", "20"],
            "department_names": {"10": "市场监管局", "20": "商务局"},
            "reason": "",
            "title": "石家庄市2026年度部门联合“双随机、一公开”抽查计划",
        },
    )


def _draft_all(instance, element_id: str = "draft_rows") -> list[str]:
    tasks = [t for t in instance.ready_human_tasks() if t.element_id == element_id]
    for task in tasks:
        instance.complete(task.id, {**task.form_data, "rows_drafted": 2, "note": "已起草"})
    return sorted(t.key for t in tasks)


def _statuses(services) -> list[str]:
    return [call["status"] for call in services.called("mark_plan_revision")]


def test_annual_plan__one_drafting_task_per_lead_department(plan):
    tasks = plan.ready_human_tasks()
    assert sorted((t.element_id, t.key, t.department, t.lane, t.roles) for t in tasks) == [
        ("draft_rows", "10", "10", "department", ("officer",)),
        ("draft_rows", "20", "20", "department", ("officer",)),
    ]
    assert tasks[0].form_data["rows_drafted"] == 0


def test_annual_plan__review_waits_for_every_department(plan, services):
    first = next(t for t in plan.ready_human_tasks() if t.key == "10")
    plan.complete(first.id, {**first.form_data, "rows_drafted": 3})
    assert [t.element_id for t in plan.ready_human_tasks()] == ["draft_rows"]
    assert services.called("mark_plan_revision") == []


def test_annual_plan__approve_then_publish(plan, services):
    _draft_all(plan)
    review = only(plan.ready_human_tasks(), "review")
    assert (review.lane, review.department, review.roles) == ("office", None, ("office",))
    choices = review.form_schema["properties"]["return_departments"]["items"]["oneOf"]
    assert choices == [{"const": "10", "title": "市场监管局"}, {"const": "20", "title": "商务局"}]
    plan.complete(review.id, {"decision": "approve", "reason": "符合要求"})
    publish = only(plan.ready_human_tasks(), "publish")
    assert services.called("publish_plan") == []
    plan.complete(publish.id, {"note": ""})
    assert plan.status == "complete"
    assert _statuses(services) == ["in_review", "approved"]
    assert services.called("publish_plan") == [{"plan_id": 1, "revision_id": 5}]


def test_annual_plan__return_then_approve(plan, services):
    _draft_all(plan)
    review = only(plan.ready_human_tasks(), "review")
    plan.complete(review.id, {"decision": "return", "return_departments": ["20"], "reason": "抽查比例未写明"})
    (rework,) = plan.ready_human_tasks()
    assert (rework.element_id, rework.key, rework.department) == ("revise_rows", "20", "20")
    assert rework.form_data["return_reason"] == "抽查比例未写明"
    assert services.called("mark_plan_revision")[-1] == {
        "revision_id": 5,
        "status": "returned",
        "comment": "抽查比例未写明",
    }
    plan.complete(rework.id, {**rework.form_data, "rows_drafted": 2})
    review = only(plan.ready_human_tasks(), "review")
    plan.complete(review.id, {"decision": "approve"})
    plan.complete(only(plan.ready_human_tasks(), "publish").id, {})
    assert plan.status == "complete"
    assert _statuses(services) == ["in_review", "returned", "in_review", "approved"]


def test_annual_plan__return_without_departments_goes_to_all_of_them(plan):
    _draft_all(plan)
    review = only(plan.ready_human_tasks(), "review")
    plan.complete(review.id, {"decision": "return", "return_departments": [], "reason": "请补充联查对象"})
    assert _draft_all(plan, "revise_rows") == ["10", "20"]
    assert [t.element_id for t in plan.ready_human_tasks()] == ["review"]


def test_annual_plan__return_reasons_are_kept(plan):
    _draft_all(plan)
    for reason in ("抽查比例未写明", "时间安排应在10月底前"):
        plan.complete(
            only(plan.ready_human_tasks(), "review").id,
            {"decision": "return", "return_departments": ["10"], "reason": reason},
        )
        _draft_all(plan, "revise_rows")
    plan.complete(only(plan.ready_human_tasks(), "review").id, {"decision": "approve"})
    history = plan.data()["review_history"]
    assert [(h["round"], h["decision"], h["reason"]) for h in history] == [
        (1, "return", "抽查比例未写明"),
        (2, "return", "时间安排应在10月底前"),
        (3, "approve", ""),
    ]
    assert history[0]["return_departments"] == ["10"]


def test_annual_plan__returning_needs_a_reason(plan):
    _draft_all(plan)
    review = only(plan.ready_human_tasks(), "review")
    with pytest.raises(ValidationFailed) as err:
        plan.complete(review.id, {"decision": "return", "return_departments": ["10"], "reason": ""})
    assert "reason" in err.value.fields
    with pytest.raises(ValidationFailed):
        plan.complete(review.id, {"decision": "return", "return_departments": ["99"], "reason": "理由"})
    assert only(plan.ready_human_tasks(), "review").id == review.id
