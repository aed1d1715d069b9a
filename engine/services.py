"""The script engine handed to SpiffWorkflow: restricted scripts plus a service registry.

A BPMN service task names an operator (`spiffworkflow:serviceTaskOperator id="publish_result"`)
whose parameters are restricted expressions; the engine looks the operator up in the registry
injected by the composition root and calls it with the evaluated parameters as keyword
arguments. The function returns plain JSON-able data, stored in the task's result variable.
A failing or unknown service raises `WorkflowTaskException` bound to the task, so the task goes
to ERROR and the runtime reports an incident that can be retried after a fix.
"""

from __future__ import annotations

import copy
import json
import traceback
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.scripting import SCRIPT_FILENAME, Limits, RestrictedEnvironment

Service = Callable[..., Any]


def describe_error(err: BaseException) -> str:
    """One line for users: the error class and its message."""
    return f"{type(err).__name__}: {err}" if str(err) else type(err).__name__


def _script_line(err: BaseException) -> int | None:
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename == SCRIPT_FILENAME]
    return frames[-1].lineno if frames else None


def json_default(value: Any) -> Any:
    """JSON encoding for the few non-JSON values services and scripts may produce."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"不能转换为 JSON 的值：{type(value).__name__}")


class ScriptEngine(PythonScriptEngine):
    """SpiffWorkflow's script engine over the restricted environment and a service registry."""

    def __init__(
        self,
        helpers: Mapping[str, Any] | None = None,
        services: Mapping[str, Service] | None = None,
        limits: Limits | None = None,
    ):
        super().__init__(environment=RestrictedEnvironment(helpers, limits))
        self.services = dict(services or {})

    def evaluate(self, task: Any, expression: str, external_context: dict | None = None) -> Any:
        """Evaluate a condition, timer, DMN cell or parameter expression in the task's data."""
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except SpiffWorkflowException:
            raise
        except Exception as err:
            message = f"表达式 {expression!r} 计算失败：{describe_error(err)}"
            raise WorkflowTaskException(message, task=task, exception=err) from err

    def execute(self, task: Any, script: str, external_context: dict | None = None) -> bool:
        """Run a script task's (or pre/post-) script against the task's data."""
        try:
            return self.environment.execute(script, task.data, external_context or {})
        except SpiffWorkflowException:
            raise
        except Exception as err:
            line = _script_line(err)
            where = f"第 {line} 行" if line else ""
            raise WorkflowTaskException(
                f"脚本{where}出错：{describe_error(err)}", task=task, exception=err, line_number=line
            ) from err

    def call_service(self, task: Any, operation_name: str, operation_params: dict) -> str:
        """Call a registered service; any failure becomes a WorkflowTaskException on the task."""
        service = self.services.get(operation_name)
        if service is None:
            raise WorkflowTaskException(f"未注册的服务：{operation_name}", task=task)
        # Copies: a service must not be able to rewrite the task data it was handed.
        params = {name: copy.deepcopy(spec["value"]) for name, spec in operation_params.items()}
        try:
            return json.dumps(service(**params), default=json_default, ensure_ascii=False)
        except Exception as err:
            message = f"服务 {operation_name} 调用失败：{describe_error(err)}"
            raise WorkflowTaskException(message, task=task, exception=err) from err
