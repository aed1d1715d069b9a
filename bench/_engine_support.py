"""What the case-engine benchmarks share: a scratch PostgreSQL database migrated and seeded with
departments and users, the app with `processes/` deployed, a generated "wide" model, and the
bare SpiffWorkflow floor (the same spec objects, SpiffWorkflow's own script engine, JSON without
the spec in a plain table).

Not a benchmark itself: the leading underscore keeps it out of `python -m bench --list`.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.util.task import TaskState

from bench.common import scratch_databases, sqlalchemy_url
from engine.access import Actor
from engine.models import ParsedModel, load_model_folder
from engine.serialization import FORMAT_KEY, build_serializer

CASE_MODEL = "inspection_case"
WIDE_MODEL = "bench_wide"
BARE_TABLE = "bench_bare_instances"
NO_LOGIN = "!"  # a password hash nothing matches: the benchmark users never log in


@dataclass
class World:
    """The app (its context is pushed), its database URL and the seeded organisation."""

    app: Any
    url: str
    departments: list[int]
    whos: dict[int, Any]  # department id -> Who of an officer of that department
    office: Any

    def service(self):
        from adapters.db import db
        from adapters.workflow.service import WorkflowService
        from web.runtime import engine

        # no job queue: the benchmarks throw no message that has a receiver (see docs/benchmarks.md)
        return WorkflowService(db.session, engine(self.app), None)

    def bare(self, model_id: str = CASE_MODEL) -> Bare:
        """The floor on the same parsed model, calling the app's registered services."""
        from web.runtime import engine

        return Bare(self.parsed(model_id), engine(self.app).script_engine.services)

    def parsed(self, model_id: str = CASE_MODEL) -> ParsedModel:
        from adapters.db import db
        from adapters.workflow import versions

        return self.service().parsed(versions.latest_deployed(db.session, model_id))


@contextmanager
def engine_world(admin_url: str, departments: int = 3, *, wide: bool = False) -> Iterator[World]:
    """A migrated scratch database with `departments` departments (one officer each), an office
    user, `processes/inspection_case` deployed (and the wide model if asked), inside the app's
    context."""
    with tempfile.TemporaryDirectory(prefix="liancha_bench_") as tmp, scratch_databases(admin_url) as (url,):
        app = _app(url, tmp)
        with app.app_context():
            from flask_migrate import upgrade

            from adapters.db import db

            upgrade()  # what `liancha db upgrade` does, on this app (building another costs a second)
            from adapters.workflow import versions
            from web.runtime import engine

            try:
                case_files = load_model_folder(versions.PROCESSES_DIR / CASE_MODEL)
                versions.create_version(db.session, engine(app), case_files, deploy=True)
                if wide:
                    versions.create_version(db.session, engine(app), wide_model(), deploy=True)
                ids, whos, office = _seed_org(departments)
                db.session.commit()
                yield World(app, url, ids, whos, office)
            finally:
                db.session.remove()
                db.engine.dispose()


def _app(url: str, tmp: str):
    from web import create_app
    from web.settings import load_settings

    env = {
        "DATABASE_URL": sqlalchemy_url(url),
        "SECRET_KEY": "bench",
        "LIANCHA_ENV": "testing",
        "LIANCHA_INSTANCE_DIR": tmp,
        "UPLOAD_FOLDER": f"{tmp}/uploads",
        "DEPLOY_PROCESSES_ON_START": "0",
    }
    return create_app({"TESTING": True}, settings=load_settings(env))


def _seed_org(count: int):
    from adapters.db import db
    from adapters.models import Department, Region, User
    from adapters.workflow.service import Who

    db.session.add(Region(code="130100", name="石家庄市", level="city"))
    departments = [
        Department(name=f"参检部门{i + 1}", level="city", region_code="130100") for i in range(count)
    ]
    db.session.add_all(departments)
    db.session.flush()
    whos, users = {}, []
    for d in departments:
        user = User(
            username=f"officer{d.id}",
            display_name=f"检查员{d.id}",
            password_hash=NO_LOGIN,
            department_id=d.id,
        )
        user.set_roles(["officer", "inspector"])
        users.append(user)
    office = User(
        username="office", display_name="双随机办", password_hash=NO_LOGIN, department_id=departments[0].id
    )
    office.set_roles(["office"])
    db.session.add_all([*users, office])
    db.session.flush()
    for user in users:
        whos[user.department_id] = _who(user, Who)
    return [d.id for d in departments], whos, _who(office, Who)


def _who(user, who_class):
    actor = Actor(user.id, user.department_id, frozenset(r.role for r in user.role_rows))
    return who_class(actor, user.display_name, "127.0.0.1")


# --- the inspection case's data and forms ----------------------------------------------------


def case_data(case_id: str, departments: list[int]) -> dict:
    """A joint inspection of one restaurant by `departments`, the first leading."""
    return {
        "case_id": case_id,
        "lead_department": str(departments[0]),
        "enterprise": {"name": "石家庄某某餐饮有限公司", "uscc": "91310110666007217T"},
        "departments": [
            {"id": d, "name": f"参检部门{d}", "items": [{"code": f"SX-{d}", "name": f"抽查事项{d}"}]}
            for d in departments
        ],
    }


