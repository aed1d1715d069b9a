"""The world the access-matrix test runs in: two departments, one user per actor, and objects
owned by department A that the routes name (tests/access_rules.py says which).

Each builder gets the world dict (already holding "dept_a", "dept_b", "users") and adds the ids
of what it creates under its own keys. Objects that a route changes or deactivates are
"victims", kept apart from the actors' own accounts and departments so that an allowed request
cannot spoil the cases that follow it.
"""

from __future__ import annotations

from collections.abc import Callable

from adapters.db import db
from adapters.models import Department, Region
from tests import factories as f
from tests.access_rules.publication import build_publication

# actor -> (roles, department key or None)
ACTOR_ACCOUNTS = {
    "sysadmin": (["sysadmin"], None),
    "office": (["office"], "dept_b"),
    "officer_a": (["officer"], "dept_a"),
    "officer_b": (["officer"], "dept_b"),
    "inspector": (["inspector"], "dept_a"),
    "auditor": (["auditor"], "dept_b"),
}


def build_org(w: dict) -> None:
    f.region("130100", "石家庄市", "city")
    f.region("130102", "长安区", "county", "130100")
    f.region("130104", "桥西区", "county", "130100")
    w["city_region"], w["victim_region"] = "130100", "130104"
    w["dept_a"] = _department("市场监管局", "city", "130100")
    w["dept_b"] = _department("长安区消防救援大队", "county", "130102")
    w["victim_department"] = _department("桥西区商务局", "county", "130104", parent_id=w["dept_a"])
    w["users"] = {}
    for actor, (roles, dept_key) in ACTOR_ACCOUNTS.items():
        w["users"][actor] = f.account(actor, roles, w[dept_key] if dept_key else None).id
    victim = f.account("victim", ["inspector"], w["dept_a"])
    w["victim_user"] = victim.id
    f.api_token(victim, "matrix")
    from adapters.models import ApiToken

    w["victim_token"] = db.session.execute(db.select(ApiToken.id).filter_by(user_id=victim.id)).scalar_one()
    w["static_file"] = "app.css"


def _department(name: str, level: str, region_code: str, parent_id: int | None = None) -> int:
    d = Department(name=name, level=level, region_code=region_code, parent_id=parent_id)
    db.session.add(d)
    db.session.flush()
    return d.id


def build_registers(w: dict) -> None:
    """One row of each register, owned by department A where rows have an owner."""
    from adapters.models import Expert, IndustryJointList, Inspector, InspectorConflict

    w["tag"] = f.tag("矩阵标签A").id
    item = f.item("MX-A-001", "食品经营许可", w["dept_a"])
    w["item_a"] = item.id
    jl = IndustryJointList(name="餐饮服务", industry_codes=["621"], lead_department_id=w["dept_a"])
    jl.items = [item]
    enterprise = f.enterprise(1, "矩阵餐馆")
    inspector = Inspector(cert_no="A-0001", name="张检查", department_id=w["dept_a"])
    expert = Expert(name="李专家", department_id=w["dept_a"])
    db.session.add_all([jl, inspector, expert])
    db.session.flush()
    conflict = InspectorConflict(inspector_id=inspector.id, enterprise_id=enterprise.id, reason="曾任职")
    db.session.add(conflict)
    db.session.flush()
    w |= {
        "joint_list_a": jl.id,
        "inspector_a": inspector.id,
        "expert_a": expert.id,
        "conflict_a": conflict.id,
    }
    w |= {"enterprise": enterprise.id, "enterprise_uscc": enterprise.uscc, "new_uscc": f.uscc(2)}


def build_operations(w: dict) -> None:
    """A finished background job, a calendar year that is not built in, import file names."""
    from adapters.models.jobs import JobRun

    run = JobRun(name="matrix", key="matrix-done", kwargs={}, status="done")
    db.session.add(run)
    db.session.flush()
    w["job_run"] = run.id
    w["calendar_year"] = 2099
    w["import_kind"] = "enterprises"
    w["import_report_token"] = "0" * 32


