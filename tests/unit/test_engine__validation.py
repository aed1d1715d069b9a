"""Model validation: every shipped model is clean; every kind of mistake is reported with its
file, line and element."""

from __future__ import annotations

import json

import pytest

from engine.models import content_hash, load_model_folder, model_folders
from engine.validation import ModelChecker, ModelInvalid
from tests.unit.process_support import PROCESSES, linear, make_engine, tiny_model

USER_TASK = (
    '<bpmn:userTask id="e1" name="填表"><bpmn:extensionElements><spiffworkflow:properties>'
    '<spiffworkflow:property name="formJsonSchemaFilename" value="form.json"/>'
    "</spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>"
)
FORM = json.dumps({"type": "object", "properties": {"a": {"type": "string"}}}).encode()


@pytest.fixture(scope="module")
def checker():
    return ModelChecker()


def line_of(files: dict[str, bytes], name: str, marker: str) -> int:
    text = files[name].decode()
    return text[: text.index(marker)].count("\n") + 1


def problems(checker, files):
    return checker.check(files).problems


@pytest.mark.parametrize("folder", model_folders(PROCESSES), ids=lambda p: p.name)
def test_validation__shipped_models_are_clean(checker, folder):
    result = checker.check(load_model_folder(folder))
    assert result.problems == []
    assert result.spec is not None


def test_validation__a_clean_tiny_model_parses(checker):
    assert problems(checker, tiny_model(linear(USER_TASK), extra={"form.json": FORM})) == []


def test_validation__malformed_xml_reports_the_line(checker):
    files = tiny_model(linear('<bpmn:task id="e1" name="未闭合">'))
    [problem] = problems(checker, files)
    assert (problem.file, problem.line) == ("p.bpmn", line_of(files, "p.bpmn", "</bpmn:process>"))
    assert problem.message.startswith("XML 格式错误")


def test_validation__unsupported_element(checker):
    files = tiny_model(linear('<bpmn:complexGateway id="e1"/>'))
    found = problems(checker, files)
    assert found[0].file == "p.bpmn"
    assert found[0].line == line_of(files, "p.bpmn", "<bpmn:complexGateway")
    assert (found[0].element_id, found[0].message) == ("e1", "不支持的元素：复杂网关")


def test_validation__link_events_are_refused_not_ignored(checker):
    files = tiny_model(
        linear(
            '<bpmn:intermediateThrowEvent id="e1"><bpmn:linkEventDefinition name="x"/></bpmn:intermediateThrowEvent>'
        )
    )
    [problem] = problems(checker, files)
    assert (problem.line, problem.element_id, problem.message) == (
        line_of(files, "p.bpmn", "<bpmn:linkEventDefinition"),
        "e1",
        "不支持的元素：链接事件",
    )


def test_validation__missing_dmn(checker):
    task = (
        '<bpmn:businessRuleTask id="e1"><bpmn:extensionElements>'
        "<spiffworkflow:calledDecisionId>risk_ratio</spiffworkflow:calledDecisionId>"
        "</bpmn:extensionElements></bpmn:businessRuleTask>"
    )
    files = tiny_model(linear(task))
    found = problems(checker, files)
    assert [(p.file, p.line, p.element_id) for p in found] == [
        ("p.bpmn", line_of(files, "p.bpmn", "<bpmn:businessRuleTask"), "e1")
    ]
    assert "risk_ratio" in found[0].message and "不存在" in found[0].message


def test_validation__bad_script_syntax_points_into_the_script(checker):
    script = '<bpmn:scriptTask id="e1"><bpmn:script>a = 1\nb = (a +</bpmn:script></bpmn:scriptTask>'
    files = tiny_model(linear(script))
    [problem] = problems(checker, files)
    assert (problem.line, problem.element_id) == (line_of(files, "p.bpmn", "b = (a +"), "e1")
    assert problem.message.startswith("脚本有误")


def test_validation__dunder_access_in_a_script_is_refused(checker):
    script = '<bpmn:scriptTask id="e1"><bpmn:script>x = ().__class__.__base__.__subclasses__()</bpmn:script></bpmn:scriptTask>'
    [problem] = problems(checker, tiny_model(linear(script)))
    assert problem.element_id == "e1" and "__class__" in problem.message


