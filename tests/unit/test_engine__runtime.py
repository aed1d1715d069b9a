"""The instance API: completing tasks safely, incidents and retry, events, state without spec."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from SpiffWorkflow.util.task import TaskState

from engine.errors import Conflict, NotFound, ValidationFailed
from tests.unit.process_support import FixedClock, RecordingServices, linear, make_engine, tiny_model

FORM = json.dumps(
    {
        "type": "object",
        "required": ["amount", "note"],
        "properties": {
            "amount": {"type": "integer", "minimum": 1},
            "note": {"type": "string", "minLength": 1},
        },
    }
).encode()


def user_task(element_id: str, variable: str | None = None) -> str:
    var = f"<spiffworkflow:variableName>{variable}</spiffworkflow:variableName>" if variable else ""
    return (
        f'<bpmn:userTask id="{element_id}" name="填写{element_id}"><bpmn:extensionElements>'
        '<spiffworkflow:properties><spiffworkflow:property name="formJsonSchemaFilename" value="form.json"/>'
        f"</spiffworkflow:properties>{var}</bpmn:extensionElements></bpmn:userTask>"
    )


def service_task(element_id: str, operator: str) -> str:
    return (
        f'<bpmn:serviceTask id="{element_id}"><bpmn:extensionElements>'
        f'<spiffworkflow:serviceTaskOperator id="{operator}" resultVariable="result">'
        '<spiffworkflow:parameters><spiffworkflow:parameter id="amount" type="int" value="form[&quot;amount&quot;]"/>'
        "</spiffworkflow:parameters></spiffworkflow:serviceTaskOperator></bpmn:extensionElements></bpmn:serviceTask>"
    )


TWO_FORMS = linear(user_task("e1", "form"), user_task("e2"))
WITH_SERVICE = linear(user_task("e1", "form"), service_task("e2", "book"), user_task("e3"))


@pytest.fixture
def services():
    return RecordingServices("book")


@pytest.fixture
def engine(services):
    return make_engine(services, FixedClock(datetime(2026, 9, 15, 2, 0, tzinfo=UTC)))


def start(engine, body, data=None):
    return engine.start(engine.parse(tiny_model(body, extra={"form.json": FORM})), data or {})


def test_runtime__complete_stores_a_copy_and_advances(engine):
    instance = start(engine, TWO_FORMS)
    [first] = instance.ready_human_tasks()
    submitted = {"amount": 3, "note": "首次"}
    instance.complete(first.id, submitted)
    submitted["note"] = "changed later by the caller"
    [second] = instance.ready_human_tasks()
    assert second.element_id == "e2" and second.data["form"] == {"amount": 3, "note": "首次"}
    completed = [e for e in instance.events_since_last_save() if e.kind == "task_completed"]
    assert [(e.element_id, e.detail["data"]) for e in completed] == [("e1", {"amount": 3, "note": "首次"})]
    assert completed[0].at == datetime(2026, 9, 15, 2, 0, tzinfo=UTC)


def test_runtime__invalid_form_changes_nothing(engine):
    instance = start(engine, TWO_FORMS)
    [task] = instance.ready_human_tasks()
    before = instance.to_state()
    with pytest.raises(ValidationFailed) as err:
        instance.complete(task.id, {"amount": 0})
    assert err.value.fields == {"amount": "不能小于 1", "note": "必填项"}
    assert instance.to_state() == before


def test_runtime__future_and_automatic_tasks_cannot_be_completed(engine, services):
    instance = start(engine, WITH_SERVICE)
    future = [t for t in instance.workflow.get_tasks() if t.task_spec.name in ("e2", "e3")]
    assert {t.state for t in future} <= {TaskState.FUTURE, TaskState.LIKELY, TaskState.MAYBE}
    before = instance.to_state()
    for task in future:
        with pytest.raises(Conflict):
            instance.complete(str(task.id), {"amount": 1, "note": "x"})
    assert instance.to_state() == before and services.calls == []
    with pytest.raises(NotFound):
        instance.complete("not-a-uuid", {})
    with pytest.raises(NotFound):
        instance.complete("00000000-0000-0000-0000-000000000000", {})


def test_runtime__failing_service_is_an_incident_that_can_be_retried(engine, services):
    services.fail["book"] = RuntimeError("登记系统不可用")
    instance = start(engine, WITH_SERVICE)
    instance.complete(instance.ready_human_tasks()[0].id, {"amount": 2, "note": "x"})
    [incident] = instance.incidents()
    assert (incident.element_id, incident.message) == (
        "e2",
        "服务 book 调用失败：RuntimeError: 登记系统不可用",
    )
    assert instance.status == "error" and instance.ready_human_tasks() == []
    assert [e.detail["message"] for e in instance.events_since_last_save() if e.kind == "incident"] == [
        incident.message
    ]

    reloaded = engine.load(instance.parsed, json.loads(json.dumps(instance.to_state())))
    assert reloaded.incidents() == [incident]  # the message survives a save
    del services.fail["book"]
    reloaded.retry(incident.task_id)
    assert reloaded.incidents() == [] and reloaded.status == "waiting"
    assert services.called("book") == [{"amount": 2}, {"amount": 2}]
    [last] = reloaded.ready_human_tasks()
    assert last.element_id == "e3" and last.data["result"] == {"ok": True, "service": "book"}
    assert [e.kind for e in reloaded.events_since_last_save()][:1] == ["incident_retried"]
    with pytest.raises(Conflict):
        reloaded.retry(last.id)


def test_runtime__unknown_service_and_endless_script_become_incidents(engine):
    instance = start(engine, linear(service_task("e1", "missing")), {"form": {"amount": 1}})
    assert [i.message for i in instance.incidents()] == ["未注册的服务：missing"]
    loop = '<bpmn:scriptTask id="e1"><bpmn:script>while True:\n    pass</bpmn:script></bpmn:scriptTask>'
    instance = start(engine, linear(loop))
    [incident] = instance.incidents()
    assert incident.element_id == "e1" and "脚本运行超出限制" in incident.message


def test_runtime__state_round_trips_without_the_spec(engine):
    script = '<bpmn:scriptTask id="e1"><bpmn:script>tags = set(["b", "a"])\nday = today()</bpmn:script></bpmn:scriptTask>'
    instance = start(engine, linear(script, user_task("e2", "form")))
    state = instance.to_state()
    assert "spec" not in state and "subprocess_specs" not in state
    text = json.dumps(state)
    loaded = engine.load(instance.parsed, json.loads(text))
    [task] = loaded.ready_human_tasks()
    assert task.id == instance.ready_human_tasks()[0].id
    assert task.data["tags"] == {"a", "b"} and task.data["day"] == "2026-09-15"
    assert loaded.events_since_last_save() == []  # loading is not an event
    loaded.complete(task.id, {"amount": 1, "note": "x"})
    assert loaded.status == "complete"
    assert json.loads(text) == state  # load did not consume the caller's dict


def test_runtime__events_and_mark_saved(engine):
    instance = start(engine, TWO_FORMS)
    assert [(e.kind, e.element_id) for e in instance.events_since_last_save()] == [("task_ready", "e1")]
    instance.mark_saved()
    instance.complete(instance.ready_human_tasks()[0].id, {"amount": 1, "note": "x"})
    assert [(e.kind, e.element_id) for e in instance.events_since_last_save()] == [
        ("task_completed", "e1"),
        ("task_ready", "e2"),
    ]


def test_runtime__cancel_reports_open_tasks_as_cancelled(engine):
    instance = start(engine, TWO_FORMS)
    instance.mark_saved()
    instance.cancel()
    assert instance.ready_human_tasks() == [] and instance.status == "cancelled"
    assert [(e.kind, e.element_id) for e in instance.events_since_last_save()] == [
        ("cancelled", None),
        ("task_cancelled", "e1"),
    ]


def test_runtime__a_broken_timer_expression_is_an_incident_not_a_hang(engine):
    timer = (
        '<bpmn:intermediateCatchEvent id="e1"><bpmn:timerEventDefinition>'
        "<bpmn:timeDate>missing_due</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
    )
    instance = start(engine, linear(timer))
    [incident] = instance.incidents()
    assert incident.element_id == "e1" and "missing_due" in incident.message
    assert instance.status == "error" and instance.next_wakeup() is None
    instance.advance()  # the parked timer is not evaluated again
    assert len(instance.incidents()) == 1
