"""年度抽查计划: create a plan, edit the rows of its open revision, take it through the
`annual_plan` process (起草 → 提交审核 → 审核通过 / 退回 → 发布), and adjust a published plan
(计划调整) through a new revision with a reason.

Who may change rows: the office (`plans.manage`) every row of an open draft; a lead
department's officer (`plans.draft` on their department) only the rows their department leads,
and only while their drafting task is open. The caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select

from adapters.db import db
from adapters.models import AnnualPlan, AnnualPlanRevision, AnnualPlanRow, Region
from adapters.plans import process
from adapters.plans import rows as plan_rows
from adapters.workflow.service import Who, WorkflowService
from engine.access import Actor, can
from engine.errors import Conflict, Forbidden, NotFound, ValidationFailed

EDITABLE = ("draft", "returned")
REASON_LIMIT = 2000


class PlanService:
    def __init__(self, flow: WorkflowService, who: Who):
        self.flow = flow
        self.who = who

    @property
    def actor(self) -> Actor | None:
        return self.who.actor

    # --- reading --------------------------------------------------------------------------------

    @staticmethod
    def plan(plan_id: int) -> AnnualPlan:
        plan = db.session.get(AnnualPlan, plan_id)
        if plan is None:
            raise NotFound("年度抽查计划不存在")
        return plan

    @staticmethod
    def revisions(plan: AnnualPlan) -> list[AnnualPlanRevision]:
        return list(
            db.session.execute(
                select(AnnualPlanRevision)
                .where(AnnualPlanRevision.plan_id == plan.id)
                .order_by(AnnualPlanRevision.number)
            ).scalars()
        )

    def revision(self, plan: AnnualPlan, number: int) -> AnnualPlanRevision:
        found = next((r for r in self.revisions(plan) if r.number == number), None)
        if found is None:
            raise NotFound("修订版本不存在")
        return found

    def working(self, plan: AnnualPlan) -> AnnualPlanRevision | None:
        """The revision in progress (being drafted, reviewed or waiting to be published)."""
        latest = self.revisions(plan)[-1:] or [None]
        rev = latest[0]
        return rev if rev is not None and rev.status in process.OPEN_REVISION else None

    @staticmethod
    def published(plan: AnnualPlan) -> AnnualPlanRevision | None:
        if plan.published_revision_id is None:
            return None
        return db.session.get(AnnualPlanRevision, plan.published_revision_id)

    # --- creating -------------------------------------------------------------------------------

    def create_plan(
        self,
        year: int,
        region_code: str,
        *,
        title: str | None = None,
        lead_department_ids: Iterable[int] | None = None,
        from_joint_lists: bool = False,
    ) -> AnnualPlan:
        """A plan for a year and region with its first revision, and the process that has each
        lead department draft its rows (by default: the leads of the region's 一业一查 lists)."""
        self.require("plans.manage")
        region = db.session.get(Region, region_code)
        if region is None or not region.active:
            raise ValidationFailed("行政区划不存在", {"region_code": "行政区划不存在"})
        if not 2000 <= int(year) <= 2100:
            raise ValidationFailed("年度无效", {"year": "年度应在 2000—2100 之间"})
        if db.session.execute(
            select(AnnualPlan.id).where(AnnualPlan.year == year, AnnualPlan.region_code == region_code)
        ).first():
            raise Conflict(f"{region.name}{year}年度抽查计划已存在")
        plan = AnnualPlan(
            year=year,
            region_code=region_code,
            title=(title or "").strip()[:128] or default_title(region.name, year),
            status="draft",
            created_by_id=self.actor.id if self.actor else None,
        )
        db.session.add(plan)
        db.session.flush()
        departments = plan_rows.scope(plan)
        lists = plan_rows.joint_lists_in(departments)
        leads = self._leads(lead_department_ids, departments, [jl.lead_department_id for jl in lists])
        revision = self._new_revision(plan, 1, None)
        if from_joint_lists:
            for jl in (jl for jl in lists if jl.lead_department_id in leads):
                self._insert(revision, plan_rows.values_from_joint_list(jl), jl.lead_department_id)
        process.start(self.flow, self.who, plan, revision, {d: departments[d].name for d in leads})
        return plan

    def start_adjustment(
        self, plan: AnnualPlan, reason: str, lead_department_ids: Iterable[int] | None = None
    ) -> AnnualPlanRevision:
        """计划调整: the published rows copied into a new revision (row keys kept) that goes
        through drafting and review again; the reason is required and published with it."""
        self.require("plans.manage")
        reason = (reason or "").strip()
        if not reason:
            raise ValidationFailed("请填写调整理由", {"reason": "请填写调整理由"})
        if len(reason) > REASON_LIMIT:
            raise ValidationFailed("调整理由过长", {"reason": f"不能超过 {REASON_LIMIT} 个字符"})
        published = self.published(plan)
        if published is None:
            raise Conflict("计划尚未发布，无需调整，请直接修改草稿")
        if self.working(plan) is not None:
            raise Conflict("该计划已有进行中的修订，请先完成审核发布")
        departments = plan_rows.scope(plan)
        current = sorted({r.lead_department_id for r in plan_rows.rows_of(published)} & set(departments))
        leads = self._leads(lead_department_ids, departments, current)
        number = len(self.revisions(plan)) + 1
        revision = self._new_revision(plan, number, reason)
        plan_rows.copy_rows(published, revision)
        plan.status = process.plan_status(plan, revision)
        process.start(self.flow, self.who, plan, revision, {d: departments[d].name for d in leads})
        return revision

    def _new_revision(self, plan: AnnualPlan, number: int, reason: str | None) -> AnnualPlanRevision:
        revision = AnnualPlanRevision(
            plan_id=plan.id,
            number=number,
            reason=reason,
            status="draft",
            submitted_by_id=self.actor.id if self.actor else None,
        )
        db.session.add(revision)
        db.session.flush()
        return revision

    @staticmethod
    def _leads(chosen: Iterable[int] | None, departments: Mapping, default: Iterable[int]) -> list[int]:
        ids = [int(d) for d in chosen] if chosen else list(dict.fromkeys(default))
        unknown = [d for d in ids if d not in departments]
        if unknown:
            raise ValidationFailed(
                "牵头部门须为本地区的部门", {"lead_department_ids": "牵头部门须为本地区的部门"}
            )
        if not ids:
            raise ValidationFailed(
                "请至少选择一个牵头部门", {"lead_department_ids": "请至少选择一个牵头部门"}
            )
        return sorted(set(ids))

    # --- rows -----------------------------------------------------------------------------------

    def may_edit(self, plan: AnnualPlan, lead_department_id: int | None = None) -> bool:
        """May the actor change rows led by `lead_department_id` (None: any row / a new row)?"""
        try:
            self.ensure_may_edit(plan, lead_department_id)
        except (Forbidden, Conflict):
            return False
        return True

    def ensure_may_edit(self, plan: AnnualPlan, lead: int | None) -> AnnualPlanRevision:
        actor = self.actor
        revision = self.working(plan)
        if can(actor, "plans.manage"):
            if revision is None or revision.status not in EDITABLE:
                raise Conflict(_locked_message(revision))
            return revision
        own = actor.department_id if actor else None
        if not can(actor, "plans.draft", own) or (lead is not None and lead != own):
            raise Forbidden("只能编辑本部门牵头的计划行")
        if own not in process.lead_departments(plan):
            raise Forbidden("本部门不是本次计划起草或调整的牵头部门")
        if revision is None or revision.status not in EDITABLE:
            raise Conflict(_locked_message(revision))
        if own not in process.drafting_departments(plan):
            raise Conflict("本部门的计划行已提交审核，不能再修改")
        return revision

    def ensure_may_draft(self, plan: AnnualPlan) -> AnnualPlanRevision:
        """May the actor change any row (office) or their department's rows (officer) now?"""
        actor = self.actor
        own = None if can(actor, "plans.manage") or actor is None else actor.department_id
        return self.ensure_may_edit(plan, own)

    def add_row(self, plan: AnnualPlan, data: Mapping[str, Any]) -> AnnualPlanRow:
        data = self._own_lead(data)
        revision = self.ensure_may_edit(plan, _int(data.get("lead_department_id")))
        values = plan_rows.clean(data, plan_rows.scope(plan))
        return self._insert(revision, values, self._drafting_department())

    def _insert(
        self, revision: AnnualPlanRevision, values: Mapping[str, Any], by: int | None
    ) -> AnnualPlanRow:
        last = db.session.scalar(
            select(func.max(AnnualPlanRow.seq)).where(AnnualPlanRow.revision_id == revision.id)
        )
        row = AnnualPlanRow(
            revision_id=revision.id, row_key=plan_rows.new_row_key(), drafted_by_department_id=by
        )
        plan_rows.assign(row, {**values, "seq": values.get("seq") or (last or 0) + 1})
        db.session.add(row)
        db.session.flush()
        plan_rows.renumber(revision, moved=row)
        return row

    def update_row(self, plan: AnnualPlan, row_id: int, data: Mapping[str, Any]) -> AnnualPlanRow:
        row = self.row(plan, row_id)
        self.ensure_may_edit(plan, row.lead_department_id)
        data = self._own_lead(data)
        revision = self.ensure_may_edit(plan, _int(data.get("lead_department_id")))
        if row.revision_id != revision.id:
            raise Conflict(_locked_message(None))
        plan_rows.assign(row, plan_rows.clean(data, plan_rows.scope(plan)))
        row.drafted_by_department_id = self._drafting_department() or row.drafted_by_department_id
        db.session.flush()
        plan_rows.renumber(revision, moved=row)
        return row

    def remove_row(self, plan: AnnualPlan, row_id: int) -> None:
        row = self.row(plan, row_id)
        revision = self.ensure_may_edit(plan, row.lead_department_id)
        if row.revision_id != revision.id:
            raise Conflict(_locked_message(None))
        db.session.delete(row)
        db.session.flush()
        plan_rows.renumber(revision)

    def row(self, plan: AnnualPlan, row_id: int) -> AnnualPlanRow:
        row = db.session.get(AnnualPlanRow, row_id)
        revision = db.session.get(AnnualPlanRevision, row.revision_id) if row else None
        if row is None or revision is None or revision.plan_id != plan.id:
            raise NotFound("计划行不存在")
        return row

    def _own_lead(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """An officer's rows are led by their own department, whatever was posted."""
        data = dict(data)
        if not can(self.actor, "plans.manage") and self.actor is not None:
            posted = _int(data.get("lead_department_id"))
            if posted is not None and posted != self.actor.department_id:
                raise Forbidden("只能编辑本部门牵头的计划行")
            data["lead_department_id"] = self.actor.department_id
        return data

    def _drafting_department(self) -> int | None:
        actor = self.actor
        return None if actor is None or can(actor, "plans.manage") else actor.department_id

    def require(self, action: str) -> None:
        if not can(self.actor, action):
            raise Forbidden("没有权限执行此操作")


def default_title(region_name: str, year: int) -> str:
    return f"{region_name}{year}年度部门联合“双随机、一公开”抽查计划"


def _locked_message(revision: AnnualPlanRevision | None) -> str:
    if revision is None:
        return "计划已发布，不能直接修改；如需变更请发起计划调整"
    return "计划已提交审核，不能修改；如需修改请等待退回"


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
