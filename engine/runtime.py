"""The case runtime: parse process models, start and load instances. Framework-free.

    engine = ProcessEngine(calendar, services={"publish_result": publish}, clock=SystemClock())
    parsed = engine.parse(load_model_folder("processes/inspection_case"))   # cached by hash
    instance = engine.start(parsed, {"case_id": "C-1", ...})                 # runs to the first wait
    state = instance.to_state()                                              # JSON-safe, no spec
    instance = engine.load(parsed, state)

Persistence, locking, authorisation and side effects after commit are the caller's business;
see `engine.instance.Instance` for what an instance offers and docs/engine.md for the whole API.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from engine.calendar import DEFAULT_TZ
from engine.instance import Instance
from engine.models import ModelFiles, ParsedModel, content_hash, read_json_files
from engine.ports import Clock, WorkingDayCalendar
from engine.scripting import Limits, script_helpers
from engine.serialization import build_serializer, restore
from engine.services import ScriptEngine, Service
from engine.validation import ModelChecker, ModelInvalid, Problem


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        """The current time, aware, in UTC."""
        return datetime.now(UTC)


class ProcessEngine:
    """Parses models (cached per content hash), starts and loads instances.

    One engine per process (the composition root builds it): it holds the model checker, the
    serializer, the script engine with its helpers and service registry, and a small LRU of
    parsed model versions.
    """

    def __init__(
        self,
        calendar: WorkingDayCalendar,
        services: Mapping[str, Service] | None = None,
        clock: Clock | None = None,
        *,
        tz: str = DEFAULT_TZ,
        limits: Limits | None = None,
        cache_size: int = 32,
    ):
        self.clock = clock or SystemClock()
        self.script_engine = ScriptEngine(script_helpers(calendar, self.clock, tz), services, limits)
        self.serializer = build_serializer()
        self._checker = ModelChecker()
        self._cache: OrderedDict[str, ParsedModel] = OrderedDict()
        self._cache_size = cache_size

    def validate(self, files: ModelFiles) -> list[Problem]:
        """Every problem of a model (empty when it can be deployed)."""
        return self._checker.check(files).problems

    def parse(self, files: ModelFiles) -> ParsedModel:
        """The parsed model version for these files; ModelInvalid lists every problem."""
        version = content_hash(files)
        if version in self._cache:
            self._cache.move_to_end(version)
            return self._cache[version]
        result = self._checker.check(files)
        if result.problems or result.meta is None or result.spec is None:
            raise ModelInvalid(result.problems)
        parsed = ParsedModel(
            version, result.meta, result.spec, result.subprocess_specs or {}, read_json_files(files)
        )
        self._cache[version] = parsed
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return parsed

    def cached(self, version: str) -> ParsedModel | None:
        """A parsed model version still in the cache, by content hash."""
        return self._cache.get(version)

    def start(self, parsed: ParsedModel, data: Mapping[str, Any] | None = None) -> Instance:
        """A new instance with `data` on its start task, advanced to its first wait."""
        workflow = BpmnWorkflow(parsed.spec, parsed.subprocess_specs, script_engine=self.script_engine)
        start = workflow.get_next_task(state=TaskState.READY)
        start.data.update(copy.deepcopy(dict(data or {})))
        instance = Instance(self, parsed, workflow, new=True)
        instance.advance()
        return instance

    def load(self, parsed: ParsedModel, state: Mapping[str, Any]) -> Instance:
        """An instance restored from `Instance.to_state()` output of the same model version."""
        workflow = restore(self.serializer, dict(state), parsed.spec, parsed.subprocess_specs)
        workflow.script_engine = self.script_engine  # never serialized; must be set on every load
        return Instance(self, parsed, workflow)
