"""Restricted scripting for BPMN scripts, conditions, DMN cells and timer expressions.

SpiffWorkflow runs every expression through `eval`/`exec` with full builtins, which is not a
sandbox. Here each source is compiled with RestrictedPython and run with guards (no underscore
attributes, no `__import__`, a short list of builtins) and a budget: a `sys.settrace` line counter
with a wall-clock deadline stops `while True: pass` in about a second. Work done inside a single
C call (e.g. `10 ** 10 ** 10`) cannot be interrupted this way; `range` is bounded for that reason.
"""

from __future__ import annotations

import ast
import builtins
import functools
import operator
import re
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from types import CodeType
from typing import Any
from zoneinfo import ZoneInfo

from RestrictedPython import RestrictingNodeTransformer, compile_restricted
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine import TaskDataEnvironment

from engine.ports import Clock, WorkingDayCalendar

SCRIPT_FILENAME = "<bpmn-script>"
_SAFE_BUILTIN_NAMES = (  # noqa: SIM905 - one readable line beats 23
    "abs all any bool dict enumerate filter float int isinstance len list map max min "
    "reversed round set sorted str sum tuple zip"
).split()
_SAFE_EXCEPTIONS = (Exception, ValueError, KeyError, TypeError, IndexError, ZeroDivisionError)


class ScriptError(Exception):
    """A script was refused (policy) or stopped (budget); the message is for users."""


class ScriptTimeout(ScriptError):
    """A script used up its step or time budget."""


@dataclass(frozen=True)
class Limits:
    """Budget of one script or expression run."""

    max_lines: int = 2_000_000
    max_seconds: float = 1.0
    max_range: int = 100_000


def _guarded_getattr(obj: Any, name: str, default: Any = None) -> Any:
    # safer_getattr also refuses str.format, which reaches attributes through format specs.
    if not isinstance(name, str) or name.startswith("_"):
        raise ScriptError(f"脚本不允许访问属性 {name!r}")
    return safer_getattr(obj, name, default)


def _guarded_getitem(obj: Any, key: Any) -> Any:
    return obj[key]


_INPLACE = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": operator.imul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": operator.imod,
    "|=": operator.ior,
    "&=": operator.iand,
}


def _inplacevar(op: str, target: Any, value: Any) -> Any:
    if op not in _INPLACE:
        raise ScriptError(f"脚本不支持运算符 {op}")
    return _INPLACE[op](target, value)


