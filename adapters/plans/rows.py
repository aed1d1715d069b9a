"""Plan rows: which departments a plan may name, checking a row's values, seeding rows from the
一业一查 lists, copying rows into a new revision and keeping 序号 in order."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from adapters.db import db
from adapters.models import AnnualPlan, AnnualPlanRevision, AnnualPlanRow, Department, IndustryJointList
from adapters.plans.columns import TEXT_FIELDS
from adapters.queries.registers import joint_list_groups
from engine.errors import ValidationFailed
from engine.identifiers import industry_code_problems, normalise_industry_code

ROW_FIELDS = (
    "seq",
    "industry",
    "industry_codes",
    "lead_department_id",
    "task_name",
    "department_ids",
    "joint_list_id",
    *TEXT_FIELDS,
)
LIMITS = {"industry": 64, "task_name": 128, "subject": 128, "ratio": 64, "schedule": 64}
TEXT_LIMIT = 2000


def new_row_key() -> str:
    return secrets.token_hex(6)


def scope(plan: AnnualPlan) -> dict[int, Department]:
    """The active departments of the plan's region: the ones its rows may name."""
    rows = db.session.execute(
        select(Department)
        .where(Department.region_code == plan.region_code, Department.active.is_(True))
        .order_by(Department.id)
    ).scalars()
    return {d.id: d for d in rows}


def department_names() -> dict[int, str]:
    """Every department's name (rows of old revisions may name a department deactivated since)."""
    return dict(db.session.execute(select(Department.id, Department.name)).all())


def rows_of(revision: AnnualPlanRevision) -> list[AnnualPlanRow]:
    return list(
        db.session.execute(
            select(AnnualPlanRow)
            .where(AnnualPlanRow.revision_id == revision.id)
            .order_by(AnnualPlanRow.seq, AnnualPlanRow.id)
        ).scalars()
    )


def clean(data: Mapping[str, Any], departments: Mapping[int, Department]) -> dict[str, Any]:
    """A row's values checked: ValidationFailed with every field's problem in Chinese."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in ("industry", "task_name", *TEXT_FIELDS):
        value = str(data.get(name) or "").strip()
        limit = LIMITS.get(name, TEXT_LIMIT)
        if len(value) > limit:
            errors[name] = f"不能超过 {limit} 个字符"
        out[name] = value if name in ("industry", "task_name") else (value or None)
    for name, label in (("industry", "行业"), ("task_name", "任务名称")):
        if not out[name]:
            errors[name] = f"请填写{label}"
    out["industry_codes"], problem = _codes(data.get("industry_codes"))
    if problem:
        errors["industry_codes"] = problem
    lead = _int(data.get("lead_department_id"))
    if lead not in departments:
        errors["lead_department_id"] = "请选择本地区的牵头部门"
    out["lead_department_id"] = lead
    ids = [_int(d) for d in (data.get("department_ids") or [])]
    unknown = [d for d in ids if d not in departments]
    if unknown:
        errors["department_ids"] = "联查部门须为本地区的部门"
    out["department_ids"] = list(dict.fromkeys(d for d in ids if d in departments))
    seq = data.get("seq")
    out["seq"] = _int(seq) if seq not in (None, "") else None
    if seq not in (None, "") and (out["seq"] is None or out["seq"] < 1):
        errors["seq"] = "序号应为正整数"
    out["joint_list_id"] = _int(data.get("joint_list_id"))
    if out["joint_list_id"] is not None and db.session.get(IndustryJointList, out["joint_list_id"]) is None:
        errors["joint_list_id"] = "一业一查清单不存在"
    if errors:
        raise ValidationFailed("计划行填写有误", errors)
    return out


def _codes(value: Any) -> tuple[list[str], str | None]:
    if isinstance(value, str):
        value = value.replace("，", ",").replace("、", ",").replace(" ", ",").split(",")
    codes: list[str] = []
    for raw in value or []:
        if not str(raw).strip():
            continue
        problems = industry_code_problems(str(raw))
        if problems:
            return [], problems[0]
        code = normalise_industry_code(str(raw))
        if code not in codes:
            codes.append(code)
    return codes, None


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def assign(row: AnnualPlanRow, values: Mapping[str, Any]) -> None:
    for name in ROW_FIELDS:
        if name == "seq" and values.get("seq") is None:
            continue
        if name in values:
            setattr(row, name, values[name])


def renumber(revision: AnnualPlanRevision, moved: AnnualPlanRow | None = None) -> None:
    """序号 1..n in the rows' order; a row given a taken number goes before the row holding it."""
    rows = rows_of(revision)
    rows.sort(key=lambda r: (r.seq or 10**6, 0 if r is moved else 1, r.id or 0))
    for number, row in enumerate(rows, start=1):
        row.seq = number
    db.session.flush()


def copy_rows(source: AnnualPlanRevision, target: AnnualPlanRevision) -> None:
    """The rows of `source` into `target`, row keys kept (history follows a row across revisions)."""
    for row in rows_of(source):
        copy = AnnualPlanRow(revision_id=target.id, row_key=row.row_key)
        assign(copy, {name: getattr(row, name) for name in ROW_FIELDS})
        copy.drafted_by_department_id = row.drafted_by_department_id
        db.session.add(copy)
    db.session.flush()


def joint_lists_in(departments: Mapping[int, Department]) -> list[IndustryJointList]:
    """Active 一业一查 lists led by a department of the plan's region."""
    if not departments:
        return []
    return list(
        db.session.execute(
            select(IndustryJointList)
            .where(
                IndustryJointList.active.is_(True),
                IndustryJointList.lead_department_id.in_(list(departments)),
            )
            .order_by(IndustryJointList.id)
        ).scalars()
    )


def values_from_joint_list(jl: IndustryJointList) -> dict[str, Any]:
    """A plan row pre-filled from a list: industry, lead, cooperating departments and items."""
    groups = joint_list_groups(jl)
    items = "；".join(
        f"{g['department'].name}：{'、'.join(i.name for i in g['items'] if i.active)}"
        for g in groups
        if any(i.active for i in g["items"])
    )
    return {
        "industry": jl.name,
        "industry_codes": list(jl.industry_codes or []),
        "lead_department_id": jl.lead_department_id,
        "task_name": f"{jl.name}行业部门联合抽查",
        "department_ids": [g["department"].id for g in groups if g["role"] == "cooperating"],
        "items": items or None,
        "joint_list_id": jl.id,
    }
