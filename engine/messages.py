"""Messages between instances (case ↔ follow-up).

SpiffWorkflow correlates messages only inside one workflow; routing between instances is ours.
An instance lists the messages it waits for with their correlation values (e.g. `{"case_id":
"C-1"}`, from `spiffworkflow:processVariableCorrelation`), the service keeps them in a
subscription table, and delivers a thrown message to the instance whose subscription matches.
"""

from __future__ import annotations

import copy
from typing import Any

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.exceptions import WorkflowException

from engine.errors import Conflict, NotFound, ValidationFailed
from engine.runtime_types import OutgoingMessage, WaitingMessage


def _flatten(correlations: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """SpiffWorkflow keeps {correlation key: {property: value}}; callers only need properties."""
    flat: dict[str, Any] = {}
    for values in correlations.values():
        flat.update(values)
    return flat


def _waiting_tasks(workflow: BpmnWorkflow) -> list[Any]:
    return [
        task
        for task in workflow.event_manager.tasks.values()
        if isinstance(task.task_spec.event_definition, MessageEventDefinition)
    ]


def _expected(task: Any) -> dict[str, Any]:
    definition = task.task_spec.event_definition
    names = {p.name for p in definition.correlation_properties}
    names |= {p.name for p in getattr(definition, "process_correlations", [])}
    known = _flatten(task.workflow.correlations)
    return {name: known[name] for name in sorted(names) if name in known}


def waiting(workflow: BpmnWorkflow) -> list[WaitingMessage]:
    """The message events the instance waits at, with the correlation values they expect."""
    return [
        WaitingMessage(
            name=task.task_spec.event_definition.name,
            element_id=task.task_spec.bpmn_id,
            task_id=str(task.id),
            correlation=_expected(task),
        )
        for task in _waiting_tasks(workflow)
    ]


def deliver(workflow: BpmnWorkflow, name: str, payload: Any, correlation: dict[str, Any] | None) -> str:
    """Hand a message to the waiting event it matches; returns the catching task's id."""
    correlation = correlation or {}
    for task in _waiting_tasks(workflow):
        definition = task.task_spec.event_definition
        expected = _expected(task)
        if definition.name != name or any(correlation.get(k) != v for k, v in expected.items()):
            continue
        try:
            keys = definition.calculate_correlations(
                workflow.script_engine, definition.correlation_properties, payload
            )
        except Exception as err:
            raise ValidationFailed(f"消息 {name} 的内容缺少关联字段：{err}") from err
        try:
            workflow.send_event(BpmnEvent(definition, payload=copy.deepcopy(payload), correlations=keys))
        except WorkflowException as err:
            raise Conflict(f"消息 {name} 的关联字段与流程实例不符") from err
        return str(task.id)
    raise NotFound(f"该流程实例没有在等待消息 {name}（关联：{correlation}）")


def outgoing(workflow: BpmnWorkflow) -> list[OutgoingMessage]:
    """Thrown messages nothing inside the instance caught (drained: each is returned once)."""
    return [
        OutgoingMessage(
            name=event.event_definition.name,
            payload=copy.deepcopy(event.payload),
            correlation=_flatten(event.correlations),
        )
        for event in workflow.get_events()
        if isinstance(event.event_definition, MessageEventDefinition)
    ]
