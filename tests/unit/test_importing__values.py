from datetime import date

import pytest

from engine.importing import parse_date, split_tags
from engine.importing.values import check_date, check_enterprise_status, check_risk_class, check_tags


@pytest.mark.parametrize("text", ["2026-03-01", "2026/3/1", "2026.3.1", "20260301", "2026年3月1日"])
def test_dates__county_spellings_are_read(text):
    assert parse_date(text) == date(2026, 3, 1)


@pytest.mark.parametrize("text", ["2026-13-01", "3/1/2026", "昨天", "2026-02-30"])
def test_dates__nonsense_is_refused(text):
    value, problem = check_date(text, date(2026, 6, 1))
    assert value is None and "日期格式无效" in problem


def test_dates__a_future_inspection_is_refused():
    assert "晚于今天" in check_date("2026-06-02", date(2026, 6, 1))[1]


def test_tags__every_separator_counties_use():
    assert split_tags("学校周边；旅游景区;重点时段、连锁经营,网络交易，学校周边 , ") == (
        "学校周边",
        "旅游景区",
        "重点时段",
        "连锁经营",
        "网络交易",
    )


def test_tags__empty_cell_keeps_stored_tags_and_long_tag_is_refused():
    assert check_tags("") == (None, None)
    assert "64" in check_tags("长" * 65)[1]


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        ("A", "A"),
        ("b", "B"),
        ("一般", "B"),
        ("较高", "C"),
        ("高风险", "D"),
        ("信用风险低", "A"),
        ("C类", "C"),
    ],
)
def test_risk_classes__letters_and_words(text, risk):
    assert check_risk_class(text) == (risk, None)


def test_risk_classes__unknown_word_is_refused():
    assert check_risk_class("中等")[1].startswith("信用风险分类无效")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("存续", "active"),
        ("在业", "active"),
        ("注销", "deregistered"),
        ("吊销，未注销", "revoked"),
        ("迁出", "moved"),
    ],
)
def test_statuses__registration_words(text, status):
    assert check_enterprise_status(text) == (status, None)
