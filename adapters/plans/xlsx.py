"""Annual plans to and from XLSX in the layout real plans print: a title row, the twelve columns
序号 … 备注, wrapped text; a hidden 行标识 column carries each row's key so that a re-imported
row keeps its identity across revisions (see docs/import.md, "Annual plans").

Import is all or nothing: every problem of every row is reported with its spreadsheet row and
column, and nothing is written unless the whole file is valid.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adapters.db import db
from adapters.importers.readers import open_table
from adapters.models import AnnualPlan, AnnualPlanRevision, AnnualPlanRow, Department
from adapters.plans import rows as plan_rows
from adapters.plans.columns import COLUMNS, KEY_COLUMN, LABELS, parse_industry, row_cells, split_names
from adapters.plans.service import PlanService
from engine.errors import ValidationFailed
from engine.importing import HEADER_SCAN_ROWS, Problem, UnreadableFile, looks_like_header, map_headers

SHEET_TITLE = "年度抽查计划"
MAX_ROWS = 2000
IMPORT_COLUMNS = tuple(c.as_import_column() for c in (*COLUMNS, KEY_COLUMN))


def export_xlsx(plan: AnnualPlan, revision: AnnualPlanRevision, names: Mapping[int, str]) -> bytes:
    """The revision's rows as a workbook: title, header, one row per joint task."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    width = len(COLUMNS)
    sheet.cell(row=1, column=1, value=plan.title).font = Font(bold=True, size=16)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.row_dimensions[1].height = 36
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="D9E1F2")
    for index, column in enumerate((*COLUMNS, KEY_COLUMN), start=1):
        cell = sheet.cell(row=2, column=index, value=column.label)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.column_dimensions[get_column_letter(width + 1)].hidden = True
    body = Alignment(vertical="top", wrap_text=True)
    for offset, row in enumerate(plan_rows.rows_of(revision)):
        cells = row_cells(row, names)
        for index, column in enumerate(COLUMNS, start=1):
            value: Any = row.seq if column.key == "seq" else cells[column.key]
            cell = sheet.cell(row=3 + offset, column=index, value=value)
            cell.alignment = Alignment(horizontal="center", vertical="top") if column.key == "seq" else body
            cell.border = border
        sheet.cell(row=3 + offset, column=width + 1, value=row.row_key)
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class ImportResult:
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)


def import_xlsx(plan_service: PlanService, plan: AnnualPlan, path: Path | str) -> ImportResult:
    """Replace the open draft's rows with the file's (office only); nothing is written when any
    row has an error."""
    plan_service.require("plans.manage")
    revision = plan_service.ensure_may_edit(plan, None)
    departments = plan_rows.scope(plan)
    result, parsed = read_plan_file(path, departments)
    if not result.ok:
        return result
    existing = plan_rows.rows_of(revision)
    keys = _keys(parsed, existing)
    for row in existing:
        db.session.delete(row)
    db.session.flush()
    for number, (values, key) in enumerate(zip(parsed, keys, strict=True), start=1):
        row = AnnualPlanRow(revision_id=revision.id, row_key=key)
        plan_rows.assign(row, {**values, "seq": number})
        db.session.add(row)
    db.session.flush()
    result.rows = len(parsed)
    return result


def read_plan_file(
    path: Path | str, departments: Mapping[int, Department]
) -> tuple[ImportResult, list[dict]]:
    """The rows of a plan file as row values (with `_key` and `_row`), and every problem."""
    result = ImportResult()
    parsed: list[dict] = []
    lookup = _department_lookup(departments)
    try:
        with open_table(path) as table:
            header = None
            for number, cells in table.rows():
                if header is None:
                    if looks_like_header(IMPORT_COLUMNS, cells):
                        header = map_headers(IMPORT_COLUMNS, cells, number)
                        result.problems.extend(header.problems)
                        if not header.ok:
                            return result, []
                    elif number >= HEADER_SCAN_ROWS:
                        break
                    continue
                values = {
                    k: (cells[i] if i < len(cells) else "").strip() for k, i in header.positions.items()
                }
                if not any(values.values()):
                    continue
                if len(parsed) >= MAX_ROWS:
                    result.problems.append(Problem(number, "", f"计划行过多：最多 {MAX_ROWS} 行"))
                    break
                row, problems = _row(values, header.titles, number, lookup, departments)
                result.problems.extend(problems)
                parsed.append(row)
    except UnreadableFile as err:
        result.problems.append(Problem(None, "", str(err)))
        return result, []
    if header is None:
        result.problems.append(Problem(None, "", "未找到表头：应有“行业”“牵头部门”“任务名称”等列"))
    elif not parsed and result.ok:
        result.problems.append(Problem(None, "", "文件中没有计划行"))
    return result, parsed


def _row(
    values: dict, titles: dict, number: int, lookup: dict, departments: Mapping
) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []

    def problem(key: str, message: str) -> None:
        problems.append(Problem(number, titles.get(key, LABELS.get(key, key)), message))

    name, codes, code_problems = parse_industry(values.get("industry", ""))
    for message in code_problems:
        problem("industry", message)
    lead = _department(values.get("lead", ""), lookup)
    if isinstance(lead, str):
        problem("lead", lead)
    cooperating = []
    for text in split_names(values.get("departments", "")):
        found = _department(text, lookup)
        if isinstance(found, str):
            problem("departments", found)
        else:
            cooperating.append(found)
    data = {
        **{k: values.get(k, "") for k in plan_rows.TEXT_FIELDS},
        "industry": name,
        "industry_codes": codes,
        "task_name": values.get("task_name", ""),
        "lead_department_id": lead if isinstance(lead, int) else None,
        "department_ids": cooperating,
    }
    try:
        clean = plan_rows.clean(data, departments)
    except ValidationFailed as err:
        column = {"industry_codes": "industry", "lead_department_id": "lead", "department_ids": "departments"}
        for key, message in err.fields.items():
            if not (key == "lead_department_id" and isinstance(lead, str)) and key != "department_ids":
                problem(column.get(key, key), message)
        clean = data
    return {**clean, "_key": values.get("row_key", "")}, problems


def _department_lookup(departments: Mapping[int, Department]) -> dict[str, list[int]]:
    lookup: dict[str, list[int]] = {}
    for d in departments.values():
        for name in {d.name, d.short_name} - {None, ""}:
            lookup.setdefault(_norm(name), []).append(d.id)
    return lookup


def _department(text: str, lookup: dict[str, list[int]]) -> int | str:
    """The department's id, or a Chinese problem."""
    if not text.strip():
        return "请填写牵头部门"
    ids = sorted(set(lookup.get(_norm(text), [])))
    if not ids:
        return f"部门不存在：{text.strip()}（须为本地区在用部门的名称或简称）"
    if len(ids) > 1:
        return f"部门名称不唯一：{text.strip()}"
    return ids[0]


def _norm(text: str) -> str:
    return "".join(str(text).split())


def _keys(parsed: list[dict], existing: list[AnnualPlanRow]) -> list[str]:
    """Row keys kept where the hidden 行标识 names a row of the draft, else matched by lead
    department and task name, else new (a copied Excel row gets a new key)."""
    known = {r.row_key for r in existing}
    by_task = {(r.lead_department_id, r.task_name): r.row_key for r in existing}
    used: set[str] = set()
    keys = []
    for row in parsed:
        key = row.pop("_key", "")
        if key not in known or key in used:
            key = by_task.get((row.get("lead_department_id"), row.get("task_name")), "")
        if not key or key in used:
            key = plan_rows.new_row_key()
        used.add(key)
        keys.append(key)
    return keys