def build_cases(w: dict) -> None:
    """Inspection cases of department A alone (lead and only participant), each waiting at its
    notice task: one to look at and submit to, one to claim, one to unclaim and reassign, one
    for the office's cancel/suspend/resume; a case whose service step failed (an incident)."""
    from adapters.workflow import versions
    from adapters.workflow.service import Who
    from engine.access import Actor
    from tests.unit.process_support import linear, tiny_model
    from web.runtime import engine, workflow

    versions.deploy_directory(db.session, engine())
    starter = Who(Actor(w["users"]["officer_a"], w["dept_a"], frozenset({"officer"})), "officer_a")
    data = {
        "case_id": "MX-1",
        "lead_department": str(w["dept_a"]),
        "enterprise": {"name": "矩阵餐馆", "uscc": w["enterprise_uscc"]},
        "departments": [
            {"id": w["dept_a"], "name": "市场监管局", "items": [{"code": "MX-A-001", "name": "食品经营许可"}]}
        ],
    }
    for key in ("case_a", "case_claim", "case_unclaim", "case_admin"):
        row = workflow().start(
            "inspection_case", data, starter, title=f"矩阵案件 {key}", department_id=w["dept_a"]
        )
        w[key] = row.id
        w[key.replace("case", "task")] = _first_task(row.id)
    service = '<bpmn:serviceTask id="e1" name="调用服务"><bpmn:extensionElements><spiffworkflow:serviceTaskOperator id="matrix_missing_service"><spiffworkflow:parameters/></spiffworkflow:serviceTaskOperator></bpmn:extensionElements></bpmn:serviceTask>'
    version, _created = versions.create_version(
        db.session, engine(), tiny_model(linear(service)), deploy=True
    )
    broken = workflow().start(version.model_id, {}, starter, title="矩阵故障案件", department_id=w["dept_a"])
    from adapters.models import Incident

    w["incident"] = db.session.execute(db.select(Incident.id).filter_by(instance_id=broken.id)).scalar_one()
    w["process_version"] = versions.latest_deployed(db.session, "inspection_case").id
    w["process_model"] = "inspection_case"
    w["process_file"] = "model.json"
    w["attachment_id"] = "0" * 32


def _first_task(instance_id: int) -> int:
    from adapters.models import HumanTask

    return db.session.execute(db.select(HumanTask.id).filter_by(instance_id=instance_id)).scalar_one()


def build_joint_tasks(w: dict) -> None:
    """Joint tasks led by department A: the victim department reports in one, department B in
    the other (each waiting at its 报到)."""
    from adapters.joint_tasks import TaskSpec, open_task
    from adapters.workflow.service import Who
    from engine.access import Actor
    from web.runtime import workflow

    starter = Who(Actor(w["users"]["officer_a"], w["dept_a"], frozenset({"officer"})), "officer_a")
    for key, cooperating in (("joint_task_a", w["victim_department"]), ("joint_task_ab", w["dept_b"])):
        spec = TaskSpec(
            name=f"矩阵联合抽查 {key}",
            year=2026,
            lead_department_id=w["dept_a"],
            department_ids=[cooperating],
        )
        w[key] = open_task(db.session, workflow(), starter, spec).id


def build_draws(w: dict) -> None:
    """A joint task led by department A alone (its own 报到 confirmed) and its drawn record."""
    from adapters.draws.service import DrawService
    from adapters.models import InspectorAssignment, JointTask, JointTaskDepartment
    from web.runtime import engine

    f.inspector("A-0002", "李检查", w["dept_a"])
    task = JointTask(
        number="JT-MX-DRAW", name="矩阵抽取任务", lead_department_id=w["dept_a"], status="reporting"
    )
    task.industry_codes, task.region_codes, task.tag_ids, task.spawn_progress = ["621"], [], [], {}
    db.session.add(task)
    db.session.flush()
    db.session.add(
        JointTaskDepartment(task_id=task.id, department_id=w["dept_a"], is_lead=True, status="confirmed")
    )
    db.session.flush()
    service = DrawService(db.session, engine(), None)
    draw = service.commit(task.id, "矩阵随机值", w["users"]["officer_a"])
    service.run(draw.id, w["users"]["officer_a"])
    w["draw_task"], w["draw_a"] = task.id, draw.id
    w["draw_assignment"] = db.session.execute(
        db.select(InspectorAssignment.id).filter_by(draw_id=draw.id).limit(1)
    ).scalar_one()


