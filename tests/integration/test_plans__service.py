"""The plan service and its API on both backends: revisions and their history, row keys across
revisions, the rules of adjustments and reviews."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from adapters.db import db
from adapters.models import AnnualPlanRow, HumanTask
from adapters.plans import history, process, steps
from engine.errors import Conflict, Forbidden, ValidationFailed
from tests.integration.plans_support import YEAR, build_world, client_as, row_data, service


@pytest.fixture
def w(app):
    return build_world(app)


def published_plan(w):
    """The 2026 plan with a row of each lead department, submitted, approved and published."""
    office = service(w["office"])
    plan = office.create_plan(YEAR, "130100", lead_department_ids=[w["market"].id, w["commerce"].id])
    db.session.commit()
    for user, lead, name in (
        ("officer_market", "market", "餐饮服务单位联合抽查"),
        ("officer_commerce", "commerce", "加油站联合抽查"),
    ):
        officer = service(w[user])
        officer.add_row(plan, row_data(w, lead, name))
        steps.submit_draft(officer, plan, "")
        db.session.commit()
    steps.review(office, plan, "return", "请写明抽查比例的依据", [w["market"].id])
    db.session.commit()
    steps.submit_draft(service(w["officer_market"]), plan, "已补充")
    steps.review(office, plan, "approve", "同意")
    steps.publish(office, plan, "")
    db.session.commit()
    return plan


def test_create__one_plan_per_year_and_region(w):
    office = service(w["office"])
    office.create_plan(YEAR, "130100", lead_department_ids=[w["market"].id])
    db.session.commit()
    with pytest.raises(Conflict):
        office.create_plan(YEAR, "130100", lead_department_ids=[w["market"].id])
    with pytest.raises(Forbidden):
        service(w["officer_market"]).create_plan(YEAR + 1, "130100", lead_department_ids=[w["market"].id])


def test_create__drafting_tasks_go_to_the_lead_departments(w):
    plan = service(w["office"]).create_plan(
        YEAR, "130100", lead_department_ids=[w["market"].id, w["commerce"].id]
    )
    db.session.commit()
    tasks = db.session.execute(select(HumanTask).filter_by(instance_id=plan.instance_id)).scalars().all()
    assert sorted((t.element_id, t.department_id, t.roles) for t in tasks) == sorted(
        [("draft_rows", w["market"].id, "officer"), ("draft_rows", w["commerce"].id, "officer")]
    )


def test_review__returning_without_a_reason_changes_nothing(w):
    office = service(w["office"])
    plan = office.create_plan(YEAR, "130100", lead_department_ids=[w["market"].id])
    steps.submit_draft(service(w["officer_market"]), plan, "")
    db.session.commit()
    with pytest.raises(ValidationFailed):
        steps.review(office, plan, "return", "  ")
    db.session.rollback()
    assert office.working(plan).status == "in_review"
    assert process.task_named(plan, "review") is not None


def test_adjustment__needs_a_reason_and_a_published_plan(w):
    office = service(w["office"])
    draft = office.create_plan(YEAR + 1, "130100", lead_department_ids=[w["market"].id])
    with pytest.raises(Conflict):
        office.start_adjustment(draft, "理由")
    plan = published_plan(w)
    with pytest.raises(ValidationFailed):
        office.start_adjustment(plan, "   ")
    office.start_adjustment(plan, "新增药品零售联合抽查")
    db.session.commit()
    with pytest.raises(Conflict):
        office.start_adjustment(plan, "再次调整")


def test_adjustment__row_keys_stay_and_history_keeps_every_revision(w):
    plan = published_plan(w)
    office = service(w["office"])
    first = office.published(plan)
    keys = {
        r.row_key: r.task_name
        for r in db.session.execute(select(AnnualPlanRow).filter_by(revision_id=first.id)).scalars()
    }
    second = office.start_adjustment(plan, "调整加油站抽查时间", [w["commerce"].id])
    db.session.commit()
    commerce = service(w["officer_commerce"])
    row = db.session.execute(
        select(AnnualPlanRow).filter_by(revision_id=second.id, lead_department_id=w["commerce"].id)
    ).scalar_one()
    commerce.update_row(
        plan, row.id, {**row_data(w, "commerce", "加油站联合抽查"), "schedule": "2026年6月—8月"}
    )
    steps.submit_draft(commerce, plan, "")
    steps.review(office, plan, "approve")
    steps.publish(office, plan)
    db.session.commit()

    assert {
        r.row_key: r.task_name
        for r in db.session.execute(select(AnnualPlanRow).filter_by(revision_id=second.id)).scalars()
    } == keys
    diff = history.diff_revisions(first, second)
    assert (len(diff.added), len(diff.removed)) == (0, 0)
    (change,) = diff.changed
    assert change.row_key == row.row_key
    assert [(c.column, c.old, c.new) for c in change.changes] == [
        ("时间安排", "2026年5月—9月", "2026年6月—8月")
    ]

    internal = history.history(office.flow, plan, public=False)
    assert [e.revision.number for e in internal] == [2, 1]
    rounds = internal[1].rounds
    assert [(r.decision, r.reason) for r in rounds] == [
        ("return", "请写明抽查比例的依据"),
        ("approve", "同意"),
    ]
    assert rounds[0].departments == ("市场监管局",) and "office" in rounds[0].by
    public = history.history(office.flow, plan, public=True)
    assert [(e.revision.number, e.rounds, e.reviewer) for e in public] == [
        (2, (), "市场监管局"),
        (1, (), "市场监管局"),
    ]
    assert first.status == "published" and first.review_comment == "同意"


def test_api__rows_follow_the_same_rules(app, w):
    plan = service(w["office"]).create_plan(
        YEAR, "130100", lead_department_ids=[w["market"].id, w["commerce"].id]
    )
    db.session.commit()
    market, market_token = client_as(app, w["officer_market"])
    headers = {"X-CSRFToken": market_token}
    created = market.post(
        f"/api/v1/plans/{plan.id}/rows", json=row_data(w, "market", "餐饮服务单位联合抽查"), headers=headers
    )
    assert created.status_code == 201, created.get_json()
    row_id = created.get_json()["id"]
    commerce, commerce_token = client_as(app, w["officer_commerce"])
    patch = commerce.patch(
        f"/api/v1/plans/{plan.id}/rows/{row_id}",
        json={"ratio": "50%"},
        headers={"X-CSRFToken": commerce_token},
    )
    assert patch.status_code == 403 and patch.get_json()["error"]["code"] == "forbidden"
    bad = market.post(f"/api/v1/plans/{plan.id}/rows", json={"industry": "x"}, headers=headers)
    assert bad.status_code == 422 and "task_name" in bad.get_json()["error"]["fields"]
    bad_code = market.patch(
        f"/api/v1/plans/{plan.id}/rows/{row_id}", json={"industry_codes": ["99"]}, headers=headers
    )
    assert bad_code.status_code == 422
    ok = market.patch(f"/api/v1/plans/{plan.id}/rows/{row_id}", json={"ratio": "3%"}, headers=headers)
    assert ok.status_code == 200 and ok.get_json()["ratio"] == "3%"
    body = market.get(f"/api/v1/plans/{plan.id}").get_json()
    assert body["revision"]["status"] == "draft" and [r["ratio"] for r in body["rows"]] == ["3%"]
    assert market.post(f"/api/v1/plans/{plan.id}/submit", json={}, headers=headers).status_code == 200
    assert market.get(f"/api/v1/plans/{plan.id}/diff?from=1&to=1").get_json()["changed"] == []
