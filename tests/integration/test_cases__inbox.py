"""The inbox /tasks: who sees which task, claiming, returning and reassigning (UI, both backends)."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from adapters.db import db
from adapters.models import HumanTask
from tests.integration.cases_support import SHANGHAI, build_world, login, post, start_case, task_of


@pytest.fixture
def w(app):
    world = build_world()
    world["case"] = start_case(world)
    return world


def titles_on(client, url: str = "/tasks") -> str:
    resp = client.get(url)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def task_links(html: str) -> set[int]:
    import re

    return {int(n) for n in re.findall(r'href="/tasks/(\d+)"', html)}


def test_inbox__each_department_sees_only_its_own_checklist(app, w):
    case = w["case"]
    for user, dept in (
        ("fire_inspector", "fire"),
        ("health_inspector", "health"),
        ("lead_inspector", "lead"),
    ):
        html = titles_on(login(app, w[user]))
        assert task_links(html) == {task_of(case.id, w[dept]).id}, user
        assert "录入本部门检查结果" in html and "石家庄某某餐饮有限公司" in html


def test_inbox__office_and_auditor_have_no_department_checklists(app, w):
    for user in ("office", "auditor"):
        assert task_links(titles_on(login(app, w[user]))) == set()


def test_inbox__deadline_in_working_days(app, w):
    with time_machine.travel(datetime(2026, 10, 16, 9, 0, tzinfo=SHANGHAI), tick=False):
        html = titles_on(login(app, w["fire_inspector"]))
    # due 2026-10-19 (the 20th working day after the visit): Friday 16th → one working day left
    assert "2026-10-19" in html and "剩余 1 个工作日" in html
    with time_machine.travel(datetime(2026, 10, 21, 9, 0, tzinfo=SHANGHAI), tick=False):
        html = titles_on(login(app, w["fire_inspector"]), "/tasks?tab=overdue")
    assert "已逾期 2 个工作日" in html
    assert task_links(html) == {task_of(w["case"].id, w["fire"]).id}


def test_inbox__overdue_tab_shows_the_office_every_overdue_task(app, w):
    with time_machine.travel(datetime(2026, 10, 21, 9, 0, tzinfo=SHANGHAI), tick=False):
        office = task_links(titles_on(login(app, w["office"]), "/tasks?tab=overdue"))
        fire = task_links(titles_on(login(app, w["fire_inspector"]), "/tasks?tab=overdue"))
    assert len(office) == 3 and fire < office and len(fire) == 1


def test_inbox__department_tab_is_for_officers(app, w):
    case = w["case"]
    lead_task = task_of(case.id, w["lead"])
    lead_task.assignee_id = w["lead_colleague"].id
    db.session.commit()
    officer = task_links(titles_on(login(app, w["lead_officer"]), "/tasks?tab=department"))
    assert officer == {lead_task.id}
    inspector_html = titles_on(login(app, w["lead_inspector"]), "/tasks?tab=department")
    assert task_links(inspector_html) == set()  # another's claim is not "mine"; no department tab
    assert "tab=department" not in inspector_html


def test_inbox__search_and_model_filters(app, w):
    client = login(app, w["fire_inspector"])
    assert task_links(titles_on(client, "/tasks?q=某某餐饮")) and not task_links(
        titles_on(client, "/tasks?q=无此企业")
    )
    assert task_links(titles_on(client, "/tasks?model=inspection_case"))
    assert not task_links(titles_on(client, "/tasks?model=follow_up"))
    assert titles_on(client, "/tasks?q=50%25_%5C").count("/tasks/") == 0  # LIKE wildcards are literal


def test_claim__then_colleagues_no_longer_see_it_as_theirs(app, w):
    lead_task = task_of(w["case"].id, w["lead"])
    me, colleague = login(app, w["lead_inspector"]), login(app, w["lead_colleague"])
    assert post(me, f"/tasks/{lead_task.id}/claim").status_code == 302
    db.session.refresh(lead_task)
    assert lead_task.assignee_id == w["lead_inspector"].id
    assert lead_task.id not in task_links(titles_on(colleague))
    assert post(colleague, f"/tasks/{lead_task.id}/claim").status_code == 409
    assert post(colleague, f"/tasks/{lead_task.id}/unclaim").status_code == 403
    assert post(colleague, f"/tasks/{lead_task.id}").status_code == 403  # cannot submit another's claim


def test_claim__another_departments_task_is_forbidden(app, w):
    fire_task = task_of(w["case"].id, w["fire"])
    client = login(app, w["lead_inspector"])
    assert post(client, f"/tasks/{fire_task.id}/claim").status_code == 403
    assert client.get(f"/tasks/{fire_task.id}").status_code == 403
    assert db.session.get(HumanTask, fire_task.id).assignee_id is None


def test_unclaim__by_the_claimant_or_the_departments_officer(app, w):
    lead_task = task_of(w["case"].id, w["lead"])
    inspector = login(app, w["lead_inspector"])
    post(inspector, f"/tasks/{lead_task.id}/claim")
    assert post(inspector, f"/tasks/{lead_task.id}/unclaim").status_code == 302
    db.session.refresh(lead_task)
    assert lead_task.assignee_id is None
    post(inspector, f"/tasks/{lead_task.id}/claim")
    assert post(login(app, w["fire_officer"]), f"/tasks/{lead_task.id}/unclaim").status_code == 403
    assert post(login(app, w["lead_officer"]), f"/tasks/{lead_task.id}/unclaim").status_code == 302
    db.session.refresh(lead_task)
    assert lead_task.assignee_id is None


def test_reassign__officer_to_a_colleague_of_the_same_department(app, w):
    lead_task = task_of(w["case"].id, w["lead"])
    officer = login(app, w["lead_officer"])
    page = titles_on(officer)
    assert f'action="/tasks/{lead_task.id}/reassign"' in page
    resp = post(officer, f"/tasks/{lead_task.id}/reassign", {"user_id": str(w["lead_colleague"].id)})
    assert resp.status_code == 302
    db.session.refresh(lead_task)
    assert lead_task.assignee_id == w["lead_colleague"].id
    assert lead_task.id in task_links(titles_on(login(app, w["lead_colleague"])))
    refused = post(officer, f"/tasks/{lead_task.id}/reassign", {"user_id": str(w["fire_inspector"].id)})
    assert refused.status_code == 422
    db.session.refresh(lead_task)
    assert lead_task.assignee_id == w["lead_colleague"].id


def test_reassign__not_for_inspectors_nor_other_departments_officers(app, w):
    lead_task = task_of(w["case"].id, w["lead"])
    data = {"user_id": str(w["lead_colleague"].id)}
    assert post(login(app, w["lead_inspector"]), f"/tasks/{lead_task.id}/reassign", data).status_code == 403
    assert post(login(app, w["fire_officer"]), f"/tasks/{lead_task.id}/reassign", data).status_code == 403
    db.session.refresh(lead_task)
    assert lead_task.assignee_id is None


def test_claim__without_csrf_token_is_refused(app, w):
    lead_task = task_of(w["case"].id, w["lead"])
    client = login(app, w["lead_inspector"])
    assert client.post(f"/tasks/{lead_task.id}/claim").status_code == 400
    db.session.refresh(lead_task)
    assert lead_task.assignee_id is None
