"""统一社会信用代码 (GB 32100-2015): structure, the mod-31 check character and what it catches.

The check character makes Σ v·w + v(check) ≡ 0 (mod 31) with w = 3^i mod 31 for the first 17
characters and an implicit weight 1 for the check character. 31 is prime and every character
value is 0–30, so:
- any single substitution changes the sum by w·Δ with w, Δ ≢ 0 (mod 31): always caught;
- swapping positions i and j changes it by (w_i − w_j)·(v_j − v_i): caught unless w_i ≡ w_j.
  3 has order 30 modulo 31, so w_0 … w_16 are distinct; only w_0 = 1 equals the check
  character's implicit weight, so a swap of the 1st and 18th characters is the one blind spot.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.identifiers import (
    USCC_ALPHABET,
    USCC_REGISTRARS,
    USCC_WEIGHTS,
    is_valid_uscc,
    make_uscc,
    org_code_problems,
    uscc_check_char,
    uscc_is_checksum_only_failure,
    uscc_problems,
)

VALID = ["91310110666007217T", "91350200776049653A", "91440101MA5CJQ4N59", "913502000728319549"]
# Characters a typist could produce that the USCC alphabet leaves out.
EXCLUDED = "IOSVZ"

valid_codes = st.sampled_from(VALID)
positions = st.integers(min_value=0, max_value=17)


@pytest.mark.parametrize("code", VALID)
def test_uscc__published_examples_are_valid(code):
    assert uscc_problems(code) == []
    assert is_valid_uscc(code)


def test_uscc__lower_case_and_surrounding_spaces_are_normalised():
    assert is_valid_uscc("  91440101ma5cjq4n59 ")


def test_uscc__weights_are_powers_of_three_mod_31():
    assert tuple(pow(3, i, 31) for i in range(17)) == USCC_WEIGHTS
    assert len(set(USCC_WEIGHTS)) == 17


def test_uscc__check_char_worked_example():
    # 91310110666007217: Σ v·w = 9·1 + 1·3 + 3·9 + 1·27 + 0 + 1·26 + 1·16 + 0 + 6·20 + 6·29
    # + 6·25 + 0 + 0 + 7·24 + 2·10 + 1·30 + 7·28 = 966; 966 mod 31 = 5; 31 − 5 = 26 → 'T'.
    assert uscc_check_char("91310110666007217") == "T"
    assert USCC_ALPHABET[26] == "T"


@given(valid_codes, positions, st.sampled_from(USCC_ALPHABET + EXCLUDED))
def test_uscc__any_single_substitution_is_caught(code, pos, char):
    if char == code[pos]:
        return
    assert not is_valid_uscc(code[:pos] + char + code[pos + 1 :])


@given(valid_codes, positions, positions)
def test_uscc__any_transposition_except_first_with_last_is_caught(code, i, j):
    i, j = sorted((i, j))
    if code[i] == code[j] or (i, j) == (0, 17):
        return
    swapped = list(code)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    assert not is_valid_uscc("".join(swapped))


@given(valid_codes, st.integers(min_value=0, max_value=16))
def test_uscc__adjacent_transposition_of_different_chars_is_caught(code, i):
    if code[i] == code[i + 1]:
        return
    assert not is_valid_uscc(code[:i] + code[i + 1] + code[i] + code[i + 2 :])


def test_uscc__swapping_first_and_last_char_is_the_blind_spot():
    # w_0 = 1 equals the check character's weight, so the checksum cannot see this swap.
    assert is_valid_uscc("A13502007760496539")


@given(
    st.sampled_from(sorted(USCC_REGISTRARS)),
    st.sampled_from(USCC_ALPHABET),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8),
)
def test_make_uscc__always_valid_and_embeds_a_valid_organisation_code(registrar, category, area, body):
    code = make_uscc(registrar, category, area, body)
    assert len(code) == 18
    assert uscc_problems(code) == []
    assert code[8:16] == body
    assert org_code_problems(code[8:17]) == []


@pytest.mark.parametrize(
    "parts",
    [
        ("0", "1", "310110", "66600721"),  # no registering authority 0
        ("9", "11", "310110", "66600721"),
        ("9", "1", "31011A", "66600721"),
        ("9", "1", "310110", "6660072"),
        ("9", "1", "310110", "6660072O"),  # O is not in the USCC alphabet
    ],
)
def test_make_uscc__refuses_parts_that_cannot_make_a_valid_code(parts):
    with pytest.raises(ValueError):
        make_uscc(*parts)


def test_uscc__wrong_check_char_alone_is_a_checksum_only_failure():
    problems = uscc_problems("91310110666007217A")
    assert problems == ["统一社会信用代码校验位错误，应为 T"]
    assert uscc_is_checksum_only_failure("91310110666007217A")


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("9131011066600721", "应为18位，实际为16位"),
        ("91310110666007217TT", "应为18位，实际为19位"),
        ("", "应为18位，实际为0位"),
        ("91310110666OO7217T", "非法字符：O"),
        ("913101I0666007217T", "非法字符：I"),
        ("9131A110666007217T", "第3—8位"),
        ("01310110666007217T", "第1位"),
    ],
)
def test_uscc__structural_failures_are_not_checksum_only(code, fragment):
    problems = uscc_problems(code)
    assert any(fragment in p for p in problems), problems
    assert not uscc_is_checksum_only_failure(code)


def test_uscc__structural_failure_hides_the_checksum_verdict():
    # Letters in the area code and a wrong check character: only the structure is reported,
    # so the code cannot be accepted through the checksum override.
    problems = uscc_problems("9131A110666007217A")
    assert len(problems) == 1
    assert "校验位" not in problems[0]
    assert not uscc_is_checksum_only_failure("9131A110666007217A")


def test_uscc__valid_code_is_not_a_checksum_failure():
    assert not uscc_is_checksum_only_failure(VALID[0])
