"""Write side of the registers: create and update rows from already-parsed data.

The UI forms and the API both land here, so the domain checks (identifiers, uniqueness,
departments that must match) are made once. Functions apply only the keys present in `data`
(partial updates), flush but never commit: the caller owns the transaction and calls
`commit()`. Messages are Chinese because they reach users as field errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from adapters.db import db
from adapters.models import (
    Department,
    Enterprise,
    Expert,
    IndustryJointList,
    InspectionItem,
    Inspector,
    InspectorConflict,
    Region,
    Tag,
)
from engine.errors import Conflict, DomainError, Forbidden, ValidationFailed
from engine.identifiers import (
    industry_code_problems,
    normalise_industry_code,
    normalise_uscc,
    uscc_is_checksum_only_failure,
    uscc_problems,
)

INVALID = "提交的数据未通过校验"
OVERRIDE_HINT = "。如确属早期试点代码，请勾选“确认使用校验位不符的代码”并填写理由"


@contextmanager
def transaction() -> Iterator[None]:
    """Commit what the block did, or roll it all back when it raises a domain error (a half-
    applied update must not linger in the session). A unique-key race lost to another writer
    is a 409, never a 500."""
    try:
        yield
        db.session.commit()
    except IntegrityError as err:
        db.session.rollback()
        raise Conflict("数据重复或已被他人修改，请刷新后重试") from err
    except DomainError:
        db.session.rollback()
        raise


def save_tag(tag: Tag | None, data: dict) -> Tag:
    tag = tag or Tag(active=True)
    if "name" in data:
        _unique(Tag, Tag.name, data["name"].strip(), tag, "name", "该标签已存在")
    _assign(tag, data, "name", "description")
    return _flushed(tag)


def save_item(item: InspectionItem | None, data: dict) -> InspectionItem:
    item = item or InspectionItem(active=True, category="general")
    if "code" in data:
        _unique(InspectionItem, InspectionItem.code, data["code"].strip(), item, "code", "该事项编码已存在")
    if "department_id" in data:
        _department(data["department_id"], "department_id")
    _assign(item, data, "code", "name", "department_id", "legal_basis", "method", "category", "fields")
    return _flushed(item)


def save_joint_list(jl: IndustryJointList | None, data: dict) -> IndustryJointList:
    jl = jl or IndustryJointList(active=True, frequency_per_year=1, industry_codes=[])
    if "industry_codes" in data:
        jl.industry_codes = industry_codes(data["industry_codes"])
    old_lead = jl.lead_department
    if "lead_department_id" in data:
        jl.lead_department = _department(data["lead_department_id"], "lead_department_id")
    lead = jl.lead_department
    if lead is None:
        raise ValidationFailed(INVALID, {"lead_department_id": "请选择牵头部门"})
    if "cooperating_department_ids" in data:
        ids = dict.fromkeys(data["cooperating_department_ids"])
        cooperating = [_department(i, "cooperating_department_ids") for i in ids]
    else:
        cooperating = [d for d in jl.departments if d is not old_lead]
    # `departments` holds every participating department, the lead first.
    jl.departments = [lead, *(d for d in cooperating if d is not lead)]
    if "item_ids" in data:
        jl.items = [
            _get(InspectionItem, i, "item_ids", "抽查事项不存在") for i in dict.fromkeys(data["item_ids"])
        ]
    _assign(jl, data, "name", "frequency_per_year", "notes")
    members = {d.id for d in jl.departments}
    strays = [i.name for i in jl.items if i.department_id not in members]
    if strays:
        raise ValidationFailed(
            INVALID, {"item_ids": f"以下事项不属于牵头部门或协同部门：{'、'.join(strays)}"}
        )
    return _flushed(jl)


def industry_codes(codes: list[str]) -> list[str]:
    problems = [p for c in codes for p in industry_code_problems(c)]
    if problems or not codes:
        raise ValidationFailed(INVALID, {"industry_codes": "；".join(problems) or "至少填写一个行业代码"})
    return list(dict.fromkeys(normalise_industry_code(c) for c in codes))


def save_enterprise(ent: Enterprise | None, data: dict, actor_id: int, may_override: bool) -> Enterprise:
    ent = ent or Enterprise(risk_class="B", status="active", uscc_override=False)
    if "uscc" in data or "uscc_override" in data:
        _apply_uscc(ent, data, actor_id, may_override)
    if "industry_code" in data:
        code = normalise_industry_code(data["industry_code"])
        problems = industry_code_problems(code) or (
            [] if code.isdigit() else ["检查对象的行业代码应为2—4位数字"]
        )
        if problems:
            raise ValidationFailed(INVALID, {"industry_code": "；".join(problems)})
        ent.industry_code = code
    if "region_code" in data:
        _get(Region, data["region_code"], "region_code", "行政区划不存在")
    if "tag_ids" in data:
        ent.tags = _tags(data["tag_ids"])
    _assign(ent, data, "name", "region_code", "address", "legal_representative", "contact")
    _assign(ent, data, "risk_class", "status", "last_inspected_on")
    return _flushed(ent)


def _apply_uscc(ent: Enterprise, data: dict, actor_id: int, may_override: bool) -> None:
    code = normalise_uscc(data.get("uscc", ent.uscc))
    problems = uscc_problems(code)
    if problems and not uscc_is_checksum_only_failure(code):
        raise ValidationFailed(INVALID, {"uscc": "；".join(problems)})
    if not problems:
        ent.uscc_override, ent.uscc_override_reason = False, None
        ent.uscc_override_by_id = ent.uscc_override_at = None
    else:
        override = data.get("uscc_override", ent.uscc_override and ent.uscc == code)
        reason = (data.get("uscc_override_reason", ent.uscc_override_reason) or "").strip()
        if not override:
            raise ValidationFailed(INVALID, {"uscc": problems[0] + OVERRIDE_HINT})
        if not reason:
            raise ValidationFailed(INVALID, {"uscc_override_reason": "请填写使用校验位不符代码的理由"})
        if not may_override:
            raise Forbidden("没有权限确认使用校验位不符的代码")
        if not (ent.uscc_override and ent.uscc == code and ent.uscc_override_reason == reason):
            # A new decision is recorded with who and when; re-saving the same one keeps them.
            ent.uscc_override_by_id, ent.uscc_override_at = actor_id, datetime.now(UTC)
        ent.uscc_override, ent.uscc_override_reason = True, reason
    _unique(Enterprise, Enterprise.uscc, code, ent, "uscc", "名录库中已有该统一社会信用代码")
    ent.uscc = code


def save_inspector(insp: Inspector | None, data: dict) -> Inspector:
    insp = insp or Inspector(active=True)
    if "cert_no" in data:
        _unique(Inspector, Inspector.cert_no, data["cert_no"].strip(), insp, "cert_no", "该执法证号已存在")
    if "department_id" in data:
        _department(data["department_id"], "department_id")
    if data.get("region_code"):
        _get(Region, data["region_code"], "region_code", "行政区划不存在")
    if "tag_ids" in data:
        insp.tags = _tags(data["tag_ids"])
    data = {**data, "region_code": data.get("region_code") or None} if "region_code" in data else data
    _assign(insp, data, "cert_no", "name", "department_id", "fields", "region_code", "phone")
    return _flushed(insp)


def declare_conflict(insp: Inspector, uscc: str, reason: str, actor_id: int) -> InspectorConflict:
    code = normalise_uscc(uscc)
    ent = db.session.scalars(select(Enterprise).where(Enterprise.uscc == code)).first()
    if ent is None:
        raise ValidationFailed(INVALID, {"uscc": "名录库中没有该统一社会信用代码的检查对象"})
    if not reason.strip():
        raise ValidationFailed(INVALID, {"reason": "请填写回避理由"})
    row = db.session.scalars(
        select(InspectorConflict).filter_by(inspector_id=insp.id, enterprise_id=ent.id)
    ).first()
    if row is not None and row.active:
        raise ValidationFailed(INVALID, {"uscc": "已登记与该检查对象的回避关系"})
    row = row or InspectorConflict(inspector_id=insp.id, enterprise_id=ent.id)
    row.reason, row.active, row.enterprise = reason.strip(), True, ent
    row.declared_at, row.declared_by_id = datetime.now(UTC), actor_id
    return _flushed(row)


def save_expert(expert: Expert | None, data: dict) -> Expert:
    expert = expert or Expert(active=True)
    if data.get("department_id"):
        _department(data["department_id"], "department_id")
    data = {**data, "department_id": data.get("department_id") or None} if "department_id" in data else data
    _assign(expert, data, "name", "specialty", "organisation", "phone", "department_id")
    return _flushed(expert)


def set_active(row, active: bool) -> None:
    """Deactivate or reactivate: rows that may be referenced are never deleted."""
    row.active = active
    db.session.flush()


def _assign(row, data: dict, *names: str) -> None:
    for name in names:
        if name in data:
            value = data[name]
            setattr(row, name, value.strip() if isinstance(value, str) else value)


def _unique(model, col, value, row, field: str, message: str) -> None:
    with db.session.no_autoflush:  # the row being edited may be half-applied
        other = db.session.scalars(select(model).where(col == value)).first()
    if other is not None and other is not row:
        raise ValidationFailed(INVALID, {field: message})


def _department(dept_id: int, field: str) -> Department:
    return _get(Department, dept_id, field, "部门不存在")


def _get(model, key, field: str, message: str):
    row = db.session.get(model, key) if key not in (None, "") else None
    if row is None:
        raise ValidationFailed(INVALID, {field: message})
    return row


def _tags(ids: list[int]) -> list[Tag]:
    return [_get(Tag, i, "tag_ids", "标签不存在") for i in dict.fromkeys(ids)]


def _flushed(row):
    """New rows join the session only here, complete, so no autoflush sees them half-built."""
    db.session.add(row)
    db.session.flush()
    return row
