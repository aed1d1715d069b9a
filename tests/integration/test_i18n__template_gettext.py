"""The templates' `_()` (web/template_gettext.py) behaves as Jinja's newstyle gettext through
flask-babel: translated for the request's locale, marked safe, %-formatted with escaped values."""

from flask import render_template_string
from flask_babel import force_locale


def test_i18n__template_gettext_follows_the_request_locale(app):
    # each request in its own application context (g), as served
    with app.app_context(), app.test_request_context("/"):
        assert render_template_string("{{ _('Search') }}") == "搜索"
    with app.app_context(), app.test_request_context("/?lang=en"):
        assert render_template_string("{{ _('Search') }}") == "Search"


def test_i18n__template_gettext_follows_force_locale_within_a_request(app):
    with app.app_context(), app.test_request_context("/"):
        assert render_template_string("{{ _('Search') }}") == "搜索"
        with force_locale("en"):
            assert render_template_string("{{ _('Search') }}") == "Search"
            assert app.jinja_env.from_string("{{ _('Search') }}").render() == "Search"
        assert render_template_string("{{ _('Search') }}") == "搜索"


def test_i18n__template_gettext_formats_and_escapes_like_newstyle(app):
    page = (
        "{{ _('Hello %(name)s, 100%% done', name=who) }}|{{ ngettext('%(num)d item', '%(num)d items', 3) }}"
    )
    with app.app_context(), app.test_request_context("/?lang=en"):
        assert render_template_string(page, who="<b>") == "Hello &lt;b&gt;, 100% done|3 items"
        plain = "{% autoescape false %}{{ _('Hello %(name)s', name=who) }}{% endautoescape %}"
        assert render_template_string(plain, who="<b>") == "Hello <b>"
        # the same through a template that imports nothing from the render context
        assert app.jinja_env.from_string(page).render(who="<b>") == "Hello &lt;b&gt;, 100% done|3 items"


def test_i18n__public_page_is_chinese_by_default(client):
    page = client.get("/public/results").get_data(as_text=True)
    assert "抽查结果查询" in page and 'lang="zh-CN"' in page


def test_i18n__public_page_is_english_on_request(client):
    page = client.get("/public/results?lang=en").get_data(as_text=True)
    assert "Inspection results" in page and 'lang="en"' in page and "抽查" not in page


def test_i18n__a_template_without_text_renders_outside_a_request(app):
    with app.app_context():
        assert render_template_string("{{ 1 + 1 }}") == "2"
