"""The whole 一业一查 flow over HTTP, as the lead department and the departments click it: a
published plan row → 吹哨 → 报到 → draw preview → commit → draw → confirm → the spawn job →
`liancha draw verify` says MATCH. Nothing in between is done through the services directly."""

from __future__ import annotations

import re

import pytest
import time_machine
from sqlalchemy import select

from adapters.db import db
from adapters.models import Draw, HumanTask, JointTask, ProcessInstance, TaskTarget
from tests import factories as f
from tests.integration.joint_tasks_support import WHISTLE, build_world, login, report_task, row_of
from web.draw_commands import draw_group

RISKS = "AABBBBCCD"


@pytest.fixture
def w(app):
    world = build_world()
    f.region("130102", "长安区", "county", "130100")
    for n in range(1, 28):
        f.enterprise(n, industry_code="6210", region_code="130102", risk_class=RISKS[n % len(RISKS)])
    f.enterprise(90, industry_code="6210", region_code="130100")  # outside the chosen county
    f.enterprise(91, industry_code="5265", region_code="130102")  # another industry
    for key, prefix in (("market", "SC"), ("fire", "XF"), ("health", "WS")):
        for i in range(3):
            f.inspector(f"{prefix}{i:03d}", f"检查员{prefix}{i}", world[key].id)
    db.session.commit()
    return world


def _post(client, path: str, form_path: str, data: dict):
    token = f.csrf_token(client, form_path)
    assert token, f"no CSRF token on {form_path}"
    return client.post(path, data={"csrf_token": token, **data})


def _id_in(location: str, pattern: str) -> int:
    found = re.search(pattern, location)
    assert found, location
    return int(found.group(1))


def test_http__plan_row_to_spawned_cases_and_a_verified_draw(app, runner, w):
    with time_machine.travel(WHISTLE, tick=True):
        lead = login(app, w["lead_officer"])
        page = lead.get("/joint-tasks/new").get_data(as_text=True)
        assert "餐饮服务单位一业一查联合抽查" in page and 'name="region_code"' in page

        # 吹哨 from the plan row, narrowed to one county
        resp = _post(
            lead,
            "/joint-tasks/new",
            "/joint-tasks/new",
            {
                "mode": "plan",
                "plan_row_id": str(w["plan_row"].id),
                "report_days": "3",
                "region_code": "130102",
            },
        )
        assert resp.status_code == 302, resp.get_data(as_text=True)[:600]
        task_id = _id_in(resp.headers["Location"], r"/joint-tasks/(\d+)")
        task = db.session.get(JointTask, task_id)
        assert task.region_codes == ["130102"] and task.plan_row_key == w["plan_row"].row_key
        assert "待报到" in lead.get(f"/joint-tasks/{task_id}").get_data(as_text=True)

        # 报到: each department in its own task form
        for dept, user, item in (("fire", "fire_officer", "fire"), ("health", "health_officer", "water")):
            human = report_task(task, w[dept])
            client = login(app, w[user])
            resp = _post(
                client,
                f"/tasks/{human.id}",
                f"/tasks/{human.id}",
                {
                    "participate": "True",
                    "item_ids": [str(w["items"][item].id)],
                    "inspectors_per_target": "2",
                    "contact": "王联络",
                },
            )
            assert resp.status_code == 302, resp.get_data(as_text=True)[:600]
            assert row_of(task, w[dept]).status == "confirmed"
        db.session.expire_all()
        assert db.session.get(JointTask, task_id).status == "drawing"

        # preview: the pool of the county only, nothing stored yet
        preview = lead.get(f"/draws/tasks/{task_id}")
        assert preview.status_code == 200
        assert db.session.scalar(select(Draw.id).where(Draw.task_id == task_id)) is None

        resp = _post(
            lead,
            f"/draws/tasks/{task_id}/commit",
            f"/draws/tasks/{task_id}",
            {"entropy": "2026036期 03 07 15 22 28 31"},
        )
        assert resp.status_code == 302, resp.get_data(as_text=True)[:600]
        draw_id = _id_in(resp.headers["Location"], r"/draws/(\d+)")
        assert db.session.get(Draw, draw_id).status == "committed"
        resp = _post(lead, f"/draws/{draw_id}/run", f"/draws/{draw_id}", {})
        assert resp.status_code == 302
        db.session.expire_all()
        draw = db.session.get(Draw, draw_id)
        assert draw.status == "drawn"
        usccs = {t[1] for t in draw.result["targets"]}
        assert usccs and f.uscc(90) not in usccs and f.uscc(91) not in usccs
        assert {d["key"] for d in draw.result["departments"]} == {
            str(w[k].id) for k in ("market", "fire", "health")
        }

        resp = _post(lead, f"/draws/{draw_id}/confirm", f"/draws/{draw_id}", {})
        assert resp.status_code == 302
    db.session.expire_all()
    task = db.session.get(JointTask, task_id)
    targets = db.session.execute(select(TaskTarget).where(TaskTarget.draw_id == draw_id)).scalars().all()
    assert task.status == "running" and len(targets) == len(usccs)
    assert task.spawn_progress == {"total": len(targets), "done": len(targets), "failed": 0}
    cases = (
        db.session.execute(
            select(ProcessInstance).where(ProcessInstance.id.in_([t.instance_id for t in targets]))
        )
        .scalars()
        .all()
    )
    assert len(cases) == len(targets) and {c.model_id for c in cases} == {"inspection_case"}
    step = db.session.execute(
        select(HumanTask).where(HumanTask.instance_id == task.instance_id, HumanTask.element_id == "draw")
    ).scalar_one()
    assert step.state == "completed"

    verified = runner.invoke(draw_group, ["verify", str(draw_id)])
    assert verified.exit_code == 0 and "MATCH" in verified.output, verified.output
    record = login(app, w["auditor"]).get(f"/draws/{draw_id}/record")
    assert record.status_code == 200 and draw.seed in record.get_data(as_text=True)
