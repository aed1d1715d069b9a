"""`liancha demo` builds a coherent, deterministic demo data set (on SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import pytest
from sqlalchemy import select

from adapters.db import db
from adapters.demo.people_steps import FIELD_SEPARATOR
from adapters.models import (
    Department,
    Enterprise,
    IndustryJointList,
    Inspector,
    InspectorConflict,
    User,
    enterprise_tags,
)
from engine.identifiers import industry_matches, is_valid_industry_code, is_valid_uscc
from tests import factories as f
from web.demo_commands import demo

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
