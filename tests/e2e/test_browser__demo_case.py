"""The demo, walked in the real browser: a case drawn by `liancha demo` goes from the notice to
closure through the UI — notice, every department's checklist (the fire brigade finds a
problem), consolidation, review, publication, follow-up transfer, acceptance, measures, 结案 —
and the result and the follow-up outcome appear on the public pages (without a login)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import screenshot
from web.demo_commands import demo as demo_command

LEAD, FIRE = "scjg", "xiaofang"
DEPARTMENT_USERS = ("scjg", "xiaofang", "weijian", "shengtai")  # 餐饮服务: lead + three departments


@pytest.fixture
def demo(app, db_backend):
    if db_backend[0] != "sqlite":
        pytest.skip("one browser run is enough; the HTTP suite covers PostgreSQL")
    result = app.test_cli_runner().invoke(demo_command)
    assert result.exit_code == 0, result.output
    passwords = dict(re.findall(r"^(\w+)\s+(Liancha-\S+)\s", result.output, flags=re.MULTILINE))
    assert set(DEPARTMENT_USERS) <= set(passwords), result.output
    return passwords


def _log_in(page, live_server: str, passwords: dict, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", passwords[username])
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('工作台')")


def _open_task(page, live_server: str, name: str, case_title: str | None = None) -> None:
    """Open the first task called `name` in the user's inbox (of the case when given)."""
    page.goto(f"{live_server}/tasks?tab=department")
    row = page.locator("tr", has=page.locator(f"a:has-text('{name}')"))
    if case_title:
        row = row.filter(has_text=case_title)
    row.first.locator(f"a:has-text('{name}')").click()
    page.wait_for_selector(f"h1:has-text('{name}')")


def _submit(page) -> None:
    page.click("button[type=submit]:has-text('提交')")
    page.wait_for_selector(".flash:has-text('任务已办结')")


def test_browser__a_demo_case_from_notice_to_closure(demo, live_server, page):
    # 1. the lead department sends the notice of one drawn case
    _log_in(page, live_server, demo, LEAD)
    _open_task(page, live_server, "发出检查通知")
    case_link = page.locator("a[href^='/cases/']").first.get_attribute("href")
    case_id = int(re.search(r"/cases/(\d+)", case_link).group(1))
    page.fill("input[name=visit_date]", "2026-11-20")
    screenshot(page, "demo-1-notice")
    _submit(page)
    page.goto(f"{live_server}/cases/{case_id}")
    title = page.locator("h1").first.inner_text()  # 任务名称·企业名称 and the status badge
    enterprise = title.split("·")[-1].rsplit(None, 1)[0].strip()
    notice = page.request.get(f"{live_server}/cases/{case_id}/notice.pdf")
    assert notice.ok and notice.body().startswith(b"%PDF")

    # 2. every department fills its own checklist; the fire brigade finds a problem
    for user in DEPARTMENT_USERS:
        _log_in(page, live_server, demo, user)
        _open_task(page, live_server, "录入本部门检查结果", enterprise)
        rows = page.locator("input[name$='.result_codes'][value='1']").count()
        assert rows >= 1
        for i in range(rows):
            page.check(f"input[name='results.{i}.result_codes'][value='{'A' if user == FIRE else '1'}']")
        if user == FIRE:
            page.fill("textarea[name='results.0.note']", "疏散通道堆放杂物")
        _submit(page)

    # 3. the lead consolidates (the fire brigade's problem is proposed for follow-up) and approves
    _log_in(page, live_server, demo, LEAD)
    _open_task(page, live_server, "牵头部门汇总", enterprise)
    page.fill("[name=summary]", "消防安全存在问题，其余未发现问题")
    screenshot(page, "demo-2-consolidate")
    _submit(page)
    _open_task(page, live_server, "牵头部门审核", enterprise)
    page.check("input[name=decision][value=approve]")
    _submit(page)

    # 4. the result is public
    page.context.clear_cookies()
    page.goto(f"{live_server}/public/results?q={enterprise}")
    page.wait_for_selector(f"td:has-text('{enterprise}')")
    screenshot(page, "demo-3-public-result")

    # 5. the follow-up: the lead transfers it, the fire brigade accepts and records its measures
    _log_in(page, live_server, demo, LEAD)
    _open_task(page, live_server, "移送问题线索")
    _submit(page)
    _log_in(page, live_server, demo, FIRE)
    _open_task(page, live_server, "接收移送")
    page.check("input[name=decision][value=accept]")
    _submit(page)
    _open_task(page, live_server, "录入处置措施和结果")
    page.fill("[name=measures]", "责令当场清理疏散通道")
    page.select_option("select[name=outcome]", "rectified")
    page.fill("input[name=completed_on]", "2026-11-21")
    _submit(page)
    page.context.clear_cookies()
    page.goto(f"{live_server}/public/follow-ups")
    page.wait_for_selector("text=责令当场清理疏散通道")
    screenshot(page, "demo-4-public-follow-up")

    # 6. the lead closes the case; its page shows it done with the diagram all green to the end
    _log_in(page, live_server, demo, LEAD)
    _open_task(page, live_server, "结案", enterprise)
    page.fill("[name=conclusion]", "问题已整改，结案")
    _submit(page)
    page.goto(f"{live_server}/cases/{case_id}")
    page.wait_for_selector(".case-diagram[data-ready=true]", timeout=15000)
    assert page.locator(".case-diagram svg g.case-done[data-element-id='end']").count() == 1
    assert page.locator(".case-diagram svg g.case-active").count() == 0
    screenshot(page, "demo-5-case-closed")
