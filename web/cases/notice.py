"""随机抽查通知书: the inspection notice of a joint inspection case, as a printable page
(/cases/<id>/notice) and a PDF (/cases/<id>/notice.pdf).

It lists the enterprise, the participating departments with their items and inspectors
(执法证号), the team leader (组长), the notice number and the dates. Its facts come from the
case data (the draw's spawn puts departments, items and inspectors there); inspectors missing
from the data are read from the draw's assignments. Before the notice task is done the notice
is a draft (its number is the proposed one, the visit date not fixed yet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import Response, render_template
from flask_babel import gettext as _

from adapters.models import ProcessInstance
from adapters.queries import case_notice
from adapters.queries import cases as queries
from engine.errors import NotFound
from web.auth import require
from web.cases import actions, bp, present
from web.cases.notice_pdf import render_pdf
from web.runtime import workflow

MODEL = "inspection_case"


@dataclass
class Department:
    name: str
    lead: bool
    items: list[dict]
    inspectors: list[dict] = field(default_factory=list)


@dataclass
class Notice:
    """The facts of one notice."""

    number: str
    draft: bool
    enterprise: str
    uscc: str
    address: str | None
    title: str
    task_number: str | None
    lead_department: str
    departments: list[Department]
    leader: dict | None
    issued_on: str
    visit_date: str | None
    place: str | None
    notes: str | None


def facts(row: ProcessInstance) -> Notice:
    """The notice of a case (NotFound for a case of another process)."""
    if row.model_id != MODEL:
        raise NotFound("该案件没有检查通知书")
    data = _case_data(row)
    tasks = queries.case_tasks(row.id)
    done = next(
        (t.task for t in tasks if t.task.element_id == "notice" and t.task.state == "completed"), None
    )
    sent = (actions.submitted_data(done) or {}) if done is not None else {}
    names = queries.department_names()
    lead = str(data.get("lead_department") or row.department_id or "")
    inspectors = data.get("inspectors") or case_notice.drawn_inspectors(row.id)
    departments = []
    for d in data.get("departments") or []:
        dept_id = str(d.get("id"))
        departments.append(
            Department(
                name=d.get("name") or (names.get(int(dept_id)) if dept_id.isdigit() else None) or dept_id,
                lead=dept_id == lead,
                items=list(d.get("items") or []),
                inspectors=[i for i in inspectors if str(i.get("department_id")) == dept_id],
            )
        )
    departments.sort(key=lambda d: not d.lead)
    enterprise = data.get("enterprise") or {}
    issued = present.local(done.completed_at).date() if done is not None else present.today_local()
    return Notice(
        number=str(sent.get("notice_no") or data.get("notice_no") or row.business_key or row.id),
        draft=done is None,
        enterprise=enterprise.get("name") or data.get("enterprise_name") or "",
        uscc=enterprise.get("uscc") or data.get("uscc") or "",
        address=case_notice.enterprise_address(enterprise.get("uscc") or data.get("uscc")),
        title=row.title or "",
        task_number=data.get("task_number"),
        lead_department=names.get(int(lead), "") if lead.isdigit() else "",
        departments=departments,
        leader=next((i for i in inspectors if i.get("leader")), None),
        issued_on=_cn_date(issued),
        visit_date=_cn_date(date.fromisoformat(sent["visit_date"])) if sent.get("visit_date") else None,
        place=sent.get("place"),
        notes=sent.get("notes"),
    )


def _case_data(row: ProcessInstance) -> dict:
    try:
        return workflow().load(row).data()
    except Exception:  # noqa: BLE001 - a case whose state cannot load has no notice to print
        raise NotFound("案件数据无法读取") from None


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@bp.get("/cases/<int:instance_id>/notice")
@require("tasks.read")
def notice(instance_id: int):
    row = actions.visible_case(instance_id)
    return render_template("cases/notice.html", row=row, notice=facts(row))


@bp.get("/cases/<int:instance_id>/notice.pdf")
@require("tasks.read")
def notice_pdf(instance_id: int):
    row = actions.visible_case(instance_id)
    body = render_pdf(facts(row), draft_mark=_("Draft"))
    name = f"notice-{row.id}.pdf"
    return Response(
        body, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'}
    )
