"""Reading county files: encodings, workbooks, headers, empty and broken files."""

from adapters.db import db
from adapters.importers import run_import
from adapters.models import Enterprise
from tests import factories as f

HEADER = ["企业名称", "统一社会信用代码", "行业代码", "所属区域", "信用风险分类", "登记状态", "标签"]


def setup_regions():
    f.region()
    f.region("130102", "长安区", "county", parent="130100")
    db.session.commit()


def rows(n, start=0):
    return [
        [f"长安区第{i}号餐馆", f.uscc(i, "130102"), "6210", "长安区", "A", "存续", "餐饮"]
        for i in range(start, start + n)
    ]


def names():
    return sorted(db.session.execute(db.select(Enterprise.name)).scalars())


def test_files__gbk_csv_is_read(app, tmp_path):
    setup_regions()
    path = f.write_table(tmp_path / "gbk.csv", HEADER, rows(3), encoding="gbk")
    report = run_import(db.engine, "enterprises", path)
    assert (report.encoding, report.created, report.written) == ("gb18030", 3, True)
    assert names()[0] == "长安区第0号餐馆"


def test_files__utf8_with_bom_is_read_and_the_bom_is_not_part_of_the_header(app, tmp_path):
    setup_regions()
    path = f.write_table(tmp_path / "bom.csv", HEADER, rows(2), encoding="utf-8-sig")
    report = run_import(db.engine, "enterprises", path)
    assert report.encoding == "utf-8-sig" and report.created == 2 and report.warning_count == 0


def test_files__xlsx_with_numbers_dates_and_a_title_row(app, tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    setup_regions()
    book = Workbook()
    sheet = book.active
    sheet.append(["长安区检查对象名录"])  # a title row above the header
    sheet.append(["企业名称", "统一社会信用代码", "国民经济行业代码", "行政区划代码", "最近检查日期"])
    sheet.append(["老王种植合作社", f.uscc(1, "130102"), 111, 130102, datetime(2025, 5, 6)])
    sheet.cell(row=3, column=3).number_format = "0000"  # shown as 0111
    path = tmp_path / "register.xlsx"
    book.save(path)
    report = run_import(db.engine, "enterprises", path)
    assert report.problems == [] and report.created == 1
    stored = db.session.execute(db.select(Enterprise)).scalar_one()
    assert (stored.industry_code, stored.region_code, str(stored.last_inspected_on)) == (
        "0111",
        "130102",
        "2025-05-06",
    )


def test_files__xlsx_problems_carry_spreadsheet_row_numbers(app, tmp_path):
    setup_regions()
    data = rows(3)
    data[1][1] = "91130102MA0000000"  # 17 characters
    path = f.write_table(tmp_path / "bad.xlsx", HEADER, data)
    report = run_import(db.engine, "enterprises", path)
    assert [(p.row, p.column) for p in report.problems] == [(3, "统一社会信用代码")]


def test_files__missing_required_columns_is_a_file_error(app, tmp_path):
    setup_regions()
    path = f.write_table(tmp_path / "short.csv", ["企业名称", "地址"], [["甲", "中山路1号"]])
    report = run_import(db.engine, "enterprises", path)
    missing = {p.column for p in report.problems if p.level == "error"}
    assert missing == {"统一社会信用代码", "所属区域", "行业代码"}
    assert report.outcome == "rejected" and report.rows == 0 and names() == []


def test_files__unknown_columns_are_warnings_and_the_rest_imports(app, tmp_path):
    setup_regions()
    path = f.write_table(
        tmp_path / "extra.csv",
        [*HEADER, "注册资本", "成立日期"],
        [r + ["100万", "2020-01-01"] for r in rows(2)],
    )
    report = run_import(db.engine, "enterprises", path)
    assert report.created == 2 and report.outcome == "imported"
    assert {(p.column, p.level) for p in report.problems} == {
        ("注册资本", "warning"),
        ("成立日期", "warning"),
    }


def test_files__empty_file_and_header_only(app, tmp_path):
    setup_regions()
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert [p.message for p in run_import(db.engine, "enterprises", empty).problems] == ["文件为空"]
    header_only = f.write_table(tmp_path / "header.csv", HEADER, [])
    report = run_import(db.engine, "enterprises", header_only)
    assert report.outcome == "rejected" and "没有数据行" in report.problems[0].message


def test_files__undecodable_bytes_and_old_excel_are_refused_clearly(app, tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\xff\xfe\x00\x81\x30\xff" * 10)
    assert "UTF-16" in run_import(db.engine, "enterprises", junk).problems[0].message
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"name\n\x81\x30\xff\xff\n")
    assert "无法识别文件编码" in run_import(db.engine, "enterprises", latin).problems[0].message
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert ".xls" in run_import(db.engine, "enterprises", xls).problems[0].message


def test_files__unbalanced_quote_is_reported_not_raised(app, tmp_path):
    setup_regions()
    path = tmp_path / "quote.csv"
    good = ",".join(HEADER) + "\n" + ",".join(rows(1)[0]) + "\n"
    path.write_text(good + '"甲,' + "x" * 200_000 + "\n", encoding="utf-8")
    report = run_import(db.engine, "enterprises", path)
    assert report.outcome == "rejected" and "CSV 格式错误" in report.problems[-1].message
    assert names() == []
