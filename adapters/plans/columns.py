"""The column layout real annual plans use (序号 … 备注), and the cell texts of a plan row.

The same cell texts feed the XLSX export, the import, the pages and the revision diff, so what a
diff calls "changed" is exactly what a reader of the published table would see change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from engine.identifiers import industry_code_problems, normalise_industry_code
from engine.importing import Column


@dataclass(frozen=True)
class PlanColumn:
    key: str
    label: str
    width: int  # XLSX column width (characters)
    aliases: tuple[str, ...] = ()
    required: bool = False
    max_length: int | None = None

    def as_import_column(self) -> Column:
        return Column(self.key, self.label, self.aliases, self.required, self.max_length)


COLUMNS: tuple[PlanColumn, ...] = (
    PlanColumn("seq", "序号", 6),
    PlanColumn("industry", "行业", 18, ("所属行业", "行业类型", "行业领域"), True, 64),
    PlanColumn("lead", "牵头部门", 14, ("牵头单位", "牵头部门(单位)"), True),
    PlanColumn("task_name", "任务名称", 24, ("抽查任务名称", "抽查任务", "任务"), True, 128),
    PlanColumn("departments", "联查部门", 22, ("联合部门", "配合部门", "协同部门", "参与部门")),
    PlanColumn("items", "抽查事项", 36, ("检查事项", "抽查内容")),
    PlanColumn("target_scope", "联查对象", 24, ("检查对象", "抽查对象", "对象范围")),
    PlanColumn("subject", "检查主体", 14, ("实施主体",), max_length=128),
    PlanColumn("duties", "责任分工", 30, ("职责分工", "部门分工")),
    PlanColumn("ratio", "抽查比例", 12, ("比例", "抽查比例(%)"), max_length=64),
    PlanColumn("schedule", "时间安排", 14, ("抽查时间", "完成时限", "时间"), max_length=64),
    PlanColumn("notes", "备注", 16, ("说明",)),
)
# Written by the export in a hidden 13th column so that a re-imported row keeps its identity
# (row_key) across revisions; optional on import.
KEY_COLUMN = PlanColumn("row_key", "行标识", 14, ("计划行标识",), max_length=32)
LABELS = {c.key: c.label for c in COLUMNS}
TEXT_FIELDS = ("items", "target_scope", "subject", "duties", "ratio", "schedule", "notes")
MAX_RANGE = 100  # codes a range like 8391–8399 may expand to

_NAME_SPLIT = re.compile(r"[、,，;；/\n]+")
_CODE_SPLIT = re.compile(r"[、,，;；/\s]+")
_TRAILING_GROUP = re.compile(r"^(.*?)[（(]([^（）()]*)[）)]\s*$", re.S)
_RANGE = re.compile(r"^([A-Ta-t]?\d{2,4})[-–—~～至]([A-Ta-t]?\d{2,4})$")


def split_names(text: str) -> list[str]:
    """Department names in a cell: separated by 、 , ， ; ； / or new lines."""
    return [n.strip() for n in _NAME_SPLIT.split(text or "") if n.strip()]


def format_industry(name: str, codes: Iterable[str]) -> str:
    """`餐饮服务（621、622）`: the industry with its GB/T 4754 codes in full-width brackets."""
    codes = list(codes or [])
    return f"{name}（{'、'.join(codes)}）" if codes else name


def parse_industry(text: str) -> tuple[str, list[str], list[str]]:
    """(name, codes, problems) from a 行业 cell. Codes are read from a trailing bracket group
    made of codes only (`餐饮服务（621、622）`, `校外培训机构(8391–8399)`); a bracket group with
    other words (`住宿（旅馆）`) stays part of the name."""
    text = (text or "").strip()
    found = _TRAILING_GROUP.match(text)
    if not found:
        return text, [], []
    tokens = [t for t in _CODE_SPLIT.split(found.group(2)) if t]
    if not tokens or not all(_looks_like_code(t) for t in tokens):
        return text, [], []
    codes: list[str] = []
    problems: list[str] = []
    for token in tokens:
        expanded, problem = _expand(token)
        if problem:
            problems.append(problem)
        for code in expanded:
            problems.extend(industry_code_problems(code))
            code = normalise_industry_code(code)
            if code not in codes:
                codes.append(code)
    return found.group(1).strip(), codes, problems


def _looks_like_code(token: str) -> bool:
    return bool(_RANGE.match(token)) or bool(re.fullmatch(r"[A-Ta-t]?\d{0,4}", token))


def _expand(token: str) -> tuple[list[str], str | None]:
    found = _RANGE.match(token)
    if not found:
        return [token], None
    low, high = (normalise_industry_code(g) for g in found.groups())
    if len(low) != len(high) or not (low.isdigit() and high.isdigit()) or int(low) > int(high):
        return [], f"行业代码范围无效：{token}"
    if int(high) - int(low) + 1 > MAX_RANGE:
        return [], f"行业代码范围过大：{token}（最多 {MAX_RANGE} 个代码）"
    return [str(n).zfill(len(low)) for n in range(int(low), int(high) + 1)], None


def compress_codes(codes: Iterable[str]) -> list[str]:
    """Consecutive codes of one length written as a range (8391–8399), as plans print them."""
    out: list[str] = []
    run: list[str] = []
    for code in list(codes) + [None]:
        if run and code is not None and code.isdigit() and _follows(run[-1], code):
            run.append(code)
            continue
        out.extend([f"{run[0]}–{run[-1]}"] if len(run) > 2 else run)
        run = [code] if code is not None and code.isdigit() else []
        if code is not None and not code.isdigit():
            out.append(code)
    return out


def _follows(previous: str, code: str) -> bool:
    return previous.isdigit() and len(previous) == len(code) and int(code) == int(previous) + 1


def row_cells(row, names: Mapping[int, str]) -> dict[str, str]:
    """The texts of a plan row's twelve columns (department ids shown by name)."""
    return {
        "seq": str(row.seq),
        "industry": format_industry(row.industry, compress_codes(row.industry_codes or [])),
        "lead": names.get(row.lead_department_id, str(row.lead_department_id)),
        "task_name": row.task_name,
        "departments": "、".join(names.get(int(d), str(d)) for d in (row.department_ids or [])),
        **{key: getattr(row, key) or "" for key in TEXT_FIELDS},
    }
