"""The task form page /tasks/<id>: the JSON-Schema form rendered on the server, pre-filled from the
task, with its instructions, the case summary and the deadline; POST completes the task.

Invalid input answers 422 with the messages next to their fields and the input kept; a task done
or changed meanwhile answers 409 with a page that says so; another department's task 403.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.db import db
from adapters.queries import cases as queries
from engine import forms
from engine.errors import Conflict, Forbidden, ValidationFailed
from web import forms_render
from web.auth import current_actor, require
from web.cases import actions, attachments, bp, checklists, present, rules

MORE_ROWS = 5
LEAD_VIEWS = ("consolidate", "review")  # tasks where the lead works from every checklist


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@require("tasks.read")
def task(task_id: int):
    row = actions.visible_task(task_id)
    if request.method == "POST":
        return _submit(row)
    form = actions.task_form(row)
    return _render(row, form, form.data, {})


def _submit(row: queries.TaskRow):
    actor = current_actor()
    rules.ensure_could_do(row.task, actor)
    if row.task.state != "ready":
        return _conflict(row, Conflict("该任务已办结或已撤回，不能再次提交"))
    form = actions.task_form(row)
    if not form.can_work:
        raise Forbidden("该任务已由他人认领，您不能提交")
    tz = current_app.config["LIANCHA_SETTINGS"].timezone

    def store(upload, _path):
        return attachments.store(
            upload, instance_id=row.task.instance_id, user_id=actor.id, department_id=row.task.department_id
        )["id"]

    if form.description is None:
        data, problems = dict(form.data), {}
    else:
        data, problems = forms_render.parse(
            form.description, request.form, request.files, form.data, store, tz
        )
    if "__more_rows" in request.form:
        return _render(row, form, data, problems, extra_rows=MORE_ROWS)
    if problems:
        for path, message in forms.validate(form.schema or {}, data).items():
            problems.setdefault(path, message)
        return _render(row, form, data, problems, status=422)
    try:
        actions.complete(row, data, form.description)
        db.session.commit()
    except ValidationFailed as err:
        db.session.rollback()
        return _render(
            actions.visible_task(row.task.id), form, data, err.fields or {"__all__": err.message}, 422
        )
    except Conflict as err:
        db.session.rollback()
        return _conflict(actions.visible_task(row.task.id), err)
    flash(_("Task completed: %(name)s", name=row.task.name), "success")
    return redirect(url_for("cases.inbox"))


def _render(
    row: queries.TaskRow, form: actions.TaskForm, values: dict, errors: dict, status: int = 200, **extra
):
    instance = row.instance
    files = dict(form.files)
    if form.description is not None:
        ids = forms_render.attachment_ids(form.description.fields, values)
        files |= attachments.records_for(ids, row.task.instance_id)
    names = queries.department_names()
    joint = instance.model_id == "inspection_case"
    page = render_template(
        "cases/task.html",
        row=row,
        form=form,
        values=values,
        errors=errors,
        readonly=not form.can_work,
        files=files,
        file_url=lambda file_id: url_for("cases.attachment", instance_id=instance.id, file_id=file_id),
        due=present.due(row.task.due_at),
        summary=present.summary_items(_side_summary(instance.summary), names),
        assignee=row.assignee,
        department=row.department,
        state_label=present.label(present.TASK_STATE_LABELS, row.task.state),
        fmt_time=present.fmt_time,
        has_notice=joint,
        checklists=_checklists(row) if joint and row.task.element_id in LEAD_VIEWS else [],
        code_titles=checklists.code_titles() if joint else {},
        **extra,
    )
    return page, status


def _checklists(row: queries.TaskRow) -> list:
    tasks = queries.case_tasks(row.instance.id)
    events = queries.timeline(row.instance.id)
    return checklists.department_checklists(row.instance, tasks, events, current_actor())


def _side_summary(summary: dict) -> dict:
    """The case summary beside a form: the title is the heading, and the deadline line says
    whether the task is late (the case's own flag changes only when its timer fires)."""
    return {k: v for k, v in (summary or {}).items() if k not in ("title", "overdue")}


def _conflict(row: queries.TaskRow, err: Conflict):
    return render_template("cases/conflict.html", row=row, message=err.message), 409
