"""Generators of demo names, addresses, phone numbers and USCC organisation bodies.

Every function takes the step's `random.Random`, so the same seed yields the same values.
"""

from __future__ import annotations

import random

from adapters.demo import data_names as n
from adapters.demo.data_industries import IndustrySpec
from engine.identifiers import USCC_ALPHABET


def _weighted_surname(rng: random.Random) -> str:
    # Earlier surnames are more common: a triangular pick favours the front of the list.
    return n.SURNAMES[int(rng.triangular(0, len(n.SURNAMES), 0))]


def person_name(rng: random.Random) -> str:
    male = rng.random() < 0.55
    given = rng.choice(n.GIVEN_MALE if male else n.GIVEN_FEMALE)
    if rng.random() < 0.65:
        given = rng.choice(n.GIVEN_MIDDLE_MALE if male else n.GIVEN_MIDDLE_FEMALE) + given
    return _weighted_surname(rng) + given


def zihao(rng: random.Random) -> str:
    first, second = rng.sample(n.ZIHAO_CHARS, 2)
    return first + second


def shop_name(rng: random.Random) -> str:
    """A trade name or a family shop name (老王家, 张记)."""
    pick = rng.random()
    surname = _weighted_surname(rng)
    if pick < 0.15:
        return f"老{surname}家"
    if pick < 0.3:
        return f"{surname}记"
    return zihao(rng)


def mobile(rng: random.Random) -> str:
    return rng.choice(n.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def contact_phone(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return f"0311-{rng.choice('68')}{rng.randrange(10**7):07d}"
    return mobile(rng)


def address(rng: random.Random, county_code: str, county_name: str) -> tuple[str, bool]:
    """A street address in the county; the flag tells whether it lies in a township (乡镇)."""
    _, _, towns, roads = n.COUNTY_PLACES[county_code]
    # Businesses crowd the urban 街道 and the county seat: they weigh five times a village town.
    weights = [5 if t.endswith("街道") or t in n.SEAT_TOWNS else 1 for t in towns]
    town = rng.choices(towns, weights=weights)[0]
    rural = not town.endswith("街道")
    # Roads belong to the urban 街道 and the county seat; elsewhere addresses are villages.
    if rural and town not in n.SEAT_TOWNS:
        village = rng.choice(n.VILLAGE_PARTS) + rng.choice(n.VILLAGE_NAMES) + rng.choice(n.VILLAGE_SUFFIXES)
        where = f"{town}{village}{rng.randint(1, 260)}号"
    else:
        where = f"{town}{rng.choice(roads)}{rng.randint(1, 688)}号"
    return f"河北省石家庄市{county_name}{where}", rural


def enterprise_name(
    rng: random.Random, industry: IndustrySpec, category: str, county_code: str
) -> tuple[str, bool]:
    """A name that fits the class and the USCC category; the flag tells whether it is a chain store."""
    county_prefix, city_prefix, towns, roads = n.COUNTY_PLACES[county_code]
    chained = False
    if category == "2":
        pattern = rng.choice(industry.individual)
    elif category == "3":
        pattern = rng.choice(industry.coop)
    elif industry.chain and rng.random() < 0.25:
        pattern, chained = rng.choice(industry.chain), True
    else:
        pattern = rng.choice(industry.company)
    city = city_prefix if rng.random() < 0.75 or city_prefix != "石家庄" else "河北"
    place = rng.choice(roads + towns).removesuffix("街道").removesuffix("大街").removesuffix("路")
    name = pattern.format(
        city=city,
        county=county_prefix,
        zihao=zihao(rng),
        shop=shop_name(rng),
        brand=rng.choice(industry.brands) if industry.brands else "",
        place=place,
    )
    if category == "2":
        # Since 2022 the names of individual businesses end with this marker.
        name += "（个体工商户）"
    return name, chained


def org_body(rng: random.Random) -> str:
    """The first 8 characters of an organisation code: new registrations start with MA."""
    if rng.random() < 0.6:
        # USCC_ALPHABET leaves out I, O, S, V and Z, as organisation bodies inside a USCC must.
        return "MA" + "".join(rng.choices(USCC_ALPHABET, k=6))
    return f"{rng.randrange(10**8):08d}"
