"""A small world for draw tests: a city with two counties, three departments with items and
inspectors, restaurants in both counties with a credit-risk mix, enterprises that must never be
drawn, declared conflicts, and a joint task whose departments have reported (报到)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from adapters.db import db
from adapters.draws.service import DrawService
from adapters.models import Draw, InspectorConflict, JointTask, JointTaskDepartment, TaskTarget
from adapters.workflow.service import Who
from engine.access import Actor
from tests import factories as f
from web.jobs import get_job_queue
from web.runtime import engine

RISKS = "AABBBCCD"  # 8 restaurants in a row: 2 A, 3 B, 2 C, 1 D


@dataclass
class World:
    departments: dict[str, int]
    users: dict[str, object]
    items: dict[str, int]
    inspectors: dict[str, list[int]]
    restaurants: list[int]
    never: dict[str, int]  # reason -> enterprise id that must stay out of the pool
    task: JointTask
    extra: dict = field(default_factory=dict)

    def who(self, name: str) -> Who:
        user = self.users[name]
        return Who(Actor(user.id, user.department_id, user.roles), user.display_name, "127.0.0.1")


def service() -> DrawService:
    return DrawService(db.session, engine(), get_job_queue())


def build(restaurants: int = 40, per_target: int = 2) -> World:
    f.region("130100", "石家庄市", "city")
    f.region("130102", "长安区", "county", "130100")
    f.region("130104", "桥西区", "county", "130100")
    market = f.department("市场监管局")
    fire = f.department("消防救援支队")
    health = f.department("卫生健康委")
    depts = {"market": market.id, "fire": fire.id, "health": health.id}
    users = {
        "lead": f.account("lead", ["officer"], market.id),
        "fire_officer": f.account("fire_officer", ["officer"], fire.id),
        "office": f.account("office", ["office"], market.id),
        "auditor": f.account("auditor", ["auditor"], health.id),
    }
    items = {
        "food": _item("SC-001", "食品经营许可情况检查", market.id, "食品安全"),
        "fire": _item("XF-001", "消防安全检查", fire.id, "消防安全"),
        "water": _item("WS-001", "生活饮用水卫生检查", health.id, "公共卫生"),
    }
    inspectors = {
        "market": [_inspector(f"SC{i:03d}", market.id, "食品安全、计量监督") for i in range(6)],
        "fire": [_inspector(f"XF{i:03d}", fire.id, "消防安全") for i in range(5)],
        "health": [_inspector(f"WS{i:03d}", health.id, "公共卫生") for i in range(4)],
    }
    # never eligible: lacks the field, inactive
    inspectors["unfit"] = [_inspector("SC900", market.id, "计量监督")]
    inactive = _inspector("SC901", market.id, "食品安全")
    inactive.active = False
    inspectors["inactive"] = [inactive.id]
    inspectors = {k: [i if isinstance(i, int) else i.id for i in v] for k, v in inspectors.items()}
    ids = [
        f.enterprise(
            n, industry_code="6210", region_code="130102" if n % 2 else "130104", risk_class=RISKS[n % 8]
        ).id
        for n in range(1, restaurants + 1)
    ]
    never = {
        "deregistered": f.enterprise(900, status="deregistered", region_code="130102").id,
        "revoked": f.enterprise(901, status="revoked", region_code="130102").id,
        "moved": f.enterprise(902, status="moved", region_code="130102").id,
        "other_industry": f.enterprise(903, industry_code="5265", region_code="130102").id,
        "recently_inspected": f.enterprise(
            904, region_code="130102", last_inspected_on=date.today() - timedelta(days=30)
        ).id,
    }
    task = joint_task("JT-2026-0001", depts, items, per_target, users["lead"].id)
    db.session.commit()
    return World(depts, users, items, inspectors, ids, never, task)


def joint_task(
    number: str, depts: dict, items: dict, per_target: int = 2, created_by: int | None = None
) -> JointTask:
    task = JointTask(
        number=number,
        name="餐饮服务一业一查",
        lead_department_id=depts["market"],
        industry_codes=["621", "622"],
        region_codes=["130100"],
        tag_ids=[],
        exclusion_months=12,
        inspectors_per_department=per_target,
        status="reporting",
        spawn_progress={},
        created_by_id=created_by,
    )
    db.session.add(task)
    db.session.flush()
    for key, item_key in (("market", "food"), ("fire", "fire"), ("health", "water")):
        db.session.add(
            JointTaskDepartment(
                task_id=task.id,
                department_id=depts[key],
                is_lead=key == "market",
                status="confirmed",
                item_ids=[items[item_key]],
                inspector_tag_ids=[],
                inspectors_per_target=per_target,
            )
        )
    db.session.flush()
    db.session.refresh(task)
    return task


def _item(code: str, name: str, dept: int, fields: str) -> int:
    item = f.item(code, name, dept)
    item.fields = fields
    return item.id


def _inspector(cert: str, dept: int, fields: str, **kw):
    return f.inspector(cert, f"检查员{cert}", dept, fields=fields, **kw)


def conflict(inspector_id: int, enterprise_id: int) -> None:
    db.session.add(
        InspectorConflict(inspector_id=inspector_id, enterprise_id=enterprise_id, reason="亲属关系")
    )
    db.session.flush()


def drawn(w: World, entropy: str = "2026036期 03 07 15 22 28 31", task_id: int | None = None) -> Draw:
    """Commit, then draw, each in its own transaction like the two requests."""
    svc = service()
    user = w.users["lead"].id
    row = svc.commit(task_id or w.task.id, entropy, user)
    db.session.commit()
    svc.run(row.id, user)
    db.session.commit()
    return db.session.get(Draw, row.id)


def confirmed_earlier(
    w: World, enterprise_ids: list[int], inspector_ids: dict[int, list[int]], days_ago: int
) -> JointTask:
    """An earlier task whose confirmed draw inspected these enterprises `days_ago` days ago."""
    from adapters.models import InspectorAssignment

    task = joint_task(f"JT-2025-{days_ago:04d}", w.departments, w.items)
    when = datetime.now(UTC) - timedelta(days=days_ago)
    draw = Draw(
        task_id=task.id,
        status="confirmed",
        algorithm="liancha-draw-v1",
        commitment="0" * 64,
        committed_at=when,
        filters={},
        ratios={},
        minimums=[],
        pool={},
        result={},
        drawn_at=when,
        confirmed_at=when,
    )
    db.session.add(draw)
    db.session.flush()
    for rank, e in enumerate(enterprise_ids, start=1):
        db.session.add(TaskTarget(task_id=task.id, enterprise_id=e, draw_id=draw.id, rank=rank))
        for i in inspector_ids.get(e, []):
            db.session.add(
                InspectorAssignment(
                    draw_id=draw.id,
                    task_id=task.id,
                    enterprise_id=e,
                    department_id=w.departments["market"],
                    inspector_id=i,
                )
            )
    db.session.commit()
    return task
