"""Validate a process model and report every problem with file and line.

SpiffWorkflow's parser stops at the first error, validates XML against the schema only up to the
first failure, and never looks inside scripts, conditions, timer expressions or DMN cells. So the
checks run in passes over the XML trees (well-formedness, schema with every error, unsupported
elements, expressions compiled under the restricted policy, references to DMN decisions, forms and
lanes, JSON Schemas) and only a model that passes the XML passes goes to `SpiffBpmnParser`,
whose lazy errors are forced by building every executable process.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, SchemaError
from lxml import etree
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from engine.errors import ValidationFailed
from engine.expressions import expression_problems
from engine.models import (
    MODEL_FILE,
    REQUIRED_META_KEYS,
    ModelFiles,
    ModelMeta,
    Problem,
    files_with_suffix,
    form_files,
)
from engine.xml_checks import element_problems, reference_problems


class ModelInvalid(ValidationFailed):
    """A model failed validation; `problems` lists every reason."""

    code = "model_invalid"

    def __init__(self, problems: list[Problem]):
        fields = {f"{p.file}:{p.line or 0}": p.message for p in problems}
        super().__init__(f"流程模型有 {len(problems)} 个问题", fields)
        self.problems = problems


@dataclass
class CheckResult:
    """Problems found, plus what parsing produced when the model is clean."""

    problems: list[Problem]
    meta: ModelMeta | None = None
    spec: Any = None
    subprocess_specs: dict | None = None


class ModelChecker:
    """Validates models; keeps compiled DMN schemas so they are built once per checker."""

    def __init__(self) -> None:
        self._dmn_schemas: dict[str, etree.XMLSchema] = {}

    def check(self, files: ModelFiles) -> CheckResult:
        """Run every check on a model's files; parse it when nothing is wrong at the XML level."""
        meta, problems = _check_meta(files)
        trees, xml_problems = _parse_xml(files)
        xml_problems += self._check_schemas(trees)
        problems += xml_problems
        problems += element_problems(trees)
        for name, root in trees.items():
            problems += [Problem(name, line, eid, msg) for line, eid, msg in expression_problems(root)]
        problems += reference_problems(trees, files, meta)
        problems += _check_forms(files)
        result = CheckResult(problems, meta)
        if not xml_problems and meta is not None:
            _parse_specs(trees, meta, result)
        return result

    def _check_schemas(self, trees: dict[str, etree._Element]) -> list[Problem]:
        problems = []
        for name, root in trees.items():
            if name.endswith(".bpmn"):
                VALIDATOR.preprocess(root)  # SpiffWorkflow's own fix-up for bpmn-js correlation XML
                schema = VALIDATOR.validator
            else:
                schema = self._dmn_schema(root.nsmap.get(None) or root.nsmap.get("dmn"))
                if schema is None:
                    problems.append(Problem(name, root.sourceline, None, "无法识别的 DMN 版本（命名空间）"))
                    continue
            if not schema.validate(root):
                problems += [
                    Problem(name, err.line, None, f"不符合 BPMN/DMN 规范：{err.message}")
                    for err in schema.error_log
                ]
        return problems

    def _dmn_schema(self, namespace: str | None) -> etree.XMLSchema | None:
        if namespace not in SCHEMAS:
            return None
        if namespace not in self._dmn_schemas:
            with open(SCHEMAS[namespace], "rb") as xsd:
                self._dmn_schemas[namespace] = etree.XMLSchema(etree.parse(xsd))
        return self._dmn_schemas[namespace]


