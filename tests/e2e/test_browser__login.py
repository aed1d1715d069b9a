"""A person logs in through the real browser and sees the Chinese workbench."""

import pytest

from adapters.db import db
from tests import factories as f
from tests.e2e.conftest import screenshot


@pytest.fixture
def office_user(app):
    dept = f.department("市场监管局")
    f.user("office", ["office"], dept.id)
    db.session.commit()


def test_browser__login_shows_the_chinese_workbench(office_user, live_server, page, db_backend):
    if db_backend[0] != "sqlite":
        pytest.skip("one browser run is enough; the HTTP suite covers PostgreSQL")
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('工作台')")
    assert "检查对象名录库" in page.content()
    screenshot(page, "workbench")


def test_browser__narrow_screen_login_fits(live_server, page, db_backend):
    if db_backend[0] != "sqlite":
        pytest.skip("layout check once")
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto(f"{live_server}/login")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    screenshot(page, "login-phone")
