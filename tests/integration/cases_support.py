"""Shared world of the case-engine UI/API tests (tests/integration/test_cases__*.py): three
departments, their people, the shipped processes deployed, and joint inspection cases started and
taken to the per-department checklists."""

from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from adapters.db import db
from adapters.models import HumanTask, ProcessInstance
from adapters.workflow import versions
from adapters.workflow.service import Who
from engine.access import Actor
from engine.models import load_model_folder, model_folders
from tests import factories as f
from web.runtime import engine, workflow

SHANGHAI = ZoneInfo("Asia/Shanghai")
DUE_TASKS = ("department_check", "consolidate", "review", "correct")
VISIT_DAY = datetime(2026, 9, 15, 10, 0, tzinfo=SHANGHAI)
PEOPLE = {
    "lead_officer": (["officer"], "lead"),
    "lead_inspector": (["inspector"], "lead"),
    "lead_colleague": (["inspector"], "lead"),
    "fire_officer": (["officer"], "fire"),
    "fire_inspector": (["inspector"], "fire"),
    "health_inspector": (["inspector"], "health"),
    "office": (["office"], "office_dept"),
    "auditor": (["auditor"], "office_dept"),
}


def build_world() -> dict:
    """Departments, people (accounts) and the deployed processes; committed."""
    f.region()
    w: dict = {}
    for key, name in (
        ("lead", "市场监管局"),
        ("fire", "消防救援支队"),
        ("health", "卫生健康委"),
        ("office_dept", "双随机办"),
    ):
        w[key] = f.department(name)
    for username, (roles, dept) in PEOPLE.items():
        w[username] = f.account(username, roles, w[dept].id)
    deploy_models()
    return w


def deploy_models() -> None:
    """The shipped models; inspection_case's model.json gains `task_due` (its tasks' deadline is
    the `result_due` variable) when it does not declare it yet, so that tasks carry a due date."""
    for folder in model_folders(versions.PROCESSES_DIR):
        files = load_model_folder(folder)
        if folder.name == "inspection_case":
            meta = json.loads(files["model.json"])
            meta.setdefault("task_due", dict.fromkeys(DUE_TASKS, "result_due"))
            files["model.json"] = json.dumps(meta, ensure_ascii=False).encode()
        versions.create_version(db.session, engine(), files, deploy=True, actor_name="system")
    db.session.commit()


def who(user) -> Who:
    return Who(Actor(user.id, user.department_id, user.roles), user.display_name, "127.0.0.1")


def start_data(w: dict, case_id: str = "C-2026-0001") -> dict:
    return {
        "case_id": case_id,
        "title": f"联合检查 {case_id}",
        "lead_department": str(w["lead"].id),
        "enterprise": {"name": "石家庄某某餐饮有限公司", "uscc": "91310110666007217T"},
        "enterprise_name": "石家庄某某餐饮有限公司",
        "departments": [
            {
                "id": w["lead"].id,
                "name": "市场监管局",
                "items": [
                    {"code": "SC-01", "name": "食品经营许可"},
                    {"code": "SC-02", "name": "进货查验记录"},
                ],
            },
            {"id": w["fire"].id, "name": "消防救援支队", "items": [{"code": "XF-01", "name": "消防安全"}]},
            {
                "id": w["health"].id,
                "name": "卫生健康委",
                "items": [{"code": "WS-01", "name": "生活饮用水卫生"}],
            },
        ],
    }


def start_case(w: dict, case_id: str = "C-2026-0001", *, checklists: bool = True) -> ProcessInstance:
    """A case started by the lead officer; with `checklists` its notice is done, so every
    department has its checklist task (visit on 2026-09-15, results due 2026-10-19)."""
    with time_machine.travel(VISIT_DAY, tick=False):
        row = workflow().start(
            "inspection_case",
            start_data(w, case_id),
            who(w["lead_officer"]),
            title=f"联合检查 {case_id} 石家庄某某餐饮有限公司",
            department_id=w["lead"].id,
        )
        db.session.commit()
        if checklists:
            (notice,) = ready(row.id)
            data = {"notice_no": "冀市监联查〔2026〕1号", "visit_date": "2026-09-15"}
            workflow().complete(notice.id, data, who(w["lead_officer"]))
            db.session.commit()
    return row


def ready(instance_id: int) -> list[HumanTask]:
    query = select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.state == "ready")
    return list(db.session.execute(query.order_by(HumanTask.id)).scalars())


def task_of(instance_id: int, department) -> HumanTask:
    return next(t for t in ready(instance_id) if t.department_id == department.id)


def login(app, user):
    """A fresh client logged in as `user`, with its CSRF token."""
    client = f.client(app)
    f.login_as(client, user)
    page = client.get("/tasks").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', page
    )
    client.csrf = match.group(1) if match else ""
    return client


def post(client, url: str, data: dict | None = None, **kw):
    return client.post(url, data={"csrf_token": client.csrf, **(data or {})}, **kw)


def api(client, method: str, url: str, json=None, **kw):
    return client.open(url, method=method, json=json, headers={"X-CSRFToken": client.csrf}, **kw)


def checklist_form(task: HumanTask, codes: dict[int, list[str]], notes: dict[int, str] | None = None) -> dict:
    """The posted HTML form of a checklist: per row index its result codes and note."""
    data: dict = {"summary": "现场检查完成"}
    for i, values in codes.items():
        data[f"results.{i}.result_codes"] = values
        data[f"results.{i}.note"] = (notes or {}).get(i, "")
    return data
