from datetime import date

from engine.identifiers import make_uscc
from engine.importing import (
    ENTERPRISE_COLUMNS,
    INSPECTOR_COLUMNS,
    EnterpriseValidator,
    InspectorValidator,
    Lookups,
    map_headers,
)

LOOKUPS = Lookups(
    regions={"130100": ("石家庄市", True), "130102": ("长安区", True), "130199": ("旧区", False)},
    departments=[
        (1, "市场监管局", "市监局", "130100", True),
        (2, "市场监管局", None, "130102", True),
        (3, "消防救援大队", None, "130102", True),
        (4, "旧部门", None, "130102", False),
    ],
    today=date(2026, 6, 1),
)
ENTERPRISE_HEADER = [
    "企业名称",
    "统一社会信用代码",
    "行业代码",
    "所属区域",
    "信用风险分类",
    "登记状态",
    "标签",
    "最近检查日期",
]
GOOD = make_uscc("9", "1", "130102", "00000001")
PILOT = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")


def enterprises(lookups=LOOKUPS, header=ENTERPRISE_HEADER):
    return EnterpriseValidator(map_headers(ENTERPRISE_COLUMNS, header), lookups)


def test_enterprise_row__sound_row_becomes_typed_values():
    row, problems = enterprises().validate(
        2, ["老王餐馆", GOOD.lower(), "H6210", "长安区", "较高", "在业", "学校周边；重点时段", "2026/3/1"]
    )
    assert problems == []
    assert (row.uscc, row.industry_code, row.region_code, row.risk_class, row.status) == (
        GOOD,
        "6210",
        "130102",
        "C",
        "active",
    )
    assert (
        row.tags == ("学校周边", "重点时段")
        and row.last_inspected_on == date(2026, 3, 1)
        and not row.pilot_code
    )


def test_enterprise_row__empty_optional_cells_mean_keep():
    row, _ = enterprises().validate(2, ["老王餐馆", GOOD, "6210", "130102", "", "", "", ""])
    assert (row.risk_class, row.status, row.tags, row.last_inspected_on, row.address) == (
        None,
        None,
        None,
        None,
        None,
    )


def test_enterprise_row__every_problem_is_reported_with_row_and_header():
    _, problems = enterprises().validate(7, ["", "123", "9999", "火星区", "E", "歇业", "", "明天"])
    by_column = {p.column: p.message for p in problems}
    assert all(p.row == 7 for p in problems)
    assert set(by_column) == {
        "企业名称",
        "统一社会信用代码",
        "行业代码",
        "所属区域",
        "信用风险分类",
        "登记状态",
        "最近检查日期",
    }
    assert "18位" in by_column["统一社会信用代码"] and "大类不存在" in by_column["行业代码"]


def test_enterprise_row__wrong_check_character_is_an_error_with_a_hint():
    _, [problem] = enterprises().validate(2, ["老王餐馆", PILOT, "6210", "130102", "", "", "", ""])
    assert "校验位错误" in problem.message and "早期试点代码" in problem.message


def test_enterprise_row__pilot_code_accepted_only_when_allowed():
    allowed = Lookups(LOOKUPS.regions, LOOKUPS.departments, LOOKUPS.today, allow_pilot_codes=True)
    row, problems = enterprises(allowed).validate(2, ["老王餐馆", PILOT, "6210", "130102", "", "", "", ""])
    assert problems == [] and row.pilot_code


def test_enterprise_row__structural_code_errors_are_never_overridable():
    allowed = Lookups(LOOKUPS.regions, LOOKUPS.departments, LOOKUPS.today, allow_pilot_codes=True)
    _, problems = enterprises(allowed).validate(
        2, ["老王餐馆", "91ABCDEF" + GOOD[8:], "6210", "130102", "", "", "", ""]
    )
    assert problems and "行政区划码" in problems[0].message


def test_enterprise_row__duplicate_code_is_an_error_on_the_later_row():
    validator = enterprises()
    first, _ = validator.validate(2, ["甲", GOOD, "6210", "130102", "", "", "", ""])
    _, [problem] = validator.validate(9, ["乙", GOOD, "6210", "130102", "", "", "", ""])
    assert first is not None and problem.row == 9 and "与第2行重复" in problem.message


def test_enterprise_row__inactive_or_unknown_region_code_is_refused():
    validator = enterprises()
    assert "停用" in validator.validate(2, ["甲", GOOD, "6210", "130199", "", "", "", ""])[1][0].message
    assert (
        "不存在"
        in validator.validate(
            3, ["乙", make_uscc("9", "1", "130102", "00000002"), "6210", "130555", "", "", "", ""]
        )[1][0].message
    )


def test_enterprise_row__too_long_name_is_refused():
    _, problems = enterprises().validate(2, ["名" * 129, GOOD, "6210", "130102", "", "", "", ""])
    assert [p.message for p in problems] == ["企业名称不能超过128个字"]


def test_enterprise_row__short_rows_are_padded_with_empty_cells():
    row, problems = enterprises().validate(2, ["甲", GOOD, "6210", "130102"])
    assert problems == [] and row.tags is None


INSPECTOR_HEADER = ["姓名", "所属部门", "执法证号", "所属区域", "状态", "标签"]


def inspectors():
    return InspectorValidator(map_headers(INSPECTOR_COLUMNS, INSPECTOR_HEADER), LOOKUPS)


def test_inspector_row__department_by_name_or_short_name():
    validator = inspectors()
    row, problems = validator.validate(2, ["张三", "消防救援大队", "13010200001", "", "在岗", "消防"])
    assert problems == [] and row.department_id == 3 and row.active is True and row.tags == ("消防",)
    row, _ = validator.validate(3, ["李四", "市监局", "13010000002", "", "停用", ""])
    assert row.department_id == 1 and row.active is False


def test_inspector_row__same_department_name_needs_the_region():
    validator = inspectors()
    _, [problem] = validator.validate(2, ["张三", "市场监管局", "A1", "", "", ""])
    assert "对应多个部门" in problem.message
    row, problems = validator.validate(3, ["张三", "市场监管局", "A2", "长安区", "", ""])
    assert problems == [] and row.department_id == 2


def test_inspector_row__unknown_or_inactive_department_and_bad_status():
    validator = inspectors()
    _, problems = validator.validate(2, ["张三", "旧部门", "A1", "", "休假", ""])
    assert {p.message for p in problems} == {"部门已停用：旧部门", "状态无效：休假（应为 在岗/停用）"}
    _, [problem] = validator.validate(3, ["李四", "气象局", "A2", "", "", ""])
    assert problem.message == "部门不存在：气象局" and problem.column == "所属部门"


def test_inspector_row__duplicate_certificate_number():
    validator = inspectors()
    validator.validate(2, ["张三", "消防救援大队", "A 1", "", "", ""])
    _, [problem] = validator.validate(3, ["李四", "消防救援大队", "A1", "", "", ""])
    assert "与第2行重复" in problem.message and problem.column == "执法证号"
