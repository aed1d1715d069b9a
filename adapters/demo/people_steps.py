"""Demo steps for people: the 执法检查人员名录库, declared conflicts, experts and the demo users."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from adapters.demo import names
from adapters.demo.context import DemoContext, DemoUser
from adapters.demo.data_items import ITEMS, fields_of
from adapters.demo.data_joint_lists import JOINT_LISTS
from adapters.demo.data_names import CONFLICT_REASONS, EXPERTS
from adapters.demo.data_org import DEPARTMENTS, MIN_INSPECTORS_PER_DEPARTMENT, PASSWORD_WORDS, USERS
from adapters.models import Expert, Inspector, InspectorConflict, User, inspector_tags

FIELD_SEPARATOR = "、"  # the importer also accepts ；;,， between 执法领域


def add_inspectors(ctx: DemoContext) -> None:
    rng = ctx.rng("inspectors")
    rows, tag_rows, cert_seq = [], [], {}
    for spec, count in zip(DEPARTMENTS, _allocate(ctx.inspector_count), strict=True):
        owner = spec.key if spec.item_prefix else spec.parent_key
        bundles = _field_bundles(owner)
        for i in range(count):
            year = rng.randint(2015, 2025)
            seq = cert_seq[(spec.region_code, year)] = cert_seq.get((spec.region_code, year), 0) + 1
            cert_no = f"{spec.region_code}{year}{seq:04d}"
            rows.append(
                {
                    "cert_no": cert_no,
                    "name": names.person_name(rng),
                    "department_id": ctx.departments[spec.key],
                    "fields": _fields(rng, owner, bundles[i % len(bundles)]),
                    # City inspectors may inspect anywhere; county ones stay in their county.
                    "region_code": spec.region_code if spec.level == "county" else None,
                    "phone": names.mobile(rng),
                    # The first two of each bundle stay active, so every draw has a pool.
                    "active": i < 2 * len(bundles) or rng.random() >= 0.04,
                }
            )
            tag_rows.append((cert_no, _inspector_tags(rng, i, year)))
    ctx.insert(Inspector.__table__, rows)
    ids = dict(ctx.session.execute(select(Inspector.cert_no, Inspector.id)).all())
    by_department = {dept_id: key for key, dept_id in ctx.departments.items()}
    for row in rows:
        ctx.inspectors.setdefault(by_department[row["department_id"]], []).append(ids[row["cert_no"]])
    links = ({"inspector_id": ids[cert], "tag_id": ctx.tags[tag]} for cert, tags in tag_rows for tag in tags)
    ctx.counts["inspector_tags"] = ctx.insert(inspector_tags, links)
    ctx.counts["inspectors"] = len(rows)


def _allocate(total: int) -> list[int]:
    """At least the minimum per department (when the total allows), the rest by weight."""
    base = min(MIN_INSPECTORS_PER_DEPARTMENT, total // len(DEPARTMENTS))
    spare = total - base * len(DEPARTMENTS)
    weights = [spec.weight for spec in DEPARTMENTS]
    shares = [spare * w / sum(weights) for w in weights]
    counts = [base + int(s) for s in shares]
    # Largest remainders take what rounding left over.
    order = sorted(range(len(shares)), key=lambda i: (int(shares[i]) - shares[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _field_bundles(department_key: str) -> list[tuple[str, ...]]:
    """The sets of 执法领域 one inspector needs to check all the department's items of one joint
    list; then the department's remaining fields one by one."""
    bundles: list[tuple[str, ...]] = []
    codes = {item.code: item.field for item in ITEMS[department_key]}
    for joint in JOINT_LISTS:
        wanted = tuple(dict.fromkeys(codes[c] for c in joint.items.get(department_key, ())))
        if wanted and wanted not in bundles:
            bundles.append(wanted)
    covered = {field for bundle in bundles for field in bundle}
    bundles += [(field,) for field in fields_of(department_key) if field not in covered]
    return bundles


