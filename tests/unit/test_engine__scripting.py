"""Restricted scripting: attacks are refused, endless loops stop, helpers use the injected calendar
and clock, and BPMN scripts, conditions and DMN cells all go through the restricted compiler."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from engine.calendar import default_calendar
from engine.scripting import Limits, RestrictedEnvironment, ScriptError, ScriptTimeout, script_helpers
from engine.validation import ModelChecker
from tests.unit.process_support import FixedClock, linear, make_engine, tiny_model


@pytest.fixture
def env():
    return RestrictedEnvironment({"double": lambda x: 2 * x})


def test_scripting__plain_scripts_work_and_leave_only_data(env):
    data = {"items": [3, 1, 2], "a": 1}
    env.execute(
        "b = double(a)\ns = sorted(items)\nd = {}\nd['k'] = len(s)\na += 1\nfor i, x in enumerate(s):\n    pass",
        data,
    )
    assert data == {"items": [3, 1, 2], "a": 2, "b": 2, "s": [1, 2, 3], "d": {"k": 3}, "i": 2, "x": 3}
    assert env.evaluate("a > 1 and sum(items) == 6", data) is True


def test_scripting__import_is_refused(env):
    with pytest.raises(ImportError, match="__import__ not found"):
        env.execute("import os\nos.system('echo pwned')", {})


@pytest.mark.parametrize(
    "source",
    [
        "().__class__.__base__.__subclasses__()",
        "x = [c for c in ().__class__.__mro__]",
        "__import__('os')",
        "getattr((), '__class__')",
        "open('/etc/passwd')",
        "'{0.__class__}'.format(1)",
        "type(1)",
    ],
)
def test_scripting__escapes_are_refused(env, source):
    with pytest.raises((ScriptError, NameError, NotImplementedError)):
        env.execute(source, {})


def test_scripting__statements_that_could_swallow_a_stop_are_refused(env):
    for source in (
        "try:\n    pass\nexcept Exception:\n    pass",
        "class A:\n    pass",
        "def f():\n    global x",
    ):
        with pytest.raises(ScriptError, match="不允许使用"):
            env.execute(source, {})


def test_scripting__endless_loop_is_stopped_within_about_a_second(env):
    started = time.monotonic()
    with pytest.raises(ScriptTimeout, match="脚本运行超出限制"):
        env.execute("while True:\n    pass", {})
    assert time.monotonic() - started < 2.0


def test_scripting__loops_in_expressions_are_bounded_too():
    env = RestrictedEnvironment(limits=Limits(max_lines=10_000))
    with pytest.raises(ScriptTimeout):
        env.evaluate("[x for x in range(1000) for y in range(1000)]", {})
    with pytest.raises(ScriptError, match="range"):
        env.evaluate("sum(range(10 ** 9))", {})


def test_scripting__helpers_use_the_calendar_and_clock_in_beijing_time():
    # 20:00 UTC on 9/15 is already 9/16 in Beijing.
    helpers = script_helpers(
        default_calendar(), FixedClock(datetime(2026, 9, 15, 20, 0, tzinfo=UTC)), "Asia/Shanghai"
    )
    assert helpers["today"]() == "2026-09-16"
    assert helpers["now_iso"]() == "2026-09-16T04:00:00+08:00"
    assert helpers["add_working_days"]("2026-09-30", 1) == "2026-10-08"  # 国庆 10/1–7 off
    assert helpers["add_working_days"](date(2026, 10, 9), 1) == "2026-10-10"  # make-up Saturday
    assert helpers["working_days_between"]("2026-09-15", "2026-10-19") == 20
    assert helpers["due_date"](20, "2026-09-15") == "2026-10-19T15:59:59+00:00"
    assert helpers["due_date"](1) == "2026-09-17T15:59:59+00:00"  # from "today", 9/16


DMN = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="ratios" namespace="http://liancha.example/dmn">
  <decision id="risk_ratio" name="ratio by credit risk class">
    <decisionTable id="t" hitPolicy="UNIQUE">
      <input id="i1" label="class"><inputExpression id="ie1" typeRef="string"><text>risk_class</text></inputExpression></input>
      <output id="o1" label="ratio" name="ratio" typeRef="number"/>
      <rule id="r1"><inputEntry id="r1i"><text>"A"</text></inputEntry><outputEntry id="r1o"><text>0.05</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="r2i"><text> in ["C", "D"]</text></inputEntry><outputEntry id="r2o"><text>0.6</text></outputEntry></rule>
      <rule id="r3"><inputEntry id="r3i"><text>-</text></inputEntry><outputEntry id="r3o"><text>0.2</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>
"""
RULE_TASK = (
    '<bpmn:businessRuleTask id="e1"><bpmn:extensionElements>'
    "<spiffworkflow:calledDecisionId>risk_ratio</spiffworkflow:calledDecisionId>"
    "</bpmn:extensionElements></bpmn:businessRuleTask>"
)
GATEWAY_MODEL = (
    '<bpmn:startEvent id="start"/>'
    '<bpmn:scriptTask id="s"><bpmn:script>n = len(items)</bpmn:script></bpmn:scriptTask>'
    '<bpmn:exclusiveGateway id="g" default="f_small"/>'
    '<bpmn:task id="big" name="大"/><bpmn:task id="small" name="小"/><bpmn:endEvent id="end"/>'
    '<bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="s"/>'
    '<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="g"/>'
    '<bpmn:sequenceFlow id="f_big" sourceRef="g" targetRef="big">'
    "<bpmn:conditionExpression>n &gt; 2</bpmn:conditionExpression></bpmn:sequenceFlow>"
    '<bpmn:sequenceFlow id="f_small" sourceRef="g" targetRef="small"/>'
    '<bpmn:sequenceFlow id="f2" sourceRef="big" targetRef="end"/><bpmn:sequenceFlow id="f3" sourceRef="small" targetRef="end"/>'
)


