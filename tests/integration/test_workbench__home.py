"""The home page as the office's workbench (工作台): overdue counts, open cases by stage, plan
progress; other users see their own inbox counts."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import time_machine

from adapters.db import db
from adapters.models import AnnualPlan
from adapters.workflow import jobs as workflow_jobs
from tests.integration.cases_support import SHANGHAI, build_world, login, start_case

AFTER_DUE = datetime(2026, 10, 21, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def w(app):
    world = build_world()
    world["case"] = start_case(world)
    start_case(world, "C-2026-0002", checklists=False)
    db.session.add(AnnualPlan(year=2026, region_code="130100", title="2026年度部门联合抽查计划"))
    db.session.commit()
    return world


def kpi(html: str, label: str) -> int:
    found = re.search(rf'<span class="kpi-label">{label}</span><span class="kpi-value">(\d+)</span>', html)
    assert found, label
    return int(found.group(1))


def test_workbench__office_sees_overdue_stages_and_plans(app, w):
    with time_machine.travel(AFTER_DUE, tick=False):
        workflow_jobs.wake_due()
        html = login(app, w["office"]).get("/").get_data(as_text=True)
    assert kpi(html, "逾期任务") == 3 and kpi(html, "逾期案件") == 1
    assert kpi(html, "在办检查案件") == 2
    stages = dict(
        re.findall(
            r"<li><span>([^<]+)</span><span class=\"bar\">.*?</span></span><span>(\d+)</span></li>", html
        )
    )
    assert (
        stages["录入本部门检查结果"] == "1"
        and stages["发出检查通知"] == "1"
        and stages["督办逾期案件"] == "1"
    )
    assert "2026 年度计划进度" in html and "2026年度部门联合抽查计划" in html and "0/0" in html


def test_workbench__inspector_sees_own_counts_only(app, w):
    html = login(app, w["fire_inspector"]).get("/").get_data(as_text=True)
    assert kpi(html, "我的待办") == 1
    assert "在办案件（按环节）" not in html and "年度计划进度" not in html
