"""`liancha import enterprises|inspectors FILE` with its options."""

import csv

from adapters.db import db
from adapters.models import Enterprise
from tests import factories as f
from web.cli import main

HEADER = ["企业名称", "统一社会信用代码", "行业代码", "所属区域"]


def setup_file(tmp_path, bad=False):
    f.region()
    f.region("130102", "长安区", "county", parent="130100")
    db.session.commit()
    rows = [[f"企业{i}", f.uscc(i, "130102"), "6210", "长安区"] for i in range(5)]
    if bad:
        rows[2][1] = f.pilot_uscc(2)
    return f.write_table(tmp_path / "register.csv", HEADER, rows)


def count():
    db.session.expire_all()
    return db.session.execute(db.select(db.func.count(Enterprise.id))).scalar_one()


def test_cli__imports_and_summarises_then_second_run_changes_nothing(runner, tmp_path):
    path = setup_file(tmp_path)
    first = runner.invoke(main, ["import", "enterprises", str(path)])
    second = runner.invoke(main, ["import", "enterprises", str(path)])
    assert first.exit_code == 0, first.output
    assert "新增 5，更新 0，未变 0，无效 0" in first.output and "导入完成" in first.output
    assert "新增 0，更新 0，未变 5，无效 0" in second.output
    assert count() == 5


def test_cli__invalid_row_fails_writes_nothing_and_reports_to_a_bom_csv(runner, tmp_path):
    path = setup_file(tmp_path, bad=True)
    report = tmp_path / "problems.csv"
    result = runner.invoke(main, ["import", "enterprises", str(path), "--report", str(report)])
    assert result.exit_code == 1 and "未导入任何数据" in result.output and count() == 0
    raw = report.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert lines[0] == ["行号", "列", "级别", "问题"] and lines[1][:3] == ["4", "统一社会信用代码", "错误"]


def test_cli__skip_invalid_imports_the_rest_and_writes_the_report_next_to_the_file(runner, tmp_path):
    path = setup_file(tmp_path, bad=True)
    result = runner.invoke(main, ["import", "enterprises", str(path), "--skip-invalid"])
    assert result.exit_code == 0 and count() == 4
    assert (tmp_path / "register_导入问题.csv").is_file() and "问题清单已写入" in result.output


def test_cli__dry_run_writes_nothing(runner, tmp_path):
    path = setup_file(tmp_path)
    result = runner.invoke(main, ["import", "enterprises", str(path), "--dry-run"])
    assert result.exit_code == 0 and "新增 5" in result.output and "未写入任何数据" in result.output
    assert count() == 0


def test_cli__pilot_codes_with_the_option_and_an_operator(runner, tmp_path):
    path = setup_file(tmp_path, bad=True)
    f.user("office1", ["office"])
    db.session.commit()
    result = runner.invoke(
        main, ["import", "enterprises", str(path), "--allow-pilot-codes", "--user", "office1"]
    )
    assert result.exit_code == 0, result.output
    assert (
        db.session.execute(db.select(Enterprise).filter_by(uscc_override=True))
        .scalar_one()
        .uscc_override_by_id
    )


def test_cli__inspectors(runner, tmp_path):
    f.region()
    f.department("市场监管局")
    db.session.commit()
    path = f.write_table(
        tmp_path / "i.csv", ["姓名", "所属部门", "执法证号"], [["张三", "市场监管局", "A001"]]
    )
    result = runner.invoke(main, ["import", "inspectors", str(path)])
    assert result.exit_code == 0 and "新增 1" in result.output