def _apply(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


def _bounded_range(limit: int) -> Callable[..., range]:
    def bounded_range(*args: int) -> range:
        result = range(*args)
        if len(result) > limit:
            raise ScriptError(f"range 的长度超过上限 {limit}")
        return result

    return bounded_range


def restricted_globals(limits: Limits) -> dict[str, Any]:
    """Builtins and RestrictedPython guard functions every script runs with."""
    safe = {name: getattr(builtins, name) for name in _SAFE_BUILTIN_NAMES}
    safe.update({exc.__name__: exc for exc in _SAFE_EXCEPTIONS})
    safe.update({"None": None, "True": True, "False": False, "range": _bounded_range(limits.max_range)})
    return {
        "__builtins__": safe,
        "__name__": "bpmn_script",
        "_getattr_": _guarded_getattr,
        "_getitem_": _guarded_getitem,
        "_getiter_": iter,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_write_": full_write_guard,
        "_inplacevar_": _inplacevar,
        "_apply_": _apply,
    }


def run_bounded(func: Callable[[], Any], limits: Limits) -> Any:
    """Run `func` while counting the lines executed in script frames; stop it past the budget.

    Only frames compiled from scripts are traced, so helpers and the engine run at full speed.
    """
    deadline = time.monotonic() + limits.max_seconds
    lines = 0

    def trace_lines(frame: Any, event: str, arg: Any) -> Any:
        nonlocal lines
        if event == "line":
            lines += 1
            if lines > limits.max_lines or (lines % 1000 == 0 and time.monotonic() > deadline):
                raise ScriptTimeout(f"脚本运行超出限制（{limits.max_seconds:g} 秒或 {limits.max_lines} 步）")
        return trace_lines

    def trace_calls(frame: Any, event: str, arg: Any) -> Any:
        return trace_lines if frame.f_code.co_filename == SCRIPT_FILENAME else None

    previous = sys.gettrace()
    sys.settrace(trace_calls)
    try:
        return func()
    finally:
        sys.settrace(previous)


class RestrictedEnvironment(TaskDataEnvironment):
    """A SpiffWorkflow script environment that compiles with RestrictedPython and runs bounded.

    `helpers` are extra functions visible to scripts (working days, today, ...). Like SpiffWorkflow's
    own environment, helpers and other callables are removed from task data after a script runs.
    """

    def __init__(self, helpers: Mapping[str, Any] | None = None, limits: Limits | None = None):
        self.limits = limits or Limits()
        super().__init__({**restricted_globals(self.limits), **(helpers or {})})
        # Compiling is the slow part (AST rewriting); the same conditions run again and again.
        self._compile = functools.lru_cache(maxsize=512)(_compile)

    def evaluate(self, expression: str, context: dict, external_context: dict | None = None) -> Any:
        """The value of a restricted expression over the task data (not modified)."""
        code = self._compile(expression.strip(), "eval")
        scope = dict(self.globals)
        scope.update(external_context or {})
        scope.update(context)
        return run_bounded(lambda: eval(code, scope), self.limits)  # noqa: S307 - restricted code

    def execute(self, script: str, context: dict, external_context: dict | None = None) -> bool:
        """Run a restricted script; its top-level assignments become task data."""
        self.check_for_overwrite(context, external_context or {})
        code = self._compile(script, "exec")
        context.update(self.globals)
        context.update(external_context or {})
        try:
            run_bounded(lambda: exec(code, context), self.limits)  # noqa: S102 - restricted code
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        return True


class _ScriptPolicy(RestrictingNodeTransformer):
    """RestrictedPython's policy minus the statements that could swallow a budget stop.

    CPython drops a trace function that raised, so a script catching the timeout would run on
    untraced forever; without try/with/class the stop always ends the script.
    """

    def _refuse(self, node: ast.AST) -> None:
        self.error(node, f"不允许使用 {type(node).__name__} 语句")

    visit_Try = visit_TryStar = visit_With = visit_AsyncWith = visit_ClassDef = _refuse
    visit_AsyncFunctionDef = visit_Global = visit_Nonlocal = _refuse


def _compile(source: str, mode: str) -> CodeType:
    try:
        return compile_restricted(source, SCRIPT_FILENAME, mode, policy=_ScriptPolicy)
    except SyntaxError as err:
        # RestrictedPython reports syntax errors and policy refusals as one tuple of messages.
        details = err.args[0] if err.args and isinstance(err.args[0], tuple) else (str(err),)
        raise ScriptError("脚本被拒绝或有语法错误：" + "；".join(details)) from err


def check_syntax(source: str, mode: str = "exec") -> tuple[str, int | None] | None:
    """None when `source` compiles under the restricted policy, else (message, line in source)."""
    try:
        _compile(source, mode)
    except ScriptError as err:
        found = re.search(r"Line (\d+)", str(err))
        return str(err), int(found.group(1)) if found else None
    return None


def _as_date(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def script_helpers(calendar: WorkingDayCalendar, clock: Clock, tz: str) -> dict[str, Callable[..., Any]]:
    """Functions visible to every script, bound to the injected calendar, clock and time zone name.

    Dates go in as `date` or ISO strings and come out as ISO strings, so task data stays JSON.
    `due_date(n)` is the end of the n-th working day after today (or after `start`) as a UTC ISO
    string, ready for a BPMN `timeDate`.
    """
    zone = ZoneInfo(tz)

    def today() -> str:
        return clock.now().astimezone(zone).date().isoformat()

    def now_iso() -> str:
        return clock.now().astimezone(zone).isoformat(timespec="seconds")

    def add_working_days(start: date | str, days: int) -> str:
        return calendar.add_working_days(_as_date(start), int(days)).isoformat()

    def working_days_between(start: date | str, end: date | str) -> int:
        return calendar.working_days_between(_as_date(start), _as_date(end))

    def due_date(days: int, start: date | str | None = None) -> str:
        first = _as_date(start) if start else clock.now().astimezone(zone).date()
        return calendar.due_timedate(first, int(days), tz)

    return {
        "today": today,
        "now_iso": now_iso,
        "add_working_days": add_working_days,
        "working_days_between": working_days_between,
        "due_date": due_date,
    }
