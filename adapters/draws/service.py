"""Drawing a joint task's targets and inspectors: preview → commit → draw → (re-draw) → confirm.

- preview: pool size and k per risk class with the ratio table in force, and each department's
  eligible inspectors; nothing is stored.
- commit: the entropy (typed public value, or `secrets.token_hex(16)`) is fixed and its SHA-256
  stored — committed before the pool is ever read. The value stays hidden until the draw.
- draw: the pool is read and snapshotted, the seed derived, targets and inspectors drawn, the
  record, the targets and the assignment rows written.
- confirm: the result is final; the `spawn_cases` job is enqueued and the joint task's `draw`
  task completed. Re-draws (redraw.py) and voiding happen before confirmation only.
The caller commits; every method works in the caller's transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from adapters.draws import assign, eligibility, pool, ratios
from adapters.draws.record import encode_pool
from adapters.models import Draw, HumanTask, InspectorAssignment, JointTask, TaskTarget
from engine.draw import ALGORITHM_VERSION, commitment, derive_seed, stratum_sizes
from engine.draw_pool import Pool, draw_targets_text
from engine.errors import Conflict, Forbidden, NotFound, ValidationFailed
from engine.ports import JobQueue
from engine.runtime import ProcessEngine

ACTIVE = ("committed", "drawn", "confirmed")
ENTROPY_MAX = 256


@dataclass
class Preview:
    task: JointTask
    filters: pool.PoolFilters
    counts: dict[str, int]
    ratios: dict[str, str]
    sizes: dict[str, int]
    rules: ratios.RuleSet
    departments: list[tuple[eligibility.DepartmentSetup, int]]  # (setup, eligible inspectors)
    pending: list = field(default_factory=list)

    @property
    def pool_size(self) -> int:
        return sum(self.counts.values())

    @property
    def total(self) -> int:
        return sum(self.sizes.values())


class DrawService:
    def __init__(
        self, session: Session, engine: ProcessEngine, jobs: JobQueue | None = None, tz: str = "Asia/Shanghai"
    ):
        self.session, self.engine, self.jobs, self.tz = session, engine, jobs, ZoneInfo(tz)

    # --- reading -------------------------------------------------------------------------------

    def task(self, task_id: int, *, lock: bool = False) -> JointTask:
        query = select(JointTask).where(JointTask.id == task_id)
        if lock and self._postgresql():
            query = query.with_for_update()
        task = self.session.execute(query).scalar_one_or_none()
        if task is None:
            raise NotFound("联合抽查任务不存在")
        return task

    def draw(self, draw_id: int, *, lock: bool = False) -> Draw:
        query = select(Draw).where(Draw.id == draw_id)
        if lock and self._postgresql():
            query = query.with_for_update()
        row = self.session.execute(query).scalar_one_or_none()
        if row is None:
            raise NotFound("抽取记录不存在")
        if lock:
            self.session.refresh(row)
        return row

    def active_draw(self, task_id: int) -> Draw | None:
        return self.session.execute(
            select(Draw)
            .where(Draw.task_id == task_id, Draw.status.in_(ACTIVE))
            .order_by(Draw.id.desc())
            .limit(1)
        ).scalar()

    def filters(self, task: JointTask) -> pool.PoolFilters:
        regions = pool.expand_regions(self.session, task.region_codes) if task.region_codes else ()
        return pool.PoolFilters(
            industry_prefixes=tuple(
                str(c).strip().upper() for c in task.industry_codes or () if str(c).strip()
            ),
            region_codes=regions,
            tag_ids=tuple(int(t) for t in task.tag_ids or ()),
            exclusion_months=task.exclusion_months if task.exclusion_months is not None else 12,
            as_of=self.today(),
            task_id=task.id,
        )

    def today(self) -> date:
        return datetime.now(UTC).astimezone(self.tz).date()

    def preview(self, task: JointTask) -> Preview:
        filters = self.filters(task)
        counts = pool.count_by_risk(self.session, filters)
        rules = ratios.current_rules(self.session)
        found = ratios.evaluate(self.engine, rules, counts)
        sizes = stratum_sizes(counts, found, rules.minimums)
        counties = eligibility.county_regions(self.session)
        departments = [
            (d, len(eligibility.candidates(self.session, d, counties)))
            for d in eligibility.participating(task)
        ]
        return Preview(task, filters, counts, found, sizes, rules, departments, eligibility.pending(task))

    # --- commit, draw, confirm, void ---------------------------------------------------------

    def commit(self, task_id: int, entropy: str | None, operator_id: int | None) -> Draw:
        """Fix the entropy and store its SHA-256 before anything of the pool is read."""
        task = self.task(task_id, lock=True)
        if task.status in ("closed", "cancelled"):
            raise Conflict("任务已结束，不能抽取")
        if self.active_draw(task.id) is not None:
            raise Conflict("该任务已有抽取记录；如需重新抽取，请先作废原记录")
        waiting = eligibility.pending(task)
        if waiting:
            names = "、".join(r.department.name for r in waiting if r.department)
            raise Conflict(f"尚有部门未报到：{names}。请等待其报到，或在报到期限届满后截止报到")
        typed = (entropy or "").strip()
        if len(typed) > ENTROPY_MAX:
            raise ValidationFailed("公开随机值过长", {"entropy": f"最多 {ENTROPY_MAX} 个字符"})
        value = typed or secrets.token_hex(16)
        rules = ratios.current_rules(self.session)
        row = Draw(
            task_id=task.id,
            status="committed",
            algorithm=ALGORITHM_VERSION,
            commitment=commitment(value),
            committed_at=datetime.now(UTC),
            entropy=value,
            filters={
                "task_ref": task.number,
                "entropy_source": "public" if typed else "system",
                "rules_version": rules.version,
                "rules_hash": rules.content_hash,
            },
            ratios={},
            minimums=[],
            pool={},
            result={},
            operator_id=operator_id,
        )
        self.session.add(row)
        task.status = "drawing"
        self.session.flush()
        return row

    def run(self, draw_id: int, operator_id: int | None) -> Draw:
        """Read the pool, reveal the entropy, draw targets and inspectors, store everything."""
        row = self.draw(draw_id, lock=True)
        if row.status != "committed":
            raise Conflict("该抽取记录已抽取或已作废")
        task = self.task(row.task_id, lock=True)
        filters = self.filters(task)
        rules = ratios.rules_version(self.session, int(row.filters.get("rules_version", 0)))
        if rules is None or rules.content_hash != row.filters.get("rules_hash"):
            raise Conflict("承诺时使用的抽查比例表已不存在")
        seed = derive_seed(task.number, row.entropy or "")
        snapshot, found, targets, chosen = self.draw_targets(filters, rules, seed)
        result = assign.draw_task_inspectors(self.session, task, chosen, seed)
        result |= {
            "counts": dict(targets.counts),
            "sizes": dict(targets.sizes),
            "targets": chosen,
            "redraws": [],
        }
        row.filters = {**row.filters, **filters.as_json()}
        row.ratios, row.minimums = found, rules.minimums_json()
        row.pool, row.pool_hash, row.seed, row.result = encode_pool(snapshot), targets.pool_hash, seed, result
        row.status, row.drawn_at, row.operator_id = "drawn", datetime.now(UTC), operator_id or row.operator_id
        task.status = "drawn"
        self.session.flush()
        assign.write_rows(self.session, row, task, result)
        return row

    def draw_targets(self, filters: pool.PoolFilters, rules: ratios.RuleSet, seed: str) -> tuple:
        """The target half of a draw: (snapshot, ratios, TextDraw, [[id, uscc, risk, region],
        ...] in draw order). Reads the pool; stores nothing."""
        snapshot = Pool.from_strata(pool.read_strata(self.session, filters))
        found = ratios.evaluate(self.engine, rules, snapshot.counts)
        targets = draw_targets_text(snapshot, found, seed, rules.minimums)
        if not targets.selected:
            raise ValidationFailed("抽取池为空或各风险等级抽取数量均为 0，无法抽取", {})
        chosen = []
        for (uscc, risk), row in zip(targets.selected, targets.rows, strict=True):
            _uscc, ident, region = row.decode().split("\t")
            chosen.append([int(ident), uscc, risk, region])
        return snapshot.text, found, targets, chosen

    def confirm(self, draw_id: int, user_id: int | None, workflow=None, who=None) -> bool:
        """Make the draw final and start spawning; True when the joint task's `draw` task was
        completed too (False: no such task, or this user may not complete it)."""
        row = self.draw(draw_id, lock=True)
        if row.status != "drawn":
            raise Conflict("只有已抽取、未确认的记录可以确认")
        shortages = (row.result or {}).get("shortages") or []
        if shortages:
            raise Conflict(
                f"有 {len(shortages)} 个检查人员名额无法选派（如 {shortages[0]}），请补充人员后作废重抽"
            )
        task = self.task(row.task_id, lock=True)
        row.status, row.confirmed_at, row.confirmed_by_id = "confirmed", datetime.now(UTC), user_id
        total = len((row.result or {}).get("targets", []))
        task.status, task.spawn_progress = "spawning", {"total": total, "done": 0, "failed": 0}
        self.session.flush()
        if self.jobs is not None:
            self.jobs.enqueue("spawn_cases", key=f"spawn_cases:{row.id}", task_id=task.id)
        return self._complete_draw_task(task, row, workflow, who)

    def _complete_draw_task(self, task: JointTask, row: Draw, workflow, who) -> bool:
        if workflow is None or task.instance_id is None:
            return False
        human = self.session.execute(
            select(HumanTask).where(
                HumanTask.instance_id == task.instance_id,
                HumanTask.element_id == "draw",
                HumanTask.state == "ready",
            )
        ).scalar()
        if human is None:
            return False
        try:
            workflow.complete(human.id, {"draw_id": row.id}, who)
        except Forbidden:
            return False
        return True

    def void(self, draw_id: int, reason: str, user_id: int | None, user_name: str = "") -> Draw:
        """Withdraw an unconfirmed draw (kept, with the reason, for the record)."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationFailed("请填写作废理由", {"reason": "此项为必填项"})
        row = self.draw(draw_id, lock=True)
        if row.status not in ("committed", "drawn"):
            raise Conflict("已确认或已作废的抽取记录不能作废")
        at = datetime.now(UTC).isoformat(timespec="seconds")
        row.result = {
            **(row.result or {}),
            "void": {"reason": reason[:256], "by": user_id, "by_name": user_name, "at": at},
        }
        row.status = "void"
        self.session.execute(delete(TaskTarget).where(TaskTarget.draw_id == row.id))
        self.session.execute(
            update(InspectorAssignment).where(InspectorAssignment.draw_id == row.id).values(status="void")
        )
        self.task(row.task_id).status = "drawing"
        self.session.flush()
        return row

    def _postgresql(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"
