"""联合抽查任务 pages: the list (filters: status, my department, year), 发起联合抽查（吹哨） from a
published plan row or ad hoc, and a task's page with each department's 报到, its items, inspector
requirements and deadline in working days, with links to the 报到 tasks and the draw.

Who: the office and the lead department's officers open tasks (`joint_tasks.open` on the lead
department); the departments taking part read their tasks, the office, auditors and sysadmins
read all (`joint_tasks.read`). The API (web/api/joint_tasks.py) shares these checks.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from adapters.db import db
from adapters.joint_tasks import TaskSpec, open_task, spec_ad_hoc, spec_from_plan_row
from adapters.models import JointTask, JointTaskDepartment
from adapters.queries import joint_tasks as queries
from engine.errors import Conflict, Forbidden, NotFound, ValidationFailed
from web.auth import allowed, current_actor, ensure, require
from web.cases import present
from web.joint_task_forms import AdHocForm, fill_choices, form_values, scope_choices
from web.registers.forms import attach_errors
from web.runtime import who, workflow

bp = Blueprint("joint_tasks", __name__, url_prefix="/joint-tasks")
READ, OPEN = "joint_tasks.read", "joint_tasks.open"
PAGE_SIZE = 30
DRAW_ENDPOINTS = ("draws.preview", "draws.task")  # the draw page of a task, whichever exists

STATUS_LABELS = {
    "reporting": _l("Reporting"),
    "drawing": _l("Ready to draw"),
    "drawn": _l("Drawn"),
    "spawning": _l("Creating cases"),
    "running": _l("Inspecting"),
    "closed": _l("Task finished"),
    "cancelled": _l("Called off"),
    "overdue": _l("With overdue reports"),
}
REPORT_LABELS = {
    "lead": _l("Lead department"),
    "pending": _l("Awaiting report"),
    "confirmed": _l("Reported"),
    "declined": _l("Not taking part"),
    "overdue": _l("Report overdue"),
    "absent": _l("Not reported (closed out)"),
}


def report_state(row: JointTaskDepartment, now: datetime | None = None) -> str:
    """待报到 / 已报到 / 不参加 / 已逾期 (also before the escalation job ran) / 牵头部门."""
    if row.is_lead:
        return "lead"
    if row.status == "pending" and row.due_at is not None:
        due = row.due_at if row.due_at.tzinfo else row.due_at.replace(tzinfo=UTC)
        if due < (now or datetime.now(UTC)):
            return "overdue"
    return row.status


def read_all() -> bool:
    return allowed(READ)


def visible_detail(task_id: int) -> queries.TaskDetail:
    """The task if the user may read it: NotFound / Forbidden otherwise."""
    detail = queries.task_detail(task_id)
    if detail is None:
        raise NotFound("联合抽查任务不存在")
    actor = current_actor()
    department = actor.department_id if actor else None
    if not (
        read_all()
        or (allowed(READ, department) and queries.may_read(detail.task, department, read_all=False))
    ):
        raise Forbidden("您所在部门未参加该联合抽查任务")
    return detail


def open_from(mode: str, data: dict) -> JointTask:
    """Open a task from a plan row (`mode` "plan") or ad hoc, after checking the user may open it
    for its lead department; the caller commits."""
    spec: TaskSpec
    if mode == "plan":
        spec = spec_from_plan_row(db.session, data.get("plan_row_id"), data.get("report_days"), data)
        ensure(OPEN, spec.lead_department_id)
    else:
        lead = data.get("lead_department_id")
        if lead not in (None, ""):
            ensure(OPEN, _int(lead))
        spec = spec_ad_hoc(db.session, data)
    return open_task(db.session, workflow(), who(), spec)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def draw_url(task: JointTask) -> str | None:
    """The draw page of the task, when the draw module is there and the user may draw."""
    if not allowed("draws.run", task.lead_department_id):
        return None
    for endpoint in DRAW_ENDPOINTS:
        if endpoint in current_app.view_functions:
            return url_for(endpoint, task_id=task.id)
    return None


# --- pages ------------------------------------------------------------------------------------


@bp.get("", endpoint="index")
@require(READ)
def index():
    actor = current_actor()
    status = request.args.get("status") or None
    year = request.args.get("year", "")
    page = request.args.get("page", "1")
    filters = queries.JointTaskFilters(
        status=status if status in queries.STATUS_FILTERS else None,
        mine=request.args.get("mine") == "1",
        year=int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None,
    )
    page = int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
    result = queries.list_tasks(actor.department_id, filters, read_all=read_all(), page=page, limit=PAGE_SIZE)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "joint_tasks/list.html",
        result=result,
        filters=filters,
        years=queries.years(),
        statuses=[(s, STATUS_LABELS[s]) for s in queries.STATUS_FILTERS],
        labels=STATUS_LABELS,
        report_labels=REPORT_LABELS,
        read_all=read_all(),
        can_open=allowed(OPEN) or (actor.department_id is not None and allowed(OPEN, actor.department_id)),
        due=present.due,
        prev_url=url_for("joint_tasks.index", page=page - 1, **args) if page > 1 else None,
        next_url=url_for("joint_tasks.index", page=page + 1, **args) if result.has_next else None,
    )


@bp.route("/new", methods=["GET", "POST"], endpoint="new")
@require(OPEN)
def new():
    form = AdHocForm()
    fill_choices(form)
    if request.method == "GET":
        return _render_new(form, {}, None)
    mode = "plan" if request.form.get("mode") == "plan" else "ad_hoc"
    if mode == "ad_hoc":
        lead = _int(request.form.get("lead_department_id"))
        if lead is not None:
            ensure(OPEN, lead)  # another department's task is refused before its input is read
        if not form.validate_on_submit():
            return _render_new(form, {}, mode), 422
    try:
        task = open_from(mode, dict(request.form) if mode == "plan" else form_values(form))
        db.session.commit()
    except (ValidationFailed, Conflict) as err:
        db.session.rollback()
        errors = dict(err.fields or {}) or {"__all__": err.message}
        loose = attach_errors(form, errors) if mode == "ad_hoc" else list(errors.values())
        return _render_new(form, {"__all__": "；".join(loose)} if loose else {}, mode), (
            409 if isinstance(err, Conflict) else 422
        )
    count = len(task.departments) - 1
    flash(
        _(
            "Joint task %(number)s opened: %(n)s departments are asked to report.",
            number=task.number,
            n=count,
        ),
        "success",
    )
    return redirect(url_for("joint_tasks.detail", task_id=task.id))


def _render_new(form: AdHocForm, errors: dict, mode: str | None):
    actor = current_actor()
    lead = None if allowed(OPEN) else actor.department_id
    return render_template(
        "joint_tasks/new.html",
        form=form,
        rows=queries.plan_rows(lead),
        scope=scope_choices(),
        errors=errors,
        mode=mode,
    )


@bp.get("/<int:task_id>", endpoint="detail")
@require(READ)
def detail(task_id: int):
    info = visible_detail(task_id)
    now = datetime.now(UTC)
    service, me = workflow(), who()
    lines = [
        {
            "line": line,
            "state": report_state(line.row, now),
            "due": present.due(line.row.due_at, now) if line.row.status == "pending" else None,
            "may_report": line.report_task is not None and service.may_work(line.report_task, me),
        }
        for line in info.departments
    ]
    due_at = min((r.row.due_at for r in info.departments if r.row.due_at is not None), default=None)
    return render_template(
        "joint_tasks/detail.html",
        info=info,
        task=info.task,
        lines=lines,
        due=present.due(due_at, now) if info.task.status == "reporting" else None,
        due_date=present.fmt_time(due_at),
        labels=STATUS_LABELS,
        report_labels=REPORT_LABELS,
        open_tasks=[t for t in info.open_tasks if service.may_work(t, me)],
        draw_url=draw_url(info.task),
        case_url=url_for("cases.case", instance_id=info.task.instance_id) if info.task.instance_id else None,
        fmt_time=present.fmt_time,
        scope=_scope_names(info.task),
    )


def _scope_names(task: JointTask) -> tuple[list[str], list[str]]:
    """The names of the regions and tags the task's pool is narrowed to."""
    regions, tags = scope_choices()
    region_names, tag_names = dict(regions), dict(tags)
    return (
        [region_names.get(c, c) for c in task.region_codes or []],
        [tag_names.get(int(t), str(t)) for t in task.tag_ids or []],
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
