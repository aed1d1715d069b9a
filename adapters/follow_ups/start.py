"""Start one `follow_up` instance per problem of an approved case (the starter of the message
`follow_up_requested`, see adapters/workflow/message_starters.py).

Idempotent on `follow_up_id`: each instance starts with the business key
`follow_up:<follow_up_id>` and `WorkflowService.start` returns the existing instance for a known
key, so a retried job starts nothing twice. Each instance is linked to its case by `parent_id`
and is owned by the case's lead department (who transfers it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from adapters.models import Department, ProcessInstance
from adapters.workflow.service import SYSTEM, WorkflowService

MODEL = "follow_up"
TITLE_LENGTH = 256


@dataclass(frozen=True)
class Item:
    follow_up_id: str
    department: str
    problem: str


@dataclass(frozen=True)
class Request:
    case_id: str
    lead_department: int
    enterprise: dict
    items: tuple[Item, ...]


def business_key(follow_up_id: str) -> str:
    return f"follow_up:{follow_up_id}"


def start_follow_ups(
    service: WorkflowService, payload: Any, source_instance_id: int | None = None
) -> list[int]:
    """Start (or find) the follow-up instance of every item of a `follow_up_requested` payload;
    returns their instance ids. A malformed payload raises ValueError (the job fails visibly)."""
    request = parse_request(payload)
    session = service.session
    case = session.get(ProcessInstance, source_instance_id) if source_instance_id else None
    if source_instance_id and case is None:
        raise ValueError(f"发起后续处置的案件 {source_instance_id} 不存在")
    if session.get(Department, request.lead_department) is None:
        raise ValueError(f"牵头部门 {request.lead_department} 不存在")
    choices = department_choices(session)
    started = []
    for item in request.items:
        row = service.start(
            MODEL,
            start_data(request, item, choices),
            SYSTEM,
            business_key=business_key(item.follow_up_id),
            title=title(request, item),
            department_id=request.lead_department,
            parent_id=case.id if case else None,
        )
        started.append(row.id)
    return started


def parse_request(payload: Any) -> Request:
    if not isinstance(payload, Mapping):
        raise ValueError("后续处置请求格式错误：应为对象")
    case_id = payload.get("case_id")
    items = payload.get("follow_ups")
    if not isinstance(case_id, str) or not case_id:
        raise ValueError("后续处置请求缺少 case_id")
    if not isinstance(items, list) or not items:
        raise ValueError("后续处置请求没有需移送的问题")
    lead = _department_id(payload.get("lead_department"), "lead_department")
    parsed = tuple(_item(i) for i in items)
    ids = [i.follow_up_id for i in parsed]
    if len(set(ids)) != len(ids):
        raise ValueError("后续处置请求中的 follow_up_id 重复")
    enterprise = payload.get("enterprise") if isinstance(payload.get("enterprise"), Mapping) else {}
    return Request(case_id, lead, dict(enterprise), parsed)


def _item(raw: Any) -> Item:
    if not isinstance(raw, Mapping):
        raise ValueError("后续处置事项格式错误：应为对象")
    follow_up_id, problem = raw.get("follow_up_id"), raw.get("problem")
    if not isinstance(follow_up_id, str) or not follow_up_id or len(business_key(follow_up_id)) > 128:
        raise ValueError("后续处置事项缺少有效的 follow_up_id")
    if not isinstance(problem, str) or not problem.strip():
        raise ValueError(f"后续处置事项 {follow_up_id} 缺少问题描述")
    department = _department_id(raw.get("department"), "department")
    return Item(follow_up_id, str(department), problem.strip())


def _department_id(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"后续处置请求的 {name} 不是部门编号：{value!r}") from None


def department_choices(session) -> list[dict]:
    """Every active department as a choice of the transfer and re-assignment forms."""
    rows = session.execute(
        select(Department.id, Department.name).where(Department.active.is_(True)).order_by(Department.id)
    ).all()
    return [{"const": str(i), "title": name} for i, name in rows]


def start_data(request: Request, item: Item, choices: list[dict]) -> dict:
    name = str(request.enterprise.get("name") or "")
    return {
        "case_id": request.case_id,
        "follow_up_id": item.follow_up_id,
        "lead_department": str(request.lead_department),
        "department": item.department,
        "problem": item.problem,
        "enterprise": request.enterprise,
        "enterprise_name": name,
        "uscc": str(request.enterprise.get("uscc") or ""),
        "department_choices": choices,
        "title": title(request, item),
    }


def title(request: Request, item: Item) -> str:
    name = request.enterprise.get("name") or request.case_id
    return f"后续处置 {item.follow_up_id}·{name}·{item.problem}"[:TITLE_LENGTH]
