"""Shared world of the joint task tests (tests/integration/test_joint_tasks__*.py): the 餐饮服务
一业一查 list (市场监管局 leads, 消防 and 卫健 report), an uninvolved department, people of every
role, a published annual plan with one row, and the shipped processes deployed."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from adapters.db import db
from adapters.joint_tasks import open_task, spec_ad_hoc
from adapters.models import (
    AnnualPlan,
    AnnualPlanRevision,
    AnnualPlanRow,
    HumanTask,
    IndustryJointList,
    JointTask,
    JointTaskDepartment,
)
from adapters.workflow import versions
from adapters.workflow.service import Who
from engine.access import Actor
from tests import factories as f
from web.runtime import engine, workflow

SHANGHAI = ZoneInfo("Asia/Shanghai")
WHISTLE = datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)  # Wed; 报到 due at the end of Sat 10/10
DUE_UTC = datetime(2026, 10, 10, 15, 59, 59, tzinfo=ZoneInfo("UTC"))
PEOPLE = {
    "lead_officer": (["officer"], "market"),
    "fire_officer": (["officer"], "fire"),
    "fire_inspector": (["inspector"], "fire"),
    "health_officer": (["officer"], "health"),
    "edu_officer": (["officer"], "edu"),
    "office": (["office"], None),
    "auditor": (["auditor"], None),
}


def build_world() -> dict:
    f.region()
    w: dict = {}
    for key, name in (
        ("market", "市场监管局"),
        ("fire", "消防救援大队"),
        ("health", "卫生健康委"),
        ("edu", "教育局"),
    ):
        w[key] = f.department(name)
    for username, (roles, dept) in PEOPLE.items():
        w[username] = f.account(username, roles, w[dept].id if dept else None)
    w["items"] = {
        "food": f.item("SC-01", "食品经营许可", w["market"].id),
        "staff": f.item("SC-02", "从业人员健康管理", w["market"].id),
        "fire": f.item("XF-01", "消防安全", w["fire"].id),
        "exit": f.item("XF-02", "疏散通道", w["fire"].id),
        "water": f.item("WS-01", "生活饮用水卫生", w["health"].id),
    }
    w["tags"] = {"fire": f.tag("消防"), "health": f.tag("公共卫生")}
    jl = IndustryJointList(name="餐饮服务", industry_codes=["621", "622"], lead_department_id=w["market"].id)
    jl.departments = [w["fire"], w["health"]]
    jl.items = [w["items"][k] for k in ("food", "fire", "water")]
    db.session.add(jl)
    db.session.flush()
    w["joint_list"] = jl
    w["plan_row"] = published_plan_row(w)
    w["plan"] = _plan_of(w["plan_row"])
    versions.deploy_directory(db.session, engine())
    db.session.commit()
    return w


def published_plan_row(w: dict) -> AnnualPlanRow:
    """A published 2026 plan with one joint task row (餐饮服务, 消防 and 卫健 join)."""
    plan = AnnualPlan(year=2026, region_code="130100", title="2026年度一业一查联合抽查计划", status="draft")
    db.session.add(plan)
    db.session.flush()
    revision = AnnualPlanRevision(plan_id=plan.id, number=1, status="published", published_at=WHISTLE)
    db.session.add(revision)
    db.session.flush()
    row = AnnualPlanRow(
        revision_id=revision.id,
        row_key="R-0001",
        seq=1,
        industry="餐饮服务",
        industry_codes=["621"],
        joint_list_id=w["joint_list"].id,
        lead_department_id=w["market"].id,
        task_name="餐饮服务单位一业一查联合抽查",
        department_ids=[w["fire"].id, w["health"].id],
        items="食品经营许可、消防安全、生活饮用水卫生",
        schedule="2026年9—10月",
    )
    db.session.add(row)
    plan.status, plan.published_revision_id = "published", revision.id
    db.session.flush()
    return row


def _plan_of(row: AnnualPlanRow) -> AnnualPlan:
    return db.session.execute(
        select(AnnualPlan).where(AnnualPlan.published_revision_id == row.revision_id)
    ).scalar_one()


def who(user) -> Who:
    return Who(Actor(user.id, user.department_id, user.roles), user.display_name, "127.0.0.1")


def open_ad_hoc(w: dict, name: str = "餐饮服务临时联合抽查") -> JointTask:
    """A task opened by the lead officer through the write side (committed)."""
    spec = spec_ad_hoc(
        db.session,
        {
            "name": name,
            "lead_department_id": w["market"].id,
            "joint_list_id": w["joint_list"].id,
            "ad_hoc_reason": "群众投诉较多，临时组织联合检查",
            "report_days": 3,
        },
    )
    task = open_task(db.session, workflow(), who(w["lead_officer"]), spec)
    db.session.commit()
    return task


def report_task(task: JointTask, department) -> HumanTask:
    return db.session.execute(
        select(HumanTask).where(
            HumanTask.instance_id == task.instance_id,
            HumanTask.element_id == "report",
            HumanTask.department_id == department.id,
            HumanTask.state == "ready",
        )
    ).scalar_one()


def ready(task: JointTask, element_id: str) -> list[HumanTask]:
    return list(
        db.session.execute(
            select(HumanTask).where(
                HumanTask.instance_id == task.instance_id,
                HumanTask.element_id == element_id,
                HumanTask.state == "ready",
            )
        ).scalars()
    )


def row_of(task: JointTask, department) -> JointTaskDepartment:
    db.session.expire_all()
    return db.session.execute(
        select(JointTaskDepartment).where(
            JointTaskDepartment.task_id == task.id, JointTaskDepartment.department_id == department.id
        )
    ).scalar_one()


def confirm(w: dict, *items: str, tags: tuple[str, ...] = (), per_target: int = 2) -> dict:
    return {
        "participate": True,
        "item_ids": [w["items"][k].id for k in items],
        "inspector_tag_ids": [w["tags"][t].id for t in tags],
        "inspectors_per_target": per_target,
        "contact": "王联络",
        "contact_phone": "0311-12345678",
    }


DECLINE = {"participate": False, "decline_reason": "本部门无相关监管职责"}


def login(app, user):
    client = f.client(app)
    f.login_as(client, user)
    return client


def post_form(client, path: str, data: dict):
    token = f.csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, **data})
