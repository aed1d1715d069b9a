"""Demo "一业一查"抽查事项清单: the six industries of docs/UI.md, each with its lead department,
its cooperating departments and the items every department checks in the one joint visit.

Industry codes are GB/T 4754-2017 prefixes. 道路货物运输 is the group 543 (its classes are
5431–5439; "5430" is only the group written as four digits) and 一般旅馆 the group 612.
"""

from __future__ import annotations

from typing import NamedTuple


class JointListSpec(NamedTuple):
    name: str
    industry_codes: tuple[str, ...]
    lead: str
    # department key -> the item codes it checks; the lead comes first
    items: dict[str, tuple[str, ...]]
    notes: str
    frequency_per_year: int = 1


JOINT_LISTS = (
    JointListSpec(
        "餐饮服务",
        ("621", "622"),
        "market",
        {
            "market": ("SC-001", "SC-002", "SC-003"),
            "fire": ("XF-001",),
            "environment": ("HB-001",),
            "health": ("WJ-001",),
        },
        "正餐和快餐服务；学校周边、旅游景区餐饮单位优先纳入抽查范围。",
    ),
    JointListSpec(
        "加油站",
        ("5265",),
        "commerce",
        {
            "commerce": ("SW-001",),
            "emergency": ("YJ-001",),
            "market": ("SC-004", "SC-005"),
            "fire": ("XF-001",),
            "environment": ("HB-002",),
        },
        "机动车燃油零售；油品质量抽检由市场监管部门委托有资质的检验机构承担。",
    ),
    JointListSpec(
        "药品零售",
        ("5251", "5252"),
        "market",
        {
            "market": ("SC-006",),
            "medical_insurance": ("YB-001",),
            "fire": ("XF-001",),
        },
        "西药、中药零售；医保定点零售药店同步检查协议履行情况。",
    ),
    JointListSpec(
        "校外培训机构",
        ("839",),
        "education",
        {
            "education": ("JY-001", "JY-002"),
            "market": ("SC-007",),
            "fire": ("XF-001",),
            "health": ("WJ-003",),
        },
        "职业技能、体育、文化艺术培训及教育辅助服务机构。",
    ),
    JointListSpec(
        "旅馆",
        ("6110", "612"),
        "police",
        {
            "police": ("GA-001",),
            "health": ("WJ-002",),
            "fire": ("XF-001",),
            "market": ("SC-008",),
        },
        "旅游饭店和一般旅馆（含经济型连锁酒店）。",
    ),
    JointListSpec(
        "道路货物运输",
        ("543",),
        "transport",
        {
            "transport": ("JT-001",),
            "emergency": ("YJ-002",),
            "market": ("SC-009",),
        },
        "普通货物、冷藏、危险货物道路运输及城市配送企业。",
    ),
)