def build_plans(w: dict) -> None:
    """Annual plans of the city whose only lead department is A: `plan_a` a draft with A's
    drafting task open, its row `plan_row_a` and a `plan_row_victim` to delete; `plan_published`
    taken through review and published."""
    from adapters.plans import steps
    from adapters.plans.service import PlanService
    from adapters.workflow.service import Who
    from engine.access import Actor
    from web.runtime import workflow

    office = PlanService(
        workflow(), Who(Actor(w["users"]["office"], w["dept_b"], frozenset({"office"})), "office")
    )
    officer = PlanService(
        workflow(), Who(Actor(w["users"]["officer_a"], w["dept_a"], frozenset({"officer"})), "officer_a")
    )
    row = {
        "industry": "餐饮服务",
        "industry_codes": ["621"],
        "lead_department_id": w["dept_a"],
        "task_name": "矩阵计划行",
    }
    published = office.create_plan(2025, "130100", lead_department_ids=[w["dept_a"]])
    office.add_row(published, row)
    steps.submit_draft(officer, published)
    steps.review(office, published, "approve")
    steps.publish(office, published)
    plan = office.create_plan(2026, "130100", lead_department_ids=[w["dept_a"]])
    w["plan_a"] = plan.id
    w["plan_row_a"] = office.add_row(plan, row).id
    w["plan_row_victim"] = office.add_row(plan, {**row, "task_name": "矩阵待删除计划行"}).id
    w["plan_published"] = published.id
    w["plan_revision_number"] = 1


def build_follow_ups(w: dict) -> None:
    """A follow-up of department A (lead and receiving department) with its transfer done."""
    from adapters.follow_ups.start import start_follow_ups
    from adapters.models import HumanTask
    from adapters.workflow.service import Who
    from engine.access import Actor
    from web.runtime import workflow

    payload = {
        "case_id": "MX-1",
        "lead_department": str(w["dept_a"]),
        "enterprise": {"name": "矩阵餐馆", "uscc": w["enterprise_uscc"]},
        "follow_ups": [
            {"follow_up_id": "MX-1-1", "department": str(w["dept_a"]), "problem": "进货查验记录不全"}
        ],
    }
    [w["follow_up_a"]] = start_follow_ups(workflow(), payload, w["case_a"])
    task = db.session.execute(db.select(HumanTask).filter_by(instance_id=w["follow_up_a"])).scalar_one()
    officer = Who(Actor(w["users"]["officer_a"], w["dept_a"], frozenset({"officer"})), "officer_a")
    form = {
        "mode": "department",
        "department": str(w["dept_a"]),
        "problem": "进货查验记录不全",
        "letter_no": "矩阵〔2026〕1号",
    }
    workflow().complete(task.id, form, officer)


def build_result_codes(w: dict) -> None:
    """The §6 result dictionary and one unused code the office may edit or delete."""
    from adapters import result_dictionary

    result_dictionary.seed_defaults()
    w["result_code"] = result_dictionary.add({"code": "Z1", "name": "矩阵结果"}).code


def build_notifications(w: dict) -> None:
    """A notification of officer A (the cases' tasks told them): others may not mark it read."""
    from adapters.models import Notification

    w["notification"] = db.session.execute(
        db.select(Notification.id).filter_by(user_id=w["users"]["officer_a"]).limit(1)
    ).scalar_one()


BUILDERS: list[Callable[[dict], None]] = [
    build_org,
    build_registers,
    build_operations,
    build_cases,
    build_joint_tasks,
    build_draws,
    build_plans,
    build_follow_ups,
    build_notifications,
    build_result_codes,
    build_publication,  # tests/access_rules/publication.py
]


def build_world() -> dict:
    """Run every builder (inside an app context) and commit."""
    w: dict = {}
    for builder in BUILDERS:
        builder(w)
        db.session.flush()
    db.session.commit()
    assert db.session.get(Region, w["city_region"]) is not None
    return w
