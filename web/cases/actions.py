"""What the task and case pages and the API share: load a task or case with its access checked,
describe a task's form, complete / claim / unclaim / reassign, and the diagram's markers.

Each function checks role AND department before calling `WorkflowService`, and the caller
commits; domain errors (Forbidden, NotFound, Conflict, ValidationFailed) go up to the views.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from adapters.db import db
from adapters.models import HumanTask, ProcessInstance
from adapters.queries import cases as queries
from adapters.workflow import versions
from engine import forms
from engine.errors import Conflict, Forbidden, NotFound, ValidationFailed
from web.auth import current_actor
from web.cases import attachments, instructions, rules
from web.forms_render import attachment_ids
from web.runtime import who, workflow


@dataclass
class TaskForm:
    """A task's form as pages and the API show it."""

    description: forms.FormDescription | None
    schema: dict | None
    ui_schema: dict | None
    data: dict
    instructions: str | None
    can_work: bool
    files: dict[str, dict] = field(default_factory=dict)


def visible_task(task_id: int) -> queries.TaskRow:
    """The task with its case, if the current user may see it (NotFound / Forbidden)."""
    row = queries.task_row(task_id)
    if row is None:
        raise NotFound("任务不存在")
    rules.ensure_task_visible(row.task, current_actor())
    return row


def visible_case(instance_id: int) -> ProcessInstance:
    row = db.session.get(ProcessInstance, instance_id)
    if row is None:
        raise NotFound("案件不存在")
    rules.ensure_case_visible(row, current_actor())
    return row


def task_form(row: queries.TaskRow) -> TaskForm:
    """The form of a task: live from the engine while it is open, the submitted data once done."""
    service = workflow()
    task = row.task
    if task.state == "ready":
        try:
            human = service.load(row.instance).human_task(task.task_uuid)
        except (Conflict, NotFound):
            human = None
        if human is not None:
            schema, ui = human.form_schema, human.ui_schema
            description = forms.describe(schema, ui) if schema else None
            data = human.form_data
            return TaskForm(
                description,
                schema,
                ui,
                data,
                instructions.render(human.instructions, human.data),
                service.may_work(task, who()),
                _files(description, data, task.instance_id),
            )
    return _done_form(row)


def _done_form(row: queries.TaskRow) -> TaskForm:
    service = workflow()
    parsed = service.parsed(row.instance.version)
    name = row.task.form
    schema = parsed.form(name)
    ui = parsed.form(name[: -len(".json")] + "_ui.json") if name and name.endswith(".json") else None
    if schema is not None:
        sources = workflow().engine.script_engine.services  # option sources: the current dictionary
        schema = forms.resolve_choices(schema, _case_data(row.instance), sources)
    description = forms.describe(schema, ui) if schema else None
    data = submitted_data(row.task) or {}
    return TaskForm(
        description, schema, ui, data, None, False, _files(description, data, row.task.instance_id)
    )


def _case_data(instance: ProcessInstance) -> dict:
    try:
        return workflow().load(instance).data()
    except Exception:  # noqa: BLE001 - a case whose state cannot load still shows its history
        return {}


def submitted_data(task: HumanTask) -> dict | None:
    """What was submitted for a completed task, from the audit trail (same element and key)."""
    if task.state != "completed":
        return None
    found = None
    for event in queries.timeline(task.instance_id):
        data = event.data or {}
        if event.kind != "task_completed" or data.get("task") != task.element_id:
            continue
        if (data.get("key") or None) != (task.mi_key or None):
            continue
        found = data.get("data")
        if task.completed_at and _aware(event.occurred_at) >= _aware(task.completed_at):
            break
    return found if isinstance(found, dict) else None


def _files(description: forms.FormDescription | None, data: dict, instance_id: int) -> dict[str, dict]:
    if description is None:
        return {}
    return attachments.records_for(attachment_ids(description.fields, data), instance_id)


