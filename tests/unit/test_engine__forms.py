"""Form descriptions for the web layer and Chinese, per-field validation messages."""

from __future__ import annotations

import json

from engine import forms
from tests.unit.process_support import PROCESSES, RESULT_CODES


def _load(model: str, name: str) -> dict:
    return json.loads((PROCESSES / model / name).read_text())


RESULT_SOURCES = {"result_code_choices": lambda: [{"const": c, "title": t} for c, t in RESULT_CODES]}


def test_forms__checklist_is_described_as_a_table_with_a_multiselect():
    schema = forms.resolve_choices(_load("inspection_case", "checklist.json"), {}, RESULT_SOURCES)
    form = forms.describe(schema, _load("inspection_case", "checklist_ui.json"))
    assert [(f.name, f.kind) for f in form.fields] == [
        ("department", "hidden"),
        ("results", "table"),
        ("summary", "textarea"),
    ]
    table = form.fields[1]
    assert table.required and table.title == "抽查事项结果"
    columns = {c.name: c for c in table.columns}
    assert [c.name for c in table.columns] == [
        "item_code",
        "item_name",
        "result_codes",
        "note",
        "attachments",
    ]
    assert columns["attachments"].kind == "attachments"  # photos and documents per item
    assert columns["item_code"].read_only
    codes = columns["result_codes"]
    assert codes.kind == "multiselect" and codes.widget == "checkboxes"
    assert codes.choices[0] == forms.Choice("1", "未发现问题")
    assert forms.Choice("8", "不配合检查情节严重") in codes.choices


def test_forms__field_kinds():
    schema = {
        "title": "样例",
        "type": "object",
        "required": ["when"],
        "properties": {
            "when": {"type": "string", "format": "date", "title": "日期", "description": "检查日期"},
            "count": {"type": "integer", "title": "数量"},
            "amount": {"type": "number"},
            "ok": {"type": "boolean", "default": False},
            "legacy": {"type": "string", "enum": ["a", "b"], "enumNames": ["甲", "乙"]},
            "file": {"type": "string", "format": "attachment"},
            "dept": {"type": "string", "x-choices-from": "departments"},
            "name": {"type": "string"},
        },
    }
    form = forms.describe(schema, {"ui:order": ["name", "when"], "name": {"ui:placeholder": "姓名"}})
    kinds = {f.name: f.kind for f in form.fields}
    assert [f.name for f in form.fields][:2] == ["name", "when"]
    assert kinds == {
        "name": "text",
        "when": "date",
        "count": "integer",
        "amount": "number",
        "ok": "boolean",
        "legacy": "select",
        "file": "attachment",
        "dept": "select",
    }
    when = form.fields[1]
    assert (when.required, when.help, form.title) == (True, "检查日期", "样例")
    assert next(f for f in form.fields if f.name == "legacy").choices == (
        forms.Choice("a", "甲"),
        forms.Choice("b", "乙"),
    )
    assert form.fields[0].placeholder == "姓名"


def test_forms__choices_from_a_named_source_each_time():
    calls = []
    options = [{"const": "1", "title": "未发现问题"}]

    def source():
        calls.append(1)
        return list(options)

    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "array", "items": {"type": "string", "x-choices-service": "codes"}},
            "b": {"type": "string", "x-choices-service": "codes"},
            "c": {"type": "string", "x-choices-service": "unknown"},
        },
    }
    resolved = forms.resolve_choices(schema, {}, {"codes": source})
    assert resolved["properties"]["a"]["items"]["oneOf"] == options and len(calls) == 1
    assert "oneOf" not in resolved["properties"]["c"]  # no such source: left alone
    options.append({"const": "E", "title": "发现问题已责令改正"})
    again = forms.resolve_choices(schema, {}, {"codes": source})
    assert forms.validate(again, {"a": ["E"], "b": "E"}) == {}
    assert forms.validate(resolved, {"a": ["E"]}) == {"a.0": "请选择有效的选项"}
    kinds = {f.name: f.kind for f in forms.describe(again).fields}
    assert kinds == {"a": "multiselect", "b": "select", "c": "select"}


def test_forms__a_schema_can_say_its_own_message():
    schema = _load("inspection_case", "checklist.json")
    row = {"item_code": "S1", "result_codes": ["1", "A"]}
    assert forms.validate(schema, {"results": [row]}) == {
        "results.0.result_codes": "“未发现问题”不能与其他检查结果同时选择"
    }


def test_forms__validate_translates_errors_per_field():
    schema = forms.resolve_choices(_load("inspection_case", "checklist.json"), {}, RESULT_SOURCES)
    data = {
        "results": [
            {"item_code": "S1", "result_codes": []},
            {"item_code": "S2", "result_codes": ["Z"]},
            {"result_codes": ["A", "A"]},
        ],
        "summary": 5,
    }
    assert forms.validate(schema, data) == {
        "results.0.result_codes": "至少选择或填写 1 项",
        "results.1.result_codes.0": "请选择有效的选项",
        "results.2.item_code": "必填项",
        "results.2.result_codes": "不能有重复项",
        "summary": "应为文本",
    }


def test_forms__validate_dates_lengths_and_conditional_requirements():
    notice = _load("inspection_case", "notice.json")
    assert forms.validate(notice, {"notice_no": "", "visit_date": "2026-13-01"}) == {
        "notice_no": "不能为空",
        "visit_date": "日期格式应为 YYYY-MM-DD",
    }
    assert forms.validate(notice, {"notice_no": "N", "visit_date": "2026-09-15"}) == {}
    review = _load("inspection_case", "review.json")
    assert forms.validate(review, {"decision": "return"}) == {
        "return_department": "必填项",
        "reason": "必填项",
    }
    assert forms.validate(review, {"decision": "approve"}) == {}
    assert forms.validate(review, []) == {forms.ROOT_FIELD: "应为对象"}


def test_forms__choices_from_task_data():
    schema = _load("inspection_case", "review.json")
    data = {"department_choices": [{"const": "10", "title": "市场监督管理局"}, "20"]}
    resolved = forms.resolve_choices(schema, data)
    assert resolved["properties"]["return_department"]["oneOf"] == [
        {"const": "10", "title": "市场监督管理局"},
        {"const": "20", "title": "20"},
    ]
    assert "oneOf" not in schema["properties"]["return_department"]  # the model's copy is untouched
    errors = forms.validate(resolved, {"decision": "return", "return_department": "99", "reason": "x"})
    assert errors == {"return_department": "请选择有效的选项"}
