"""Shared builders for engine and process tests: a real calendar, a fixed clock, recording
services, the shipped models and small hand-written models."""

from __future__ import annotations

import functools
import itertools
import json
from datetime import UTC, datetime
from pathlib import Path

from engine.calendar import default_calendar
from engine.models import ParsedModel, load_model_folder
from engine.runtime import ProcessEngine

PROCESSES = Path(__file__).resolve().parents[2] / "processes"
BPMN_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"\n'
    '    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"\n'
    '    id="defs" targetNamespace="http://liancha.example/test">\n'
)


class FixedClock:
    """A clock that says what the test tells it."""

    def __init__(self, now: datetime):
        self.current = now

    def now(self) -> datetime:
        return self.current


class SystemUtcClock:
    """Follows time-machine: the real (travelled) time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class RecordingServices(dict):
    """A service registry whose functions record their calls; `fail[name]` makes one raise."""

    def __init__(self, *names: str):
        super().__init__()
        self.calls: list[tuple[str, dict]] = []
        self.fail: dict[str, Exception] = {}
        for name in names:
            self[name] = self._service(name)

    def _service(self, name: str):
        def call(**kwargs):
            self.calls.append((name, kwargs))
            if name in self.fail:
                raise self.fail[name]
            return {"ok": True, "service": name}

        return call

    def called(self, name: str) -> list[dict]:
        return [kwargs for n, kwargs in self.calls if n == name]


# The result dictionary of DOMAIN.md §6 as inspection_case's services see it (the real ones read
# the result_codes table: adapters/result_dictionary.py); a test's own services win.
RESULT_CODES = [
    ("1", "未发现问题"),
    ("A", "发现问题待后续处理"),
    ("2", "违反工商行政管理相关规定"),
    ("B", "未按规定公示应当公示的信息"),
    ("C", "公示信息隐瞒真实情况弄虚作假"),
    ("6", "通过登记的住所（经营场所）无法联系"),
    ("D", "违反其他工商行政管理规定行为"),
    ("3", "违反食品药品监管相关规定"),
    ("4", "违反质量技术监督相关规定"),
    ("5", "违反其他部门监管相关规定"),
    ("G", "违反公安机关监管相关规定"),
    ("E", "发现问题已责令改正"),
    ("F", "未发现开展本次抽查涉及的经营活动"),
    ("7", "已关闭停业或正在组织清算"),
    ("8", "不配合检查情节严重"),
    ("9", "注销"),
    ("10", "被吊销"),
    ("11", "被撤销"),
    ("12", "迁出"),
]
PROBLEM_CODES = ["A", "2", "B", "C", "6", "D", "3", "4", "5", "G", "8"]
DICTIONARY_SERVICES = {
    "load_result_dictionary": lambda **_: {"problem_codes": list(PROBLEM_CODES), "names": dict(RESULT_CODES)},
    "result_code_choices": lambda **_: [{"const": c, "title": t} for c, t in RESULT_CODES],
    "mark_result_codes_used": lambda **_: {"codes": []},
}


def make_engine(services: dict | None = None, clock=None) -> ProcessEngine:
    registry = {**DICTIONARY_SERVICES, **(services or {})}
    return ProcessEngine(default_calendar(), registry, clock or SystemUtcClock())


def model_files(name: str) -> dict[str, bytes]:
    return load_model_folder(PROCESSES / name)


@functools.cache
def parsed_model(name: str) -> ParsedModel:
    """A shipped model parsed once per test session (validation takes a few hundred ms)."""
    return make_engine().parse(model_files(name))


def tiny_model(
    body: str, *, lanes: dict | None = None, extra: dict[str, bytes] | None = None
) -> dict[str, bytes]:
    """A one-process model `p` whose process body is `body` (no lanes unless given)."""
    bpmn = (
        BPMN_HEAD
        + f'<bpmn:process id="p" name="测试" isExecutable="true">\n{body}\n</bpmn:process>\n</bpmn:definitions>\n'
    )
    meta = {
        "id": "p",
        "name": "测试",
        "primary_file": "p.bpmn",
        "primary_process_id": "p",
        "lanes": lanes or {},
    }
    files = {"p.bpmn": bpmn.encode(), "model.json": json.dumps(meta).encode()}
    files.update(extra or {})
    return files


def linear(*elements: str) -> str:
    """start → elements (each given as XML with an id of e1, e2, …) → end, wired in order."""
    ids = ["start"] + [f"e{i}" for i in range(1, len(elements) + 1)] + ["end"]
    flows = "\n".join(
        f'<bpmn:sequenceFlow id="f{i}" sourceRef="{a}" targetRef="{b}"/>'
        for i, (a, b) in enumerate(itertools.pairwise(ids))
    )
    return '<bpmn:startEvent id="start"/>\n' + "\n".join(elements) + '\n<bpmn:endEvent id="end"/>\n' + flows


def case_start_data(case_id: str = "C-2026-0001") -> dict:
    """A joint inspection of one restaurant by three departments; department 10 leads."""
    return {
        "case_id": case_id,
        "lead_department": "10",
        "enterprise": {"name": "石家庄某某餐饮有限公司", "uscc": "91310110666007217T"},
        "departments": [
            {
                "id": 10,
                "name": "市场监督管理局",
                "items": [
                    {"code": "SC-01", "name": "食品经营许可"},
                    {"code": "SC-02", "name": "食品安全管理制度"},
                ],
            },
            {"id": 20, "name": "消防救援大队", "items": [{"code": "XF-01", "name": "疏散通道"}]},
            {"id": 30, "name": "卫生健康局", "items": [{"code": "WS-01", "name": "从业人员健康证明"}]},
        ],
    }


def filled_checklist(form_data: dict, codes: list[str]) -> dict:
    """The pre-filled checklist with every item's result set to `codes`."""
    return {**form_data, "results": [{**row, "result_codes": list(codes)} for row in form_data["results"]]}


def only(tasks: list, element_id: str):
    """The one ready task with this element id."""
    found = [t for t in tasks if t.element_id == element_id]
    assert len(found) == 1, [t.element_id for t in tasks]
    return found[0]
