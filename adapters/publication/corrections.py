"""更正: the only way a published record changes. A correction names its reason, is made by the
office or by the case's lead department, keeps every changed field's old and new value, and is
public itself (the record's history). The caller commits.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from adapters.audit_store import SqlAuditLog
from adapters.db import db
from adapters.models import Department, PublicationCorrection, PublishedFollowUp, PublishedResult
from adapters.publication.names import OUTCOMES, in_order, outcome_name, result_code_names, result_text
from engine.access import Actor, can
from engine.errors import Forbidden, NotFound, ValidationFailed
from engine.identifiers import normalise_uscc, uscc_problems

NO_PROBLEM = "1"  # 未发现问题 stands alone (checklist.json says so)
REASON_MAX = 1000


def get_result(record_id: int) -> PublishedResult:
    record = db.session.get(PublishedResult, record_id)
    if record is None:
        raise NotFound("公示记录不存在")
    return record


def get_follow_up(record_id: int) -> PublishedFollowUp:
    record = db.session.get(PublishedFollowUp, record_id)
    if record is None:
        raise NotFound("后续处置公示记录不存在")
    return record


def may_correct(actor: Actor | None, lead_department_id: int | None) -> bool:
    return can(actor, "publication.manage", lead_department_id)


def correct_result(
    record: PublishedResult, wanted: dict[str, Any], reason: str, actor: Actor, actor_name: str = ""
) -> PublicationCorrection:
    """Correct the enterprise name, USCC, completion date or items' results of a published
    result. `wanted["item_results"]` maps an item's position to its new result codes."""
    _check_actor(actor, record.lead_department_id)
    reason = _reason(reason)
    errors: dict[str, str] = {}
    changes: dict[str, dict] = {}
    name = str(wanted.get("enterprise_name", record.enterprise_name) or "").strip()
    if not name or len(name) > 200:
        errors["enterprise_name"] = "企业名称不能为空，最多 200 字"
    elif name != record.enterprise_name:
        changes["enterprise_name"] = {"before": record.enterprise_name, "after": name}
    uscc = normalise_uscc(str(wanted.get("uscc", record.uscc) or ""))
    if uscc != record.uscc:
        problems = uscc_problems(uscc)
        if problems:
            errors["uscc"] = "；".join(problems)
        else:
            changes["uscc"] = {"before": record.uscc, "after": uscc}
    _date_change(wanted, record.completed_on, changes, errors)
    items = _item_changes(record.items, wanted.get("item_results") or {}, changes, errors)
    _finish(changes, errors)
    record.enterprise_name = name
    record.uscc = uscc
    if "completed_on" in changes:
        record.completed_on = date.fromisoformat(changes["completed_on"]["after"])
    if items is not None:
        record.items = items
        record.result_text = result_text(items, result_code_names())
    return _record(record, None, changes, reason, actor, actor_name, f"publication:{record.case_id}")


def correct_follow_up(
    record: PublishedFollowUp, wanted: dict[str, Any], reason: str, actor: Actor, actor_name: str = ""
) -> PublicationCorrection:
    """Correct the problem, measures, outcome, its note or the completion date of a published
    follow-up outcome (by the office or the lead department of its case)."""
    result = db.session.get(PublishedResult, record.result_id) if record.result_id else None
    _check_actor(actor, result.lead_department_id if result else None)
    reason = _reason(reason)
    errors: dict[str, str] = {}
    changes: dict[str, dict] = {}
    for field, limit in (("problem", 2000), ("measures", 4000), ("outcome_note", 2000)):
        value = str(wanted.get(field, getattr(record, field) or "") or "").strip()
        if len(value) > limit or (not value and field != "outcome_note"):
            errors[field] = f"不能为空，最多 {limit} 字" if field != "outcome_note" else f"最多 {limit} 字"
        elif value != (getattr(record, field) or ""):
            changes[field] = {"before": getattr(record, field) or "", "after": value}
    outcome = str(wanted.get("outcome", record.outcome) or "")
    if outcome not in OUTCOMES and outcome != record.outcome:
        errors["outcome"] = "处置结果不在可选范围内"
    elif outcome != record.outcome:
        changes["outcome"] = {"before": record.outcome_name, "after": outcome_name(outcome), "code": outcome}
    _date_change(wanted, record.completed_on, changes, errors)
    _finish(changes, errors)
    for field in ("problem", "measures", "outcome_note"):
        if field in changes:
            setattr(record, field, changes[field]["after"] or None)
    if "outcome" in changes:
        record.outcome, record.outcome_name = outcome, outcome_name(outcome)
    if "completed_on" in changes:
        record.completed_on = date.fromisoformat(changes["completed_on"]["after"])
    stream = f"publication:{record.case_id}"
    return _record(result, record, changes, reason, actor, actor_name, stream)


