"""API of joint tasks (联合抽查任务): list, get, open (吹哨, from a plan row or ad hoc) and a
department's 报到. The same rules as the pages (web/joint_tasks.py): the departments taking
part read a task, the office, auditors and sysadmins read all; the office and the lead
department's officers open; a cooperating department's officer reports for their department.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort

from adapters.db import db
from adapters.queries import joint_tasks as queries
from engine.errors import Conflict, Forbidden
from web.api import api_blueprint
from web.auth import current_actor, may_somewhere
from web.joint_tasks import OPEN, READ, open_from, read_all, report_state, visible_detail
from web.runtime import who, workflow
from web.schemas import joint_tasks as s

bp = api_blueprint(
    "joint_tasks_api", __name__, "/joint-tasks", description="联合抽查任务 Joint tasks (吹哨、报到)"
)


def _ensure_any(action: str) -> None:
    """The action for any department, or for the user's own one (403 otherwise)."""
    actor = current_actor()
    if actor is None:
        abort(401)
    if not may_somewhere(action, actor):
        abort(403)


def line_out(line: queries.TaskLine) -> dict:
    t = line.task
    return {
        "id": t.id,
        "number": t.number,
        "name": t.name,
        "status": t.status,
        "ad_hoc": t.ad_hoc,
        "lead_department_id": t.lead_department_id,
        "lead_department": line.lead_name,
        "reports": line.counts,
        "report_due": line.report_due,
    }


def task_out(info: queries.TaskDetail) -> dict:
    t, now = info.task, datetime.now(UTC)
    departments = [
        {
            "department_id": d.row.department_id,
            "name": d.name,
            "is_lead": d.row.is_lead,
            "status": d.row.status,
            "report_state": report_state(d.row, now),
            "items": [{"id": i.id, "code": i.code, "name": i.name} for i in d.items],
            "inspector_tag_ids": list(d.row.inspector_tag_ids or []),
            "inspector_tags": d.tags,
            "inspectors_per_target": d.row.inspectors_per_target,
            "due_at": d.row.due_at,
            "reported_at": d.row.reported_at,
            "escalated_at": d.row.escalated_at,
            "comment": d.row.comment,
            "report_task_id": d.report_task.id if d.report_task else None,
        }
        for d in info.departments
    ]
    fields = ("id", "number", "name", "status", "ad_hoc", "ad_hoc_reason", "plan_id", "plan_row_key")
    fields += ("joint_list_id", "lead_department_id", "industry_codes", "report_days", "window_start")
    fields += ("window_end", "instance_id", "created_at")
    return {
        **{k: getattr(t, k) for k in fields},
        "lead_department": info.lead_name,
        "departments": departments,
    }


@bp.route("", methods=["GET"])
@bp.arguments(s.JointTaskArgs, location="query")
@bp.response(200, s.JointTaskPage)
def list_(args):
    """Joint tasks the caller may read, newest first: status (or `overdue`), mine, year."""
    _ensure_any(READ)
    filters = queries.JointTaskFilters(status=args.get("status"), mine=args["mine"], year=args.get("year"))
    actor = current_actor()
    page = queries.list_tasks(
        actor.department_id, filters, read_all=read_all(), page=args["page"], limit=args["limit"]
    )
    return {"items": [line_out(x) for x in page.items], "page": page.page, "has_next": page.has_next}


@bp.route("", methods=["POST"])
@bp.arguments(s.JointTaskIn)
@bp.response(201, s.JointTaskOut)
def create(data):
    """Blow the whistle: with `plan_row_id` from a published plan row, otherwise ad hoc (a reason
    is required). 403 when the caller may not open tasks for the lead department."""
    _ensure_any(OPEN)
    mode = "plan" if data.get("plan_row_id") is not None else "ad_hoc"
    try:
        task = open_from(mode, data)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return task_out(visible_detail(task.id))


@bp.route("/<int:task_id>", methods=["GET"])
@bp.response(200, s.JointTaskOut)
def get(task_id: int):
    """A task with each department's 报到."""
    _ensure_any(READ)
    return task_out(visible_detail(task_id))


@bp.route("/<int:task_id>/report", methods=["POST"])
@bp.arguments(s.ReportIn)
@bp.response(200, s.JointTaskOut)
def report(data, task_id: int):
    """The caller's department reports (报到) with the form of its 报到 task: 403 unless the
    caller is an officer of a cooperating department, 409 when it has no open 报到, 422 with the
    fields when the form is wrong (e.g. `item_ids`, `decline_reason`)."""
    _ensure_any(READ)
    info = visible_detail(task_id)
    actor = current_actor()
    mine = next((d for d in info.departments if d.row.department_id == actor.department_id), None)
    if mine is None or mine.row.is_lead:
        raise Forbidden("您所在部门不是该任务的联查部门")
    if "officer" not in actor.roles:
        raise Forbidden("只有部门管理人员可以报到")
    if mine.report_task is None or mine.report_task.state != "ready":
        raise Conflict("本部门没有待办的报到任务")
    try:
        workflow().complete(mine.report_task.id, dict(data), who())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return task_out(visible_detail(task_id))
