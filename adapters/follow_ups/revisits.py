"""Start a revisit (回访) of a closed inspection case: a `revisit` instance linked to the case
by `parent_id`, owned and done by the case's lead department. One open revisit per case at a
time (a second request while one is open is a Conflict, which also stops a double submit)."""

from __future__ import annotations

from sqlalchemy import select

from adapters.models import ProcessInstance
from adapters.workflow.service import Who, WorkflowService
from engine.errors import Conflict, ValidationFailed

MODEL = "revisit"
CASE_MODEL = "inspection_case"
PURPOSE_LENGTH = 1000


def start_revisit(service: WorkflowService, case_id: int, purpose: str, who: Who) -> ProcessInstance:
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationFailed("请填写回访事由", {"purpose": "必填项"})
    if len(purpose) > PURPOSE_LENGTH:
        raise ValidationFailed("回访事由过长", {"purpose": f"不超过 {PURPOSE_LENGTH} 字"})
    case = service.instance_row(case_id, lock=True)  # one writer adds a case's revisits at a time
    if case.model_id != CASE_MODEL or case.status != "complete":
        raise Conflict("只有已结案的检查案件可以回访")
    siblings = select(ProcessInstance.status).where(
        ProcessInstance.parent_id == case.id, ProcessInstance.model_id == MODEL
    )
    statuses = list(service.session.execute(siblings).scalars())
    if any(s in ("running", "waiting", "error", "suspended") for s in statuses):
        raise Conflict("该案件已有进行中的回访")
    data = service.load(case).data()
    number = len(statuses) + 1
    return service.start(
        MODEL,
        {
            "case_id": data.get("case_id") or str(case.id),
            "case_instance_id": case.id,
            "lead_department": str(case.department_id) if case.department_id else data.get("lead_department"),
            "enterprise": data.get("enterprise") or {},
            "enterprise_name": data.get("enterprise_name") or "",
            "uscc": data.get("uscc") or "",
            "purpose": purpose,
            "title": f"回访 {number}·{case.title}"[:256],
        },
        who,
        business_key=f"revisit:{case.id}:{number}",
        title=f"回访 {number}·{case.title}"[:256],
        department_id=case.department_id,
        parent_id=case.id,
    )
