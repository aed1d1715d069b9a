"""Cases: the list /cases (案件查询), the case page /cases/<id> with its diagram, tasks, incidents
and audit timeline, its BPMN (/cases/<id>/diagram.xml), attachments, and the office's cancel,
suspend and resume (POST + CSRF, with a reason)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from adapters.db import db
from adapters.models import User
from adapters.queries import cases as queries
from adapters.queries.cases import CaseFilters
from engine.errors import ValidationFailed
from web.auth import allowed, current_actor, require
from web.cases import actions, attachments, bp, checklists, present, rules
from web.runtime import who, workflow

PAGE_SIZE = 50


@bp.get("/cases")
@require("tasks.read")
def cases():
    actor = current_actor()
    status = request.args.get("status") or None
    filters = CaseFilters(
        status=status if status in present.STATUS_LABELS else None,
        model_id=(request.args.get("model") or "").strip() or None,
        q=(request.args.get("q") or "").strip()[:64] or None,
    )
    raw_page = request.args.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() and 0 < int(raw_page) < 10_000 else 1
    result = queries.list_cases(
        filters, actor.department_id, read_all=allowed(rules.READ_ALL), page=page, limit=PAGE_SIZE
    )
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "cases/list.html",
        result=result,
        filters=filters,
        models=queries.model_ids(),
        statuses=present.STATUS_LABELS,
        status_label=lambda s: present.label(present.STATUS_LABELS, s),
        fmt_time=present.fmt_time,
        prev_url=url_for("cases.cases", **args, page=page - 1) if page > 1 else None,
        next_url=url_for("cases.cases", **args, page=page + 1) if result.has_next else None,
    )


@bp.get("/cases/<int:instance_id>")
@require("tasks.read")
def case(instance_id: int):
    row = actions.visible_case(instance_id)
    now = datetime.now(UTC)
    tasks = queries.case_tasks(row.id)
    events = queries.timeline(row.id)
    actor_ids = {e.data.get("to") for e in events if e.kind == "task_reassigned"}
    names = queries.user_names({i for i in actor_ids if isinstance(i, int)})
    departments = queries.department_names()
    mark = actions.marks(row, [t.task for t in tasks], now)
    starter = db.session.get(User, row.started_by_id) if row.started_by_id else None
    actor = current_actor()
    shown = checklists.visible_data(row, events, [t.task for t in tasks], actor)
    return render_template(
        "cases/instance.html",
        row=row,
        status_label=present.label(present.STATUS_LABELS, row.status),
        department=departments.get(row.department_id),
        starter=starter.display_name if starter else None,
        summary=present.summary_items(row.summary, departments),
        checklists=checklists.department_checklists(row, tasks, events, actor),
        code_titles=checklists.code_titles(),
        has_notice=row.model_id == "inspection_case",
        file_url=lambda file_id: url_for("cases.attachment", instance_id=row.id, file_id=file_id),
        tasks=[{"row": t, "due": present.due(t.task.due_at, now)} for t in tasks],
        incidents=queries.incidents(instance_id=row.id, open_only=False),
        timeline=[
            {
                "event": e,
                "time": present.fmt_time(e.occurred_at),
                "kind": present.label(present.KIND_LABELS, e.kind),
                "detail": present.event_detail(e.kind, shown[e.id], names),
                "payload": present.event_payload(e.kind, shown[e.id]),
            }
            for e in events
        ],
        marks=mark,
        can_admin=allowed("cases.admin"),
        task_state=lambda s: present.label(present.TASK_STATE_LABELS, s),
        fmt_time=present.fmt_time,
    )


@bp.get("/cases/<int:instance_id>/diagram.xml")
@require("tasks.read")
def diagram(instance_id: int):
    row = actions.visible_case(instance_id)
    return Response(actions.diagram_xml(row.version), mimetype="application/xml")


@bp.get("/cases/<int:instance_id>/files/<file_id>")
@require("tasks.read")
def attachment(instance_id: int, file_id: str):
    row = actions.visible_case(instance_id)
    rec = attachments.record(file_id)
    path = attachments.data_path(file_id) if rec else None
    if rec is None or rec.get("instance_id") != row.id or not path.is_file():
        abort(404)
    if not checklists.may_download(row, current_actor(), rec, queries.timeline(row.id)):
        abort(403)
    return send_file(path, mimetype=rec["content_type"], as_attachment=True, download_name=rec["name"])


@bp.post("/cases/<int:instance_id>/cancel")
@require("cases.admin")
def cancel(instance_id: int):
    return _admin_action(instance_id, "cancel", _("The case was revoked."))


@bp.post("/cases/<int:instance_id>/suspend")
@require("cases.admin")
def suspend(instance_id: int):
    return _admin_action(instance_id, "suspend", _("The case was suspended."))


@bp.post("/cases/<int:instance_id>/resume")
@require("cases.admin")
def resume(instance_id: int):
    return _admin_action(instance_id, "resume", _("The case was resumed."))


def _admin_action(instance_id: int, action: str, done: str):
    reason = (request.form.get("reason") or "").strip()[:500]
    if action != "resume" and not reason:
        raise ValidationFailed("请填写原因", {"reason": "必填项"})
    actions.visible_case(instance_id)
    getattr(workflow(), action)(instance_id, who(), reason)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("cases.case", instance_id=instance_id))
