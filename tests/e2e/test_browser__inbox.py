"""The inbox, the bell and the menus in a real browser (desktop and phone width); the office's
overdue tab after the deadline. Screenshots under test-artifacts/."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from adapters.workflow import jobs as workflow_jobs
from tests import factories as f
from tests.e2e.conftest import screenshot
from tests.integration.cases_support import SHANGHAI, build_world, start_case

AFTER_DUE = datetime(2026, 10, 21, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def world(app, db_backend):
    if db_backend[0] != "sqlite":
        pytest.skip("one browser run is enough; the HTTP suite covers PostgreSQL")
    w = build_world()
    w["case"] = start_case(w)
    return w


def log_in(page, server: str, username: str) -> None:
    page.goto(f"{server}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1")


def test_browser__inbox_bell_and_menus(world, live_server, page):
    with time_machine.travel(datetime(2026, 10, 14, 9, 0, tzinfo=SHANGHAI), tick=True):
        log_in(page, live_server, "fire_officer")
        page.goto(f"{live_server}/tasks")
        page.wait_for_selector("h1:has-text('待办任务'), h1:has-text('任务')")
        assert page.inner_text(".bell-count") == "1"
        assert "剩余 3 个工作日" in page.content()
        page.click("summary:has-text('联合抽查')")
        assert page.is_visible("a:has-text('年度抽查计划')")
        screenshot(page, "inbox-desktop")
        page.keyboard.press("Escape")
        assert not page.is_visible("a:has-text('年度抽查计划')")
        page.click("button:has-text('认领')")
        page.wait_for_selector(".flash")
        page.click(".bell")
        page.wait_for_selector("h1:has-text('通知')")
        assert "录入本部门检查结果" in page.content()
        screenshot(page, "notifications")


def test_browser__phone_menu(world, live_server, page):
    page.set_viewport_size({"width": 375, "height": 760})
    log_in(page, live_server, "fire_inspector")
    page.goto(f"{live_server}/tasks")
    assert not page.is_visible("#mainnav")
    page.click("button.nav-toggle")
    assert page.is_visible("#mainnav")
    page.click("summary:has-text('工作台/待办')")
    assert page.is_visible("#mainnav a:has-text('通知')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "inbox-phone-menu")


def test_browser__office_overdue_tab(world, live_server, page):
    with time_machine.travel(AFTER_DUE, tick=True):
        workflow_jobs.wake_due()
        from adapters.db import db

        db.session.commit()
        log_in(page, live_server, "office")
        page.goto(f"{live_server}/tasks?tab=overdue")
        page.wait_for_selector("h2:has-text('逾期案件')")
        assert "已逾期 2 个工作日" in page.content()
        screenshot(page, "inbox-office-overdue")
        page.goto(f"{live_server}/")
        page.wait_for_selector("h1:has-text('工作台')")
        screenshot(page, "workbench-office")
