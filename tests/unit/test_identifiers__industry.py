"""GB/T 4754-2017 industry codes: section letters, divisions (大类) and prefix filters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.identifiers import (
    industry_code_problems,
    industry_matches,
    industry_section,
    is_valid_industry_code,
    normalise_industry_code,
)

# The standard's 20 sections and their first and last divisions.
SECTION_RANGES = {
    "A": (1, 5),  # 农、林、牧、渔业
    "B": (6, 12),  # 采矿业
    "C": (13, 43),  # 制造业
    "D": (44, 46),  # 电力、热力、燃气及水生产和供应业
    "E": (47, 50),  # 建筑业
    "F": (51, 52),  # 批发和零售业
    "G": (53, 60),  # 交通运输、仓储和邮政业
    "H": (61, 62),  # 住宿和餐饮业
    "I": (63, 65),  # 信息传输、软件和信息技术服务业
    "J": (66, 69),  # 金融业
    "K": (70, 70),  # 房地产业
    "L": (71, 72),  # 租赁和商务服务业
    "M": (73, 75),  # 科学研究和技术服务业
    "N": (76, 79),  # 水利、环境和公共设施管理业
    "O": (80, 82),  # 居民服务、修理和其他服务业
    "P": (83, 83),  # 教育
    "Q": (84, 85),  # 卫生和社会工作
    "R": (86, 90),  # 文化、体育和娱乐业
    "S": (91, 96),  # 公共管理、社会保障和社会组织
    "T": (97, 97),  # 国际组织
}


@pytest.mark.parametrize(
    ("code", "section"),
    [
        ("6210", "H"),  # 正餐服务
        ("5265", "F"),  # 机动车燃油零售 (加油站)
        ("8391", "P"),  # 职业技能培训
        ("0111", "A"),  # 稻谷种植
        ("5251", "F"),  # 西药零售
        ("621", "H"),
        ("62", "H"),
        ("4411", "D"),
        ("7010", "K"),
        ("9700", "T"),
    ],
)
def test_industry__section_of_known_codes(code, section):
    assert industry_section(code) == section
    assert industry_code_problems(code) == []


@pytest.mark.parametrize("division", range(1, 98))
def test_industry__every_division_01_to_97_has_its_section(division):
    expected = next(s for s, (low, high) in SECTION_RANGES.items() if low <= division <= high)
    assert industry_section(f"{division:02d}") == expected


@pytest.mark.parametrize("code", ["9999", "9800", "00", "0011"])
def test_industry__division_outside_the_standard_is_invalid(code):
    assert industry_section(code) is None
    assert industry_code_problems(code) == [f"国民经济行业代码大类不存在：{code[:2]}"]


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("", "不能为空"),
        ("6", "格式无效"),
        ("62101", "格式无效"),
        ("62a0", "格式无效"),
        ("U", "门类代码无效"),
        ("HH", "门类代码无效"),
    ],
)
def test_industry__malformed_codes(code, fragment):
    problems = industry_code_problems(code)
    assert len(problems) == 1 and fragment in problems[0], problems


@pytest.mark.parametrize("letter", list(SECTION_RANGES))
def test_industry__section_letters_alone_are_valid(letter):
    assert is_valid_industry_code(letter)
    assert is_valid_industry_code(letter.lower())


@pytest.mark.parametrize(
    ("given_code", "stored"), [("6210", "6210"), ("H6210", "6210"), ("h 6210", "6210"), ("H", "H")]
)
def test_industry__normalised_to_digits(given_code, stored):
    assert normalise_industry_code(given_code) == stored


def test_industry__section_letter_that_contradicts_the_digits_is_rejected():
    assert is_valid_industry_code("H6210")
    assert industry_code_problems("A6210") == ["国民经济行业门类 A 与代码 6210 不符，应为 H"]


@pytest.mark.parametrize(
    ("code", "prefixes", "expected"),
    [
        ("6210", ["H"], True),
        ("6210", ["62"], True),
        ("6210", ["621"], True),
        ("6210", ["H621"], True),
        ("6220", ["621"], False),
        ("6210", ["F"], False),
        ("5265", ["621", "622", "5265"], True),
        ("8392", ["8391"], False),
        ("6210", [], False),
        ("6210", [""], False),
        ("H", ["H"], True),
    ],
)
def test_industry__prefix_matching(code, prefixes, expected):
    assert industry_matches(code, prefixes) is expected


@given(st.integers(min_value=1, max_value=97), st.integers(min_value=0, max_value=99))
def test_industry__a_class_matches_its_section_and_its_division(division, rest):
    code = f"{division:02d}{rest:02d}"
    section = industry_section(code)
    assert industry_matches(code, [section])
    assert industry_matches(code, [code[:2]])
    others = [s for s in SECTION_RANGES if s != section]
    assert not industry_matches(code, others)
