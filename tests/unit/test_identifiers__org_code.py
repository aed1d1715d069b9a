"""Organisation code (GB 11714-1997): C9 = 11 − (Σ Ci·Wi mod 11), W = 3,7,9,10,5,8,4,2;
10 is written 'X' and 11 is written '0'. Letters count A=10 … Z=35.

Because character values run to 35, two characters whose values differ by a multiple of 11
(e.g. '0' and 'B', '1' and 'C') weigh the same modulo 11: the check catches a substitution
exactly when the values differ by something other than a multiple of 11, which includes every
digit-for-digit typo.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.identifiers import (
    ORG_ALPHABET,
    ORG_WEIGHTS,
    is_valid_org_code,
    org_code_check_char,
    org_code_problems,
)

# The organisation codes inside the published valid USCCs (characters 9–17).
REAL = ["666007217", "776049653", "072831954", "MA5CJQ4N5"]

bodies = st.text(alphabet=ORG_ALPHABET, min_size=8, max_size=8)


def test_org_code__weights_are_the_standard_ones():
    assert ORG_WEIGHTS == (3, 7, 9, 10, 5, 8, 4, 2)


@pytest.mark.parametrize("code", REAL)
def test_org_code__codes_inside_real_usccs_are_valid(code):
    assert org_code_problems(code) == []


@pytest.mark.parametrize(
    ("body", "check"),
    [
        # 6·3 + 6·7 + 6·9 + 0 + 0 + 7·8 + 2·4 + 1·2 = 180; 180 mod 11 = 4; 11 − 4 = 7
        ("66600721", "7"),
        # M=22, A=10, C=12, J=19, Q=26, N=23: 66 + 70 + 45 + 120 + 95 + 208 + 16 + 46 = 666;
        # 666 mod 11 = 6; 11 − 6 = 5
        ("MA5CJQ4N", "5"),
        # 6·2 = 12; 12 mod 11 = 1; 11 − 1 = 10 → 'X'
        ("00000006", "X"),
        # Σ = 0; 11 − 0 = 11 → '0'
        ("00000000", "0"),
        # 1·3 + 1·7 + 1·9 + 1·10 + 1·5 + 1·8 + 1·4 + 0 = 46; 46 mod 11 = 2; 11 − 2 = 9
        ("11111110", "9"),
    ],
)
def test_org_code__check_char_hand_computed(body, check):
    assert org_code_check_char(body) == check
    assert is_valid_org_code(body + check)


def test_org_code__hyphenated_and_lower_case_forms_are_accepted():
    assert is_valid_org_code("66600721-7")
    assert is_valid_org_code("ma5cjq4n-5")


def test_org_code__x_must_not_be_written_as_ten_or_zero():
    assert org_code_problems("000000060") == ["组织机构代码校验位错误，应为 X"]


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("6660072", "应为9位，实际为7位"),
        ("6660072170", "应为9位，实际为10位"),
        ("66600#217", "非法字符"),
    ],
)
def test_org_code__structural_problems(code, fragment):
    assert any(fragment in p for p in org_code_problems(code))


@given(bodies)
def test_org_code__computed_check_char_always_validates(body):
    check = org_code_check_char(body)
    assert check in "0123456789X"
    assert is_valid_org_code(body + check)


@given(bodies, st.integers(min_value=0, max_value=7), st.sampled_from(ORG_ALPHABET))
def test_org_code__substitution_caught_unless_values_differ_by_a_multiple_of_11(body, pos, char):
    code = body + org_code_check_char(body)
    if char == code[pos]:
        return
    changed = code[:pos] + char + code[pos + 1 :]
    difference = ORG_ALPHABET.index(char) - ORG_ALPHABET.index(code[pos])
    assert is_valid_org_code(changed) == (difference % 11 == 0)


@given(bodies, st.integers(min_value=0, max_value=7), st.sampled_from("0123456789"))
def test_org_code__digit_typos_are_always_caught(body, pos, digit):
    code = body + org_code_check_char(body)
    if digit == code[pos] or not code[pos].isdigit():
        return
    assert not is_valid_org_code(code[:pos] + digit + code[pos + 1 :])


@given(bodies, st.integers(min_value=0, max_value=6))
def test_org_code__adjacent_swap_caught_unless_values_differ_by_a_multiple_of_11(body, i):
    code = body + org_code_check_char(body)
    if code[i] == code[i + 1]:
        return
    swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
    # Adjacent weights differ by −4, −2, −1, 5, −3, 4, 2: never 0 mod 11.
    difference = ORG_ALPHABET.index(code[i]) - ORG_ALPHABET.index(code[i + 1])
    assert is_valid_org_code(swapped) == (difference % 11 == 0)


def test_org_code__zero_for_b_is_the_documented_blind_spot():
    # '0' (0) and 'B' (11) weigh the same modulo 11.
    assert is_valid_org_code("072831954")
    assert is_valid_org_code("B72831954")