def notice_form() -> dict:
    # today's visit: the 20-working-day timer lies in the future and stays out of the way
    return {"notice_no": "冀市监联查〔2026〕1号", "visit_date": date.today().isoformat()}


def checklist_form(department: int, codes: list[str]) -> dict:
    """The checklist the pre-fill of `case_data` gives, with every result set to `codes`."""
    row = {
        "item_code": f"SX-{department}",
        "item_name": f"抽查事项{department}",
        "result_codes": codes,
        "note": "",
    }
    return {"department": str(department), "results": [row], "summary": ""}


def ready_rows(instance_id: int) -> list:
    from adapters.db import db
    from adapters.models import HumanTask

    return list(
        db.session.execute(
            db.select(HumanTask)
            .where(HumanTask.instance_id == instance_id, HumanTask.state == "ready")
            .order_by(HumanTask.id)
        ).scalars()
    )


# --- the wide model --------------------------------------------------------------------------

WIDE_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="bench_wide_defs" targetNamespace="http://liancha.example/bench">
  <bpmn:process id="bench_wide" name="多部门并行检查（基准）" isExecutable="true">
    <bpmn:laneSet id="bench_wide_lanes">
      <bpmn:lane id="lane_department" name="department">
        <bpmn:flowNodeRef>check</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>
    <bpmn:userTask id="check" name="录入本部门检查结果">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formJsonSchemaFilename" value="check.json"/>
        </spiffworkflow:properties>
        <spiffworkflow:variableName>result</spiffworkflow:variableName>
      </bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics isSequential="false">
        <bpmn:loopDataInputRef>departments</bpmn:loopDataInputRef>
        <bpmn:loopDataOutputRef>results</bpmn:loopDataOutputRef>
        <bpmn:inputDataItem id="department" name="department"/>
        <bpmn:outputDataItem id="result" name="result"/>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>
"""

WIDE_FORM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["result_codes"],
    "properties": {"result_codes": {"type": "array", "minItems": 1, "items": {"type": "string"}}},
}


def wide_model() -> dict[str, bytes]:
    """One parallel multi-instance user task over `departments` (a dict keyed by department id,
    so each instance goes to its department), nothing else: the shape of the case's checklists."""
    meta = {
        "id": WIDE_MODEL,
        "name": "多部门并行检查（基准）",
        "primary_file": "bench_wide.bpmn",
        "primary_process_id": WIDE_MODEL,
        "lanes": {
            "department": {"title": "参与部门", "roles": ["officer", "inspector"], "department_from": "task"}
        },
    }
    return {
        "bench_wide.bpmn": WIDE_BPMN.encode(),
        "model.json": json.dumps(meta, ensure_ascii=False).encode(),
        "check.json": json.dumps(WIDE_FORM).encode(),
    }


def wide_data(departments: list[int]) -> dict:
    return {"departments": {str(d): {"department": str(d)} for d in departments}}


# --- the bare floor ----------------------------------------------------------------------------


class BareScriptEngine(PythonScriptEngine):
    """SpiffWorkflow's own script engine (no restrictions, no helpers, no budget) that calls the
    model's service tasks straight through to the same functions the app registers: the model
    cannot run without them, and what they do is the case's work, not the service layer's."""

    def __init__(self, services: dict):
        super().__init__(environment=TaskDataEnvironment({}))
        self.services = services

    def call_service(self, task, operation_name, operation_params):
        params = {name: spec["value"] for name, spec in operation_params.items()}
        return json.dumps(self.services[operation_name](**params), default=str)


class Bare:
    """Bare SpiffWorkflow on a parsed model: SpiffWorkflow's script engine (no restrictions, no
    helpers; services called directly), the serializer without the spec, JSON in and out, rows
    in a plain table."""

    def __init__(self, parsed: ParsedModel, services: dict | None = None):
        self.spec, self.subprocess_specs = parsed.spec, parsed.subprocess_specs
        self.script_engine = BareScriptEngine(dict(services or {}))
        self.serializer = build_serializer()

    def create(self, data: dict) -> BpmnWorkflow:
        workflow = BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=self.script_engine)
        workflow.get_next_task(state=TaskState.READY).data.update(data)
        workflow.do_engine_steps()
        return workflow

    def dumps(self, workflow: BpmnWorkflow) -> str:
        return self.serializer.serialize_json(workflow)

    def loads(self, text: str | dict) -> BpmnWorkflow:
        dct = json.loads(text) if isinstance(text, str) else text
        dct.setdefault(FORMAT_KEY, self.serializer.VERSION)
        dct["spec"], dct["subprocess_specs"] = self.spec, self.subprocess_specs
        workflow = self.serializer.from_dict(dct)
        workflow.script_engine = self.script_engine
        return workflow

    def complete(self, workflow: BpmnWorkflow, task_id: str, variable: str, form: dict) -> None:
        task = workflow.get_task_from_id(uuid.UUID(task_id))
        task.data[variable] = form
        task.run()
        workflow.do_engine_steps()


def bare_table(url: str) -> None:
    """The floor's table: an id and the state, as `json` like `process_instances.state`."""
    with psycopg.connect(url) as conn:
        conn.execute(f"CREATE TABLE {BARE_TABLE} (id serial PRIMARY KEY, state json NOT NULL)")


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000
