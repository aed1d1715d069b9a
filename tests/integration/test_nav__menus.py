"""The header: menus by role (工作台/待办, 联合抽查, 名录库, 系统管理), each entry still checked
against the user's permission; the narrow-screen menu button; entries added by other areas."""

from __future__ import annotations

import re

import pytest

from tests import factories as f
from web import nav


@pytest.fixture
def people(app):
    f.region()
    dept = f.department("市场监管局")
    return {
        role: f.account(role, [role], dept.id if role in ("officer", "inspector", "office") else None)
        for role in ("sysadmin", "office", "officer", "inspector", "auditor")
    }


def menus_of(app, user) -> dict[str, list[str]]:
    client = f.client(app)
    f.login_as(client, user)
    html = client.get("/").get_data(as_text=True)
    header = html[
        html.index('<nav class="mainnav"') : html.index("</nav>", html.index('<nav class="mainnav"'))
    ]
    out = {}
    for block in re.findall(r"<details class=\"menu[^\"]*\">(.*?)</details>", header, re.S):
        title = re.search(r"<summary>(.*?)</summary>", block).group(1)
        out[title] = re.findall(r'<a href="([^"]+)"', block)
    return out


def test_nav__inspector_gets_daily_menus_only(app, people):
    menus = menus_of(app, people["inspector"])
    assert list(menus) == ["工作台/待办", "联合抽查", "名录库"]
    assert menus["工作台/待办"][:3] == ["/", "/tasks", "/cases"] and "/notifications" in menus["工作台/待办"]
    assert menus["联合抽查"] == ["/plans", "/joint-tasks"]
    assert "/import" not in " ".join(menus["名录库"])


def test_nav__office_gets_administration_and_mail_outbox(app, people):
    menus = menus_of(app, people["office"])
    assert {"工作台/待办", "联合抽查", "名录库", "系统管理"} <= set(menus)
    assert "/notifications/outbox" in menus["系统管理"] and "/admin/jobs/" in menus["系统管理"]
    assert "/draws" in " ".join(menus["联合抽查"])


def test_nav__sysadmin_and_auditor(app, people):
    admin = menus_of(app, people["sysadmin"])
    assert "/admin/calendar" in " ".join(admin["系统管理"]) and "联合抽查" in admin
    auditor = menus_of(app, people["auditor"])
    assert "系统管理" not in auditor and "/draws" in " ".join(auditor["联合抽查"])


def test_nav__narrow_screen_button_and_bell(app, people):
    client = f.client(app)
    f.login_as(client, people["officer"])
    html = client.get("/tasks").get_data(as_text=True)
    assert 'class="nav-toggle" aria-controls="mainnav" aria-expanded="false"' in html
    assert 'class="bell"' in html and 'href="/notifications"' in html
    assert '<details class="menu active">' in html  # the menu of the current page


def test_nav__an_entry_without_a_menu_goes_by_its_blueprint(app):
    assert nav.menu_of(("registers.tags", "x", "registers.read")) == "registers"
    assert nav.menu_of(("publication.index", "x", "cases.read_all")) == "publicity"
    assert nav.menu_of(("someone_new.index", "x", "admin.manage")) == "system"
    assert nav.menu_of(("cases.incidents", "x", "cases.admin")) == "system"
    assert nav.menu_of(("registers.tags", "x", "registers.read", "joint")) == "joint"
