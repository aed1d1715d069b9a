from engine.importing import ENTERPRISE_COLUMNS, INSPECTOR_COLUMNS, looks_like_header, map_headers


def test_headers__aliases_and_spacing_map_to_the_same_columns():
    header = map_headers(
        ENTERPRISE_COLUMNS,
        ["市场主体名称", " *统一社会信用代码 ", "国民经济行业代码", "行政区划代码", "住所（经营场所）"],
    )
    assert header.ok
    assert header.positions == {"name": 0, "uscc": 1, "industry_code": 2, "region": 3, "address": 4}
    assert header.titles["address"] == "住所（经营场所）"


def test_headers__unknown_column_is_a_warning_and_ignored():
    header = map_headers(
        ENTERPRISE_COLUMNS, ["企业名称", "统一社会信用代码", "行业代码", "所属区域", "注册资本"]
    )
    assert header.ok
    [warning] = header.problems
    assert (warning.level, warning.column, warning.row) == ("warning", "注册资本", 1)
    assert "注册资本" not in header.titles.values()


def test_headers__missing_required_column_is_a_file_error_naming_it():
    header = map_headers(INSPECTOR_COLUMNS, ["姓名", "所属部门"])
    assert not header.ok
    [problem] = header.problems
    assert problem.row is None and problem.column == "执法证号" and "缺少必填列" in problem.message


def test_headers__the_same_column_twice_is_an_error():
    header = map_headers(ENTERPRISE_COLUMNS, ["企业名称", "名称", "统一社会信用代码", "行业代码", "所属区域"])
    assert not header.ok
    assert any("同一列" in p.message and p.column == "名称" for p in header.problems)


def test_headers__blank_header_cells_are_not_reported():
    header = map_headers(
        ENTERPRISE_COLUMNS, ["企业名称", "统一社会信用代码", "行业代码", "所属区域", "", "  "]
    )
    assert header.ok and header.problems == ()


def test_headers__a_title_row_is_not_a_header():
    assert not looks_like_header(ENTERPRISE_COLUMNS, ["长安区检查对象名录（2026年）", "", ""])
    assert looks_like_header(ENTERPRISE_COLUMNS, ["序号", "企业名称", "统一社会信用代码"])