def _check_meta(files: ModelFiles) -> tuple[ModelMeta | None, list[Problem]]:
    if MODEL_FILE not in files:
        return None, [Problem(MODEL_FILE, None, None, "缺少模型说明文件 model.json")]
    try:
        data = json.loads(files[MODEL_FILE])
    except ValueError as err:
        return None, [Problem(MODEL_FILE, getattr(err, "lineno", None), None, f"JSON 格式错误：{err}")]
    missing = [key for key in REQUIRED_META_KEYS if not isinstance(data, dict) or not data.get(key)]
    if missing:
        return None, [Problem(MODEL_FILE, None, None, f"缺少字段：{'、'.join(missing)}")]
    try:
        meta = ModelMeta.from_dict(data)
    except (AttributeError, KeyError, TypeError, ValueError) as err:
        return None, [Problem(MODEL_FILE, None, None, f"字段格式错误：{err}")]
    if meta.primary_file not in files:
        return meta, [Problem(MODEL_FILE, None, None, f"主流程文件 {meta.primary_file} 不存在")]
    return meta, []


def _parse_xml(files: ModelFiles) -> tuple[dict[str, etree._Element], list[Problem]]:
    trees, problems = {}, []
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for name in files_with_suffix(files, ".bpmn") + files_with_suffix(files, ".dmn"):
        try:
            trees[name] = etree.fromstring(files[name], parser)
        except etree.XMLSyntaxError as err:
            problems.append(Problem(name, err.lineno, None, f"XML 格式错误：{err.msg}"))
    return trees, problems


def _check_forms(files: ModelFiles) -> list[Problem]:
    problems = []
    for name in files_with_suffix(files, ".json"):
        if name == MODEL_FILE:
            continue
        try:
            schema = json.loads(files[name])
        except ValueError as err:
            problems.append(Problem(name, getattr(err, "lineno", None), None, f"JSON 格式错误：{err}"))
            continue
        if name in form_files(files):
            try:
                Draft202012Validator.check_schema(schema)
            except SchemaError as err:
                where = "/".join(str(p) for p in err.path) or "(根)"
                line = _json_line(files[name], err.path)
                problems.append(Problem(name, line, None, f"JSON Schema 无效（{where}）：{err.message}"))
    return problems


def _json_line(data: bytes, path: Iterable[Any]) -> int | None:
    """Best effort: the line of `path` in the JSON text, following its keys in order."""
    position = 0
    for key in (p for p in path if isinstance(p, str)):
        found = data.find(json.dumps(key, ensure_ascii=False).encode(), position)
        if found < 0:
            return None
        position = found
    return data.count(b"\n", 0, position) + 1


def _locate(trees: dict[str, etree._Element], element_id: str | None) -> tuple[str | None, int | None]:
    if element_id:
        for name, root in trees.items():
            found = root.xpath("//*[@id=$id]", id=element_id)
            if found:
                return name, found[0].sourceline
    return None, None


def _parse_specs(trees: dict[str, etree._Element], meta: ModelMeta, result: CheckResult) -> None:
    # Schema validation already ran above with every error collected, so the parser skips it.
    parser = SpiffBpmnParser()
    known = {(p.file, p.element_id) for p in result.problems}

    def report(err: Exception, default_file: str) -> None:
        element_id = getattr(err, "id", None) or None
        file, line = _locate(trees, element_id)
        file = getattr(err, "file_name", None) or file or default_file
        line = getattr(err, "line_number", None) or line
        if (file, element_id) not in known or element_id is None:
            message = str(err.args[0]) if err.args else type(err).__name__
            result.problems.append(Problem(file, line, element_id, f"流程解析错误：{message}"))

    for name, root in trees.items():
        try:
            parser.add_dmn_xml(root, filename=name) if name.endswith(".dmn") else parser.add_bpmn_xml(
                root, name
            )
        except Exception as err:
            report(err, name)
    process_ids = parser.get_process_ids()
    if meta.primary_process_id not in process_ids:
        message = f"主流程 {meta.primary_process_id!r} 不存在或不可执行（isExecutable）"
        result.problems.append(Problem(MODEL_FILE, None, None, message))
    for process_id in process_ids:
        try:
            spec = parser.get_spec(process_id)
            subprocess_specs = parser.get_subprocess_specs(process_id)
        except Exception as err:
            report(err, meta.primary_file)
            continue
        if process_id == meta.primary_process_id:
            result.spec, result.subprocess_specs = spec, subprocess_specs
