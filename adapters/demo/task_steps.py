"""Demo steps that run the real processes: the 2026 annual plan drafted by the lead departments,
reviewed and published by the office; then 一业一查 joint tasks opened from its rows.

- 餐饮服务 (市场监管局 leads): whistle, every department reports, a committed → drawn → confirmed
  draw (a handful of targets in one county near schools), its inspection cases started by the
  `spawn_cases` job — the case lifecycle can be shown from the notice step on.
- 校外培训机构 (教育局 leads): still in 报到 — 市场监管局 has reported, the others are pending.
- the other rows are not started: a lead department can do it all by hand in the UI.

Everything goes through the services the pages use (PlanService, open_task, WorkflowService,
DrawService, the spawn job) as the demo users, never by writing their rows directly.
"""

from __future__ import annotations

from sqlalchemy import select

from adapters.demo import names
from adapters.demo.context import DemoContext
from adapters.demo.data_org import CITY
from adapters.demo.data_plan import ROWS, TITLE, YEAR
from adapters.draws import pool, ratios
from adapters.draws.service import DrawService
from adapters.draws.spawn import spawn_cases
from adapters.draws.verify import verify_draw
from adapters.joint_tasks import open_task, spec_from_plan_row
from adapters.models import AnnualPlan, AnnualPlanRow, HumanTask, JointTask, JointTaskDepartment
from adapters.plans import process as plan_process
from adapters.plans import steps as plan_steps
from adapters.plans.service import PlanService
from adapters.workflow import versions
from engine.draw import stratum_sizes

# department key -> its officer among the demo users (docs: README "Demo")
OFFICERS = {
    "market": "scjg",
    "fire": "xiaofang",
    "commerce": "shangwu",
    "education": "jiaoyu",
    "health": "weijian",
    "environment": "shengtai",
    "emergency": "yingji",
    "police": "gongan",
    "transport": "jiaotong",
    "medical_insurance": "yibao",
}
DRAWN = "餐饮服务"
# the drawn task's pool (联查对象): the first of these scopes that gives a handful of targets
# (at full size: restaurants near tourist sites in 新乐市); (region code or None, tag name or None)
DRAW_SCOPES = (
    ("130184", "旅游景区"),
    ("130184", "新设立企业"),
    ("130102", "旅游景区"),
    ("130184", "学校周边"),
    (None, "学校周边"),
    (None, None),
)
HANDFUL = range(4, 13)
DRAW_ENTROPY = "中国福利彩票双色球第2026135期开奖号码 03 09 14 21 27 32 + 11"
REPORTING = "校外培训机构"
REPORTED = ("market",)  # who has reported in the task still in 报到


def add_plan(ctx: DemoContext) -> None:
    """起草 (each lead department fills in its rows and submits) → 审核通过 → 发布."""
    versions.deploy_directory(ctx.session, ctx.engine)
    office = PlanService(ctx.workflow(), ctx.who("office"))
    plan = office.create_plan(YEAR, CITY[0], title=TITLE, from_joint_lists=True)
    revision = office.working(plan)
    key_of = {dept_id: key for key, dept_id in ctx.departments.items()}
    rows = ctx.session.execute(
        select(AnnualPlanRow).where(AnnualPlanRow.revision_id == revision.id).order_by(AnnualPlanRow.seq)
    ).scalars()
    for row in list(rows):
        lead = PlanService(ctx.workflow(), ctx.who(OFFICERS[key_of[row.lead_department_id]]))
        lead.update_row(plan, row.id, {**_values(row), **ROWS[row.industry]._asdict()})
    for dept_id in sorted(plan_process.lead_departments(plan)):
        lead = PlanService(ctx.workflow(), ctx.who(OFFICERS[key_of[dept_id]]))
        plan_steps.submit_draft(lead, plan, "已按一业一查清单填报本部门牵头的抽查任务")
    plan_steps.review(office, plan, "approve", "各行业任务与一业一查清单一致，同意发布")
    plan_steps.publish(office, plan, "经市双随机抽查工作联席会议审议通过")
    ctx.session.flush()
    ctx.counts["plan rows"] = len(ROWS)


def _values(row: AnnualPlanRow) -> dict:
    return {
        "seq": row.seq,
        "industry": row.industry,
        "industry_codes": list(row.industry_codes or []),
        "lead_department_id": row.lead_department_id,
        "task_name": row.task_name,
        "department_ids": list(row.department_ids or []),
        "items": row.items,
        "joint_list_id": row.joint_list_id,
    }