def _check_actor(actor: Actor | None, lead_department_id: int | None) -> None:
    if not may_correct(actor, lead_department_id):
        raise Forbidden("只有双随机办或本案牵头部门可以更正公示内容")


def _reason(reason: Any) -> str:
    text = str(reason or "").strip()
    if not text:
        raise ValidationFailed("请填写更正理由", {"reason": "请填写更正理由"})
    if len(text) > REASON_MAX:
        raise ValidationFailed("更正理由过长", {"reason": f"最多 {REASON_MAX} 字"})
    return text


def _date_change(wanted: dict, current: date | None, changes: dict, errors: dict) -> None:
    if "completed_on" not in wanted or wanted["completed_on"] in (None, ""):
        return
    try:
        new = date.fromisoformat(str(wanted["completed_on"]))
    except ValueError:
        errors["completed_on"] = "日期格式应为 2026-10-19"
        return
    if new != current:
        changes["completed_on"] = {"before": current.isoformat() if current else "", "after": new.isoformat()}


def _item_changes(items: list, wanted: dict, changes: dict, errors: dict) -> list | None:
    """The corrected items (None when no item changed)."""
    names = result_code_names()
    out = [dict(row) for row in items]
    changed = []
    for key, codes in wanted.items():
        index = int(key) if str(key).isdigit() else -1
        if not 0 <= index < len(out):
            errors[f"item_{key}"] = "没有这个抽查事项"
            continue
        codes = [str(c).strip() for c in (codes or []) if str(c).strip()]
        unknown = [c for c in codes if c not in names]
        if not codes or unknown or (NO_PROBLEM in codes and len(codes) > 1):
            errors[f"item_{index}"] = (
                f"未知的结果代码：{'、'.join(unknown)}"
                if unknown
                else "请至少选择一个结果；“未发现问题”不能与其他结果同时选择"
            )
            continue
        codes = in_order(codes, names)
        if codes != out[index]["result_codes"]:
            before = out[index]
            out[index] = {**before, "result_codes": codes, "result_names": [names[c] for c in codes]}
            changed.append(
                {
                    "item": before["item_name"],
                    "department": before["department"],
                    "before": "、".join(before["result_names"]),
                    "after": "、".join(names[c] for c in codes),
                }
            )
    if changed:
        changes["items"] = {"rows": changed}
    return out if changed else None


def _finish(changes: dict, errors: dict) -> None:
    if errors:
        raise ValidationFailed("更正内容未通过校验", errors)
    if not changes:
        raise ValidationFailed("没有修改任何内容", {"reason": "没有修改任何内容"})


def _record(
    result: PublishedResult | None,
    follow_up: PublishedFollowUp | None,
    changes: dict,
    reason: str,
    actor: Actor,
    actor_name: str,
    stream: str,
) -> PublicationCorrection:
    now = datetime.now(UTC)
    for record in (result if follow_up is None else None, follow_up):
        if record is not None:
            record.corrected_at = now
            record.correction_count = (record.correction_count or 0) + 1
    department = db.session.get(Department, actor.department_id) if actor.department_id else None
    correction = PublicationCorrection(
        result_id=result.id if result else None,
        follow_up_id=follow_up.id if follow_up else None,
        reason=reason,
        changes=changes,
        organ=department.name if department else "",
        corrected_by_id=actor.id,
        corrected_at=now,
    )
    db.session.add(correction)
    db.session.flush()
    SqlAuditLog(db.session).append(
        stream[:128],
        "corrected",
        data={"correction_id": correction.id, "reason": reason, "changes": changes},
        actor_id=actor.id,
        actor_name=actor_name or None,
    )
    return correction
