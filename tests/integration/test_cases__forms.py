"""Posted HTML forms → the JSON their schema describes (web/forms_render.py), checked against the
engine's own validation. No database."""

from __future__ import annotations

import json

from werkzeug.datastructures import MultiDict

from adapters.workflow import versions
from engine import forms
from web.forms_render import parse, protect

SCHEMA = {
    "type": "object",
    "required": ["count", "kind"],
    "properties": {
        "count": {"type": "integer", "title": "数量"},
        "ratio": {"type": "number", "title": "比例"},
        "kind": {
            "type": "string",
            "title": "类型",
            "oneOf": [{"const": "a", "title": "甲"}, {"const": "b", "title": "乙"}],
        },
        "level": {"type": "integer", "title": "级别", "enum": [1, 2, 3]},
        "tags": {
            "type": "array",
            "title": "标签",
            "uniqueItems": True,
            "items": {"type": "string", "enum": ["x", "y", "z"]},
        },
        "agreed": {"type": "boolean", "title": "同意"},
        "when": {"type": "string", "format": "date", "title": "日期"},
        "at": {"type": "string", "format": "date-time", "title": "时间"},
        "notes": {"type": "array", "title": "备注", "items": {"type": "string"}},
        "fixed": {"type": "string", "title": "编号", "readOnly": True},
        "rows": {
            "type": "array",
            "title": "移送",
            "items": {
                "type": "object",
                "required": ["problem"],
                "properties": {"problem": {"type": "string", "title": "问题"}},
            },
        },
    },
}
DESCRIPTION = forms.describe(SCHEMA)


def post(**pairs) -> MultiDict:
    items = []
    for key, value in pairs.items():
        for v in value if isinstance(value, list) else [value]:
            items.append((key.replace("__", "."), v))
    return MultiDict(items)


def test_parse__types_follow_the_schema():
    form = post(
        count="3", ratio="0.25", kind="b", level="2", tags=["z", "x"], agreed="true", when="2026-09-15",
        at="2026-09-15T10:30", notes="一\n\n二 ", fixed="FORGED",
    )  # fmt: skip
    data, problems = parse(DESCRIPTION, form, MultiDict(), {"fixed": "N-1", "other": 5})
    assert problems == {}
    assert data == {
        "count": 3, "ratio": 0.25, "kind": "b", "level": 2, "tags": ["x", "z"], "agreed": True,
        "when": "2026-09-15", "at": "2026-09-15T10:30:00+08:00", "notes": ["一", "二"], "fixed": "N-1", "other": 5,
        "rows": [],
    }  # fmt: skip
    assert forms.validate(SCHEMA, data) == {}


def test_parse__what_is_not_a_number_is_kept_for_the_message():
    data, _ = parse(DESCRIPTION, post(count="三", kind="a", ratio="1e999"), MultiDict(), {})
    assert data["count"] == "三" and data["ratio"] == "1e999"
    errors = forms.validate(SCHEMA, data)
    assert errors["count"] == "应为整数" and errors["ratio"] == "应为数字"


def test_parse__empty_inputs_are_absent_so_required_fields_say_so():
    data, _ = parse(DESCRIPTION, post(count=" ", kind="", agreed=""), MultiDict(), {"count": 9})
    assert "count" not in data and "kind" not in data and data["agreed"] is False
    assert forms.validate(SCHEMA, data) == {"count": "必填项", "kind": "必填项"}


def test_parse__open_table_rows_blank_and_removed_rows_are_dropped():
    form = MultiDict(
        [("count", "1"), ("kind", "a"), *[("rows.__row", str(i)) for i in range(4)], ("rows.0.problem", "无证经营"),
         ("rows.1.problem", ""), ("rows.2.problem", "占道"), ("rows.2.__delete", "true"), ("rows.3.problem", "油烟")]
    )  # fmt: skip
    data, _ = parse(DESCRIPTION, form, MultiDict(), {})
    assert data["rows"] == [{"problem": "无证经营"}, {"problem": "油烟"}]


def test_parse__checklist_rows_are_the_given_ones():
    schema = json.loads((versions.PROCESSES_DIR / "inspection_case" / "checklist.json").read_text())
    ui = json.loads((versions.PROCESSES_DIR / "inspection_case" / "checklist_ui.json").read_text())
    described = forms.describe(schema, ui)
    prefill = {
        "department": "7",
        "results": [{"item_code": "A-1", "item_name": "许可", "result_codes": [], "note": ""}],
        "summary": "",
    }
    form = post(
        results__0__result_codes=["A", "2"],
        results__0__note="缺台账",
        results__5__note="多余",
        department="1",
    )
    data, _ = parse(described, form, MultiDict(), prefill)
    assert data["department"] == "7" and len(data["results"]) == 1
    assert data["results"][0] == {
        "item_code": "A-1",
        "item_name": "许可",
        "result_codes": ["A", "2"],
        "note": "缺台账",
        "attachments": [],
    }


def test_protect__api_data_keeps_read_only_values_and_rows():
    schema = json.loads((versions.PROCESSES_DIR / "inspection_case" / "checklist.json").read_text())
    described = forms.describe(schema)
    prefill = {"department": "7", "results": [{"item_code": "A-1", "item_name": "许可", "result_codes": []}]}
    sent = {"department": "9", "results": [{"item_code": "FORGED", "result_codes": ["1"]}]}
    data, problems = protect(described, sent, prefill)
    assert problems == {} and data["department"] == "7"
    assert data["results"] == [{"item_code": "A-1", "item_name": "许可", "result_codes": ["1"]}]
    _data, problems = protect(described, {"results": []}, prefill)
    assert "results" in problems