def _fields(rng: random.Random, department_key: str, bundle: tuple[str, ...]) -> str:
    chosen = set(bundle)
    others = [f for f in fields_of(department_key) if f not in chosen]
    if others and rng.random() < 0.3:
        chosen.add(rng.choice(others))
    return FIELD_SEPARATOR.join(f for f in fields_of(department_key) if f in chosen)


def _inspector_tags(rng: random.Random, index: int, year: int) -> list[str]:
    tags = []
    if index == 0:
        tags.append("双随机联络员")
    if year >= 2024:
        tags.append("新入职")
    elif rng.random() < 0.2:
        tags.append("业务骨干")
    if rng.random() < 0.06:
        tags.append("法制审核")
    if rng.random() < 0.05:
        tags.append("执法办案能手")
    return tags


def add_experts(ctx: DemoContext) -> None:
    rng = ctx.rng("experts")
    for specialty, organisation, department_key in EXPERTS:
        ctx.session.add(
            Expert(
                name=names.person_name(rng),
                specialty=specialty,
                organisation=organisation,
                phone=names.mobile(rng),
                department_id=ctx.departments[department_key] if department_key else None,
                active=True,
            )
        )
    ctx.session.flush()
    ctx.counts["experts"] = len(EXPERTS)


def add_users(ctx: DemoContext) -> None:
    """One user per role; inspector users are linked to an active inspector of their department."""
    rng = ctx.rng("users")
    short_names = {spec.key: spec.short_name for spec in DEPARTMENTS}
    taken: set[int] = set()
    for spec in USERS:
        password = f"Liancha-{rng.choice(PASSWORD_WORDS)}-{rng.randint(1000, 9999)}"
        inspector = _free_inspector(ctx, spec.department_key, taken) if spec.inspector else None
        display = inspector.name if inspector else f"{names.person_name(rng)}（{spec.title}）"
        user = User(
            username=spec.username,
            display_name=display,
            password_hash=ctx.hash_password(password),
            department_id=ctx.departments[spec.department_key] if spec.department_key else None,
            active=True,
        )
        user.set_roles(list(spec.roles))
        ctx.session.add(user)
        ctx.session.flush()
        if inspector:
            inspector.user_id = user.id
        ctx.user_ids[spec.username] = user.id
        department = short_names[spec.department_key] if spec.department_key else None
        ctx.users.append(DemoUser(spec.username, spec.roles, department, password))
    ctx.session.flush()
    ctx.counts["users"] = len(USERS)


def _free_inspector(ctx: DemoContext, department_key: str | None, taken: set[int]) -> Inspector | None:
    for inspector_id in ctx.inspectors.get(department_key or "", []):
        inspector = ctx.session.get(Inspector, inspector_id)
        if inspector.active and inspector.id not in taken:
            taken.add(inspector.id)
            return inspector
    return None


def add_conflicts(ctx: DemoContext) -> None:
    """A few declared 回避 relationships, declared through the office."""
    rng = ctx.rng("conflicts")
    everyone = [i for ids in ctx.inspectors.values() for i in ids]
    if not everyone or not ctx.enterprise_ids:
        ctx.counts["conflicts"] = 0
        return
    pairs: set[tuple[int, int]] = set()
    declared_by = ctx.user_ids.get("office")
    start = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    for inspector_id in rng.sample(everyone, max(1, len(everyone) // 15)):
        for enterprise_id in rng.sample(ctx.enterprise_ids, min(rng.randint(1, 2), len(ctx.enterprise_ids))):
            pairs.add((inspector_id, enterprise_id))
            ctx.session.add(
                InspectorConflict(
                    inspector_id=inspector_id,
                    enterprise_id=enterprise_id,
                    reason=rng.choice(CONFLICT_REASONS),
                    declared_at=start + timedelta(days=rng.randrange(600), hours=rng.randrange(8)),
                    declared_by_id=declared_by,
                    active=True,
                )
            )
    ctx.session.flush()
    ctx.counts["conflicts"] = len(pairs)
