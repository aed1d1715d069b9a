"""The inbox's filters (enterprise name or USCC, task name, due before, process), the overdue
cases on the office's 逾期 tab (逾期督办), and the same through /api/v1/inbox (both backends)."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import unquote

import pytest
import time_machine

from adapters.workflow import jobs as workflow_jobs
from tests.integration.cases_support import (
    SHANGHAI,
    VISIT_DAY,
    build_world,
    login,
    post,
    start_case,
    task_of,
    who,
    workflow,
)

AFTER_DUE = datetime(2026, 10, 21, 9, 0, tzinfo=SHANGHAI)  # due 2026-10-19: two working days late


@pytest.fixture
def w(app):
    world = build_world()
    world["case"] = start_case(world)
    with time_machine.travel(VISIT_DAY, tick=False):
        other = workflow().start(
            "inspection_case",
            {
                "case_id": "C-2026-0002",
                "lead_department": str(world["lead"].id),
                "enterprise_name": "正定某某加油站有限公司",
                "uscc": "91130123MA0EXAMPL1",
                "enterprise": {"name": "正定某某加油站有限公司", "uscc": "91130123MA0EXAMPL1"},
                "departments": [
                    {
                        "id": world["fire"].id,
                        "name": "消防救援支队",
                        "items": [{"code": "XF-01", "name": "消防安全"}],
                    }
                ],
            },
            who(world["lead_officer"]),
            title="联合检查 C-2026-0002",
            department_id=world["lead"].id,
        )
        from adapters.db import db

        db.session.commit()
    world["other"] = other
    return world


def links(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'href="/tasks/(\d+)"', html)}


def page(client, url: str) -> str:
    resp = client.get(url)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_inbox_filters__enterprise_by_name_or_uscc(app, w):
    lead = login(app, w["lead_officer"])
    notice = {t.id for t in [*_ready(w["other"].id)]}
    everything = links(page(lead, "/tasks"))
    assert notice < everything and len(everything) == 2
    assert links(page(lead, "/tasks?enterprise=加油站")) == notice
    assert links(page(lead, "/tasks?enterprise=91130123ma0")) == notice  # USCC start, any case
    assert links(page(lead, "/tasks?enterprise=餐饮")) == {task_of(w["case"].id, w["lead"]).id}
    assert links(page(lead, "/tasks?enterprise=100%25")) == set()  # LIKE wildcards are literal


def test_inbox_filters__task_name_process_and_due_before(app, w):
    lead = login(app, w["lead_officer"])
    checklist = task_of(w["case"].id, w["lead"]).id
    assert links(page(lead, "/tasks?task=录入")) == {checklist}
    assert links(page(lead, "/tasks?model=follow_up")) == set()
    assert links(page(lead, "/tasks?due_before=2026-10-19")) == {checklist}  # due that day: included
    assert links(page(lead, "/tasks?due_before=2026-10-18")) == set()
    html = page(lead, "/tasks?due_before=19.10.2026")
    assert "截止日期格式应为 2026-10-19" in html and len(links(html)) == 2  # shown, not a 500


def test_inbox_filters__claim_from_the_filtered_list_comes_back_to_it(app, w):
    fire = login(app, w["fire_inspector"])
    task = task_of(w["case"].id, w["fire"])
    back = "/tasks?enterprise=餐饮"
    resp = post(fire, f"/tasks/{task.id}/claim", {"next": back})
    assert resp.status_code == 302 and unquote(resp.headers["Location"]).endswith(back)
    assert f'action="/tasks/{task.id}/unclaim"' in page(fire, back)  # claimed: it can be given back


def test_inbox_filters__office_overdue_tab_lists_overdue_tasks_and_cases(app, w):
    with time_machine.travel(AFTER_DUE, tick=False):
        workflow_jobs.wake_due()
        office = login(app, w["office"])
        html = page(office, "/tasks?tab=overdue")
        fire_html = page(login(app, w["fire_inspector"]), "/tasks?tab=overdue")
        health_html = page(login(app, w["health_inspector"]), "/tasks?tab=overdue&enterprise=加油站")
    assert "逾期案件" in html and f'href="/cases/{w["case"].id}"' in html
    assert f'href="/cases/{w["other"].id}"' not in html  # its notice was never sent: no deadline yet
    assert "已逾期 2 个工作日" in html
    checklists = {task_of(w["case"].id, w[d]).id for d in ("lead", "fire", "health")}
    assert links(html) == checklists  # every department's; the office's own 督办 task has no deadline
    assert "逾期案件" in fire_html and links(fire_html) == {task_of(w["case"].id, w["fire"]).id}
    assert "逾期案件" not in health_html and links(health_html) == set()


def test_inbox_filters__api(app, w):
    lead = login(app, w["lead_officer"])
    body = lead.get("/api/v1/inbox?enterprise=加油站").get_json()
    assert [t["case"]["id"] for t in body["items"]] == [w["other"].id] and body["overdue_cases"] == []
    assert body["counts"]["mine"] == 2
    assert lead.get("/api/v1/inbox?due_before=2026-10-19&task=录入").get_json()["items"][0]["due_text"]
    assert lead.get("/api/v1/inbox?due_before=tomorrow").status_code == 422
    assert login(app, w["fire_inspector"]).get("/api/v1/inbox?tab=department").status_code == 422
    with time_machine.travel(AFTER_DUE, tick=False):
        workflow_jobs.wake_due()
        office = login(app, w["office"]).get("/api/v1/inbox?tab=overdue").get_json()
    (case,) = office["overdue_cases"]
    assert case["id"] == w["case"].id and case["due_text"] == "已逾期 2 个工作日"
    assert office["counts"]["overdue_cases"] == 1


def _ready(instance_id):
    from tests.integration.cases_support import ready

    return ready(instance_id)
