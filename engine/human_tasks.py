"""Turn a READY SpiffWorkflow user/manual task into a `HumanTask`, and apply a submitted form."""

from __future__ import annotations

import copy
from typing import Any

from engine.forms import resolve_choices, validate_resolved
from engine.models import ParsedModel
from engine.runtime_types import HumanTask


def properties(task: Any) -> dict[str, str]:
    """The task's `spiffworkflow:properties` (form file names, departmentVariable, ...)."""
    return (getattr(task.task_spec, "extensions", None) or {}).get("properties") or {}


def form_variable(task: Any) -> str | None:
    """The data variable the form fills (`spiffworkflow:variableName`), None: top-level data."""
    return getattr(task.task_spec, "variable", None)


def lookup(data: Any, path: str) -> Any:
    """A dotted path (`review.return_department`) in task data; None when absent."""
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def multi_instance_key(task: Any) -> str | None:
    """The key (dict input) or index (list input) of the multi-instance instance the task is, or
    runs in, as a string: a task inside an instance of a multi-instance subprocess (the joint
    task's 报到 per department) takes the key of that instance. None outside any."""
    while task is not None:
        key = task.internal_data.get("key_or_index")
        if key is not None:
            return str(key)
        parent_id = getattr(task.workflow, "parent_task_id", None)
        if parent_id is None:
            return None
        task = task.workflow.top_workflow.get_task_from_id(parent_id)
    return None


def department_of(task: Any, parsed: ParsedModel) -> str | None:
    """Who must do the task: `departmentVariable`, else the lane hint (`task` = MI key, or a variable)."""
    path = properties(task).get("departmentVariable")
    if path:
        value = lookup(task.data, path)
        return None if value is None else str(value)
    hint = parsed.meta.lanes.get(task.task_spec.lane or "")
    source = hint.department_from if hint else "task"
    if source == "task":
        return multi_instance_key(task)
    if source:
        value = lookup(task.data, source)
        return None if value is None else str(value)
    return None


def form_schema(task: Any, parsed: ParsedModel) -> dict | None:
    """The task's JSON Schema with run-time choices filled in from its data and from the
    option sources (`x-choices-service`) of the script engine's service registry."""
    schema = parsed.form(properties(task).get("formJsonSchemaFilename"))
    if schema is None:
        return None
    sources = getattr(getattr(task.workflow, "script_engine", None), "services", None)
    return resolve_choices(schema, task.data, sources)


def form_errors(task: Any, parsed: ParsedModel, submitted: Any) -> dict[str, str] | None:
    """The problems of `submitted` against the task's form with its run-time choices (empty:
    valid); None when the task has no form. The validator is compiled once per form and options
    (`forms.validate_resolved`)."""
    schema = parsed.form(properties(task).get("formJsonSchemaFilename"))
    if schema is None:
        return None
    sources = getattr(getattr(task.workflow, "script_engine", None), "services", None)
    return validate_resolved(schema, task.data, sources, submitted)


def build(task: Any, parsed: ParsedModel, *, row_only: bool = False) -> HumanTask:
    """A frozen description of a READY manual task; data are deep copies. `row_only`: only what
    a task list row needs — no form schema, form data or data copy (`form_schema`, `ui_schema`,
    `instructions` None, `form_data` empty, `data` the live task data, not to be changed)."""
    spec, props = task.task_spec, properties(task)
    hint = parsed.meta.lanes.get(spec.lane or "")
    common = {
        "id": str(task.id),
        "element_id": spec.bpmn_id,
        "name": spec.bpmn_name or spec.bpmn_id,
        "process_id": task.workflow.spec.name,
        "lane": spec.lane,
        "key": multi_instance_key(task),
        "department": department_of(task, parsed),
        "roles": hint.roles if hint else (),
        "form": props.get("formJsonSchemaFilename"),
    }
    if row_only:
        return HumanTask(
            **common, form_schema=None, ui_schema=None, instructions=None, form_data={}, data=task.data
        )
    schema = form_schema(task, parsed)
    variable = form_variable(task)
    if variable:
        form_data = copy.deepcopy(task.data.get(variable) or {})
    else:
        names = (schema or {}).get("properties") or {}
        form_data = {k: copy.deepcopy(v) for k, v in task.data.items() if k in names}
    extensions = getattr(spec, "extensions", None) or {}
    return HumanTask(
        **common,
        form_schema=schema,
        ui_schema=parsed.form(props.get("formUiSchemaFilename")),
        instructions=extensions.get("instructionsForEndUser") or spec.documentation,
        form_data=form_data,
        data=copy.deepcopy(task.data),
    )


def apply_form(task: Any, submitted: dict) -> None:
    """Store a (validated) form on the task: under its variable, or merged into its data."""
    variable = form_variable(task)
    if variable:
        task.data[variable] = copy.deepcopy(submitted)
    else:
        task.data.update(copy.deepcopy(submitted))
