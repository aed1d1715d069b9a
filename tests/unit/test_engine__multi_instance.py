"""Multi-instance tasks and subprocesses: failures inside them are incidents, retrying one
instance runs it again, tasks inside a per-department subprocess carry their department's key."""

from __future__ import annotations

import json
import uuid

import time_machine

from tests.unit.process_support import linear, make_engine, parsed_model, tiny_model
from tests.unit.test_process__joint_task import WHISTLE, Ledger, start_data

PARALLEL_SCRIPT = """<bpmn:scriptTask id="e1" name="逐部门计算">
  <bpmn:multiInstanceLoopCharacteristics isSequential="false">
    <bpmn:loopDataInputRef>items</bpmn:loopDataInputRef>
    <bpmn:loopDataOutputRef>outs</bpmn:loopDataOutputRef>
    <bpmn:inputDataItem id="item" name="item"/>
    <bpmn:outputDataItem id="out" name="out"/>
  </bpmn:multiInstanceLoopCharacteristics>
  <bpmn:script>out = 10 // item</bpmn:script>
</bpmn:scriptTask>"""
THEN_FORM = '<bpmn:userTask id="e2" name="复核"/>'


def start(engine, items):
    return engine.start(engine.parse(tiny_model(linear(PARALLEL_SCRIPT, THEN_FORM))), {"items": items})


def test_multi_instance__a_failing_instance_is_an_incident_and_sets_the_status():
    engine = make_engine()
    instance = start(engine, {"a": 1, "b": 0, "c": 2})
    [incident] = instance.incidents()
    assert incident.element_id == "e1" and "ZeroDivisionError" in incident.message
    assert instance.status == "error" and instance.ready_human_tasks() == []
    [event] = [e for e in instance.events_since_last_save() if e.kind == "incident"]
    assert (event.task_id, event.key) == (incident.task_id, "b")
    reloaded = engine.load(instance.parsed, json.loads(json.dumps(instance.to_state())))
    assert reloaded.status == "error" and reloaded.incidents() == [incident]


def test_multi_instance__retrying_the_failed_instance_keeps_its_input_item():
    engine = make_engine()
    instance = start(engine, {"a": 1, "b": 0, "c": 2})
    [incident] = instance.incidents()
    failed = instance.workflow.get_task_from_id(uuid.UUID(incident.task_id))
    failed.data["item"] = 5  # the cause fixed (as an admin would fix a service or the data)
    instance.retry(incident.task_id)
    assert instance.incidents() == [] and instance.status == "waiting"
    assert instance.data()["outs"] == {"a": 10, "b": 2, "c": 5}
    [task] = instance.ready_human_tasks()
    assert task.element_id == "e2"
    assert "e1" in instance.completed_elements() and "e2" not in instance.completed_elements()


def test_multi_instance__tasks_inside_a_per_department_subprocess_carry_its_key():
    engine = make_engine(Ledger(["20", "30"]).services())
    with time_machine.travel(WHISTLE, tick=False):
        instance = engine.start(parsed_model("joint_task"), start_data())
    reports = sorted((t.element_id, t.key, t.department) for t in instance.ready_human_tasks())
    assert reports == [("report", "20", "20"), ("report", "30", "30")]
    ready = [(e.element_id, e.key) for e in instance.events_since_last_save() if e.kind == "task_ready"]
    assert sorted(ready) == [("report", "20"), ("report", "30")]  # the audit trail says whose
    assert {"whistle", "report"} - instance.completed_elements() == {"report"}
