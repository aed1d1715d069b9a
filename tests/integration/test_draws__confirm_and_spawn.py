"""Confirming a draw: the `spawn_cases` job starts one inspection case per target (idempotent,
with progress), and the joint task's `draw` user task is completed with the draw's id."""

from __future__ import annotations

import json

import pytest

from adapters.db import db
from adapters.draws.spawn import business_key, spawn_cases
from adapters.models import HumanTask, JointTask, ProcessInstance, TaskTarget
from adapters.workflow import versions
from engine.errors import Conflict
from tests.integration import draws_support as s
from tests.unit.process_support import BPMN_HEAD
from web.runtime import engine, workflow

DRAW_STEP = (
    BPMN_HEAD
    + """<bpmn:process id="draw_step" name="抽取步骤" isExecutable="true">
  <bpmn:laneSet id="ls"><bpmn:lane id="lane_lead" name="lead">
    <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>draw</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef>
  </bpmn:lane></bpmn:laneSet>
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="draw" name="随机抽取">
    <bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="formJsonSchemaFilename" value="draw.json"/>
    </spiffworkflow:properties></bpmn:extensionElements>
  </bpmn:userTask>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="draw"/>
  <bpmn:sequenceFlow id="f2" sourceRef="draw" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>
"""
)
DRAW_FORM = {"type": "object", "required": ["draw_id"], "properties": {"draw_id": {"type": "integer"}}}


def _deploy_draw_step() -> None:
    meta = {
        "id": "draw_step",
        "name": "抽取步骤",
        "primary_file": "draw_step.bpmn",
        "primary_process_id": "draw_step",
        "lanes": {"lead": {"title": "牵头部门", "roles": ["officer"], "department_from": "lead_department"}},
    }
    files = {
        "draw_step.bpmn": DRAW_STEP.encode(),
        "model.json": json.dumps(meta).encode(),
        "draw.json": json.dumps(DRAW_FORM).encode(),
    }
    versions.create_version(db.session, engine(), files, deploy=True)


@pytest.fixture
def world(app):
    w = s.build(restaurants=24)
    versions.deploy_directory(db.session, engine())
    db.session.commit()
    return w


def _instances() -> list[ProcessInstance]:
    return db.session.query(ProcessInstance).filter_by(model_id="inspection_case").all()


def test_draws__confirm_spawns_one_case_per_target_with_progress(world):
    draw = s.drawn(world)
    s.service().confirm(draw.id, world.users["lead"].id)
    db.session.commit()  # the in-process queue runs spawn_cases now
    db.session.expire_all()
    targets = db.session.query(TaskTarget).filter_by(draw_id=draw.id).all()
    cases = _instances()
    assert len(cases) == len(targets) == len(draw.result["targets"]) > 0
    assert {t.instance_id for t in targets} == {c.id for c in cases}
    task = db.session.get(JointTask, world.task.id)
    assert task.spawn_progress == {"total": len(targets), "done": len(targets), "failed": 0}
    assert task.status == "running"
    first = db.session.get(ProcessInstance, targets[0].instance_id)
    uscc = next(t[1] for t in draw.result["targets"] if t[0] == targets[0].enterprise_id)
    assert first.business_key == business_key(world.task.number, uscc)
    data = workflow().load(first).data()
    assert len(data["inspectors"]) == 6 and sum(i["leader"] for i in data["inspectors"]) == 1
    assert {d["id"] for d in data["departments"]} == set(world.departments.values())


def test_draws__spawning_twice_or_after_a_crash_makes_no_duplicates(world):
    draw = s.drawn(world)
    s.service().confirm(draw.id, world.users["lead"].id)
    db.session.commit()
    before = {c.id for c in _instances()}
    lost = db.session.query(TaskTarget).filter_by(draw_id=draw.id).limit(3).all()
    for t in lost:  # as if a crash had lost the link after the cases started
        t.instance_id = None
    db.session.commit()
    spawn_cases(world.task.id)
    spawn_cases(world.task.id)
    db.session.expire_all()
    assert {c.id for c in _instances()} == before
    assert all(t.instance_id for t in db.session.query(TaskTarget).filter_by(draw_id=draw.id))


def test_draws__confirm_completes_the_joint_tasks_draw_step(world):
    _deploy_draw_step()
    lead = world.who("lead")
    instance = workflow().start("draw_step", {"lead_department": str(world.departments["market"])}, lead)
    world.task.instance_id = instance.id
    db.session.commit()
    draw = s.drawn(world)
    assert s.service().confirm(draw.id, lead.actor.id, workflow(), lead) is True
    db.session.commit()
    step = db.session.query(HumanTask).filter_by(instance_id=instance.id, element_id="draw").one()
    assert step.state == "completed"
    assert workflow().load(db.session.get(ProcessInstance, instance.id)).data()["draw_id"] == draw.id


def test_draws__a_draw_with_unfilled_slots_cannot_be_confirmed(world):
    from adapters.models import Inspector

    for i in world.inspectors["fire"][1:]:
        db.session.get(Inspector, i).active = False
    db.session.commit()
    draw = s.drawn(world)
    with pytest.raises(Conflict, match="无法选派"):
        s.service().confirm(draw.id, world.users["lead"].id)
    db.session.rollback()
    s.service().void(draw.id, "消防部门人员不足，补充后重抽", world.users["lead"].id, "lead")
    db.session.commit()
    assert db.session.query(TaskTarget).filter_by(draw_id=draw.id).count() == 0
    assert s.service().active_draw(world.task.id) is None
