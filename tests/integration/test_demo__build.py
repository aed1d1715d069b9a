"""`liancha demo` builds a coherent, deterministic demo data set (on SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import pytest
from sqlalchemy import select

from adapters.db import db
from adapters.demo.data_plan import ROWS as DEMO_ROWS
from adapters.demo.people_steps import FIELD_SEPARATOR
from adapters.models import (
    AnnualPlan,
    AnnualPlanRow,
    Department,
    Draw,
    Enterprise,
    HumanTask,
    IndustryJointList,
    Inspector,
    InspectorConflict,
    JointTask,
    ProcessInstance,
    TaskTarget,
    User,
    enterprise_tags,
)
from engine.identifiers import industry_matches, is_valid_industry_code, is_valid_uscc
from tests import factories as f
from web.demo_commands import demo
from web.draw_commands import draw_group

SMALL = ["--enterprises", "500"]


def _run(runner, *args: str):
    result = runner.invoke(demo, [*SMALL, *args])
    assert result.exit_code == 0, result.output
    return result


def _printed_users(output: str) -> dict[str, str]:
    """username -> password from the table the command prints."""
    rows = re.findall(r"^(\w+)\s+(Liancha-\S+)\s", output, flags=re.MULTILINE)
    return dict(rows)


def _fingerprint() -> str:
    """A hash of the sorted register rows, timestamps left out (they record when, not what)."""
    digest = hashlib.sha256()
    for model in (Enterprise, Inspector, InspectorConflict):
        columns = [
            c for c in model.__table__.columns if c.name not in ("created_at", "updated_at", "declared_at")
        ]
        for row in db.session.execute(select(*columns).order_by(*columns)).all():
            digest.update(repr(tuple(row)).encode())
    for row in db.session.execute(select(enterprise_tags).order_by(*enterprise_tags.columns)).all():
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_demo__builds_valid_unique_registers_with_the_target_mix(runner, app):
    _run(runner)
    enterprises = db.session.execute(select(Enterprise)).scalars().all()
    assert len(enterprises) == 500
    usccs = [e.uscc for e in enterprises]
    assert len(set(usccs)) == len(usccs)
    for e in enterprises:
        assert is_valid_uscc(e.uscc), e.uscc
        assert e.uscc[0] == "9" and e.uscc[1] in "123" and e.uscc[2:8] == e.region_code
        assert is_valid_industry_code(e.industry_code) and len(e.industry_code) == 4
        assert e.region.name in e.address and e.name and e.legal_representative
    categories = Counter(u[1] for u in usccs)
    assert categories["1"] > categories["2"] > categories["3"] > 0
    assert all("（个体工商户）" in e.name for e in enterprises if e.uscc[1] == "2")
    risks = Counter(e.risk_class for e in enterprises)
    for risk, target in {"A": 0.40, "B": 0.40, "C": 0.15, "D": 0.05}.items():
        assert abs(risks[risk] / 500 - target) < 0.02, risks
    statuses = Counter(e.status for e in enterprises)
    assert statuses["active"] > 450 and set(statuses) <= {"active", "deregistered", "revoked", "moved"}

    inspectors = db.session.execute(select(Inspector)).scalars().all()
    assert len(inspectors) == 200 and len({i.cert_no for i in inspectors}) == 200
    assert all(re.fullmatch(r"13\d{4}20[12]\d\d{4}", i.cert_no) for i in inspectors)
    per_department = Counter(i.department_id for i in inspectors)
    departments = db.session.execute(select(Department)).scalars().all()
    assert {d.short_name for d in departments} >= {"公安局", "医疗保障局", "市场监管局", "消防救援支队"}
    assert all(per_department[d.id] >= 8 for d in departments)
    conflicts = db.session.execute(select(InspectorConflict)).scalars().all()
    assert conflicts and all(c.reason and c.enterprise_id for c in conflicts)


def test_demo__each_joint_list_department_has_items_and_a_fitting_active_pool(runner, app):
    _run(runner)
    joint_lists = db.session.execute(select(IndustryJointList)).scalars().all()
    assert {j.name for j in joint_lists} == {
        "餐饮服务",
        "加油站",
        "药品零售",
        "校外培训机构",
        "旅馆",
        "道路货物运输",
    }
    industries = db.session.execute(select(Enterprise.industry_code)).scalars().all()
    for joint in joint_lists:
        assert joint.frequency_per_year == 1
        assert joint.lead_department in joint.departments and len(joint.departments) >= 3
        assert any(industry_matches(code, joint.industry_codes) for code in industries), joint.name
        for dept in joint.departments:
            needed = {item.fields for item in joint.items if item.department_id == dept.id}
            assert needed, f"{joint.name}: {dept.name} has no items"
            pool = db.session.execute(
                select(Inspector).filter_by(department_id=dept.id, active=True)
            ).scalars()
            fitting = [i for i in pool if needed <= set(i.fields.split(FIELD_SEPARATOR))]
            assert len(fitting) >= 2, f"{joint.name}: {dept.name} has {len(fitting)} fitting inspectors"


def test_demo__same_seed_same_rows_other_seed_other_rows(runner, app):
    _run(runner)
    first = _fingerprint()
    _run(runner, "--reset")
    assert _fingerprint() == first
    _run(runner, "--reset", "--seed", "7")
    assert _fingerprint() != first


def test_demo__printed_users_log_in_through_the_form(runner, app):
    passwords = _printed_users(_run(runner).output)
    expected = {
        "admin",
        "office",
        "scjg",
        "xiaofang",
        "shangwu",
        "jiaoyu",
        "inspector1",
        "inspector2",
        "auditor",
        "weijian",
        "shengtai",
        "yingji",
        "gongan",
        "jiaotong",
        "yibao",
    }
    assert set(passwords) == expected
    for username, password in passwords.items():
        # A fresh app context per user: flask-login and flask-wtf cache the user and token in `g`.
        with app.app_context():
            client = app.test_client()
            assert f.login(client, username, password).status_code == 302, username
            assert client.get("/").status_code == 200
    office = db.session.execute(select(User).filter_by(username="office")).scalar_one()
    assert office.roles == {"office"} and office.department.short_name == "市场监管局"
    for username in ("inspector1", "inspector2"):
        user = db.session.execute(select(User).filter_by(username=username)).scalar_one()
        linked = db.session.execute(select(Inspector).filter_by(user_id=user.id)).scalar_one()
        assert linked.active and linked.department_id == user.department_id


@pytest.mark.parametrize("flag", ["--if-empty", None])
def test_demo__a_populated_database_is_left_alone(runner, app, flag):
    f.user("someone", ["office"])
    db.session.commit()
    result = runner.invoke(demo, [*SMALL, *([flag] if flag else [])])
    assert result.exit_code == (0 if flag else 1), result.output
    assert db.session.execute(select(Enterprise)).first() is None
    assert [u.username for u in db.session.execute(select(User)).scalars()] == ["someone"]


def test_demo__a_published_plan_and_joint_tasks_run_through_the_real_processes(runner, app):
    """The plan went through 起草 → 审核 → 发布; 餐饮服务 is drawn (verifiably) with its cases
    started; 校外培训机构 waits in 报到; the other rows are free to open by hand."""
    _run(runner)
    plan = db.session.execute(select(AnnualPlan)).scalar_one()
    assert (plan.year, plan.status) == (2026, "published")
    rows = (
        db.session.execute(
            select(AnnualPlanRow).where(AnnualPlanRow.revision_id == plan.published_revision_id)
        )
        .scalars()
        .all()
    )
    assert sorted(r.industry for r in rows) == sorted(DEMO_ROWS)
    assert all(r.target_scope and r.duties and r.ratio and r.schedule and r.items for r in rows)
    plan_case = db.session.get(ProcessInstance, plan.instance_id)
    assert plan_case.status == "complete"

    tasks = {t.name: t for t in db.session.execute(select(JointTask)).scalars()}
    assert len(tasks) == 2
    drawn = next(t for t in tasks.values() if t.plan_row_key and "餐饮" in t.name)
    waiting = next(t for t in tasks.values() if "校外培训" in t.name)
    assert drawn.number == "JT-2026-0001" and drawn.status == "running"
    assert {d.status for d in drawn.departments} == {"confirmed"} and len(drawn.departments) == 4
    draw = db.session.execute(select(Draw).where(Draw.task_id == drawn.id)).scalar_one()
    assert draw.status == "confirmed" and draw.entropy and draw.seed
    targets = db.session.execute(select(TaskTarget).where(TaskTarget.draw_id == draw.id)).scalars().all()
    assert 1 <= len(targets) <= 12 and all(t.instance_id for t in targets)
    cases = (
        db.session.execute(
            select(ProcessInstance).where(ProcessInstance.id.in_([t.instance_id for t in targets]))
        )
        .scalars()
        .all()
    )
    assert {c.model_id for c in cases} == {"inspection_case"} and len(cases) == len(targets)
    assert drawn.spawn_progress == {"total": len(targets), "done": len(targets), "failed": 0}
    # the joint task's own process finished its draw step
    assert not db.session.execute(
        select(HumanTask).where(HumanTask.instance_id == drawn.instance_id, HumanTask.state == "ready")
    ).first()
    verified = runner.invoke(draw_group, ["verify", str(draw.id)])
    assert verified.exit_code == 0 and "MATCH" in verified.output, verified.output

    assert waiting.status == "reporting"
    states = sorted(d.status for d in waiting.departments if not d.is_lead)
    assert states == ["confirmed", "pending", "pending"]
    pending = (
        db.session.execute(
            select(HumanTask).where(
                HumanTask.instance_id == waiting.instance_id,
                HumanTask.element_id == "report",
                HumanTask.state == "ready",
            )
        )
        .scalars()
        .all()
    )
    assert len(pending) == 2
    opened = {t.plan_row_key for t in tasks.values()}
    assert len([r for r in rows if r.row_key not in opened]) == 4


def test_demo__the_joint_task_steps_are_deterministic(runner, app):
    _run(runner)
    first = _draw_fingerprint()
    _run(runner, "--reset")
    assert _draw_fingerprint() == first


def _draw_fingerprint() -> tuple:
    draw = db.session.execute(select(Draw)).scalar_one()
    targets = (
        db.session.execute(
            select(Enterprise.uscc)
            .join(TaskTarget, TaskTarget.enterprise_id == Enterprise.id)
            .order_by(TaskTarget.rank)
        )
        .scalars()
        .all()
    )
    return draw.seed, draw.pool_hash, tuple(targets), draw.result["slots"]
