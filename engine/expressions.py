"""Find every expression in a BPMN or DMN tree and check it compiles under the restricted policy.

SpiffWorkflow only meets a broken script or condition when a case reaches it, in production.
Walking the XML (instead of the parsed specs) gives the line of each expression, and also covers
processes the parser could not build. Constant timer expressions are also checked as ISO 8601.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine.scripting import check_syntax

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}

# (xpath, compile mode, what it is in Chinese)
_BPMN_TEXTS = (
    ("//bpmn:scriptTask/bpmn:script", "exec", "脚本"),
    ("//spiffworkflow:preScript", "exec", "前置脚本"),
    ("//spiffworkflow:postScript", "exec", "后置脚本"),
    ("//bpmn:conditionExpression", "eval", "条件"),
    ("//bpmn:conditionalEventDefinition/bpmn:condition", "eval", "条件"),
    ("//bpmn:completionCondition", "eval", "完成条件"),
    ("//bpmn:loopCardinality", "eval", "循环次数"),
    ("//bpmn:timeDate", "eval", "定时器表达式"),
    ("//bpmn:timeDuration", "eval", "定时器表达式"),
    ("//bpmn:timeCycle", "eval", "定时器表达式"),
    ("//spiffworkflow:messagePayload", "eval", "消息内容表达式"),
    ("//spiffworkflow:processVariableCorrelation/spiffworkflow:expression", "eval", "关联表达式"),
    ("//bpmn:correlationPropertyRetrievalExpression/*", "eval", "关联表达式"),
)
_DMN_TEXTS = (
    ("//*[local-name()='inputExpression']/*[local-name()='text']", "eval", "DMN 输入表达式"),
    ("//*[local-name()='outputEntry']/*[local-name()='text']", "eval", "DMN 输出单元格"),
)
_INPUT_ENTRIES = "//*[local-name()='inputEntry']/*[local-name()='text']"
# SpiffWorkflow's DMN engine reads `?` outside quotes as the input value.
_QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")


def _owner_id(element: etree._Element) -> str | None:
    for node in (element, *element.iterancestors()):
        if node.get("id"):
            return node.get("id")
    return None


def _problem(
    element: etree._Element, source: str, mode: str, label: str
) -> tuple[int | None, str | None, str] | None:
    found = check_syntax(source, mode)
    if found is None:
        return None
    message, inner_line = found
    line = element.sourceline
    if line is not None and inner_line:
        line += inner_line - 1
    return line, _owner_id(element), f"{label}有误：{message}"


def _timer_literal_problem(source: str) -> str | None:
    """A constant timer expression must be an ISO 8601 date, duration or cycle string."""
    try:
        value = ast.literal_eval(source.strip())
    except (ValueError, SyntaxError):
        return None  # computed at run time, e.g. `result_due`
    if not isinstance(value, str):
        return f"定时器表达式必须得到 ISO 8601 字符串，而不是 {type(value).__name__}"
    try:
        if value.upper().startswith("R"):
            TimerEventDefinition.parse_iso_recurring_interval(value)
        else:
            TimerEventDefinition.parse_time_or_duration(value)
    except Exception:
        return f'定时器表达式 {value!r} 不是有效的 ISO 8601 日期、时长或周期（时长须加引号，如 "P3D"）'
    return None


def _dmn_entry_source(text: str) -> tuple[str, str]:
    """The form SpiffWorkflow evaluates: the cell as is, or `v <cell>` for `< 5`, `in [...]`."""
    text = _QUESTION_MARK.sub("dmninputexpr", text)
    if "dmninputexpr" in text:
        return text, "eval"
    try:
        ast.parse(text, mode="eval")
        return text, "eval"
    except SyntaxError:
        return f"dmninputexpr {text}", "eval"


def expression_problems(root: etree._Element) -> Iterator[tuple[int | None, str | None, str]]:
    """(line, element id, message) for each expression in the tree that would fail to compile."""
    for xpath, mode, label in _BPMN_TEXTS + _DMN_TEXTS:
        for element in root.xpath(xpath, namespaces=NS):
            source = (element.text or "").strip()
            if not source or source == "-":
                continue
            found = _problem(element, source, mode, label)
            if found is None and label == "定时器表达式":
                message = _timer_literal_problem(source)
                found = (element.sourceline, _owner_id(element), message) if message else None
            if found:
                yield found
    for element in root.xpath("//spiffworkflow:parameter[@value]", namespaces=NS):
        found = _problem(element, element.get("value"), "eval", f"服务参数 {element.get('id')} 的表达式")
        if found:
            yield found
    for element in root.xpath(_INPUT_ENTRIES):
        text = (element.text or "").strip()
        if text and text != "-":
            source, mode = _dmn_entry_source(text)
            found = _problem(element, source, mode, "DMN 输入单元格")
            if found is None and source.startswith("dmninputexpr ") and text[0].isalpha():
                # SpiffWorkflow glues the input expression and the cell without a space.
                message = f'DMN 输入单元格 {text!r} 以单词运算符开头，前面须加一个空格（如 " {text}"）'
                found = (element.sourceline, _owner_id(element), message) if element.text[0] != " " else None
            if found:
                yield found
