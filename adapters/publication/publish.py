"""The service tasks that write public records: `publish_result` (processes/inspection_case,
after the review approved the result) and `publish_follow_up` (processes/follow_up, after the
receiving department recorded its measures and outcome).

Both run inside the engine step, in the caller's transaction (`db.session`), and are idempotent:
a second call for the same case (or follow-up) returns the record already published and changes
nothing — a published record changes only through a correction.

What the case does not pass is looked up: a spawned case's id is `<task number>-<rank>` (see
adapters/draws/spawn.py), which names its joint task, annual plan and drawn enterprise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from adapters.db import db
from adapters.models import (
    AnnualPlan,
    Department,
    Draw,
    Enterprise,
    JointTask,
    PublishedFollowUp,
    PublishedResult,
    TaskTarget,
)
from adapters.publication.names import in_order, outcome_name, result_code_names, result_text

BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass
class CaseFacts:
    """What the public record says about the case, besides its results."""

    name: str
    uscc: str
    task: JointTask | None
    plan: AnnualPlan | None
    instance_id: int | None


def publish_result(
    case_id: Any = None,
    checklists: Any = None,
    enterprise: Any = None,
    task_number: Any = None,
    lead_department: Any = None,
    departments: Any = None,
    visit_date: Any = None,
    **_: Any,
) -> dict:
    """Write the public record of the case's approved result (once per case)."""
    case_id = _required_text(case_id, "case_id")
    existing = db.session.execute(select(PublishedResult).where(PublishedResult.case_id == case_id)).scalar()
    if existing is not None:
        return _receipt(existing, again=True)
    if not isinstance(checklists, dict) or not checklists:
        raise ValueError(f"案件 {case_id} 没有检查结果，不能公示")
    facts = _case_facts(case_id, task_number, enterprise)
    lead = _int(lead_department) or (facts.task.lead_department_id if facts.task else None)
    organs = _organs(checklists, departments, lead)
    names = result_code_names()
    items = _items(checklists, organs, names)
    if not items:
        raise ValueError(f"案件 {case_id} 的检查单没有抽查事项，不能公示")
    record = PublishedResult(
        case_id=case_id,
        instance_id=facts.instance_id,
        uscc=facts.uscc,
        enterprise_name=facts.name,
        plan_number=f"{facts.plan.year}-{facts.plan.region_code}" if facts.plan else None,
        plan_name=facts.plan.title if facts.plan else None,
        task_number=facts.task.number if facts.task else (str(task_number) if task_number else None),
        task_name=facts.task.name if facts.task else None,
        organs=[name for _id, name in organs],
        lead_department_id=lead if lead and db.session.get(Department, lead) else None,
        inspected_on=_date(visit_date),
        completed_on=local_today(),
        result_text=result_text(items, names),
        items=items,
        published_at=datetime.now(UTC),
    )
    db.session.add(record)
    db.session.flush()
    return _receipt(record)


def publish_follow_up(
    case_id: Any = None,
    follow_up_id: Any = None,
    department: Any = None,
    problem: Any = None,
    measures: Any = None,
    outcome: Any = None,
    outcome_note: Any = None,
    completed_on: Any = None,
    handling: Any = None,
    mode: Any = None,
    judicial_organ: Any = None,
    **_: Any,
) -> dict:
    """Write the public outcome of one follow-up (once per follow-up), linked to the case's
    published result. `handling` (the measures form) fills what is not passed on its own."""
    case_id = _required_text(case_id, "case_id")
    follow_up_id = _required_text(follow_up_id, "follow_up_id")
    found = db.session.execute(
        select(PublishedFollowUp).where(PublishedFollowUp.follow_up_id == follow_up_id)
    ).scalar()
    if found is not None:
        return {"follow_up_id": found.follow_up_id, "record_id": found.id, "again": True}
    form = handling if isinstance(handling, dict) else {}
    outcome = str(outcome or form.get("outcome") or "")
    measures = str(measures or form.get("measures") or "").strip()
    if not outcome or not measures:
        raise ValueError(f"后续处置 {follow_up_id} 没有处置措施或处置结果，不能公示")
    result = db.session.execute(select(PublishedResult).where(PublishedResult.case_id == case_id)).scalar()
    dept = db.session.get(Department, _int(department)) if _int(department) else None
    receiver = str(judicial_organ).strip() if mode == "judicial" and judicial_organ else ""
    record = PublishedFollowUp(
        follow_up_id=follow_up_id,
        case_id=case_id,
        result_id=result.id if result else None,
        department_id=dept.id if dept else None,
        department_name=(receiver or (dept.name if dept else str(department or "")))[:128],
        problem=str(problem or form.get("problem") or ""),
        measures=measures,
        outcome=outcome[:32],
        outcome_name=outcome_name(outcome)[:64],
        outcome_note=str(outcome_note or form.get("outcome_note") or "") or None,
        completed_on=_date(completed_on or form.get("completed_on")) or local_today(),
        published_at=datetime.now(UTC),
    )
    db.session.add(record)
    db.session.flush()
    return {"follow_up_id": follow_up_id, "record_id": record.id, "published_at": _iso(record.published_at)}


