"""API of the case engine: tasks (inbox, form, complete, claim, unclaim, reassign), cases (status,
timeline, cancel / suspend / resume), incidents (retry) and process versions (list, upload).

The same rules as the pages: a department's task and case are its own (office, auditors and
sysadmins read every case); completing validates against the task's JSON Schema (422 with the
fields), a task done meanwhile is a 409; administration is for the office and sysadmins.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import request

from adapters.db import db
from adapters.queries import cases as queries
from adapters.queries.cases import CaseFilters, TaskFilters
from adapters.workflow import versions
from engine.errors import ValidationFailed
from web import forms_render
from web.api import api_blueprint
from web.auth import allowed, current_actor, ensure
from web.cases import actions, attachments, checklists, rules, serialize
from web.processes_admin import get_version, problem_fields, read_uploads, upload_version
from web.runtime import who, workflow
from web.schemas import cases as s

tasks_bp = api_blueprint("cases_tasks", __name__, "/tasks", description="待办任务 Human tasks of cases")
cases_bp = api_blueprint("cases_cases", __name__, "/cases", description="检查案件 Cases (process instances)")
incidents_bp = api_blueprint("cases_incidents", __name__, "/incidents", description="故障 Incidents of cases")
processes_bp = api_blueprint("cases_processes", __name__, "/processes", description="流程模型 Process models")


# --- tasks ------------------------------------------------------------------------------------


@tasks_bp.route("", methods=["GET"])
@tasks_bp.arguments(s.TaskArgs, location="query")
@tasks_bp.response(200, s.TaskPage)
def list_tasks(args):
    """An inbox tab: mine (default), department (officers), overdue, done."""
    ensure("tasks.read")
    actor = current_actor()
    if args["tab"] == "department" and "officer" not in actor.roles:
        raise ValidationFailed("只有部门管理人员可以查看本部门待办", {"tab": "取值无效"})
    filters = TaskFilters(args["tab"], args.get("model"), args["overdue"], args.get("q"))
    now = datetime.now(UTC)
    page = queries.list_tasks(
        actor, filters, now, read_all=allowed(rules.READ_ALL), page=args["page"], limit=args["limit"]
    )
    return {
        "items": [serialize.task(r, now) for r in page.items],
        "page": page.page,
        "has_next": page.has_next,
    }


@tasks_bp.route("/<int:task_id>", methods=["GET"])
@tasks_bp.response(200, s.TaskDetail)
def get_task(task_id: int):
    """A task with its form: JSON Schema, UI schema and pre-filled data."""
    ensure("tasks.read")
    row = actions.visible_task(task_id)
    return serialize.task_detail(row, actions.task_form(row))


@tasks_bp.route("/<int:task_id>/complete", methods=["POST"])
@tasks_bp.arguments(s.FormData)
@tasks_bp.response(200, s.TaskOut)
def complete(data, task_id: int):
    """Complete the task with the form data (the JSON body). 422: `fields` names each wrong
    field by its path (e.g. `results.0.result_codes`); 409: the task is done or the case not
    running; 403: not the caller's task."""
    ensure("tasks.read")
    row = actions.visible_task(task_id)
    rules.ensure_could_do(row.task, current_actor())
    form = actions.task_form(row)
    if form.description is not None:
        data, problems = forms_render.protect(form.description, data, form.data)
        if problems:
            raise ValidationFailed("表单填写有误，请检查标出的字段", problems)
    actions.complete(row, data, form.description)
    db.session.commit()
    return serialize.task(actions.visible_task(task_id))


@tasks_bp.route("/<int:task_id>/claim", methods=["POST"])
@tasks_bp.response(200, s.TaskOut)
def claim(task_id: int):
    ensure("tasks.read")
    actions.claim(task_id)
    db.session.commit()
    return serialize.task(actions.visible_task(task_id))


