"""Demo industries: real GB/T 4754-2017 classes with the name patterns of their businesses.

Patterns are format strings filled by `names.enterprise_name`:
{city} 石家庄 / 河北 / the county-level city; {county} the registering county as written in names
of 个体工商户 (石家庄市长安区, 新乐市); {zihao} a trade name (字号); {shop} a trade name or a family
shop name (老王家, 张记); {brand} a chain brand of the class; {place} a road or town for branches.
Category 1 (enterprises) use `company`/`chain`, category 2 (个体工商户) `individual`, category 3
(农民专业合作社) `coop`.
"""

from __future__ import annotations

from typing import NamedTuple


class IndustrySpec(NamedTuple):
    code: str
    label: str
    weight: int  # relative share of the register
    company: tuple[str, ...]
    individual: tuple[str, ...] = ()
    chain: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    coop: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # tags that suit the class (given to some of its enterprises)


INDUSTRIES = (
    IndustrySpec(
        "6210",
        "正餐服务",
        150,
        ("{city}{zihao}餐饮管理有限公司", "{city}{zihao}餐饮服务有限公司", "{city}{zihao}酒店管理有限公司"),
        (
            "{county}{shop}饭店",
            "{county}{shop}家常菜馆",
            "{county}{shop}火锅店",
            "{county}{shop}烧烤店",
            "{county}{shop}饺子馆",
        ),
        ("{city}{brand}餐饮连锁管理有限公司{place}店",),
        ("福满楼", "老槐树", "御膳坊"),
        tags=("学校周边", "旅游景区", "人员密集场所"),
    ),
    IndustrySpec(
        "6220",
        "快餐服务",
        100,
        ("{city}{zihao}快餐有限公司", "{city}{zihao}餐饮管理有限公司"),
        (
            "{county}{shop}快餐店",
            "{county}{shop}面馆",
            "{county}{shop}米线店",
            "{county}{shop}包子铺",
            "{county}{shop}麻辣烫店",
        ),
        ("{city}{brand}快餐连锁有限公司{place}店",),
        ("乐食堂", "好滋味"),
        tags=("学校周边",),
    ),
    IndustrySpec(
        "6231",
        "茶馆服务",
        15,
        ("{city}{zihao}茶文化传播有限公司",),
        ("{county}{shop}茶馆", "{county}{shop}茶社"),
    ),
    IndustrySpec(
        "6291",
        "小吃服务",
        60,
        ("{city}{zihao}小吃有限公司",),
        ("{county}{shop}驴肉火烧店", "{county}{shop}小吃店", "{county}{shop}烧饼铺", "{county}{shop}凉皮店"),
        tags=("学校周边",),
    ),
    IndustrySpec(
        "5265",
        "机动车燃油零售",
        15,
        (
            "{city}{zihao}加油站有限公司",
            "{city}{zihao}石油销售有限公司{place}加油站",
            "河北{zihao}能源有限公司{place}加油站",
        ),
        ("{county}{zihao}加油站",),
        tags=("危险化学品", "重点监管"),
    ),
    IndustrySpec(
        "5251",
        "西药零售",
        45,
        ("{city}{zihao}大药房有限公司", "{city}{zihao}医药有限公司"),
        ("{county}{shop}药店", "{county}{zihao}大药房"),
        ("河北{brand}大药房连锁有限公司{place}店",),
        ("仁济堂", "康宁", "同心"),
    ),
    IndustrySpec(
        "5252",
        "中药零售",
        12,
        ("{city}{zihao}堂医药有限公司", "{city}{zihao}中药饮片有限公司"),
        ("{county}{zihao}堂药店", "{county}{shop}中药店"),
    ),
    IndustrySpec(
        "8391",
        "职业技能培训",
        12,
        ("{city}{zihao}职业技能培训学校有限公司", "{city}{zihao}职业培训学校"),
        tags=("人员密集场所",),
    ),
    IndustrySpec(
        "8392",
        "体校及体育培训",
        10,
        (
            "{city}{zihao}体育文化发展有限公司",
            "{city}{zihao}跆拳道俱乐部有限公司",
            "{city}{zihao}游泳培训有限公司",
        ),
        ("{county}{zihao}武术馆",),
        tags=("学校周边",),
    ),
    IndustrySpec(
        "8393",
        "文化艺术培训",
        20,
        (
            "{city}{zihao}艺术培训学校有限公司",
            "{city}{zihao}文化艺术培训中心有限公司",
            "{city}{zihao}舞蹈培训有限公司",
        ),
        ("{county}{zihao}美术工作室", "{county}{zihao}书法培训部"),
        tags=("学校周边",),
    ),
    IndustrySpec(
        "8394",
        "教育辅助服务",
        15,
        ("{city}{zihao}教育科技有限公司", "{city}{zihao}教育咨询有限公司"),
        tags=("学校周边",),
    ),
    IndustrySpec(
        "8399",
        "其他未列明教育",
        8,
        ("{city}{zihao}培训学校有限公司", "{city}{zihao}教育信息咨询有限公司"),
    ),
    IndustrySpec(
        "6110",
        "旅游饭店",
        8,
        ("{city}{zihao}大酒店有限公司", "{city}{zihao}国际酒店有限公司"),
        tags=("旅游景区", "人员密集场所"),
    ),
    IndustrySpec(
        "6121",
        "经济型连锁酒店",
        12,
        ("{city}{zihao}商务酒店有限公司", "{city}{zihao}快捷酒店有限公司"),
        chain=("{city}{brand}酒店管理有限公司{place}店",),
        brands=("驿居", "悦途"),
        tags=("人员密集场所",),
    ),
    IndustrySpec(
        "6129",
        "其他一般旅馆",
        30,
        ("{city}{zihao}宾馆有限公司",),
        ("{county}{zihao}宾馆", "{county}{zihao}旅馆", "{county}{shop}招待所", "{county}{zihao}旅社"),
        tags=("旅游景区",),
    ),
    IndustrySpec(
        "5431",
        "普通货物道路运输",
        40,
        ("{city}{zihao}物流有限公司", "{city}{zihao}运输有限公司", "{city}{zihao}货运有限公司"),
        ("{county}{zihao}货运部",),
    ),
    IndustrySpec("5432", "冷藏车道路运输", 8, ("{city}{zihao}冷链物流有限公司",)),
    IndustrySpec(
        "5435",
        "危险货物道路运输",
        6,
        ("{city}{zihao}危险货物运输有限公司", "{city}{zihao}化工物流有限公司"),
        tags=("危险化学品", "重点监管"),
    ),
    IndustrySpec(
        "5437", "城市配送", 12, ("{city}{zihao}城市配送有限公司", "{city}{zihao}供应链管理有限公司")
    ),
    IndustrySpec(
        "5211",
        "百货零售",
        30,
        ("{city}{zihao}商贸有限公司", "{city}{zihao}百货有限公司"),
        ("{county}{zihao}百货商店",),
    ),
    IndustrySpec(
        "5212",
        "超级市场零售",
        50,
        ("{city}{zihao}超市有限公司", "{city}{zihao}商业连锁有限公司"),
        ("{county}{zihao}超市",),
        ("{city}{brand}超市连锁有限公司{place}店",),
        ("惠友", "万家福"),
        tags=("人员密集场所",),
    ),
    IndustrySpec(
        "5213",
        "便利店零售",
        60,
        ("{city}{zihao}便利店有限公司",),
        ("{county}{zihao}便利店", "{county}{shop}小卖部"),
        ("{city}{brand}便利店连锁有限公司{place}店",),
        ("邻家", "易佳"),
        tags=("学校周边",),
    ),
    IndustrySpec(
        "5223",
        "果品、蔬菜零售",
        40,
        ("{city}{zihao}农产品有限公司",),
        ("{county}{shop}水果店", "{county}{zihao}果蔬店"),
        coop=("{county}{zihao}果蔬专业合作社",),
    ),
    IndustrySpec(
        "5224",
        "肉、禽、蛋、奶及水产品零售",
        25,
        ("{city}{zihao}食品有限公司",),
        ("{county}{shop}鲜肉店", "{county}{zihao}水产店"),
    ),
    IndustrySpec(
        "5226",
        "酒、饮料及茶叶零售",
        35,
        ("{city}{zihao}酒业有限公司", "{city}{zihao}茶业有限公司"),
        ("{county}{zihao}烟酒店", "{county}{zihao}茶叶店"),
    ),
    IndustrySpec(
        "5232",
        "服装零售",
        50,
        ("{city}{zihao}服饰有限公司",),
        ("{county}{zihao}服装店", "{county}{shop}服饰店"),
    ),
    IndustrySpec(
        "5263",
        "汽车零配件零售",
        20,
        ("{city}{zihao}汽车配件有限公司", "{city}{zihao}汽车服务有限公司"),
        ("{county}{zihao}汽配商行",),
    ),
    IndustrySpec(
        "8040",
        "理发及美容服务",
        60,
        ("{city}{zihao}美容美发有限公司",),
        ("{county}{zihao}理发店", "{county}{zihao}美容院", "{county}{shop}美发工作室"),
    ),
    IndustrySpec("7020", "物业管理", 20, ("{city}{zihao}物业服务有限公司", "{city}{zihao}物业管理有限公司")),
    IndustrySpec("0141", "蔬菜种植", 15, (), coop=("{county}{zihao}蔬菜种植专业合作社",)),
)
