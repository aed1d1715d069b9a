"""An inspector fills their checklist in the real browser (desktop and phone), then the case page
draws the process diagram with the waiting task marked."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.integration.cases_support import build_world, start_case, task_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def case_world(app, db_backend):
    if db_backend[0] != "sqlite":
        pytest.skip("one browser run is enough; the HTTP suite covers PostgreSQL")
    world = build_world()
    world["case"] = start_case(world)
    world["task"] = task_of(world["case"].id, world["lead"])
    return world


def log_in(page, live_server: str, username: str) -> None:
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('工作台')")


def test_browser__inspector_fills_the_checklist_and_sees_the_diagram(case_world, live_server, page):
    log_in(page, live_server, "lead_inspector")
    page.goto(f"{live_server}/tasks")  # the inbox (待办任务)
    page.wait_for_selector("h1:has-text('待办任务')")
    screenshot(page, "case-inbox")
    page.click(f"a[href='/tasks/{case_world['task'].id}']:has-text('录入本部门检查结果')")
    page.wait_for_selector("h1:has-text('录入本部门检查结果')")
    page.check("input[name='results.0.result_codes'][value='1']")
    page.check("input[name='results.1.result_codes'][value='A']")
    page.check("input[name='results.1.result_codes'][value='2']")
    page.fill("textarea[name='results.1.note']", "进货查验记录不全")
    page.set_input_files(
        "input[name='results.1.attachments']",
        files=[{"name": "现场照片.png", "mimeType": "image/png", "buffer": PNG}],
    )
    page.fill("textarea[name=summary]", "现场检查完成，发现一项问题。")
    screenshot(page, "case-task-form")
    page.click("button[type=submit]:has-text('提交')")
    page.wait_for_selector(".flash:has-text('任务已办结')")
    screenshot(page, "case-inbox-after")

    page.goto(f"{live_server}/cases/{case_world['case'].id}")
    page.wait_for_selector(".case-diagram[data-ready=true]", timeout=15000)
    assert page.locator(".case-diagram svg g.case-active").count() >= 1
    assert page.locator(".case-diagram svg g.case-done").count() >= 1
    assert page.locator(".case-diagram svg g.case-active[data-element-id='result_entry']").count() == 1
    assert "进货查验记录不全" in page.content()  # the department's checklist and the audit trail
    assert page.locator(".case-checklists a:has-text('现场照片.png')").count() == 1
    assert page.locator("a:has-text('随机抽查通知书')").count() >= 1
    screenshot(page, "case-page")


def test_browser__checklist_works_on_a_phone(case_world, live_server, page):
    page.set_viewport_size({"width": 375, "height": 760})
    log_in(page, live_server, "lead_inspector")
    page.goto(f"{live_server}/tasks/{case_world['task'].id}")
    page.wait_for_selector("h1:has-text('录入本部门检查结果')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("button[type=submit]:has-text('提交')")  # nothing chosen: refused, kept, explained
    page.wait_for_selector(".error:has-text('至少选择或填写 1 项')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "case-task-form-phone-errors")
    page.locator(".jf-table-wrap").first.screenshot(path=str(ARTIFACTS / "case-checklist-phone.png"))
    page.check("input[name='results.0.result_codes'][value='1']")
    page.check("input[name='results.0.result_codes'][value='E']")
    page.check("input[name='results.1.result_codes'][value='1']")
    page.click("button[type=submit]:has-text('提交')")
    page.wait_for_selector(".error:has-text('“未发现问题”不能与其他检查结果同时选择')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.uncheck("input[name='results.0.result_codes'][value='E']")
    page.click("button[type=submit]:has-text('提交')")
    page.wait_for_selector(".flash:has-text('任务已办结')")
    page.goto(f"{live_server}/cases/{case_world['case'].id}")
    page.wait_for_selector(".case-diagram[data-ready=true]", timeout=15000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "case-page-phone")
    page.locator(".case-diagram").screenshot(path=str(ARTIFACTS / "case-diagram-phone.png"))
