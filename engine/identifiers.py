"""Chinese identifiers: 统一社会信用代码 (GB 32100-2015), organisation code (GB 11714-1997)
and industry codes (GB/T 4754-2017).

Validators return a list of problems (empty when valid) so that importers and forms can
report every reason at once.
"""

from __future__ import annotations

import re

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
# First character: registering authority; second: category under that authority. GB 32100-2015
# lists 1–9, A, N and Y; B–G are accepted too so that a later-assigned authority never blocks
# an import of real data.
USCC_REGISTRARS = set("123456789ABCDEFGNY")

ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_INDUSTRY_RE = re.compile(r"^[A-T](\d{2}(\d(\d)?)?)?$")


def uscc_check_char(first17: str) -> str:
    """The 18th character of a USCC whose first 17 characters are given."""
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """The 9th character of a GB 11714 organisation code ('X' stands for 10)."""
    total = sum(ORG_ALPHABET.index(c) * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def normalise_uscc(code: str) -> str:
    return (code or "").strip().upper()


def uscc_problems(code: str) -> list[str]:
    """Structural problems first; a wrong check character only when the structure is sound.

    Messages are Chinese because they reach users through forms, imports and the API.
    """
    code = normalise_uscc(code)
    if len(code) != 18:
        return [f"统一社会信用代码应为18位，实际为{len(code)}位"]
    bad = sorted({c for c in code if c not in _USCC_VALUE})
    if bad:
        return [f"统一社会信用代码含有非法字符：{''.join(bad)}"]
    problems = []
    if code[0] not in USCC_REGISTRARS:
        problems.append(f"统一社会信用代码第1位（登记管理部门代码）无效：{code[0]}")
    if not code[2:8].isdigit():
        problems.append("统一社会信用代码第3—8位（登记管理机关行政区划码）应为数字")
    if problems:
        return problems
    if uscc_check_char(code[:17]) != code[17]:
        problems.append(f"统一社会信用代码校验位错误，应为 {uscc_check_char(code[:17])}")
    return problems


def uscc_is_checksum_only_failure(code: str) -> bool:
    """True when the only problem is the check character (an overridable pilot code)."""
    problems = uscc_problems(code)
    return len(problems) == 1 and "校验位" in problems[0]


def is_valid_uscc(code: str) -> bool:
    return not uscc_problems(code)


def org_code_problems(code: str) -> list[str]:
    code = (code or "").strip().upper().replace("-", "")
    if len(code) != 9:
        return [f"组织机构代码应为9位，实际为{len(code)}位"]
    if any(c not in ORG_ALPHABET for c in code[:8]) or code[8] not in ORG_ALPHABET + "X":
        return ["组织机构代码含有非法字符"]
    if org_code_check_char(code[:8]) != code[8]:
        return [f"组织机构代码校验位错误，应为 {org_code_check_char(code[:8])}"]
    return []


def is_valid_org_code(code: str) -> bool:
    return not org_code_problems(code)


def make_uscc(registrar: str, category: str, area: str, org_body: str) -> str:
    """Build a valid USCC from its parts (org_body: the first 8 chars of the organisation code).

    Raises ValueError for parts that cannot make a valid code, rather than returning one that
    fails validation later.
    """
    registrar, category, org_body = registrar.upper(), category.upper(), org_body.upper()
    if registrar not in USCC_REGISTRARS or len(category) != 1 or category not in _USCC_VALUE:
        raise ValueError(f"invalid USCC registrar/category: {registrar!r}/{category!r}")
    if len(area) != 6 or not area.isdigit():
        raise ValueError(f"USCC area code must be 6 digits: {area!r}")
    if len(org_body) != 8 or any(c not in _USCC_VALUE for c in org_body):
        raise ValueError(f"USCC organisation part must be 8 characters of {USCC_ALPHABET}: {org_body!r}")
    org = org_body + org_code_check_char(org_body)
    first17 = registrar + category + area + org
    return first17 + uscc_check_char(first17)


def normalise_industry_code(code: str) -> str:
    """Accept '6210', 'H6210' or 'h 6210'; store digits with the section letter stripped
    when digits are present (the digits are unique across sections)."""
    code = (code or "").strip().upper().replace(" ", "")
    if len(code) > 1 and code[0].isalpha() and code[1:].isdigit():
        return code[1:]
    return code


def industry_code_problems(code: str) -> list[str]:
    """A GB/T 4754-2017 code: a section letter A–T, or a 2-, 3- or 4-digit code whose
    division (first two digits) exists in the standard."""
    raw = (code or "").strip().upper().replace(" ", "")
    code = normalise_industry_code(code)
    if not code:
        return ["国民经济行业代码不能为空"]
    if raw != code and code.isdigit() and industry_section(code) not in (None, raw[0]):
        # 'A6210' must not be stored silently as 6210: the letter and the digits disagree.
        return [f"国民经济行业门类 {raw[0]} 与代码 {code} 不符，应为 {industry_section(code)}"]
    if code.isalpha():
        return [] if _INDUSTRY_RE.match(code) else [f"国民经济行业门类代码无效：{code}"]
    if not code.isdigit() or len(code) not in (2, 3, 4):
        return [f"国民经济行业代码格式无效：{code}（应为2—4位数字）"]
    if industry_section(code) is None:
        return [f"国民经济行业代码大类不存在：{code[:2]}"]
    return []


def is_valid_industry_code(code: str) -> bool:
    return not industry_code_problems(code)


# GB/T 4754-2017: section letter → the range of its divisions (大类).
_SECTIONS = (
    ("A", 1, 5),
    ("B", 6, 12),
    ("C", 13, 43),
    ("D", 44, 46),
    ("E", 47, 50),
    ("F", 51, 52),
    ("G", 53, 60),
    ("H", 61, 62),
    ("I", 63, 65),
    ("J", 66, 69),
    ("K", 70, 70),
    ("L", 71, 72),
    ("M", 73, 75),
    ("N", 76, 79),
    ("O", 80, 82),
    ("P", 83, 83),
    ("Q", 84, 85),
    ("R", 86, 90),
    ("S", 91, 96),
    ("T", 97, 97),
)


def industry_section(code: str) -> str | None:
    """The section letter of a numeric industry code, or None if its division does not exist."""
    code = normalise_industry_code(code)
    if len(code) < 2 or not code[:2].isdigit():
        return None
    division = int(code[:2])
    for letter, low, high in _SECTIONS:
        if low <= division <= high:
            return letter
    return None


def industry_matches(code: str, prefixes: list[str]) -> bool:
    """Filters match industry codes by prefix (a section letter matches all its divisions)."""
    code = normalise_industry_code(code)
    for prefix in prefixes:
        p = normalise_industry_code(prefix)
        if p.isalpha() and industry_section(code) == p:
            return True
        if p and code.startswith(p):
            return True
    return False
