"""Rules of the organisation: GB/T 2260 region codes, passwords, and what an administrator may
not do to their own account.

Each check returns `{field: message}` (empty when fine) so that forms and the API can show
every problem next to its field at once. Messages are Chinese because they reach users.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 128
# GB/T 2260 province-level codes (first two digits).
PROVINCES = frozenset(
    [*map(str, range(11, 16)), "21", "22", "23", *map(str, range(31, 38)), *map(str, range(41, 47))]
    + ["50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"]
)
_CODE_RE = re.compile(r"^\d{6}$")
# Generated passwords avoid look-alike characters (0/O, 1/l/I) because they are read off a screen.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet


@dataclass(frozen=True)
class RegionRef:
    """An existing region as far as the rules need it."""

    code: str
    level: str


def region_problems(code: str, level: str, parent: RegionRef | None) -> dict[str, str]:
    """Problems of a region's code, level and parent: a city is `XXYY00`, a county `XXYYZZ`
    (ZZ ≠ 00) under a city with the same first four digits."""
    code = (code or "").strip()
    if not _CODE_RE.match(code):
        return {"code": "行政区划代码应为6位数字"}
    if code[:2] not in PROVINCES:
        return {"code": "行政区划代码前两位不是有效的省级代码"}
    if level == "city":
        return _city_problems(code, parent)
    if level == "county":
        return _county_problems(code, parent)
    return {"level": "级别应为市或县（区）"}


def _city_problems(code: str, parent: RegionRef | None) -> dict[str, str]:
    problems = {}
    if code[4:] != "00" or code[2:4] == "00":
        problems["code"] = "市级行政区划代码应为 XXYY00 形式（第3—4位不为00，末两位为00）"
    if parent is not None:
        problems["parent_code"] = "市级行政区划没有上级区划"
    return problems


def _county_problems(code: str, parent: RegionRef | None) -> dict[str, str]:
    problems = {}
    if code[4:] == "00" or code[2:4] == "00":
        problems["code"] = "县（区）级行政区划代码末两位和第3—4位都不能为00"
    if parent is None:
        problems["parent_code"] = "县（区）必须属于一个市"
    elif parent.level != "city":
        problems["parent_code"] = "上级区划必须是市"
    elif parent.code[:4] != code[:4]:
        problems["code"] = f"县（区）代码前4位应与所属市的代码一致（{parent.code[:4]}）"
    return problems


def password_problems(password: str) -> dict[str, str]:
    """A password must be 10–128 characters and not only spaces."""
    password = password or ""
    if not password.strip():
        return {"password": "请输入密码"}
    if len(password) < PASSWORD_MIN_LENGTH:
        return {"password": f"密码至少需要{PASSWORD_MIN_LENGTH}个字符"}
    if len(password) > PASSWORD_MAX_LENGTH:
        return {"password": f"密码不能超过{PASSWORD_MAX_LENGTH}个字符"}
    return {}


def generate_password(length: int = 14) -> str:
    """A random password to be shown once to the administrator who reset it."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(max(length, PASSWORD_MIN_LENGTH)))


def self_change_problems(
    actor_id: int, target_id: int, *, active: bool, roles: frozenset[str] | set[str]
) -> dict[str, str]:
    """An administrator may not lock themselves out: no deactivating their own account and no
    dropping their own sysadmin role (there would be nobody left to undo it)."""
    if actor_id != target_id:
        return {}
    problems = {}
    if not active:
        problems["active"] = "不能停用自己的账号"
    if "sysadmin" not in roles:
        problems["roles"] = "不能移除自己的系统管理员角色"
    return problems


def parent_cycle(department_id: int | None, parent_id: int | None, parents: dict[int, int | None]) -> bool:
    """True when making `parent_id` the parent of `department_id` would close a loop.

    `parents` maps each department to its current parent."""
    if department_id is None or parent_id is None:
        return False
    seen = set()
    current: int | None = parent_id
    while current is not None and current not in seen:
        if current == department_id:
            return True
        seen.add(current)
        current = parents.get(current)
    return False
