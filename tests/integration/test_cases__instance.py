"""The case pages: /cases/<id> (status, diagram markers, tasks, audit timeline), its BPMN, the case
list, and the office's cancel / suspend / resume (UI, both backends)."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
import time_machine
from lxml import etree

from adapters.db import db
from adapters.models import HumanTask, ProcessInstance
from tests import factories as f
from tests.integration.cases_support import (
    SHANGHAI,
    build_world,
    checklist_form,
    login,
    post,
    start_case,
    task_of,
)

BEFORE_DUE = datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def w(app):
    world = build_world()
    world["case"] = start_case(world)
    outsider_dept = f.department("应急管理局")
    world["outsider"] = f.account("outsider", ["officer"], outsider_dept.id)
    db.session.commit()
    return world


def marks_of(html: str) -> dict:
    raw = re.search(r"data-marks='([^']*)'", html).group(1)
    return json.loads(raw.replace("&#34;", '"').replace("&quot;", '"'))


def test_case__page_shows_status_tasks_and_diagram_marks(app, w):
    with time_machine.travel(BEFORE_DUE, tick=False):
        html = login(app, w["office"]).get(f"/cases/{w['case'].id}").get_data(as_text=True)
    assert "等待" in html and "联合检查案件" in html and "v1" in html
    marks = marks_of(html)
    assert marks["active"] == ["department_check", "result_entry"] and marks["overdue"] == []
    assert {"start", "prepare", "notice", "set_result_due"} <= set(marks["completed"])
    assert html.count("录入本部门检查结果") >= 3 and "发出检查通知" in html
    assert f"/cases/{w['case'].id}/diagram.xml" in html and "case-diagram.js" in html


def test_case__timeline_shows_task_completion_with_the_actor(app, w):
    fire_task = task_of(w["case"].id, w["fire"])
    post(login(app, w["fire_inspector"]), f"/tasks/{fire_task.id}", checklist_form(fire_task, {0: ["1"]}))
    html = login(app, w["office"]).get(f"/cases/{w['case'].id}").get_data(as_text=True)
    lines = re.findall(r'<li class="tl-task_completed">(.*?)</li>', html, re.S)
    assert any("录入本部门检查结果" in line and "fire_inspector" in line for line in lines)
    assert any("发出检查通知" in line and "lead_officer" in line for line in lines)
    assert "案件开始" in html and "任务办结" in html


def test_case__overdue_task_is_marked(app, w):
    with time_machine.travel(datetime(2026, 10, 20, 9, 0, tzinfo=SHANGHAI), tick=False):
        html = login(app, w["office"]).get(f"/cases/{w['case'].id}").get_data(as_text=True)
    assert marks_of(html)["overdue"] == ["department_check", "result_entry"]
    assert "已逾期 1 个工作日" in html


def test_case__visible_to_its_departments_not_to_others(app, w):
    url = f"/cases/{w['case'].id}"
    for user in ("lead_officer", "fire_inspector", "health_inspector", "auditor", "office"):
        assert login(app, w[user]).get(url).status_code == 200, user
    outsider = login(app, w["outsider"])
    assert outsider.get(url).status_code == 403
    assert outsider.get(f"{url}/diagram.xml").status_code == 403
    assert outsider.get(f"/api/v1/cases/{w['case'].id}/timeline").status_code == 403
    assert f'href="{url}"' not in outsider.get("/cases").get_data(as_text=True)
    assert f'href="{url}"' in login(app, w["fire_inspector"]).get("/cases").get_data(as_text=True)


def test_case__diagram_xml_is_the_versions_bpmn_with_a_diagram(app, w):
    resp = login(app, w["fire_inspector"]).get(f"/cases/{w['case'].id}/diagram.xml")
    assert resp.status_code == 200 and resp.mimetype == "application/xml"
    root = etree.fromstring(resp.data)
    ns = {"bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI"}
    planes = {p.get("bpmnElement") for p in root.iterfind(".//bpmndi:BPMNPlane", ns)}
    shapes = {s.get("bpmnElement") for s in root.iterfind(".//bpmndi:BPMNShape", ns)}
    assert "inspection_case" in planes and {"notice", "department_check"} <= shapes


def test_case__admin_actions_are_for_the_office(app, w):
    url = f"/cases/{w['case'].id}"
    for user in ("lead_officer", "auditor", "fire_inspector"):
        assert post(login(app, w[user]), f"{url}/suspend", {"reason": "核查"}).status_code == 403
    office = login(app, w["office"])
    assert post(office, f"{url}/suspend", {"reason": ""}).status_code == 422
    assert post(office, f"{url}/suspend", {"reason": "企业申请延期"}).status_code == 302
    assert db.session.get(ProcessInstance, w["case"].id).status == "suspended"
    assert "已挂起" in office.get(url).get_data(as_text=True)
    assert post(office, f"{url}/resume").status_code == 302
    db.session.expire_all()
    assert db.session.get(ProcessInstance, w["case"].id).status == "waiting"
    assert post(office, f"{url}/cancel", {"reason": "企业已注销"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(ProcessInstance, w["case"].id).status == "cancelled"
    states = db.session.scalars(db.select(HumanTask.state).where(HumanTask.instance_id == w["case"].id)).all()
    assert "ready" not in states
    html = office.get(url).get_data(as_text=True)
    assert "已撤销" in html and "企业已注销" in html and "企业申请延期" in html and "管理操作" in html


def test_case__cancel_without_csrf_is_refused(app, w):
    office = login(app, w["office"])
    assert office.post(f"/cases/{w['case'].id}/cancel", data={"reason": "x"}).status_code == 400
    assert db.session.get(ProcessInstance, w["case"].id).status == "waiting"


def test_case_list__filters(app, w):
    other = start_case(w, "C-2026-0002", checklists=False)
    office = login(app, w["office"])
    html = office.get("/cases").get_data(as_text=True)
    assert f"/cases/{other.id}" in html and f"/cases/{w['case'].id}" in html
    only = office.get("/cases?q=0002").get_data(as_text=True)
    assert f'/cases/{other.id}"' in only and f'/cases/{w["case"].id}"' not in only
    assert f'/cases/{other.id}"' not in office.get("/cases?status=cancelled").get_data(as_text=True)
