"""Rules of the organisation: GB/T 2260 codes, passwords, self-protection, department cycles."""

from __future__ import annotations

import pytest

from engine.org import (
    PASSWORD_MIN_LENGTH,
    RegionRef,
    generate_password,
    parent_cycle,
    password_problems,
    region_problems,
    self_change_problems,
)

SJZ = RegionRef("130100", "city")


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("130100", "city", None),
        ("130102", "county", SJZ),
        ("110100", "city", None),
        ("440305", "county", RegionRef("440300", "city")),
    ],
)
def test_region__well_formed_codes(code, level, parent):
    assert region_problems(code, level, parent) == {}


@pytest.mark.parametrize("code", ["13010", "1301000", "13O100", "", " 130100x"])
def test_region__code_must_be_six_digits(code):
    assert "6位数字" in region_problems(code, "city", None)["code"]


def test_region__unknown_province_is_refused():
    assert "省级" in region_problems("990100", "city", None)["code"]


@pytest.mark.parametrize("code", ["130102", "130000"])
def test_region__city_code_ends_in_00_and_is_not_a_province(code):
    assert "XXYY00" in region_problems(code, "city", None)["code"]


def test_region__city_has_no_parent():
    assert "parent_code" in region_problems("130200", "city", SJZ)


def test_region__county_shares_the_first_four_digits_of_its_city():
    problems = region_problems("130202", "county", SJZ)
    assert "前4位" in problems["code"] and "1301" in problems["code"]


def test_region__county_needs_a_city_parent():
    assert "parent_code" in region_problems("130102", "county", None)
    assert "parent_code" in region_problems("130102", "county", RegionRef("130101", "county"))


def test_region__county_code_does_not_end_in_00():
    assert "code" in region_problems("130100", "county", SJZ)


def test_region__unknown_level():
    assert "level" in region_problems("130100", "province", None)


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("x" * (PASSWORD_MIN_LENGTH - 1), False),
        ("x" * PASSWORD_MIN_LENGTH, True),
        (" " * 12, False),
        ("", False),
    ],
)
def test_password__at_least_ten_characters(password, ok):
    assert (password_problems(password) == {}) is ok


def test_password__generated_ones_pass_and_differ():
    first, second = generate_password(), generate_password()
    assert password_problems(first) == {} and first != second
    assert not set(first) & set("0O1lI")


def test_self_change__admin_cannot_deactivate_or_demote_themselves():
    problems = self_change_problems(5, 5, active=False, roles={"office"})
    assert set(problems) == {"active", "roles"}
    assert self_change_problems(5, 5, active=True, roles={"sysadmin", "office"}) == {}


def test_self_change__others_may_be_deactivated_and_demoted():
    assert self_change_problems(5, 6, active=False, roles=set()) == {}


def test_parent_cycle__own_descendant_cannot_become_parent():
    parents = {1: None, 2: 1, 3: 2}
    assert parent_cycle(1, 3, parents) is True
    assert parent_cycle(1, 1, parents) is True
    assert parent_cycle(3, 1, parents) is False
    assert parent_cycle(None, 1, parents) is False
