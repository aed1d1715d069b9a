"""The annual plan through the pages, on both backends: the office creates the 2026 plan, two
lead departments draft their own rows, the office returns it with a reason, it is fixed,
approved and published; then an adjustment goes through review again. The public pages show the
published rows and the revision history without login and without internal comments."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from adapters.db import db
from adapters.models import AnnualPlan, AnnualPlanRevision, AnnualPlanRow
from tests import factories as f
from tests.integration.plans_support import YEAR, build_world, client_as, form_data, row_data

RETURN_REASON = "加油站抽查比例偏高，请按信用风险分类调整"


@pytest.fixture
def w(app):
    return build_world(app)


def post(client, token, url, data=None):
    return client.post(url, data={"csrf_token": token, **(data or {})})


def create_plan(app, w) -> int:
    client, token = client_as(app, w["office"])
    resp = post(
        client,
        token,
        "/plans/new",
        {"year": YEAR, "region_code": "130100", "lead_department_ids": [w["market"].id, w["commerce"].id]},
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return db.session.execute(select(AnnualPlan.id).filter_by(year=YEAR)).scalar_one()


def add_row(app, w, user, plan_id, lead, task_name) -> int:
    client, token = client_as(app, w[user])
    resp = post(client, token, f"/plans/{plan_id}/rows/new", form_data(row_data(w, lead, task_name)))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return db.session.execute(select(AnnualPlanRow.id).filter_by(task_name=task_name)).scalars().all()[-1]


def draft_and_submit(app, w, plan_id) -> dict[str, int]:
    rows = {
        "market": add_row(app, w, "officer_market", plan_id, "market", "餐饮服务单位联合抽查"),
        "commerce": add_row(app, w, "officer_commerce", plan_id, "commerce", "加油站联合抽查"),
    }
    for user in ("officer_market", "officer_commerce"):
        client, token = client_as(app, w[user])
        assert post(client, token, f"/plans/{plan_id}/submit", {"note": "已起草"}).status_code == 302
    return rows


def review(app, w, plan_id, decision, **extra) -> None:
    client, token = client_as(app, w["office"])
    resp = post(client, token, f"/plans/{plan_id}/review", {"decision": decision, **extra})
    assert resp.status_code == 302


def publish(app, w, plan_id) -> None:
    client, token = client_as(app, w["office"])
    assert post(client, token, f"/plans/{plan_id}/publish", {"note": ""}).status_code == 302


def revision(plan_id: int, number: int) -> AnnualPlanRevision:
    db.session.expire_all()
    return db.session.execute(
        select(AnnualPlanRevision).filter_by(plan_id=plan_id, number=number)
    ).scalar_one()


def test_plans__officer_edits_only_rows_their_department_leads(app, w):
    plan_id = create_plan(app, w)
    rows = {
        "market": add_row(app, w, "officer_market", plan_id, "market", "餐饮服务单位联合抽查"),
        "commerce": add_row(app, w, "officer_commerce", plan_id, "commerce", "加油站联合抽查"),
    }
    client, token = client_as(app, w["officer_commerce"])
    edit = f"/plans/{plan_id}/rows/{rows['market']}/edit"
    assert client.get(edit).status_code == 403
    changed = form_data(row_data(w, "market", "被他人修改"))
    assert post(client, token, edit, changed).status_code == 403
    assert post(client, token, f"/plans/{plan_id}/rows/{rows['market']}/delete").status_code == 403
    # a row posted as led by another department is refused too
    other = form_data(row_data(w, "market", "冒名计划行"))
    assert post(client, token, f"/plans/{plan_id}/rows/new", other).status_code == 403
    fire, fire_token = client_as(app, w["officer_fire"])  # not a lead department of this plan
    assert (
        post(
            fire, fire_token, f"/plans/{plan_id}/rows/new", form_data(row_data(w, "market", "x"))
        ).status_code
        == 403
    )
    db.session.expire_all()
    assert db.session.get(AnnualPlanRow, rows["market"]).task_name == "餐饮服务单位联合抽查"
    assert db.session.execute(select(AnnualPlanRow).filter_by(task_name="冒名计划行")).first() is None


def test_plans__submitted_rows_are_locked_for_the_department(app, w):
    plan_id = create_plan(app, w)
    rows = draft_and_submit(app, w, plan_id)
    assert revision(plan_id, 1).status == "in_review"
    client, token = client_as(app, w["officer_market"])
    resp = post(
        client, token, f"/plans/{plan_id}/rows/{rows['market']}/edit", form_data(row_data(w, "market", "改"))
    )
    assert resp.status_code == 409


def test_plans__return_fix_approve_publish_then_public_page(app, w):
    plan_id = create_plan(app, w)
    rows = draft_and_submit(app, w, plan_id)
    review(app, w, plan_id, "return", return_departments=[w["commerce"].id], reason=RETURN_REASON)
    rev = revision(plan_id, 1)
    assert (rev.status, rev.review_comment) == ("returned", RETURN_REASON)

    # only the department the plan was returned to may change its rows now
    market, market_token = client_as(app, w["officer_market"])
    fix = form_data(row_data(w, "market", "餐饮服务单位联合抽查", ratio="3%"))
    assert post(market, market_token, f"/plans/{plan_id}/rows/{rows['market']}/edit", fix).status_code == 409
    commerce, commerce_token = client_as(app, w["officer_commerce"])
    page = commerce.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert RETURN_REASON in page
    fix = form_data(row_data(w, "commerce", "加油站联合抽查", ratio="A类3%、B类5%、C类10%、D类20%"))
    assert (
        post(commerce, commerce_token, f"/plans/{plan_id}/rows/{rows['commerce']}/edit", fix).status_code
        == 302
    )
    assert (
        post(commerce, commerce_token, f"/plans/{plan_id}/submit", {"note": "已按意见修改"}).status_code
        == 302
    )
    assert revision(plan_id, 1).status == "in_review"

    review(app, w, plan_id, "approve", reason="")
    assert revision(plan_id, 1).status == "approved"
    assert revision(plan_id, 1).reviewed_by_id == w["office"].id
    publish(app, w, plan_id)
    plan = db.session.get(AnnualPlan, plan_id)
    assert plan.status == "published" and plan.published_revision_id == revision(plan_id, 1).id

    public = f.client(app)  # nobody logged in
    listing = public.get("/public/plans")
    assert listing.status_code == 200 and "石家庄市2026年度部门联合" in listing.get_data(as_text=True)
    page = public.get(f"/public/plans/{plan_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "餐饮服务单位联合抽查" in text and "A类3%、B类5%、C类10%、D类20%" in text
    assert "餐饮服务（621、622）" in text and "消防救援支队" in text
    assert RETURN_REASON not in text  # internal review comments stay inside
    for user in ("office", "officer_market", "officer_commerce"):
        assert user not in text
    assert "/logout" not in text
    export = public.get(f"/public/plans/{plan_id}/export.xlsx")
    assert export.status_code == 200 and export.data[:2] == b"PK"


def test_plans__adjustment_is_reviewed_again_and_public_history_shows_both(app, w):
    plan_id = create_plan(app, w)
    rows = draft_and_submit(app, w, plan_id)
    review(app, w, plan_id, "approve")
    publish(app, w, plan_id)

    office, office_token = client_as(app, w["office"])
    assert post(office, office_token, f"/plans/{plan_id}/adjust", {"reason": ""}).status_code == 422
    reason = "根据上级部署增加药品零售联合抽查，调整餐饮服务抽查比例"
    resp = post(
        office,
        office_token,
        f"/plans/{plan_id}/adjust",
        {"reason": reason, "lead_department_ids": [w["market"].id]},
    )
    assert resp.status_code == 302
    second = revision(plan_id, 2)
    assert (second.status, second.reason) == ("draft", reason)
    assert db.session.get(AnnualPlan, plan_id).status == "revising"
    # the published revision stays public, unchanged, while the adjustment is under way
    copied = {
        r.row_key
        for r in db.session.execute(select(AnnualPlanRow).filter_by(revision_id=second.id)).scalars()
    }
    assert copied == {
        r.row_key
        for r in db.session.execute(
            select(AnnualPlanRow).filter_by(revision_id=revision(plan_id, 1).id)
        ).scalars()
    }

    market, market_token = client_as(app, w["officer_market"])
    new_row = db.session.execute(
        select(AnnualPlanRow).filter_by(revision_id=second.id, lead_department_id=w["market"].id)
    ).scalar_one()
    fix = form_data(row_data(w, "market", "餐饮服务单位联合抽查", ratio="3%"))
    assert post(market, market_token, f"/plans/{plan_id}/rows/{new_row.id}/edit", fix).status_code == 302
    drug = row_data(w, "market", "药品零售企业联合抽查", industry="药品零售", industry_codes=["5251", "5252"])
    assert post(market, market_token, f"/plans/{plan_id}/rows/new", form_data(drug)).status_code == 302
    # the commerce officer was not asked to revise: their rows stay as published (403: not a
    # department of this revision)
    commerce, commerce_token = client_as(app, w["officer_commerce"])
    commerce_row = db.session.execute(
        select(AnnualPlanRow).filter_by(revision_id=second.id, lead_department_id=w["commerce"].id)
    ).scalar_one()
    fix = form_data(row_data(w, "commerce", "加油站联合抽查", ratio="50%"))
    assert (
        post(commerce, commerce_token, f"/plans/{plan_id}/rows/{commerce_row.id}/edit", fix).status_code
        == 403
    )
    assert post(market, market_token, f"/plans/{plan_id}/submit", {}).status_code == 302
    public = f.client(app)
    assert "药品零售企业联合抽查" not in public.get(f"/public/plans/{plan_id}").get_data(as_text=True)

    review(app, w, plan_id, "approve")
    publish(app, w, plan_id)
    plan = db.session.get(AnnualPlan, plan_id)
    assert plan.published_revision_id == revision(plan_id, 2).id and plan.status == "published"
    assert revision(plan_id, 1).status == "published"  # kept, never changed

    text = public.get(f"/public/plans/{plan_id}").get_data(as_text=True)
    assert "药品零售企业联合抽查" in text and reason in text
    assert text.count('class="plan-history"') == 2
    assert re.search(r"1 row\(s\) added, 0 removed, 1 changed|新增 1 行，删除 0 行，修改 1 行", text)
    assert "5%" in text and "3%" in text  # the changed 抽查比例, before and after

    internal = office.get(f"/plans/{plan_id}/revisions").get_data(as_text=True)
    assert reason in internal and "office" in internal
    diff = office.get(f"/plans/{plan_id}/diff?from=1&to=2")
    assert diff.status_code == 200 and "药品零售企业联合抽查" in diff.get_data(as_text=True)
    assert rows  # the first revision's rows were drafted by both departments


def test_plans__pages_for_readers(app, w):
    plan_id = create_plan(app, w)
    auditor, _token = client_as(app, w["auditor"])
    assert auditor.get("/plans").status_code == 200
    page = auditor.get(f"/plans/{plan_id}")
    assert page.status_code == 200 and "石家庄市2026年度部门联合" in page.get_data(as_text=True)
    assert auditor.get("/plans/new").status_code == 403
    anonymous = f.client(app)
    assert anonymous.get(f"/plans/{plan_id}").status_code == 302  # to the login page
    assert anonymous.get(f"/public/plans/{plan_id}").status_code == 404  # not published yet
