"""抽查比例: the office's DMN decision table (credit risk class -> ratio) and minimum rules.

The table is evaluated by the case engine itself: a three-file model (a start event, a business
rule task calling decision `draw_ratios`, an end event) is parsed by the engine, so the DMN is
validated like any process model (schema, restricted expressions); the business rule task's
decision table then runs once per risk class with the engine's restricted script engine (a
whole workflow per class would cost more than the rest of a small draw). Versions live in `draw_rule_versions`; without one, the shipped
`draw_ratios.dmn` and the rule "pool ≤ 10 → at least 2" are in force (version 0).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adapters.models.draw_rules import DrawRuleVersion
from engine.draw import MinimumRule
from engine.errors import ValidationFailed
from engine.runtime import ProcessEngine
from engine.validation import ModelInvalid

DECISION = "draw_ratios"
DEFAULT_DMN = Path(__file__).with_name("draw_ratios.dmn")
DEFAULT_MINIMUMS = ((10, 2),)
RISK_CLASSES = ("A", "B", "C", "D")
_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="draw_ratios_defs" targetNamespace="http://liancha.example/draw_ratios">
  <bpmn:process id="draw_ratios_process" name="抽查比例" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide"/>
    <bpmn:businessRuleTask id="decide" name="查抽查比例表">
      <bpmn:extensionElements>
        <spiffworkflow:calledDecisionId>draw_ratios</spiffworkflow:calledDecisionId>
      </bpmn:extensionElements>
    </bpmn:businessRuleTask>
    <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>
"""
_META = {
    "id": "draw_ratios",
    "name": "抽查比例",
    "primary_file": "draw_ratios.bpmn",
    "primary_process_id": "draw_ratios_process",
}


@dataclass(frozen=True)
class RuleSet:
    version: int  # 0: the shipped default
    dmn: str
    minimums: tuple[MinimumRule, ...]
    content_hash: str

    def minimums_json(self) -> list[list[int]]:
        return [[m.pool_at_most, m.at_least] for m in self.minimums]


def rules_hash(dmn: str, minimums: list[list[int]] | tuple) -> str:
    payload = json.dumps(
        {"dmn": dmn, "minimums": [list(m) for m in minimums]}, ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def default_rules() -> RuleSet:
    dmn = DEFAULT_DMN.read_text(encoding="utf-8")
    rules = tuple(MinimumRule(a, b) for a, b in DEFAULT_MINIMUMS)
    return RuleSet(0, dmn, rules, rules_hash(dmn, DEFAULT_MINIMUMS))


def current_rules(session: Session) -> RuleSet:
    """The newest saved version, or the shipped default."""
    row = session.execute(select(DrawRuleVersion).order_by(DrawRuleVersion.version.desc()).limit(1)).scalar()
    return default_rules() if row is None else _from_row(row)


def rules_version(session: Session, version: int) -> RuleSet | None:
    if version == 0:
        return default_rules()
    row = session.execute(select(DrawRuleVersion).where(DrawRuleVersion.version == version)).scalar()
    return None if row is None else _from_row(row)


def _from_row(row: DrawRuleVersion) -> RuleSet:
    rules = tuple(MinimumRule(int(a), int(b)) for a, b in row.minimums or [])
    return RuleSet(row.version, row.dmn, rules, row.content_hash)


def evaluate(engine: ProcessEngine, rules: RuleSet, counts: Mapping[str, int]) -> dict[str, str]:
    """The ratio (a decimal string) of each risk class in `counts` and of A–D."""
    parsed = _parse(engine, rules.dmn)
    pool_size = sum(counts.values())
    out = {}
    spec = parsed.spec.task_specs["decide"]
    for risk in sorted(set(RISK_CLASSES) | set(counts)):
        data = {"risk_class": risk, "stratum_size": counts.get(risk, 0), "pool_size": pool_size}
        try:
            found = spec.dmnEngine.result(_Task(data, spec, _Workflow(parsed.spec, engine.script_engine)))
        except SpiffWorkflowException as err:
            raise ValidationFailed("抽查比例表计算出错", {"dmn": f"{risk}：{err}"}) from None
        out[risk] = _ratio(risk, found.get("ratio"))
    return out


class _Workflow:
    """What a decision table (and its error reports) need of a workflow."""

    def __init__(self, spec, script_engine):
        self.spec, self.script_engine = spec, script_engine
        self.top_workflow = self


class _Task:
    """What a decision table needs of a task: its data, its spec, its workflow."""

    def __init__(self, data: dict, spec, workflow: _Workflow):
        self.data, self.task_spec, self.workflow = data, spec, workflow


def check(engine: ProcessEngine, dmn: str, minimums: list[list[int]]) -> dict[str, str]:
    """Validate a table before saving by evaluating it for every risk class."""
    for pair in minimums:
        if len(pair) != 2 or any(not isinstance(v, int) or v < 0 for v in pair):
            raise ValidationFailed(
                "最低抽取数规则无效", {"minimums": "每条规则须为两个非负整数：池数量上限、最少抽取数"}
            )
    rules = RuleSet(-1, dmn, tuple(MinimumRule(a, b) for a, b in minimums), rules_hash(dmn, minimums))
    return evaluate(engine, rules, dict.fromkeys(RISK_CLASSES, 100))


def save_rules(
    session: Session,
    engine: ProcessEngine,
    dmn: str,
    minimums: list[list[int]],
    comment: str,
    actor_id: int | None,
) -> DrawRuleVersion:
    check(engine, dmn, minimums)
    newest = session.execute(select(func.max(DrawRuleVersion.version))).scalar() or 0
    row = DrawRuleVersion(
        version=newest + 1,
        dmn=dmn,
        minimums=[list(m) for m in minimums],
        content_hash=rules_hash(dmn, minimums),
        comment=comment or None,
        created_by_id=actor_id,
    )
    session.add(row)
    session.flush()
    return row


def _parse(engine: ProcessEngine, dmn: str):
    files = {
        "model.json": json.dumps(_META, ensure_ascii=False).encode("utf-8"),
        "draw_ratios.bpmn": _BPMN.encode("utf-8"),
        "draw_ratios.dmn": dmn.encode("utf-8"),
    }
    try:
        return engine.parse(files)
    except ModelInvalid as err:
        details = "；".join(p.message for p in err.problems)
        raise ValidationFailed("抽查比例表（DMN）无效", {"dmn": details}) from None


def _ratio(risk: str, value: object) -> str:
    if value is None:
        raise ValidationFailed("抽查比例表不完整", {"dmn": f"信用风险分类 {risk} 没有匹配的规则"})
    try:
        ratio = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationFailed("抽查比例无效", {"dmn": f"{risk}：{value!r} 不是小数"}) from None
    if not ratio.is_finite() or ratio < 0 or ratio > 1:
        raise ValidationFailed("抽查比例无效", {"dmn": f"{risk}：比例须在 0 到 1 之间，得到 {value}"})
    return str(ratio)
