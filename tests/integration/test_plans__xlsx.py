"""XLSX export and import of annual plans in the 12-column layout, on both backends."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from adapters.db import db
from adapters.models import AnnualPlanRow
from adapters.plans import history
from adapters.plans.columns import COLUMNS
from adapters.plans.rows import department_names
from adapters.plans.xlsx import export_xlsx, import_xlsx
from tests import factories as f
from tests.integration.plans_support import YEAR, build_world, client_as, row_data, service

HEADERS = [
    "序号",
    "行业",
    "牵头部门",
    "任务名称",
    "联查部门",
    "抽查事项",
    "联查对象",
    "检查主体",
    "责任分工",
    "抽查比例",
    "时间安排",
    "备注",
]


@pytest.fixture
def w(app):
    return build_world(app)


@pytest.fixture
def drafted(w):
    """The 2026 plan with three rows the office wrote (one spans an industry code range)."""
    office = service(w["office"])
    plan = office.create_plan(YEAR, "130100", lead_department_ids=[w["market"].id, w["commerce"].id])
    office.add_row(plan, row_data(w, "market", "餐饮服务单位联合抽查", notes="含学校食堂"))
    office.add_row(plan, row_data(w, "commerce", "加油站联合抽查"))
    codes = [str(c) for c in range(8391, 8400)]
    office.add_row(
        plan, row_data(w, "market", "校外培训机构联合抽查", industry="校外培训机构", industry_codes=codes)
    )
    db.session.commit()
    return plan


def _cells(plan, office) -> list[dict]:
    return history.table(office.working(plan))


def test_export__title_header_and_rows(w, drafted):
    office = service(w["office"])
    content = export_xlsx(drafted, office.working(drafted), department_names())
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "石家庄市2026年度部门联合“双随机、一公开”抽查计划"
    assert "A1:L1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [sheet.cell(row=2, column=i).value for i in range(1, 13)] == HEADERS
    assert [c.width for c in COLUMNS] == [sheet.column_dimensions[chr(64 + i)].width for i in range(1, 13)]
    assert sheet.column_dimensions["M"].hidden
    assert [sheet.cell(row=3, column=i).value for i in (1, 2, 3, 4, 5)] == [
        1,
        "餐饮服务（621、622）",
        "市场监管局",
        "餐饮服务单位联合抽查",
        "消防救援支队",
    ]
    assert sheet.cell(row=5, column=2).value == "校外培训机构（8391–8399）"
    assert sheet.cell(row=3, column=6).alignment.wrap_text


def test_import__export_round_trip_gives_the_same_rows(w, drafted, tmp_path):
    office = service(w["office"])
    before = _cells(drafted, office)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(export_xlsx(drafted, office.working(drafted), department_names()))
    result = import_xlsx(office, drafted, path)
    db.session.commit()
    assert result.ok and result.rows == 3, result.problems
    assert _cells(drafted, office) == before  # same cells, same row keys
    # into another year's plan: the same rows, new keys
    other = office.create_plan(YEAR + 1, "130100", lead_department_ids=[w["market"].id])
    assert import_xlsx(office, other, path).ok
    db.session.commit()
    strip = [{k: v for k, v in row.items() if k != "row_key"} for row in before]
    assert [{k: v for k, v in row.items() if k != "row_key"} for row in _cells(other, office)] == strip


def test_import__bad_department_reports_row_and_column_and_writes_nothing(w, drafted, tmp_path):
    office = service(w["office"])
    before = _cells(drafted, office)
    rows = [
        [
            1,
            "餐饮服务（621、622）",
            "市场监管局",
            "餐饮服务单位联合抽查",
            "消防救援支队",
            "",
            "",
            "",
            "",
            "5%",
            "",
            "",
        ],
        [2, "加油站（5265）", "商务厅", "加油站联合抽查", "消防救援支队、应急局", "", "", "", "", "", "", ""],
        [3, "药品零售（9999）", "市场监管局", "", "", "", "", "", "", "", "", ""],
    ]
    path = f.write_table(tmp_path / "bad.xlsx", HEADERS, rows)
    result = import_xlsx(office, drafted, path)
    db.session.rollback()
    problems = {(p.row, p.column) for p in result.problems if p.level == "error"}
    assert not result.ok
    assert (3, "牵头部门") in problems and (3, "联查部门") in problems
    assert (4, "行业") in problems and (4, "任务名称") in problems
    assert (2, "牵头部门") not in problems
    messages = " ".join(p.message for p in result.problems)
    assert "商务厅" in messages and "应急局" in messages
    assert _cells(drafted, office) == before
    total = db.session.scalar(select(func.count()).select_from(AnnualPlanRow))
    assert total == 3


def test_import__missing_required_column_rejects_the_file(w, drafted, tmp_path):
    office = service(w["office"])
    path = f.write_table(tmp_path / "short.csv", ["序号", "行业", "任务名称"], [[1, "餐饮服务", "x"]])
    result = import_xlsx(office, drafted, path)
    assert not result.ok and any(p.column == "牵头部门" and p.row is None for p in result.problems)


def test_import_page__office_uploads_and_sees_problems(app, w, drafted, tmp_path):
    client, token = client_as(app, w["office"])
    bad = f.write_table(
        tmp_path / "bad.xlsx", HEADERS, [[1, "加油站（5265）", "不存在的局", "加油站联合抽查"] + [""] * 8]
    )
    with bad.open("rb") as fh:
        resp = client.post(
            f"/plans/{drafted.id}/import", data={"csrf_token": token, "file": (fh, "bad.xlsx")}
        )
    text = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "不存在的局" in text and "牵头部门" in text
    exported = client.get(f"/plans/{drafted.id}/export.xlsx")
    assert exported.status_code == 200
    good = tmp_path / "good.xlsx"
    good.write_bytes(exported.data)
    with good.open("rb") as fh:
        resp = client.post(
            f"/plans/{drafted.id}/import", data={"csrf_token": token, "file": (fh, "good.xlsx")}
        )
    assert resp.status_code == 200
    officer, officer_token = client_as(app, w["officer_market"])
    with good.open("rb") as fh:
        resp = officer.post(
            f"/plans/{drafted.id}/import", data={"csrf_token": officer_token, "file": (fh, "good.xlsx")}
        )
    assert resp.status_code == 403