@tasks_bp.route("/<int:task_id>/unclaim", methods=["POST"])
@tasks_bp.response(200, s.TaskOut)
def unclaim(task_id: int):
    ensure("tasks.read")
    actions.unclaim(task_id)
    db.session.commit()
    return serialize.task(actions.visible_task(task_id))


@tasks_bp.route("/<int:task_id>/reassign", methods=["POST"])
@tasks_bp.arguments(s.ReassignIn)
@tasks_bp.response(200, s.TaskOut)
def reassign(data, task_id: int):
    """Reassign to a user of the task's department (officers of that department)."""
    ensure("tasks.read")
    actions.reassign(task_id, data["user_id"])
    db.session.commit()
    return serialize.task(actions.visible_task(task_id))


@tasks_bp.route("/<int:task_id>/attachments", methods=["POST"])
@tasks_bp.arguments(s.AttachmentUpload, location="files")
@tasks_bp.response(201, s.AttachmentOut)
def attach(data, task_id: int):
    """Upload a file for an attachment field; put the returned id in the form data."""
    ensure("tasks.read")
    row = actions.visible_task(task_id)
    rules.ensure_could_do(row.task, current_actor())
    if not data.get("file"):
        raise ValidationFailed("请选择文件", {"file": "必填项"})
    try:
        rec = attachments.store(
            data["file"],
            instance_id=row.task.instance_id,
            user_id=current_actor().id,
            department_id=row.task.department_id,
        )
    except attachments.AttachmentRefused as err:
        raise ValidationFailed(str(err), {"file": str(err)}) from None
    return attachments.public(rec)


# --- cases ------------------------------------------------------------------------------------


@cases_bp.route("", methods=["GET"])
@cases_bp.arguments(s.CaseArgs, location="query")
@cases_bp.response(200, s.CasePage)
def list_cases(args):
    """Cases the caller may see, newest first."""
    ensure("tasks.read")
    filters = CaseFilters(args.get("status"), args.get("model"), args.get("q"))
    page = queries.list_cases(
        filters,
        current_actor().department_id,
        read_all=allowed(rules.READ_ALL),
        page=args["page"],
        limit=args["limit"],
    )
    return {
        "items": [serialize.case_brief(i) for i, _d in page.items],
        "page": page.page,
        "has_next": page.has_next,
    }


@cases_bp.route("/<int:instance_id>", methods=["GET"])
@cases_bp.response(200, s.CaseOut)
def get_case(instance_id: int):
    """Status, summary, tasks (open and done), incidents and the diagram's element ids."""
    ensure("tasks.read")
    return _case_body(actions.visible_case(instance_id))


def _case_body(row):
    tasks = queries.case_tasks(row.id)
    marks = actions.marks(row, [t.task for t in tasks])
    return serialize.case(row, tasks, queries.incidents(instance_id=row.id, open_only=False), marks)


@cases_bp.route("/<int:instance_id>/timeline", methods=["GET"])
@cases_bp.response(200, s.Timeline)
def timeline(instance_id: int):
    """The case's audit trail, oldest first."""
    ensure("tasks.read")
    row = actions.visible_case(instance_id)
    events = queries.timeline(row.id)
    names = queries.user_names(
        {e.data.get("to") for e in events if isinstance((e.data or {}).get("to"), int)}
    )
    tasks = [t.task for t in queries.case_tasks(row.id)]
    shown = checklists.visible_data(row, events, tasks, current_actor())
    return {"items": [serialize.event(e, names, shown[e.id]) for e in events]}


def _admin(instance_id: int, action: str, data: dict):
    ensure("cases.admin")
    reason = (data.get("reason") or "").strip()
    if action != "resume" and not reason:
        raise ValidationFailed("请填写原因", {"reason": "必填项"})
    actions.visible_case(instance_id)
    row = getattr(workflow(), action)(instance_id, who(), reason)
    db.session.commit()
    return _case_body(row)


