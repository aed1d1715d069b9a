"""Administrators enter a year's holiday arrangement as text, one date (or range) per line:

    2027-01-01 元旦
    2027-02-06~2027-02-12 春节
    2027-02-20 春节调休上班

A name containing 上班 or 补班 marks a make-up working day (which must be a Saturday or
Sunday); every other line is a holiday. Blank lines and lines starting with # are ignored.
Every problem is reported with its line number so the whole text can be fixed in one go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from engine.calendar import YearCalendar

NAME_MAX = 32
# Every year has 13 statutory holiday dates (全国年节及纪念日放假办法, 2025 revision); a year with
# fewer holiday dates has not been entered completely.
STATUTORY_DAYS = 13
WORKDAY_MARKERS = ("上班", "补班")
WEEKDAYS = "一二三四五六日"

_DATE = r"(\d{4}-\d{2}-\d{2})"
_LINE = re.compile(rf"^{_DATE}(?:\s*[~～]\s*{_DATE})?(?:\s+(.*))?$")


@dataclass(frozen=True)
class LineError:
    line: int
    text: str
    message: str


def parse_year_lines(year: int, text: str) -> tuple[YearCalendar | None, list[LineError]]:
    """The year's calendar from `text`, or None and every line's problems."""
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    seen: dict[date, int] = {}
    errors: list[LineError] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.replace("\u3000", " ").strip()
        if not line or line.startswith("#"):
            continue
        days, name, problem = _parse_line(year, line)
        if problem is None:
            problem = _check_days(days, name, seen)
        if problem is not None:
            errors.append(LineError(number, line, problem))
            continue
        target = workdays if is_workday_name(name) else holidays
        for d in days:
            seen[d] = number
            target[d] = name
    if errors:
        return None, errors
    return YearCalendar(year=year, holidays=holidays, workdays=workdays), []


def is_workday_name(name: str) -> bool:
    return any(marker in name for marker in WORKDAY_MARKERS)


def completeness_problems(calendar: YearCalendar) -> list[str]:
    """Reasons why a year cannot yet be marked complete (used for deadlines)."""
    problems = []
    if date(calendar.year, 1, 1) not in calendar.holidays:
        problems.append(f"{calendar.year}-01-01（元旦）未列为假日")
    if len(calendar.holidays) < STATUTORY_DAYS:
        problems.append(
            f"全年仅录入{len(calendar.holidays)}天假日，少于法定节假日的{STATUTORY_DAYS}天，请检查是否录入完整"
        )
    return problems


def format_year_lines(calendar: YearCalendar) -> str:
    """The text form of a year, one line per run of consecutive days with the same name."""
    entries = sorted([*calendar.holidays.items(), *calendar.workdays.items()])
    lines: list[str] = []
    run_start = None
    for i, (d, name) in enumerate(entries):
        run_start = run_start or d
        following = entries[i + 1] if i + 1 < len(entries) else None
        if following and following[1] == name and following[0] == d + timedelta(days=1):
            continue
        span = d.isoformat() if run_start == d else f"{run_start.isoformat()}~{d.isoformat()}"
        lines.append(f"{span} {name}")
        run_start = None
    return "\n".join(lines)


def _parse_line(year: int, line: str) -> tuple[list[date], str, str | None]:
    match = _LINE.match(line)
    if match is None:
        return [], "", "无法识别，应为“2027-01-01 元旦”或“2027-02-07 调休上班”"
    first, last, name = match.group(1), match.group(2), (match.group(3) or "").strip()
    try:
        start = date.fromisoformat(first)
        end = date.fromisoformat(last) if last else start
    except ValueError:
        return [], "", f"日期无效：{first}{'~' + last if last else ''}（格式应为 YYYY-MM-DD）"
    if not name:
        return [], "", "缺少名称，例如“元旦”或“调休上班”"
    if len(name) > NAME_MAX:
        return [], "", f"名称过长（最多{NAME_MAX}个字）"
    if start.year != year or end.year != year:
        return [], "", f"日期不属于{year}年"
    if end < start:
        return [], "", "起止日期颠倒"
    return [start + timedelta(days=i) for i in range((end - start).days + 1)], name, None


def _check_days(days: list[date], name: str, seen: dict[date, int]) -> str | None:
    for d in days:
        if d in seen:
            return f"{d.isoformat()} 与第{seen[d]}行重复"
    if is_workday_name(name):
        weekdays = [d for d in days if d.weekday() < 5]
        if weekdays:
            d = weekdays[0]
            return f"{d.isoformat()} 是星期{WEEKDAYS[d.weekday()]}，本来就是工作日，无需调休上班"
    return None
