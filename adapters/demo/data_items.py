"""Demo 抽查事项清单: the items each city department owns, with their legal basis (检查依据).

Each item: code, name, legal basis, method, category (general | key) and the 执法领域 it needs.
The first items of a department are the ones the 一业一查 lists use (see data_joint_lists).
"""

from __future__ import annotations

from typing import NamedTuple


class ItemSpec(NamedTuple):
    code: str
    name: str
    legal_basis: str
    method: str
    category: str
    field: str


ONSITE = "现场检查"
DOCUMENTS = "书面检查"
BOTH = "现场检查、书面检查"

FOOD_LAW = "《中华人民共和国食品安全法》"
SAFETY_LAW = "《中华人民共和国安全生产法》"
FIRE_LAW = "《中华人民共和国消防法》"
AIR_LAW = "《中华人民共和国大气污染防治法》"

ITEMS: dict[str, tuple[ItemSpec, ...]] = {
    "market": (
        ItemSpec("SC-001", "食品经营许可情况检查", f"{FOOD_LAW}第三十五条", ONSITE, "key", "食品安全"),
        ItemSpec("SC-002", "从业人员健康管理检查", f"{FOOD_LAW}第四十五条", BOTH, "general", "食品安全"),
        ItemSpec("SC-003", "进货查验记录检查", f"{FOOD_LAW}第五十三条", BOTH, "general", "食品安全"),
        ItemSpec("SC-004", "加油机计量检查", "《中华人民共和国计量法》第九条", ONSITE, "key", "计量监督"),
        ItemSpec(
            "SC-005", "油品质量检查", "《中华人民共和国产品质量法》第三十九条", ONSITE, "key", "产品质量"
        ),
        ItemSpec(
            "SC-006",
            "药品经营质量管理规范执行情况检查",
            "《中华人民共和国药品管理法》第五十三条",
            ONSITE,
            "key",
            "药品监管",
        ),
        ItemSpec(
            "SC-007",
            "价格与广告行为检查",
            "《中华人民共和国价格法》第十三条、《中华人民共和国广告法》第二十四条",
            BOTH,
            "general",
            "价格监管",
        ),
        ItemSpec(
            "SC-008",
            "营业执照与价格公示检查",
            "《中华人民共和国市场主体登记管理条例》第三十六条、《明码标价和禁止价格欺诈规定》第五条",
            ONSITE,
            "general",
            "登记监管",
        ),
        ItemSpec(
            "SC-009",
            "特种设备使用安全检查",
            "《中华人民共和国特种设备安全法》第三十三条",
            ONSITE,
            "key",
            "特种设备",
        ),
        ItemSpec(
            "SC-010",
            "企业公示信息情况检查",
            "《企业信息公示暂行条例》第十四条",
            DOCUMENTS,
            "general",
            "登记监管",
        ),
        ItemSpec(
            "SC-011",
            "化妆品经营者进货查验检查",
            "《化妆品监督管理条例》第三十八条",
            BOTH,
            "general",
            "药品监管",
        ),
    ),
    "emergency": (
        ItemSpec(
            "YJ-001",
            "危险化学品经营许可检查",
            "《危险化学品安全管理条例》第三十三条",
            ONSITE,
            "key",
            "危险化学品",
        ),
        ItemSpec("YJ-002", "安全生产主体责任落实检查", f"{SAFETY_LAW}第二十一条", BOTH, "key", "安全生产"),
        ItemSpec(
            "YJ-003",
            "安全生产教育和培训情况检查",
            f"{SAFETY_LAW}第二十八条",
            DOCUMENTS,
            "general",
            "安全生产",
        ),
        ItemSpec(
            "YJ-004", "生产安全事故应急预案检查", f"{SAFETY_LAW}第八十一条", DOCUMENTS, "general", "安全生产"
        ),
        ItemSpec(
            "YJ-005",
            "安全风险分级管控和隐患排查治理检查",
            f"{SAFETY_LAW}第四十一条",
            ONSITE,
            "general",
            "安全生产",
        ),
    ),
    "fire": (
        ItemSpec("XF-001", "消防安全检查", f"{FIRE_LAW}第十六条", ONSITE, "key", "消防监督"),
        ItemSpec(
            "XF-002",
            "公众聚集场所投入使用、营业消防安全检查",
            f"{FIRE_LAW}第十五条",
            ONSITE,
            "key",
            "消防监督",
        ),
        ItemSpec(
            "XF-003",
            "疏散通道、安全出口和消防设施检查",
            f"{FIRE_LAW}第二十八条",
            ONSITE,
            "general",
            "消防监督",
        ),
        ItemSpec("XF-004", "消防安全重点单位管理检查", f"{FIRE_LAW}第十七条", BOTH, "general", "消防监督"),
    ),
    "health": (
        ItemSpec(
            "WJ-001",
            "生活饮用水卫生检查",
            "《生活饮用水卫生监督管理办法》第六条",
            ONSITE,
            "general",
            "公共卫生",
        ),
        ItemSpec(
            "WJ-002", "公共场所卫生检查", "《公共场所卫生管理条例》第三条", ONSITE, "general", "公共卫生"
        ),
        ItemSpec(
            "WJ-003",
            "传染病防控检查",
            "《中华人民共和国传染病防治法》、《学校卫生工作条例》",
            BOTH,
            "general",
            "疾病预防控制",
        ),
        ItemSpec("WJ-004", "医疗废物管理检查", "《医疗废物管理条例》第七条", ONSITE, "key", "医疗卫生"),
        ItemSpec(
            "WJ-005",
            "职业病危害项目申报检查",
            "《中华人民共和国职业病防治法》第十六条",
            DOCUMENTS,
            "general",
            "职业卫生",
        ),
    ),
    "environment": (
        ItemSpec("HB-001", "油烟净化设施运行检查", f"{AIR_LAW}第八十一条", ONSITE, "general", "大气污染防治"),
        ItemSpec("HB-002", "油气回收设施检查", f"{AIR_LAW}第四十七条", ONSITE, "key", "大气污染防治"),
        ItemSpec("HB-003", "排污许可证执行情况检查", "《排污许可管理条例》第十七条", BOTH, "key", "排污许可"),
        ItemSpec(
            "HB-004",
            "危险废物规范化管理检查",
            "《中华人民共和国固体废物污染环境防治法》第七十八条",
            ONSITE,
            "key",
            "固体废物",
        ),
        ItemSpec(
            "HB-005",
            "建设项目环境影响评价制度执行检查",
            "《中华人民共和国环境影响评价法》第二十五条",
            DOCUMENTS,
            "general",
            "排污许可",
        ),
    ),
    "commerce": (
        ItemSpec(
            "SW-001",
            "成品油零售经营资格检查",
            "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）第183项",
            BOTH,
            "key",
            "商贸流通",
        ),
        ItemSpec(
            "SW-002",
            "单用途商业预付卡管理检查",
            "《单用途商业预付卡管理办法（试行）》（商务部令2012年第9号）",
            DOCUMENTS,
            "general",
            "商贸流通",
        ),
        ItemSpec(
            "SW-003",
            "再生资源回收经营者备案检查",
            "《再生资源回收管理办法》第七条",
            DOCUMENTS,
            "general",
            "商贸流通",
        ),
        ItemSpec(
            "SW-004",
            "报废机动车回收拆解企业资质检查",
            "《报废机动车回收管理办法》第五条",
            ONSITE,
            "general",
            "商贸流通",
        ),
    ),
    "education": (
        ItemSpec(
            "JY-001", "办学许可检查", "《中华人民共和国民办教育促进法》第十二条", BOTH, "key", "教育监管"
        ),
        ItemSpec(
            "JY-002",
            "收费管理检查",
            "《中华人民共和国民办教育促进法》第三十八条",
            DOCUMENTS,
            "general",
            "教育监管",
        ),
        ItemSpec(
            "JY-003",
            "培训内容与教学人员资质检查",
            "《校外培训行政处罚暂行办法》（教育部令第53号）",
            BOTH,
            "general",
            "教育监管",
        ),
        ItemSpec(
            "JY-004",
            "从业人员违法犯罪记录查询情况检查",
            "《中华人民共和国未成年人保护法》第六十二条",
            DOCUMENTS,
            "general",
            "教育监管",
        ),
    ),
    "transport": (
        ItemSpec(
            "JT-001",
            "道路运输经营许可检查",
            "《中华人民共和国道路运输条例》第二十四条",
            BOTH,
            "key",
            "道路运输",
        ),
        ItemSpec(
            "JT-002",
            "道路运输车辆技术管理检查",
            "《中华人民共和国道路运输条例》第三十条",
            ONSITE,
            "general",
            "道路运输",
        ),
        ItemSpec(
            "JT-003",
            "危险货物道路运输安全管理检查",
            "《危险货物道路运输安全管理办法》（交通运输部令2019年第29号）",
            ONSITE,
            "key",
            "道路运输",
        ),
    ),
    "culture": (
        ItemSpec(
            "WL-001", "娱乐场所经营活动检查", "《娱乐场所管理条例》第九条", ONSITE, "general", "文化市场"
        ),
        ItemSpec("WL-002", "旅行社经营行为检查", "《旅行社条例》第六条", DOCUMENTS, "general", "旅游市场"),
        ItemSpec(
            "WL-003",
            "互联网上网服务营业场所检查",
            "《互联网上网服务营业场所管理条例》第二十一条",
            ONSITE,
            "key",
            "文化市场",
        ),
    ),
    "housing": (
        ItemSpec(
            "ZJ-001",
            "建筑施工企业安全生产许可检查",
            "《安全生产许可证条例》第二条",
            DOCUMENTS,
            "key",
            "建筑市场",
        ),
        ItemSpec(
            "ZJ-002", "物业服务企业服务行为检查", "《物业管理条例》第三十五条", ONSITE, "general", "建筑市场"
        ),
        ItemSpec("ZJ-003", "燃气经营许可检查", "《城镇燃气管理条例》第十五条", BOTH, "key", "城镇燃气"),
    ),
    "police": (
        ItemSpec("GA-001", "旅馆业治安管理检查", "《旅馆业治安管理办法》第六条", ONSITE, "key", "治安管理"),
        ItemSpec(
            "GA-002", "特种行业许可证检查", "《旅馆业治安管理办法》第四条", DOCUMENTS, "general", "治安管理"
        ),
        ItemSpec(
            "GA-003",
            "易制爆危险化学品治安管理检查",
            "《易制爆危险化学品治安管理办法》（公安部令第154号）",
            ONSITE,
            "key",
            "治安管理",
        ),
        ItemSpec(
            "GA-004",
            "单位内部治安保卫检查",
            "《企业事业单位内部治安保卫条例》（国务院令第421号）",
            ONSITE,
            "general",
            "治安管理",
        ),
    ),
    "medical_insurance": (
        ItemSpec(
            "YB-001",
            "定点零售药店协议履行检查",
            "《医疗保障基金使用监督管理条例》第十四条、《零售药店医疗保障定点管理暂行办法》（国家医疗保障局令第3号）",
            BOTH,
            "key",
            "医保基金监管",
        ),
        ItemSpec(
            "YB-002",
            "医保基金使用情况检查",
            "《医疗保障基金使用监督管理条例》第十五条",
            DOCUMENTS,
            "general",
            "医保基金监管",
        ),
        ItemSpec(
            "YB-003",
            "医保药品进销存管理检查",
            "《医疗保障基金使用监督管理条例》第十五条",
            ONSITE,
            "general",
            "医保基金监管",
        ),
    ),
}


def fields_of(department_key: str) -> tuple[str, ...]:
    """The 执法领域 a department's items need, in order of first appearance."""
    return tuple(dict.fromkeys(item.field for item in ITEMS.get(department_key, ())))
