"""修订记录: what changed between two revisions of a plan (rows added, removed, changed — with
the changed columns), and each revision's story: why, who, when.

The public history lists published revisions only, with the departments that acted but never a
person's name nor the internal review comments (退回理由 stay inside).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from adapters.db import db
from adapters.models import AnnualPlan, AnnualPlanRevision, Department, User
from adapters.plans import process
from adapters.plans.columns import COLUMNS, row_cells
from adapters.plans.rows import department_names, rows_of
from adapters.workflow.service import WorkflowService

DIFF_COLUMNS = tuple(c for c in COLUMNS if c.key != "seq")  # 序号 follows the others


@dataclass(frozen=True)
class CellChange:
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    row_key: str
    seq: str
    task_name: str
    changes: tuple[CellChange, ...] = ()
    cells: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanDiff:
    added: tuple[RowChange, ...] = ()
    removed: tuple[RowChange, ...] = ()
    changed: tuple[RowChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def summary(self) -> str:
        if self.empty:
            return "计划行无变化"
        return f"新增 {len(self.added)} 行，删除 {len(self.removed)} 行，修改 {len(self.changed)} 行"


def diff_tables(old: Sequence[Mapping[str, str]], new: Sequence[Mapping[str, str]]) -> PlanDiff:
    """Rows matched by `row_key`; a row is changed when any column but 序号 reads differently."""
    before = {r["row_key"]: r for r in old}
    after = {r["row_key"]: r for r in new}
    added = tuple(_change(r) for r in new if r["row_key"] not in before)
    removed = tuple(_change(r) for r in old if r["row_key"] not in after)
    changed = []
    for row in new:
        prior = before.get(row["row_key"])
        if prior is None:
            continue
        cells = tuple(
            CellChange(c.label, prior.get(c.key, ""), row.get(c.key, ""))
            for c in DIFF_COLUMNS
            if (prior.get(c.key) or "") != (row.get(c.key) or "")
        )
        if cells:
            changed.append(_change(row, cells))
    return PlanDiff(added, removed, tuple(changed))


def _change(cells: Mapping[str, str], changes: tuple[CellChange, ...] = ()) -> RowChange:
    return RowChange(cells["row_key"], cells.get("seq", ""), cells.get("task_name", ""), changes, dict(cells))


def table(
    revision: AnnualPlanRevision | None, names: Mapping[int, str] | None = None
) -> list[dict[str, str]]:
    """A revision's rows as cell texts (with `row_key`), in 序号 order."""
    if revision is None:
        return []
    names = names if names is not None else department_names()
    return [{"row_key": r.row_key, **row_cells(r, names)} for r in rows_of(revision)]


def diff_revisions(
    old: AnnualPlanRevision | None, new: AnnualPlanRevision, names: Mapping[int, str] | None = None
) -> PlanDiff:
    names = names if names is not None else department_names()
    return diff_tables(table(old, names), table(new, names))


@dataclass(frozen=True)
class ReviewRound:
    round: int
    decision: str
    reason: str
    departments: tuple[str, ...]
    by: str
    at: datetime | None


@dataclass(frozen=True)
class HistoryEntry:
    revision: AnnualPlanRevision
    kind: str  # 首次编制 | 计划调整
    proposer: str  # internal: person · department; public: department
    reviewer: str
    diff: PlanDiff
    rounds: tuple[ReviewRound, ...] = ()


def history(flow: WorkflowService, plan: AnnualPlan, *, public: bool) -> list[HistoryEntry]:
    """Newest first. Public: published revisions only, departments only, no review comments."""
    names = department_names()
    query = db.select(AnnualPlanRevision).where(AnnualPlanRevision.plan_id == plan.id)
    revisions = list(db.session.execute(query.order_by(AnnualPlanRevision.number)).scalars())
    entries = []
    previous: AnnualPlanRevision | None = None
    for revision in revisions:
        if public and revision.status != "published":
            continue
        instance = process.instance_of(plan.id, revision.number)
        reviewer_id = revision.reviewed_by_id or _last_reviewer(instance)
        entries.append(
            HistoryEntry(
                revision=revision,
                kind="首次编制" if revision.number == 1 else "计划调整",
                proposer=_who(revision.submitted_by_id, public),
                reviewer=_who(reviewer_id, public) if revision.status in ("approved", "published") else "",
                diff=diff_revisions(previous, revision, names),
                rounds=() if public else _rounds(flow, instance, names),
            )
        )
        previous = revision
    return list(reversed(entries))


def _last_reviewer(instance) -> int | None:
    if instance is None:
        return None
    done = process.completed_tasks(instance.id, "review")
    return done[-1].completed_by_id if done else None


def _rounds(flow: WorkflowService, instance, names: Mapping[int, str]) -> tuple[ReviewRound, ...]:
    if instance is None:
        return ()
    recorded = process.process_data(flow, instance).get("review_history") or []
    tasks = process.completed_tasks(instance.id, "review")
    out = []
    for index, item in enumerate(recorded):
        task = tasks[index] if index < len(tasks) else None
        departments = tuple(
            names.get(int(d), str(d)) for d in item.get("return_departments") or [] if str(d).isdigit()
        )
        out.append(
            ReviewRound(
                round=int(item.get("round") or index + 1),
                decision=str(item.get("decision") or ""),
                reason=str(item.get("reason") or ""),
                departments=departments,
                by=_who(task.completed_by_id if task else None, public=False),
                at=task.completed_at if task else None,
            )
        )
    return tuple(out)


def _who(user_id: int | None, public: bool) -> str:
    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        return ""
    department = db.session.get(Department, user.department_id) if user.department_id else None
    if public:
        return department.name if department else "双随机办"
    return f"{user.display_name}（{department.name}）" if department else user.display_name