def test_validation__bad_condition(checker):
    body = (
        '<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="g" default="f2"/>'
        '<bpmn:endEvent id="end"/><bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="g"/>\n'
        '<bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="end">\n'
        "<bpmn:conditionExpression>decision = 'yes'</bpmn:conditionExpression></bpmn:sequenceFlow>\n"
        '<bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="end"/>'
    )
    files = tiny_model(body)
    [problem] = problems(checker, files)
    assert (problem.line, problem.element_id) == (line_of(files, "p.bpmn", "<bpmn:conditionExpression"), "f1")
    assert problem.message.startswith("条件有误")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [("due_date(20", "定时器表达式有误"), ('"P3X"', "不是有效的 ISO 8601"), ("P3D", None), ('"P3D"', None)],
)
def test_validation__timer_expressions(checker, expression, expected):
    timer = (
        '<bpmn:intermediateCatchEvent id="e1"><bpmn:timerEventDefinition>'
        f"<bpmn:timeDuration>{expression}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
    )
    files = tiny_model(linear(timer))
    found = problems(checker, files)
    if expected is None:
        # `P3D` unquoted is a variable name: valid syntax, evaluated at run time
        assert found == []
    else:
        assert [(p.line, p.element_id) for p in found] == [
            (line_of(files, "p.bpmn", "<bpmn:timeDuration"), "e1")
        ]
        assert expected in found[0].message


def test_validation__missing_form_file(checker):
    files = tiny_model(linear(USER_TASK))
    [problem] = problems(checker, files)
    assert (problem.file, problem.line, problem.element_id) == (
        "p.bpmn",
        line_of(files, "p.bpmn", '<spiffworkflow:property name="formJsonSchemaFilename"'),
        "e1",
    )
    assert problem.message == "表单文件 'form.json' 不存在"


def test_validation__invalid_json_schema(checker):
    bad = b'{\n  "type": "object",\n  "properties": {\n    "a": {"type": "text"}\n  }\n}\n'
    [problem] = problems(checker, tiny_model(linear(USER_TASK), extra={"form.json": bad}))
    assert (problem.file, problem.line) == ("form.json", 4)
    assert problem.message.startswith("JSON Schema 无效")


def test_validation__broken_json_file(checker):
    [problem] = problems(checker, tiny_model(linear(USER_TASK), extra={"form.json": b'{\n "type": \n'}))
    assert (problem.file, problem.line) == ("form.json", 3) and problem.message.startswith("JSON 格式错误")


def test_validation__lane_without_hint_in_model_json(checker):
    body = (
        '<bpmn:laneSet id="ls"><bpmn:lane id="l1" name="lead"><bpmn:flowNodeRef>start</bpmn:flowNodeRef>'
        "</bpmn:lane></bpmn:laneSet>\n" + linear()
    )
    files = tiny_model(body)
    [problem] = problems(checker, files)
    assert (problem.element_id, problem.line) == ("l1", line_of(files, "p.bpmn", '<bpmn:lane id="l1"'))
    assert "lead" in problem.message


def test_validation__schema_violation_and_duplicate_ids(checker):
    files = tiny_model(linear('<bpmn:task id="e1" color="red"/>', '<bpmn:task id="e1"/>'))
    found = problems(checker, files)
    assert any(p.message.startswith("不符合 BPMN/DMN 规范") for p in found)
    assert any(p.message == "元素 id 'e1' 重复" for p in found)


def test_validation__every_problem_is_reported_at_once(checker):
    body = linear(
        '<bpmn:scriptTask id="e1"><bpmn:script>x = (</bpmn:script></bpmn:scriptTask>',
        USER_TASK.replace('id="e1"', 'id="e2"'),
        '<bpmn:complexGateway id="e3"/>',
    )
    found = problems(checker, tiny_model(body, extra={"bad.json": b"{"}))
    assert {p.element_id for p in found} >= {"e1", "e2", "e3"}
    assert "bad.json" in {p.file for p in found}


def test_validation__model_json_problems(checker):
    files = tiny_model(linear())
    files["model.json"] = json.dumps({"id": "p", "name": "测试"}).encode()
    [problem] = problems(checker, files)
    assert problem.file == "model.json" and "primary_file" in problem.message
    del files["model.json"]
    assert problems(checker, files)[0].message == "缺少模型说明文件 model.json"


def test_validation__parse_raises_with_every_problem():
    with pytest.raises(ModelInvalid) as err:
        make_engine().parse(tiny_model(linear(USER_TASK)))
    assert [p.message for p in err.value.problems] == ["表单文件 'form.json' 不存在"]
    assert err.value.fields == {f"p.bpmn:{err.value.problems[0].line}": "表单文件 'form.json' 不存在"}


def test_models__content_hash_identifies_a_version():
    files = tiny_model(linear(USER_TASK), extra={"form.json": FORM})
    same = dict(reversed(list(files.items())))
    assert content_hash(files) == content_hash(same)
    assert content_hash(files) != content_hash({**files, "form.json": FORM + b" "})
    renamed = {("other.json" if k == "form.json" else k): v for k, v in files.items()}
    assert content_hash(files) != content_hash(renamed)


def test_models__parse_is_cached_per_version():
    engine = make_engine()
    files = tiny_model(linear(USER_TASK), extra={"form.json": FORM})
    parsed = engine.parse(files)
    assert engine.parse(dict(files)) is parsed
    assert engine.cached(parsed.hash) is parsed
    assert engine.parse({**files, "form.json": FORM + b"\n"}) is not parsed
