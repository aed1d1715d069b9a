"""A world for the publication tests: a joint task of an annual plan, its confirmed draw with one
drawn enterprise (credit risk class D) and its drawn inspectors (names, certificates, phones),
the case spawned the way adapters/draws/spawn.py starts it, and helpers that drive the real
`inspection_case` BPMN through the workflow service up to the published result."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from adapters.db import db
from adapters.draws import spawn
from adapters.models import (
    AnnualPlan,
    Draw,
    HumanTask,
    InspectorAssignment,
    JointTask,
    ProcessInstance,
    TaskTarget,
)
from adapters.workflow import versions
from adapters.workflow.service import Who
from engine.access import Actor
from tests import factories as f
from tests.unit.process_support import filled_checklist
from web.runtime import engine, workflow

SHANGHAI = ZoneInfo("Asia/Shanghai")
VISIT_DAY = datetime(2026, 9, 15, 10, 0, tzinfo=SHANGHAI)
APPROVAL_DAY = datetime(2026, 9, 22, 10, 0, tzinfo=SHANGHAI)
# what must never be public: the drawn inspectors' personal data and the risk class
INSPECTORS = (
    ("lead", "ZF-LEAK-0001", "欧阳检查甲", "13900000001"),
    ("lead", "ZF-LEAK-0002", "司马检查乙", "13900000002"),
    ("fire", "ZF-LEAK-0003", "诸葛检查丙", "13900000003"),
    ("fire", "ZF-LEAK-0004", "上官检查丁", "13900000004"),
)
ENTERPRISE_NAME = "石家庄公示测试餐饮有限公司"


def who(user) -> Who:
    return Who(Actor(user.id, user.department_id, user.roles), user.display_name, "127.0.0.1")


def build_world() -> dict:
    """Departments, people, the plan, the task, the draw, the enterprise and inspectors; the
    shipped processes deployed; committed."""
    f.region()
    w: dict = {"lead": f.department("市场监管局"), "fire": f.department("消防救援支队")}
    w["office_dept"] = f.department("双随机办")
    for key, roles, dept in (
        ("lead_officer", ["officer"], "lead"),
        ("fire_inspector", ["inspector"], "fire"),
        ("office", ["office"], "office_dept"),
        ("fire_officer", ["officer"], "fire"),
        ("auditor", ["auditor"], "office_dept"),
    ):
        w[key] = f.account(key, roles, w[dept].id)
    w["items"] = {
        "lead": f.item("PUB-SC-01", "食品经营许可", w["lead"].id),
        "fire": f.item("PUB-XF-01", "消防安全", w["fire"].id),
    }
    enterprise = f.enterprise(7, ENTERPRISE_NAME, risk_class="D")
    plan = AnnualPlan(
        year=2026, region_code="130100", title="石家庄市2026年度部门联合抽查计划", status="published"
    )
    db.session.add(plan)
    db.session.flush()
    task = JointTask(
        number="JT-2026-0042", name="餐饮服务一业一查", plan_id=plan.id, lead_department_id=w["lead"].id
    )
    task.industry_codes, task.region_codes, task.tag_ids, task.spawn_progress = ["621"], [], [], {}
    db.session.add(task)
    db.session.flush()
    departments = [{"department_id": w[k].id, "item_ids": [w["items"][k].id]} for k in ("lead", "fire")]
    draw = Draw(
        task_id=task.id,
        status="confirmed",
        algorithm="test",
        commitment="0" * 64,
        result={"departments": departments},
    )
    db.session.add(draw)
    db.session.flush()
    target = TaskTarget(task_id=task.id, enterprise_id=enterprise.id, draw_id=draw.id, rank=1)
    db.session.add(target)
    for n, (dept, cert, name, phone) in enumerate(INSPECTORS):
        inspector = f.inspector(cert, name, w[dept].id, phone=phone)
        db.session.add(
            InspectorAssignment(
                draw_id=draw.id,
                task_id=task.id,
                enterprise_id=enterprise.id,
                department_id=w[dept].id,
                inspector_id=inspector.id,
                is_leader=n == 0,
            )
        )
    versions.deploy_directory(db.session, engine())
    db.session.commit()
    w.update(enterprise=enterprise, plan=plan, task=task, draw=draw, target=target)
    return w


def start_case(w: dict) -> ProcessInstance:
    """The case of the drawn enterprise, started with spawn's start data and linked to its target."""
    task, target, enterprise = w["task"], w["target"], w["enterprise"]
    data = spawn.case_data(
        task,
        target.rank,
        enterprise,
        spawn.departments_of(w["draw"]),
        spawn.inspectors_of(w["draw"].id, [enterprise.id])[enterprise.id],
    )
    with time_machine.travel(VISIT_DAY, tick=False):
        row = workflow().start(
            "inspection_case",
            data,
            who(w["lead_officer"]),
            business_key=spawn.business_key(task.number, enterprise.uscc),
            title=data["title"],
            department_id=task.lead_department_id,
        )
        target.instance_id = row.id
        db.session.commit()
    return row


def ready(instance_id: int) -> list[HumanTask]:
    query = select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.state == "ready")
    return list(db.session.execute(query.order_by(HumanTask.id)).scalars())


def complete(w: dict, row: ProcessInstance, element: str, data, user_key: str = "lead_officer", dept=None):
    """Complete the ready task `element` (of department `dept`); `data` may be a function of the
    task's pre-filled form."""
    task = next(
        t
        for t in ready(row.id)
        if t.element_id == element and (dept is None or t.department_id == w[dept].id)
    )
    if callable(data):
        form = workflow().load(db.session.get(ProcessInstance, row.id)).human_task(task.task_uuid).form_data
        data = data(form)
    workflow().complete(task.id, data, who(w[user_key]))
    db.session.commit()


def run_to_publication(w: dict, fire_checklist=None) -> ProcessInstance:
    """Notice → both checklists (the fire department finds a problem; `fire_checklist` fills its
    form) → consolidation with one follow-up → review approves: the result is published."""
    row = start_case(w)
    with time_machine.travel(VISIT_DAY, tick=False):
        complete(w, row, "notice", {"notice_no": "冀市监联查〔2026〕42号", "visit_date": "2026-09-15"})
    with time_machine.travel(APPROVAL_DAY, tick=False):
        complete(w, row, "department_check", lambda form: filled_checklist(form, ["1"]), dept="lead")
        fire_user = "fire_inspector"
        fill = fire_checklist or (lambda form: filled_checklist(form, ["A", "2"]))
        complete(w, row, "department_check", fill, fire_user, "fire")
        complete(w, row, "consolidate", lambda form: {**form, "summary": "消防安全存在问题，移送处理"})
        complete(w, row, "review", {"decision": "approve"})
    db.session.refresh(row)
    return row
