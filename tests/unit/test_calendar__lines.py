"""Entering a year as text lines: parsing, per-line problems, completeness, round trip."""

from __future__ import annotations

from datetime import date

from engine.calendar import builtin_years
from engine.calendar_lines import completeness_problems, format_year_lines, parse_year_lines

GOOD_2027 = """
# 2027 (test data)
2027-01-01 元旦
2027-02-06~2027-02-13 春节
2027-02-20 春节调休上班
2027-04-05 清明节
2027-05-01 ～ 2027-05-05 劳动节
"""


def test_lines__holidays_ranges_and_make_up_days():
    year, errors = parse_year_lines(2027, GOOD_2027)
    assert errors == []
    assert year.holidays[date(2027, 1, 1)] == "元旦"
    assert len([d for d in year.holidays if d.month == 2]) == 8
    assert year.workdays == {date(2027, 2, 20): "春节调休上班"}
    assert completeness_problems(year) == []


def test_lines__every_bad_line_is_reported_with_its_number():
    text = "\n".join(
        [
            "2027-01-01 元旦",  # 1 fine
            "foo",  # 2
            "2027-02-22 调休上班",  # 3 a Monday
            "2027-02-30 春节",  # 4
            "2026-12-31 元旦",  # 5
            "2027-01-01 元旦",  # 6 duplicate of line 1
            "2027-01-03~2027-01-02 元旦",  # 7
            "2027-03-01",  # 8
            "2027-03-02 " + "长" * 33,  # 9
        ]
    )
    year, errors = parse_year_lines(2027, text)
    assert year is None
    by_line = {e.line: e.message for e in errors}
    assert sorted(by_line) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert "无法识别" in by_line[2]
    assert "星期一" in by_line[3]
    assert "日期无效" in by_line[4]
    assert "不属于2027年" in by_line[5]
    assert "与第1行重复" in by_line[6]
    assert "颠倒" in by_line[7]
    assert "缺少名称" in by_line[8]
    assert "过长" in by_line[9]


def test_lines__an_empty_or_thin_year_is_not_complete():
    year, errors = parse_year_lines(2027, "2027-02-06 春节")
    assert errors == []
    problems = completeness_problems(year)
    assert any("元旦" in p for p in problems)
    assert any("少于法定节假日" in p for p in problems)


def test_lines__format_then_parse_gives_the_same_year():
    for original in builtin_years():
        again, errors = parse_year_lines(original.year, format_year_lines(original))
        assert errors == []
        assert dict(again.holidays) == dict(original.holidays)
        assert dict(again.workdays) == dict(original.workdays)


def test_lines__full_width_spaces_and_blank_lines_are_tolerated():
    year, errors = parse_year_lines(2027, "\n\u30002027-01-01\u3000元旦\n\n")
    assert errors == []
    assert list(year.holidays) == [date(2027, 1, 1)]