def add_joint_tasks(ctx: DemoContext) -> None:
    rows = _published_rows(ctx)
    rng = ctx.rng("joint_tasks")
    drawn = _open(ctx, rows[DRAWN], _handful_scope(ctx, rows[DRAWN]))
    for row in _departments(ctx, drawn):
        _report(ctx, drawn, row, rng)
    _draw_and_spawn(ctx, drawn)
    reporting = _open(ctx, rows[REPORTING], {})
    for row in _departments(ctx, reporting):
        if _key(ctx, row.department_id) in REPORTED:
            _report(ctx, reporting, row, rng)
    ctx.counts["joint tasks"] = 2


def _published_rows(ctx: DemoContext) -> dict[str, AnnualPlanRow]:
    plan = ctx.session.execute(select(AnnualPlan).where(AnnualPlan.year == YEAR)).scalar_one()
    rows = ctx.session.execute(
        select(AnnualPlanRow).where(AnnualPlanRow.revision_id == plan.published_revision_id)
    ).scalars()
    return {row.industry: row for row in rows}


def _handful_scope(ctx: DemoContext, row: AnnualPlanRow) -> dict:
    """The first scope of DRAW_SCOPES whose draw would give a handful of targets (else the
    smallest non-empty one), as the draw preview computes it."""
    rules = ratios.current_rules(ctx.session)
    best: tuple[int, dict] | None = None
    for region, tag in DRAW_SCOPES:
        filters = pool.PoolFilters(
            industry_prefixes=tuple(row.industry_codes or ()),
            region_codes=pool.expand_regions(ctx.session, [region]) if region else (),
            tag_ids=(ctx.tags[tag],) if tag else (),
        )
        counts = pool.count_by_risk(ctx.session, filters)
        total = sum(
            stratum_sizes(counts, ratios.evaluate(ctx.engine, rules, counts), rules.minimums).values()
        )
        scope = {"region_code": region, "tag_id": ctx.tags[tag] if tag else None}
        if total in HANDFUL:
            return scope
        if total and (best is None or total < best[0]):
            best = (total, scope)
    return best[1] if best else {}


def _key(ctx: DemoContext, department_id: int) -> str:
    return next(k for k, v in ctx.departments.items() if v == department_id)


def _open(ctx: DemoContext, row: AnnualPlanRow, scope: dict) -> JointTask:
    """吹哨 by the lead department's officer, from the published plan row."""
    lead = OFFICERS[_key(ctx, row.lead_department_id)]
    spec = spec_from_plan_row(ctx.session, row.id, 3, scope)
    task = open_task(ctx.session, ctx.workflow(), ctx.who(lead), spec)
    ctx.session.commit()
    return task


def _departments(ctx: DemoContext, task: JointTask) -> list[JointTaskDepartment]:
    return list(
        ctx.session.execute(
            select(JointTaskDepartment)
            .where(JointTaskDepartment.task_id == task.id, JointTaskDepartment.is_lead.is_(False))
            .order_by(JointTaskDepartment.department_id)
        ).scalars()
    )


def _report(ctx: DemoContext, task: JointTask, row: JointTaskDepartment, rng) -> None:
    """报到 by the department's officer: taking part with the items its joint list names."""
    human = ctx.session.execute(
        select(HumanTask).where(
            HumanTask.instance_id == task.instance_id,
            HumanTask.element_id == "report",
            HumanTask.department_id == row.department_id,
            HumanTask.state == "ready",
        )
    ).scalar_one()
    data = {
        "participate": True,
        "item_ids": list(row.item_ids),
        "inspector_tag_ids": [],
        "inspectors_per_target": 2,
        "contact": names.person_name(rng),
        "contact_phone": names.contact_phone(rng),
    }
    ctx.workflow().complete(human.id, data, ctx.who(OFFICERS[_key(ctx, row.department_id)]))
    ctx.session.commit()


def _draw_and_spawn(ctx: DemoContext, task: JointTask) -> None:
    """Commit (before the pool is read), draw, confirm — each its own transaction, as the three
    requests of the draw pages — then the spawn job, run here instead of by a worker."""
    lead = ctx.who(OFFICERS[_key(ctx, task.lead_department_id)])
    draws = DrawService(ctx.session, ctx.engine)  # no queue: the job runs right below
    row = draws.commit(task.id, DRAW_ENTROPY, lead.actor.id)
    ctx.session.commit()
    draws.run(row.id, lead.actor.id)
    ctx.session.commit()
    draws.confirm(row.id, lead.actor.id, ctx.workflow(), lead)
    ctx.session.commit()
    spawn_cases(task.id)
    report = verify_draw(ctx.session, ctx.engine, row.id)
    if not report.match:
        raise RuntimeError(f"demo draw {row.id} does not verify: {report.problems}")
    ctx.counts["drawn targets"] = len(row.result.get("targets", []))
