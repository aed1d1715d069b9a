"""Helpers of the notification and inbox tests: notifications by user, and the case driven
through /api/v1 to the point the tests need (checklists in, consolidated, reviewed)."""

from __future__ import annotations

from sqlalchemy import select

from adapters.db import db
from adapters.models import Notification
from tests.integration.cases_support import api, login, ready, task_of


def notes_of(user) -> list[Notification]:
    db.session.expire_all()
    query = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    return list(db.session.scalars(query))


def kinds_of(user) -> list[tuple[str, str]]:
    return [(n.kind, n.title) for n in notes_of(user)]


def submit_checklist(app, user, task_id: int, codes: list[str]) -> None:
    client = login(app, user)
    detail = client.get(f"/api/v1/tasks/{task_id}").get_json()
    data = dict(detail["form_data"])
    data["results"] = [{**row, "result_codes": codes} for row in data["results"]]
    resp = api(client, "POST", f"/api/v1/tasks/{task_id}/complete", data)
    assert resp.status_code == 200, resp.get_json()


def complete(app, user, task_id: int, data: dict) -> None:
    client = login(app, user)
    if not data:
        data = client.get(f"/api/v1/tasks/{task_id}").get_json()["form_data"]
    resp = api(client, "POST", f"/api/v1/tasks/{task_id}/complete", data)
    assert resp.status_code == 200, resp.get_json()


def to_review(app, w: dict, case) -> int:
    """Every department's checklist in (no problem found), consolidated: the review task's id."""
    for user, dept in (
        ("lead_inspector", "lead"),
        ("fire_inspector", "fire"),
        ("health_inspector", "health"),
    ):
        submit_checklist(app, w[user], task_of(case.id, w[dept]).id, ["1"])
    (consolidate,) = [t for t in ready(case.id) if t.element_id == "consolidate"]
    complete(app, w["lead_officer"], consolidate.id, {"summary": "未发现问题", "follow_ups": []})
    (review,) = [t for t in ready(case.id) if t.element_id == "review"]
    return review.id
