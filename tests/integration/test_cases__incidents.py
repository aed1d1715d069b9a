"""Incidents: a failing service stops its step; the office sees it on /admin/incidents and retries
it after the cause is fixed (UI and API, both backends)."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from adapters.db import db
from adapters.models import Incident, ProcessInstance
from adapters.workflow.jobs import wake_due
from tests.integration.cases_support import SHANGHAI, api, build_world, login, post, ready, start_case
from web.runtime import engine

AFTER_DUE = datetime(2026, 10, 20, 9, 0, tzinfo=SHANGHAI)


def broken_notify(**_kwargs):
    raise ConnectionError("短信网关无响应")


@pytest.fixture
def failing(app, monkeypatch):
    """A case whose overdue reminder failed: the notify_overdue service raised when the timer fired."""
    world = build_world()
    world["case"] = start_case(world)
    services = engine().script_engine.services
    original = services["notify_overdue"]
    monkeypatch.setitem(services, "notify_overdue", broken_notify)  # restored after the test
    with time_machine.travel(AFTER_DUE, tick=False):
        wake_due()
    world["incident"] = db.session.scalars(db.select(Incident)).one()
    world["fix"] = lambda: monkeypatch.setitem(services, "notify_overdue", original)
    return world


def test_incident__listed_for_the_office_with_its_case(app, failing):
    case, incident = failing["case"], failing["incident"]
    assert db.session.get(ProcessInstance, case.id).status == "error"
    html = login(app, failing["office"]).get("/admin/incidents").get_data(as_text=True)
    assert "notify_result_overdue" in html and "短信网关无响应" in html
    assert f'href="/cases/{case.id}"' in html and f"/admin/incidents/{incident.id}/retry" in html
    for user in ("lead_officer", "auditor", "fire_inspector"):
        assert login(app, failing[user]).get("/admin/incidents").status_code == 403
        assert post(login(app, failing[user]), f"/admin/incidents/{incident.id}/retry").status_code == 403


def test_incident__retry_while_still_broken_keeps_it_open(app, failing):
    office = login(app, failing["office"])
    resp = post(office, f"/admin/incidents/{failing['incident'].id}/retry", follow_redirects=True)
    assert resp.status_code == 200 and "再次出现故障" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ProcessInstance, failing["case"].id).status == "error"
    assert db.session.scalars(db.select(Incident).where(Incident.resolved_at.is_(None))).all()


def test_incident__retry_after_the_fix_resolves_it(app, failing):
    failing["fix"]()
    office = login(app, failing["office"])
    assert post(office, f"/admin/incidents/{failing['incident'].id}/retry").status_code == 302
    db.session.expire_all()
    assert db.session.get(Incident, failing["incident"].id).resolved_at is not None
    assert db.session.get(ProcessInstance, failing["case"].id).status == "waiting"
    assert any(t.element_id == "supervise" for t in ready(failing["case"].id))
    assert "没有未处理的故障" in office.get("/admin/incidents").get_data(as_text=True)
    timeline = office.get(f"/cases/{failing['case'].id}").get_data(as_text=True)
    assert "故障重试" in timeline and "短信网关无响应" in timeline


def test_incident__api_lists_and_retries(app, failing):
    office = login(app, failing["office"])
    items = office.get("/api/v1/incidents").get_json()["items"]
    assert [(i["id"], i["element_id"]) for i in items] == [(failing["incident"].id, "notify_result_overdue")]
    assert login(app, failing["auditor"]).get("/api/v1/incidents").status_code == 403
    failing["fix"]()
    body = api(office, "POST", f"/api/v1/incidents/{failing['incident'].id}/retry").get_json()
    assert body["status"] == "waiting" and body["incidents"][0]["resolved_at"] is not None
    assert api(office, "POST", f"/api/v1/incidents/{failing['incident'].id}/retry").status_code == 404
