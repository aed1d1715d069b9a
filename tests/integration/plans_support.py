"""Shared world of the annual plan tests (tests/integration/test_plans__*.py): a city with two
lead departments and a cooperating one, their officers and the office; a plan's rows as the
pages post them; and a client logged in as someone."""

from __future__ import annotations

from adapters.db import db
from adapters.plans.service import PlanService
from adapters.workflow.service import Who
from engine.access import Actor
from tests import factories as f
from web.runtime import workflow

YEAR = 2026


def build_world(app=None) -> dict:
    if app is not None:
        # the app is shared by the session's tests and one of them lowers the upload limit
        # (test_import__web): the plan pages post more than that
        settings = app.config["LIANCHA_SETTINGS"]
        app.config["MAX_CONTENT_LENGTH"] = settings.max_upload_mb * 1024 * 1024
    f.region()
    w: dict = {
        "market": f.department("市场监管局"),
        "commerce": f.department("商务局"),
        "fire": f.department("消防救援支队"),
    }
    w["office"] = f.account("office", ["office"], w["market"].id)
    w["officer_market"] = f.account("officer_market", ["officer"], w["market"].id)
    w["officer_commerce"] = f.account("officer_commerce", ["officer"], w["commerce"].id)
    w["officer_fire"] = f.account("officer_fire", ["officer"], w["fire"].id)
    w["auditor"] = f.account("auditor", ["auditor"], w["fire"].id)
    db.session.commit()
    return w


def who(user) -> Who:
    return Who(Actor(user.id, user.department_id, user.roles), user.display_name, "127.0.0.1")


def service(user) -> PlanService:
    return PlanService(workflow(), who(user))


def row_data(w: dict, lead: str, task_name: str, **extra) -> dict:
    """A row as the API or a service call takes it (ids as ints)."""
    values = {
        "market": {
            "industry": "餐饮服务",
            "industry_codes": ["621", "622"],
            "department_ids": [w["fire"].id],
            "items": "市场监管局：食品经营许可、从业人员健康管理；消防救援支队：消防安全",
            "target_scope": "辖区内持证餐饮服务单位",
            "subject": "市场监管局",
            "duties": "市场监管局牵头组织；消防救援支队负责消防安全检查",
            "ratio": "5%",
            "schedule": "2026年4月—10月",
        },
        "commerce": {
            "industry": "加油站",
            "industry_codes": ["5265"],
            "department_ids": [w["fire"].id, w["market"].id],
            "items": "商务局：成品油零售经营资格；市场监管局：加油机计量",
            "target_scope": "辖区内加油站",
            "subject": "商务局",
            "duties": "商务局牵头",
            "ratio": "10%",
            "schedule": "2026年5月—9月",
        },
    }[lead]
    return {**values, "lead_department_id": w[lead].id, "task_name": task_name, **extra}


def form_data(data: dict) -> dict:
    """The same row as the row form posts it."""
    out = {k: v for k, v in data.items() if k not in ("industry_codes", "department_ids")}
    out["industry_codes"] = ", ".join(data.get("industry_codes", []))
    out["department_ids"] = [str(d) for d in data.get("department_ids", [])]
    return out


def client_as(app, user):
    client = f.client(app)
    f.login_as(client, user)
    token = f.csrf_token(client, "/plans")
    assert token, "no CSRF token on /plans"
    return client, token