@cases_bp.route("/<int:instance_id>/cancel", methods=["POST"])
@cases_bp.arguments(s.ReasonIn)
@cases_bp.response(200, s.CaseOut)
def cancel(data, instance_id: int):
    """Revoke (撤销) the case: every open task ends (office, sysadmin; reason required)."""
    return _admin(instance_id, "cancel", data)


@cases_bp.route("/<int:instance_id>/suspend", methods=["POST"])
@cases_bp.arguments(s.ReasonIn)
@cases_bp.response(200, s.CaseOut)
def suspend(data, instance_id: int):
    """Suspend (挂起) the case: no task can be completed until it is resumed."""
    return _admin(instance_id, "suspend", data)


@cases_bp.route("/<int:instance_id>/resume", methods=["POST"])
@cases_bp.arguments(s.ReasonIn)
@cases_bp.response(200, s.CaseOut)
def resume(data, instance_id: int):
    return _admin(instance_id, "resume", data)


# --- incidents --------------------------------------------------------------------------------


@incidents_bp.route("", methods=["GET"])
@incidents_bp.arguments(s.IncidentArgs, location="query")
@incidents_bp.response(200, s.IncidentList)
def list_incidents(args):
    """Open incidents (all=true: resolved ones too), newest first (office, sysadmin)."""
    ensure("cases.admin")
    rows = queries.incidents(open_only=not args["all"])
    return {"items": [serialize.incident(i, title) for i, title, _model in rows]}


@incidents_bp.route("/<int:incident_id>/retry", methods=["POST"])
@incidents_bp.response(200, s.CaseOut)
def retry(incident_id: int):
    """Run the failed step again; the answer is the case (status `error` again if it failed again)."""
    ensure("cases.admin")
    row = workflow().retry_incident(incident_id, who())
    db.session.commit()
    return _case_body(row)


# --- process models ---------------------------------------------------------------------------


@processes_bp.route("", methods=["GET"])
@processes_bp.response(200, s.ModelList)
def list_models():
    """Every process model with its versions, newest first (office, sysadmin)."""
    ensure("processes.manage")
    counts = queries.open_instance_counts()
    return {
        "items": [
            {
                "model_id": m,
                "name": vs[0].name,
                "versions": [serialize.version(v, counts.get(v.id, 0)) for v in vs],
            }
            for m, vs in queries.versions_by_model().items()
        ]
    }


@processes_bp.route("/<model_id>/versions", methods=["GET"])
@processes_bp.response(200, s.VersionList)
def list_versions(model_id: str):
    ensure("processes.manage")
    counts = queries.open_instance_counts()
    rows = queries.versions_by_model(model_id).get(model_id, [])
    return {"items": [serialize.version(v, counts.get(v.id, 0)) for v in rows]}


@processes_bp.route("/versions", methods=["POST"])
@processes_bp.arguments(s.VersionUpload, location="files")
@processes_bp.response(201, s.VersionOut)
def upload(data):
    """Upload every file of one model (multipart `files`, form field `deploy=true` to deploy).
    422 lists each problem under `file:line:element`; nothing is stored then. The same content as
    a stored version answers that version."""
    ensure("processes.manage")
    files = read_uploads(request.files.getlist("files"))
    deploy = (request.form.get("deploy") or "").lower() in forms_render.TRUE
    try:
        version, _created = upload_version(files, deploy)
    except ValidationFailed as err:
        raise ValidationFailed(err.message, problem_fields(err)) from None
    db.session.commit()
    return serialize.version(version, queries.open_instance_counts().get(version.id, 0))


@processes_bp.route("/versions/<int:version_id>/deploy", methods=["POST"])
@processes_bp.response(200, s.VersionOut)
def deploy(version_id: int):
    """Deploy a version: new cases start on it; running cases keep theirs."""
    ensure("processes.manage")
    row = get_version(version_id)
    versions.deploy_version(db.session, row, current_actor().id, who().name)
    db.session.commit()
    return serialize.version(row, queries.open_instance_counts().get(row.id, 0))