def check_attachments(
    description: forms.FormDescription | None,
    data: Mapping[str, Any],
    instance_id: int,
    department_id: int | None = None,
) -> None:
    """Every file id in the data must be a file uploaded to this case, and for a department's
    task by that department (one department cannot attach another's checklist photos)."""
    if description is None:
        return
    ids = attachment_ids(description.fields, dict(data))
    known = attachments.records_for(ids, instance_id)
    missing = [i for i in ids if i not in known]
    if missing:
        raise ValidationFailed(
            "附件不存在或不属于本案件", {"__all__": "附件不存在：" + "、".join(map(str, missing))}
        )
    if department_id is None:
        return
    foreign = [i for i, rec in known.items() if rec.get("department_id") not in (None, department_id)]
    if foreign:
        raise ValidationFailed(
            "附件不属于本部门", {"__all__": "这些附件由其他部门上传：" + "、".join(map(str, foreign))}
        )


def complete(
    row: queries.TaskRow, data: Mapping[str, Any], description: forms.FormDescription | None
) -> ProcessInstance:
    """Complete the task with `data` (validated by the engine); the caller commits."""
    actor = current_actor()
    rules.ensure_could_do(row.task, actor)
    check_attachments(description, data, row.task.instance_id, row.task.department_id)
    return workflow().complete(row.task.id, dict(data), who())


def claim(task_id: int) -> HumanTask:
    """The service decides (task re-read under the case's lock): open (409), fitting the person's
    department and roles (403), not held by another (409)."""
    visible_task(task_id)
    return workflow().claim(task_id, who())


def unclaim(task_id: int) -> HumanTask:
    """By the assignee or an officer of the task's department (403), while it is open (409)."""
    visible_task(task_id)
    return workflow().unclaim(task_id, who())


def reassign(task_id: int, user_id: Any) -> HumanTask:
    """By an officer of the task's department (403), while it is open (409), to an active user
    whose department and roles fit the task (422)."""
    row = visible_task(task_id)
    if row.task.department_id is None:
        raise Forbidden("只有本部门管理人员可以转办")
    return workflow().reassign(task_id, user_id, None, who())


@dataclass(frozen=True)
class Marks:
    """Element ids of the diagram: done, waiting for people, and waiting past their deadline."""

    completed: list[str]
    active: list[str]
    overdue: list[str]


def marks(instance: ProcessInstance, tasks: list[HumanTask], now: datetime | None = None) -> Marks:
    """Done elements (the engine's completed tasks), elements waiting for people (ready task rows)
    and those past their deadline; a subprocess counts as waiting when work waits inside it, so
    that a collapsed subprocess shows it too."""
    now = now or datetime.now(UTC)
    ready = [t for t in tasks if t.state == "ready"]
    around = _containers(instance.version)
    active = {t.element_id for t in ready}
    overdue = {t.element_id for t in ready if t.due_at is not None and _aware(t.due_at) < now}
    active |= {c for e in active for c in around.get(e, [])}
    overdue |= {c for e in overdue for c in around.get(e, [])}
    try:
        done = queries.completed_elements(workflow().load(instance))
    except Exception:  # noqa: BLE001 - the diagram still shows what the task rows say
        done = {t.element_id for t in tasks if t.state == "completed"}
    return Marks(sorted(done - active), sorted(active), sorted(overdue))


def _containers(version) -> dict[str, list[str]]:
    from web.cases.layout import containers

    try:
        meta = versions.model_meta(workflow().engine, version)
        return containers(version.files[meta.primary_file].encode("utf-8"))
    except Exception:  # noqa: BLE001 - markers on the tasks themselves are still right
        return {}


def diagram_xml(version) -> bytes:
    """The primary BPMN file of a version, with a generated diagram when it has none."""
    from web.cases.layout import with_diagram

    meta = versions.model_meta(workflow().engine, version)
    text = version.files.get(meta.primary_file)
    if text is None:
        raise NotFound("流程图文件不存在")
    titles = {name: hint.title for name, hint in meta.lanes.items()}
    return with_diagram(text.encode("utf-8"), meta.primary_process_id, titles)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
