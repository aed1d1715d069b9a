"""Cycle timers (timeCycle `R<n>/<start>/<period>`): woken by `fire_due_timers` like date timers,
once per occurrence due, with the next occurrence as the wake-up time."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import time_machine
from SpiffWorkflow.util.task import TaskState

from tests.unit.process_support import make_engine, tiny_model

REMINDERS = """<bpmn:startEvent id="start"/>
<bpmn:userTask id="work" name="办理"/>
<bpmn:boundaryEvent id="remind" name="催办" attachedToRef="work" cancelActivity="false">
  <bpmn:timerEventDefinition><bpmn:timeCycle>"R3/2026-09-16T00:00:00+00:00/P1D"</bpmn:timeCycle></bpmn:timerEventDefinition>
</bpmn:boundaryEvent>
<bpmn:scriptTask id="count"><bpmn:script>reminders = reminders + 1</bpmn:script></bpmn:scriptTask>
<bpmn:endEvent id="remind_end"/>
<bpmn:endEvent id="end"/>
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
<bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end"/>
<bpmn:sequenceFlow id="f3" sourceRef="remind" targetRef="count"/>
<bpmn:sequenceFlow id="f4" sourceRef="count" targetRef="remind_end"/>
"""
START = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)


def day(d: int, hour: int = 1) -> datetime:
    return datetime(2026, 9, d, hour, 0, tzinfo=UTC)


def reload(engine, instance):
    return engine.load(instance.parsed, json.loads(json.dumps(instance.to_state())))


def fired_reminders(instance) -> int:
    return sum(
        1
        for t in instance.workflow.get_tasks()
        if t.task_spec.name == "count" and t.state == TaskState.COMPLETED
    )


def test_cycle_timer__fires_once_per_due_occurrence_and_names_the_next():
    engine = make_engine()
    with time_machine.travel(START, tick=False):  # SpiffWorkflow reads the system clock too
        instance = engine.start(engine.parse(tiny_model(REMINDERS)), {"reminders": 0})
        assert instance.next_wakeup() == day(16, 0)
        assert instance.fire_due_timers(day(15, 12)) == 0  # not due yet

        instance = reload(engine, instance)
        assert instance.fire_due_timers(day(16)) == 1
        assert fired_reminders(instance) == 1 and instance.next_wakeup() == day(17, 0)
        assert [e.kind for e in instance.events_since_last_save()] == ["timer_fired"]

        instance = reload(engine, instance)
        assert instance.fire_due_timers(day(16, 12)) == 0  # the same occurrence never fires twice
        assert instance.fire_due_timers(day(20)) == 2  # a worker that was down catches up
        assert fired_reminders(instance) == 3 and instance.next_wakeup() is None  # R3: done
        assert instance.fire_due_timers(day(25)) == 0
        assert [e.kind for e in instance.events_since_last_save()] == ["timer_fired", "timer_fired"]

        [work] = instance.ready_human_tasks()  # non-interrupting: the work is still there
        instance.complete(work.id, {})
        assert instance.status == "complete"
