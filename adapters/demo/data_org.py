"""Demo organisation: one city (石家庄市) with three counties, its departments and demo users.

Region codes are real GB/T 2260 codes. Department keys are internal handles that the other
demo tables (items, joint lists, users) refer to.
"""

from __future__ import annotations

from typing import NamedTuple

CITY = ("130100", "石家庄市")
# code, name, share of the enterprises registered there
COUNTIES = (
    ("130102", "长安区", 0.45),
    ("130110", "鹿泉区", 0.30),
    ("130184", "新乐市", 0.25),
)


class DepartmentSpec(NamedTuple):
    key: str
    name: str
    short_name: str
    level: str  # city | county
    region_code: str
    parent_key: str | None
    item_prefix: str | None  # departments owning items; county ones use their parent's fields
    weight: int  # share of the inspector register above the minimum


DEPARTMENTS = (
    DepartmentSpec("market", "石家庄市市场监督管理局", "市场监管局", "city", "130100", None, "SC", 8),
    DepartmentSpec("emergency", "石家庄市应急管理局", "应急管理局", "city", "130100", None, "YJ", 2),
    DepartmentSpec("fire", "石家庄市消防救援支队", "消防救援支队", "city", "130100", None, "XF", 3),
    DepartmentSpec("health", "石家庄市卫生健康委员会", "卫生健康委", "city", "130100", None, "WJ", 2),
    DepartmentSpec("environment", "石家庄市生态环境局", "生态环境局", "city", "130100", None, "HB", 2),
    DepartmentSpec("commerce", "石家庄市商务局", "商务局", "city", "130100", None, "SW", 1),
    DepartmentSpec("education", "石家庄市教育局", "教育局", "city", "130100", None, "JY", 1),
    DepartmentSpec("transport", "石家庄市交通运输局", "交通运输局", "city", "130100", None, "JT", 2),
    DepartmentSpec(
        "culture", "石家庄市文化广电和旅游局", "文化广电和旅游局", "city", "130100", None, "WL", 1
    ),
    DepartmentSpec(
        "housing", "石家庄市住房和城乡建设局", "住房和城乡建设局", "city", "130100", None, "ZJ", 1
    ),
    DepartmentSpec("police", "石家庄市公安局", "公安局", "city", "130100", None, "GA", 2),
    DepartmentSpec("medical_insurance", "石家庄市医疗保障局", "医疗保障局", "city", "130100", None, "YB", 1),
    DepartmentSpec(
        "market_changan",
        "石家庄市长安区市场监督管理局",
        "长安区市场监管局",
        "county",
        "130102",
        "market",
        None,
        3,
    ),
    DepartmentSpec(
        "market_luquan",
        "石家庄市鹿泉区市场监督管理局",
        "鹿泉区市场监管局",
        "county",
        "130110",
        "market",
        None,
        2,
    ),
    DepartmentSpec(
        "market_xinle", "新乐市市场监督管理局", "新乐市市场监管局", "county", "130184", "market", None, 2
    ),
    DepartmentSpec(
        "emergency_luquan",
        "石家庄市鹿泉区应急管理局",
        "鹿泉区应急管理局",
        "county",
        "130110",
        "emergency",
        None,
        1,
    ),
    DepartmentSpec(
        "education_changan", "石家庄市长安区教育局", "长安区教育局", "county", "130102", "education", None, 1
    ),
)

# The office (双随机办) is hosted by the market-supervision bureau, so its users belong there.
OFFICE_HOST = "market"
MIN_INSPECTORS_PER_DEPARTMENT = 8


class UserSpec(NamedTuple):
    username: str
    roles: tuple[str, ...]
    department_key: str | None
    title: str  # shown after the person's name
    inspector: bool = False  # linked to an Inspector row of its department


USERS = (
    UserSpec("admin", ("sysadmin",), None, "系统管理员"),
    UserSpec("office", ("office",), OFFICE_HOST, "双随机办"),
    UserSpec("scjg", ("officer",), "market", "市场监管局"),
    UserSpec("xiaofang", ("officer",), "fire", "消防救援支队"),
    UserSpec("shangwu", ("officer",), "commerce", "商务局"),
    UserSpec("jiaoyu", ("officer",), "education", "教育局"),
    UserSpec("inspector1", ("inspector",), "market", "执法检查人员", inspector=True),
    UserSpec("inspector2", ("inspector",), "fire", "执法检查人员", inspector=True),
    UserSpec("auditor", ("auditor",), None, "督查"),
    # officers of the other departments of the 一业一查 lists (added last: earlier passwords stay)
    UserSpec("weijian", ("officer",), "health", "卫生健康委"),
    UserSpec("shengtai", ("officer",), "environment", "生态环境局"),
    UserSpec("yingji", ("officer",), "emergency", "应急管理局"),
    UserSpec("gongan", ("officer",), "police", "公安局"),
    UserSpec("jiaotong", ("officer",), "transport", "交通运输局"),
    UserSpec("yibao", ("officer",), "medical_insurance", "医疗保障局"),
)

# Words for the demo passwords (Hebei place names); the password itself is drawn from the seed.
PASSWORD_WORDS = (
    "Taihang",
    "Hutuo",
    "Baodu",
    "Zhengding",
    "Zhaozhou",
    "Cangyan",
    "Xibaipo",
    "Fenglong",
    "Luquan",
    "Chang-an",
    "Xinle",
    "Zhongshan",
    "Yuhua",
    "Gaocheng",
)