@pytest.mark.parametrize(("risk_class", "ratio"), [("A", 0.05), ("D", 0.6), ("B", 0.2)])
def test_scripting__dmn_cells_run_restricted(risk_class, ratio):
    engine = make_engine()
    instance = engine.start(
        engine.parse(tiny_model(linear(RULE_TASK), extra={"ratios.dmn": DMN})), {"risk_class": risk_class}
    )
    assert instance.status == "complete"
    assert instance.data()["ratio"] == ratio


def test_scripting__a_word_operator_cell_needs_its_leading_space():
    # SpiffWorkflow evaluates `input + cell`: `risk_class` + `in [...]` would be `risk_classin [...]`.
    bad = DMN.replace(b'<text> in ["C", "D"]</text>', b'<text>in ["C", "D"]</text>')
    [problem] = ModelChecker().check(tiny_model(linear(RULE_TASK), extra={"ratios.dmn": bad})).problems
    assert (problem.file, problem.element_id) == ("ratios.dmn", "r2i")
    assert "空格" in problem.message


def test_scripting__a_dmn_cell_reaching_for_dunders_is_refused_at_validation():
    bad = DMN.replace(b"<text>0.6</text>", b"<text>().__class__</text>")
    [problem] = ModelChecker().check(tiny_model(linear(RULE_TASK), extra={"ratios.dmn": bad})).problems
    assert (problem.file, problem.element_id) == ("ratios.dmn", "r2o")
    assert "__class__" in problem.message


@pytest.mark.parametrize(("items", "branch"), [([1, 2, 3], "big"), ([1], "small")])
def test_scripting__conditions_route_through_the_restricted_engine(items, branch):
    engine = make_engine()
    instance = engine.start(engine.parse(tiny_model(GATEWAY_MODEL)), {"items": items})
    [task] = instance.ready_human_tasks()
    assert task.element_id == branch


def test_scripting__a_bpmn_script_cannot_import():
    engine = make_engine()
    script = (
        '<bpmn:scriptTask id="e1"><bpmn:script>import os\nx = os.getcwd()</bpmn:script></bpmn:scriptTask>'
    )
    instance = engine.start(engine.parse(tiny_model(linear(script))), {})
    [incident] = instance.incidents()
    assert incident.element_id == "e1"
    assert incident.message == "脚本第 1 行出错：ImportError: __import__ not found"
    assert instance.status == "error"
