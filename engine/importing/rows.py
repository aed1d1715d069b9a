"""Row validation: cells in, a typed row or every problem of the row out.

A county file repeats the same few industry codes, regions, classes and dates on every row, so
each cell check is a pure function whose answers are memoised per import: a million rows cost
mostly the one check that cannot repeat, the USCC's check character.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import NamedTuple

from engine.identifiers import uscc_check_char, uscc_is_checksum_only_failure, uscc_problems
from engine.importing.columns import ENTERPRISE_COLUMNS, INSPECTOR_COLUMNS, Column, HeaderMap, Problem
from engine.importing.values import (
    Checked,
    check_date,
    check_enterprise_status,
    check_industry,
    check_inspector_status,
    check_risk_class,
    check_tags,
)

PILOT_CODE_REASON = "导入时确认为早期试点代码"
MEMO_LIMIT = 10_000  # distinct cell texts remembered per column


class EnterpriseRow(NamedTuple):
    uscc: str
    name: str
    industry_code: str
    region_code: str
    address: str | None
    legal_representative: str | None
    contact: str | None
    risk_class: str | None  # None: keep (default B)
    status: str | None  # None: keep (default active)
    last_inspected_on: date | None
    tags: tuple[str, ...] | None  # None: keep the stored tags
    pilot_code: bool  # a checksum-only failure accepted with allow_pilot_codes


class InspectorRow(NamedTuple):
    cert_no: str
    name: str
    department_id: int
    fields: str | None
    region_code: str | None
    phone: str | None
    active: bool | None
    tags: tuple[str, ...] | None


@dataclass(frozen=True)
class Lookups:
    """Reference data rows are checked against, loaded once per import."""

    regions: Mapping[str, tuple[str, bool]]  # code -> (name, active)
    departments: Sequence[tuple[int, str, str | None, str, bool]]  # id, name, short name, region, active
    today: date
    allow_pilot_codes: bool = False


class RowValidator:
    """Checks one row at a time and remembers the keys already seen in the file."""

    columns: tuple[Column, ...] = ()
    key: str = ""

    def __init__(self, header: HeaderMap, lookups: Lookups) -> None:
        self.header = header
        self.lookups = lookups
        self._positions = tuple(header.positions.items())
        self._limits = [(c.key, c.max_length, c.label) for c in self.columns if c.max_length]
        self._seen: dict[str, int] = {}
        self._checks: dict[str, Callable[[str], Checked]] = {"tags": check_tags}
        self._memo: dict[str, dict[str, Checked]] = {}
        self._region_names: dict[str, list[str]] = {}
        for code, (name, active) in lookups.regions.items():
            if active:
                self._region_names.setdefault(name, []).append(code)

    def validate(self, number: int, cells: Sequence[str]) -> tuple[NamedTuple | None, list[Problem]]:
        """(typed row, []) when the row is sound, else (None, every problem of the row)."""
        width = len(cells)
        values = {k: (cells[i].strip() if i < width else "") for k, i in self._positions}
        problems: list[Problem] = []

        def fail(key: str, message: str) -> None:
            problems.append(Problem(number, self.header.titles.get(key, key), message))

        for key, limit, label in self._limits:
            if len(values.get(key, "")) > limit:
                fail(key, f"{label}不能超过{limit}个字")
        row = self._build(number, values, fail)
        return (None, problems) if problems else (row, problems)

    def _build(self, number: int, v: dict[str, str], fail: Callable[[str, str], None]):
        raise NotImplementedError

    def _cell(self, key: str, text: str, fail) -> object:
        memo = self._memo.setdefault(key, {})
        answer = memo.get(text)
        if answer is None:
            answer = self._checks[key](text)
            if len(memo) < MEMO_LIMIT:
                memo[text] = answer
        if answer[1]:
            fail(key, answer[1])
        return answer[0]

    def _first_time(self, key: str, value: str, number: int, fail) -> None:
        earlier = self._seen.setdefault(value, number)
        if earlier != number:
            fail(key, f"与第{earlier}行重复（同一文件中{self.header.titles[key]}不能重复）")

    def _check_region(self, required: bool, text: str) -> Checked:
        if not text:
            return None, "所属区域不能为空" if required else None
        if text.isdigit():
            found = self.lookups.regions.get(text)
            if found is None:
                return None, f"行政区划代码不存在：{text}"
            return text, None if found[1] else f"行政区划已停用：{text}"
        codes = self._region_names.get(text, [])
        if len(codes) == 1:
            return codes[0], None
        if codes:
            return None, f"区域名称“{text}”对应多个行政区划（{'、'.join(codes)}），请填写行政区划代码"
        return None, f"所属区域不存在：{text}"


class EnterpriseValidator(RowValidator):
    columns = ENTERPRISE_COLUMNS
    key = "uscc"

    def __init__(self, header: HeaderMap, lookups: Lookups) -> None:
        super().__init__(header, lookups)
        self._checks |= {
            "industry_code": check_industry,
            "region": partial(self._check_region, True),
            "risk_class": check_risk_class,
            "status": check_enterprise_status,
            "last_inspected_on": partial(check_date, today=lookups.today),
        }

    def _build(self, number, v, fail) -> EnterpriseRow:
        uscc = v["uscc"].upper()
        pilot = self._check_uscc(uscc, fail)
        if pilot is not None:  # a code that is itself wrong is not also called a duplicate
            self._first_time("uscc", uscc, number, fail)
        if not v["name"]:
            fail("name", "企业名称不能为空")
        get = v.get
        return EnterpriseRow(
            uscc,
            v["name"],
            self._cell("industry_code", v["industry_code"], fail),
            self._cell("region", v["region"], fail),
            get("address") or None,
            get("legal_representative") or None,
            get("contact") or None,
            self._cell("risk_class", get("risk_class", ""), fail),
            self._cell("status", get("status", ""), fail),
            self._cell("last_inspected_on", get("last_inspected_on", ""), fail),
            self._cell("tags", get("tags", ""), fail),
            pilot,
        )

    def _check_uscc(self, uscc: str, fail) -> bool | None:
        """False for a sound code, True for an accepted pilot code, None (reported) otherwise."""
        if not uscc:
            fail("uscc", "统一社会信用代码不能为空")
            return None
        if _sound_uscc(uscc):
            return False
        problems = uscc_problems(uscc)
        if uscc_is_checksum_only_failure(uscc):
            if self.lookups.allow_pilot_codes:
                return True
            problems = [f"{problems[0]}（确为早期试点代码的，可选择“允许早期试点代码”后重新导入）"]
        for message in problems:
            fail("uscc", message)
        return None


def _sound_uscc(code: str) -> bool:
    # The common case, cheaply; any doubt goes to identifiers.uscc_problems for the reasons.
    try:
        return len(code) == 18 and code[2:8].isdigit() and uscc_check_char(code[:17]) == code[17]
    except KeyError:
        return False


class InspectorValidator(RowValidator):
    columns = INSPECTOR_COLUMNS
    key = "cert_no"

    def __init__(self, header: HeaderMap, lookups: Lookups) -> None:
        super().__init__(header, lookups)
        self._checks |= {"region": partial(self._check_region, False), "status": check_inspector_status}
        self._departments: dict[str, list[tuple]] = {}
        for dept in lookups.departments:
            for name in {dept[1], dept[2]} - {None, ""}:
                self._departments.setdefault(name, []).append(dept)

    def _build(self, number, v, fail) -> InspectorRow:
        cert_no = v["cert_no"].replace(" ", "")
        if cert_no:
            self._first_time("cert_no", cert_no, number, fail)
        else:
            fail("cert_no", "执法证号不能为空")
        if not v["name"]:
            fail("name", "姓名不能为空")
        region = self._cell("region", v.get("region", ""), fail)
        department_id, problem = self._department(v["department"], region)
        if problem:
            fail("department", problem)
        return InspectorRow(
            cert_no,
            v["name"],
            department_id,
            v.get("fields") or None,
            region,
            v.get("phone") or None,
            self._cell("status", v.get("status", ""), fail),
            self._cell("tags", v.get("tags", ""), fail),
        )

    def _department(self, text: str, region: str | None) -> tuple[int, str | None]:
        if not text:
            return 0, "所属部门不能为空"
        named = self._departments.get(text, [])
        if len(named) > 1 and region:
            named = [d for d in named if d[3] == region]  # the same name at city and county level
        if not named:
            return 0, f"部门不存在：{text}"
        if len(named) > 1:
            return 0, f"部门名称“{text}”对应多个部门，请同时填写所属区域以区分"
        if not named[0][4]:
            return 0, f"部门已停用：{text}"
        return named[0][0], None


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    columns: tuple[Column, ...]
    validator: type[RowValidator]


KINDS = {
    "enterprises": Kind("enterprises", "检查对象", ENTERPRISE_COLUMNS, EnterpriseValidator),
    "inspectors": Kind("inspectors", "执法检查人员", INSPECTOR_COLUMNS, InspectorValidator),
}
