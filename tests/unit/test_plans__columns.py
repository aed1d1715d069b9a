"""The plan table's cells: the 行业 cell with its codes, and the diff of two revisions' rows."""

from __future__ import annotations

from adapters.plans.columns import compress_codes, format_industry, parse_industry, split_names
from adapters.plans.history import diff_tables


def test_industry_cell__codes_in_brackets_round_trip():
    codes = [str(c) for c in range(8391, 8400)]
    cell = format_industry("校外培训机构", compress_codes(codes))
    assert cell == "校外培训机构（8391–8399）"
    assert parse_industry(cell) == ("校外培训机构", codes, [])
    assert parse_industry("餐饮服务（621、622）") == ("餐饮服务", ["621", "622"], [])
    assert parse_industry("加油站(F5265)") == ("加油站", ["5265"], [])


def test_industry_cell__words_in_brackets_stay_in_the_name():
    assert parse_industry("住宿（旅馆）") == ("住宿（旅馆）", [], [])
    assert parse_industry("旅馆") == ("旅馆", [], [])


def test_industry_cell__bad_codes_are_reported():
    name, _codes, problems = parse_industry("药品零售（9999、A6210）")
    assert name == "药品零售"
    assert any("99" in p for p in problems) and any("A" in p and "H" in p for p in problems)
    assert parse_industry("培训（8399–8391）")[2] == ["行业代码范围无效：8399–8391"]
    assert "过大" in parse_industry("制造业（1300–1999）")[2][0]


def test_department_cell__separators():
    assert split_names("消防救援支队、生态环境局,卫生健康委；商务局\n公安局") == [
        "消防救援支队",
        "生态环境局",
        "卫生健康委",
        "商务局",
        "公安局",
    ]


def _row(key: str, **cells: str) -> dict:
    base = {
        "row_key": key,
        "seq": "1",
        "task_name": "餐饮服务单位联合抽查",
        "ratio": "5%",
        "lead": "市场监管局",
    }
    return {**base, **cells}


def test_diff__added_removed_and_changed_columns():
    old = [_row("a"), _row("b", task_name="加油站联合抽查", seq="2")]
    new = [_row("a", ratio="3%", seq="2"), _row("c", task_name="药品零售联合抽查")]
    diff = diff_tables(old, new)
    assert [r.row_key for r in diff.added] == ["c"]
    assert [r.task_name for r in diff.removed] == ["加油站联合抽查"]
    (change,) = diff.changed
    assert [(c.column, c.old, c.new) for c in change.changes] == [
        ("抽查比例", "5%", "3%")
    ]  # 序号 is not a change


def test_diff__same_rows_is_empty():
    rows = [_row("a"), _row("b")]
    assert diff_tables(rows, [dict(r) for r in rows]).empty
