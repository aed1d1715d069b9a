"""Instance state as a JSON-safe dict, without the process spec.

The spec is the same for every instance of a model version, so it is stored once (keyed by the
model's content hash) and never inside an instance: the workflow converter leaves `spec` and
`subprocess_specs` out, and `restore` puts the cached spec objects back instead of rebuilding
them from dicts.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

FORMAT_KEY = BpmnWorkflowSerializer.VERSION_KEY


class _CachedSpecWorkflowConverter(BpmnWorkflowConverter):
    """Leaves the spec out when converting, and takes spec objects back when restoring."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict:
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict) -> BpmnWorkflow:
        if isinstance(dct.get("spec"), BpmnProcessSpec):
            spec, subprocess_specs = dct.pop("spec"), dct.pop("subprocess_specs", {})
            dct["spec"], dct["subprocess_specs"] = None, {}
            workflow = BpmnWorkflow(spec, subprocess_specs, deserializing=True)
            return self._restore_into(workflow, dct)
        return super().from_dict(dct)

    def _restore_into(self, workflow: BpmnWorkflow, dct: dict) -> BpmnWorkflow:
        # The tail of BpmnWorkflowConverter.from_dict, after its spec restoration.
        from uuid import UUID

        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def build_serializer() -> BpmnWorkflowSerializer:
    """A serializer for SpiffWorkflow's spiff specs plus the data types scripts may produce."""
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = _CachedSpecWorkflowConverter
    registry = BpmnWorkflowSerializer.configure(config)
    registry.register(date, lambda v: {"value": v.isoformat()}, lambda v: date.fromisoformat(v["value"]))
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]))
    registry.register(set, lambda v: {"value": sorted(v, key=repr)}, lambda v: set(v["value"]))
    registry.register(tuple, lambda v: {"value": list(v)}, lambda v: tuple(v["value"]))
    return BpmnWorkflowSerializer(registry)


class EncodedState(Mapping):
    """A stored state as its JSON text (`json_text`), decoded only when something reads it — a
    store writes the text as it is (the service never reads back what it just saved). A
    read-only mapping; `dict(state)` is a plain, decoded copy."""

    __slots__ = ("_decoded", "json_text")

    def __init__(self, text: str):
        self.json_text = text
        self._decoded: dict | None = None

    def _dict(self) -> dict:
        if self._decoded is None:
            self._decoded = json.loads(self.json_text)
        return self._decoded

    def __getitem__(self, key: str) -> Any:
        return self._dict()[key]

    def __iter__(self):
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())


def dump_text(serializer: BpmnWorkflowSerializer, workflow: BpmnWorkflow) -> str:
    """The workflow as JSON without its spec (SpiffWorkflow converts task data — dates, sets, ...
    — only in its JSON encoder, so JSON is its one complete, detached form)."""
    return serializer.serialize_json(workflow)


def dump(serializer: BpmnWorkflowSerializer, workflow: BpmnWorkflow) -> dict[str, Any]:
    """The workflow as a JSON-safe dict without its spec, sharing nothing with the live workflow
    (`to_dict` alone is neither: it hands out the live data dicts, unconverted)."""
    return json.loads(dump_text(serializer, workflow))


def restore(
    serializer: BpmnWorkflowSerializer, state: Mapping[str, Any], spec: Any, subprocess_specs: dict[str, Any]
) -> BpmnWorkflow:
    """Rebuild a workflow from `dump` output and the cached spec objects of its model version.

    `state` is left as it was, without copying it whole: restoring builds new containers for all
    task data and internal data anyway, and only pops keys from (or hands out) a few mappings —
    the top level, the subprocess mapping and each (sub)workflow's correlations — so only those
    are copied. An older format is migrated in place, so it is copied whole first."""
    if state.get(FORMAT_KEY, serializer.VERSION) != serializer.VERSION:
        dct = copy.deepcopy(state)
    else:
        dct = dict(state)
        dct["correlations"] = copy.deepcopy(state.get("correlations", {}))
        dct["subprocesses"] = {
            key: {**sub, "correlations": copy.deepcopy(sub.get("correlations", {}))}
            for key, sub in (state.get("subprocesses") or {}).items()
        }
    dct.setdefault(FORMAT_KEY, serializer.VERSION)
    serializer.migrate(dct)
    dct["spec"], dct["subprocess_specs"] = spec, subprocess_specs
    return serializer.from_dict(dct)
