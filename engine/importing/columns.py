"""The columns a county export uses, and finding them in a header row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HEADER_SCAN_ROWS = 10  # a title row or two above the header is common in county exports


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: `row` as in the spreadsheet (header = 1), None for the whole file."""

    row: int | None
    column: str
    message: str
    level: str = "error"  # error | warning


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    max_length: int | None = None

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


ENTERPRISE_COLUMNS = (
    Column("name", "企业名称", ("名称", "市场主体名称", "企业(机构)名称", "主体名称"), True, 128),
    Column("uscc", "统一社会信用代码", ("社会信用代码", "信用代码"), True),
    Column("industry_code", "行业代码", ("国民经济行业代码", "行业分类代码"), True),
    Column("region", "所属区域", ("行政区划代码", "行政区划", "所属区划", "区域"), True),
    Column("address", "地址", ("住所", "经营场所", "住所(经营场所)"), max_length=256),
    Column("legal_representative", "法定代表人", ("负责人", "经营者", "法定代表人(负责人)"), max_length=64),
    Column("contact", "联系电话", ("电话", "联系方式"), max_length=64),
    Column("risk_class", "信用风险分类", ("风险分类", "信用风险等级", "信用风险类别")),
    Column("status", "登记状态", ("经营状态", "企业状态")),
    Column("tags", "标签", ("分类标签",)),
    Column("last_inspected_on", "最近检查日期", ("上次检查日期", "最近一次检查日期")),
)
INSPECTOR_COLUMNS = (
    Column("name", "姓名", ("执法人员姓名", "检查人员姓名"), True, 64),
    Column("department", "所属部门", ("部门", "单位", "所属单位"), True),
    Column("cert_no", "执法证号", ("执法证件号", "执法证件号码", "证件号"), True, 32),
    Column("fields", "执法领域", ("执法门类", "专业领域"), max_length=128),
    Column("tags", "标签", ("分类标签", "专长标签")),
    Column("region", "所属区域", ("行政区划代码", "行政区划", "区域")),
    Column("phone", "联系电话", ("电话", "手机"), max_length=32),
    Column("status", "状态", ("在岗状态", "人员状态")),
)

_FULL_WIDTH = str.maketrans({"（": "(", "）": ")", "，": ",", "\u3000": "", " ": "", "*": "", "\ufeff": ""})


def normalise_header(text: str) -> str:
    """Headers compare without spaces, required-markers (*) or full-width brackets."""
    return str(text or "").translate(_FULL_WIDTH).strip()


@dataclass(frozen=True)
class HeaderMap:
    positions: dict[str, int]  # column key -> index of the cell in a row
    titles: dict[str, str]  # column key -> header as written in the file
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)


def looks_like_header(columns: Sequence[Column], cells: Sequence[str]) -> bool:
    """True when the row names at least one required column (title rows above it do not)."""
    names = {normalise_header(c) for c in cells}
    return any(
        names.intersection(normalise_header(h) for h in col.headers) for col in columns if col.required
    )


def map_headers(columns: Sequence[Column], cells: Sequence[str], row: int = 1) -> HeaderMap:
    """Find each known column in the header row; unknown headers are warnings, a missing
    required column or one named twice is an error for the whole file."""
    by_name = {normalise_header(h): col for col in columns for h in col.headers}
    positions: dict[str, int] = {}
    titles: dict[str, str] = {}
    problems: list[Problem] = []
    for index, raw in enumerate(cells):
        title = str(raw or "").strip()
        if not title:
            continue
        col = by_name.get(normalise_header(title))
        if col is None:
            problems.append(Problem(row, title, "未识别的列，已忽略", "warning"))
        elif col.key in positions:
            problems.append(Problem(row, title, f"与“{titles[col.key]}”是同一列，只能保留一列"))
        else:
            positions[col.key], titles[col.key] = index, title
    for col in columns:
        if col.required and col.key not in positions:
            others = f"（也可用：{'、'.join(col.aliases)}）" if col.aliases else ""
            problems.append(Problem(None, col.label, f"缺少必填列“{col.label}”{others}"))
    return HeaderMap(positions, titles, tuple(problems))