def local_today() -> date:
    return datetime.now(BEIJING).date()


def _case_facts(case_id: str, task_number: Any, enterprise: Any) -> CaseFacts:
    number, _sep, rank = case_id.rpartition("-")
    task = None
    for candidate in (str(task_number) if task_number else None, number or None):
        if candidate and task is None:
            task = db.session.execute(select(JointTask).where(JointTask.number == candidate)).scalar()
    given = enterprise if isinstance(enterprise, dict) else {}
    target = _target(task, given.get("uscc"), rank) if task else None
    name = str(given.get("name") or (target[1].name if target else "")).strip()
    uscc = str(given.get("uscc") or (target[1].uscc if target else "")).strip().upper()
    if not name or not uscc:
        raise ValueError(f"案件 {case_id} 找不到检查对象（企业名称、统一社会信用代码），不能公示")
    plan = db.session.get(AnnualPlan, task.plan_id) if task and task.plan_id else None
    return CaseFacts(name, uscc, task, plan, target[0].instance_id if target else None)


def _target(task: JointTask, uscc: Any, rank: str) -> tuple[TaskTarget, Enterprise] | None:
    query = (
        select(TaskTarget, Enterprise)
        .join(Enterprise, Enterprise.id == TaskTarget.enterprise_id)
        .join(Draw, Draw.id == TaskTarget.draw_id)
        .where(TaskTarget.task_id == task.id, Draw.status == "confirmed")
    )
    if uscc:
        query = query.where(Enterprise.uscc == str(uscc).upper())
    elif rank.isdigit():
        query = query.where(TaskTarget.rank == int(rank))
    else:
        return None
    row = db.session.execute(query.limit(1)).first()
    return (row[0], row[1]) if row else None


def _organs(checklists: dict, departments: Any, lead: int | None) -> list[tuple[str, str]]:
    """(checklist key, department name) of every department that filled a checklist, the lead
    department first, then in the case's order (or by id)."""
    given = {str(d.get("id")): str(d.get("name") or "") for d in departments or [] if isinstance(d, dict)}
    keys = [k for k in given if k in checklists] + sorted(
        (k for k in checklists if k not in given), key=lambda k: (not str(k).isdigit(), _int(k) or 0, str(k))
    )
    stored = {
        str(d.id): d.name
        for d in db.session.execute(
            select(Department).where(Department.id.in_([_int(k) for k in keys if _int(k)]))
        ).scalars()
    }
    keys.sort(key=lambda k: str(k) != str(lead))
    return [(k, stored.get(str(k)) or given.get(str(k)) or str(k)) for k in keys]


def _items(checklists: dict, organs: list[tuple[str, str]], names: dict[str, str]) -> list[dict]:
    out = []
    for key, organ in organs:
        checklist = checklists.get(key)
        rows = checklist.get("results") if isinstance(checklist, dict) else None
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict):
                continue
            codes = in_order({str(c) for c in row.get("result_codes") or []}, names)
            out.append(
                {
                    "department": organ,
                    "item_code": str(row.get("item_code") or ""),
                    "item_name": str(row.get("item_name") or row.get("item_code") or ""),
                    "result_codes": codes,
                    "result_names": [names.get(c, c) for c in codes],
                }
            )
    return out


def _receipt(record: PublishedResult, again: bool = False) -> dict:
    out = {"result_id": record.id, "case_id": record.case_id, "published_at": _iso(record.published_at)}
    return {**out, "again": True} if again else out


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _required_text(value: Any, name: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValueError(f"缺少参数 {name}")
    return text[:64]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
