"""The templates' `_()`, `gettext`, `ngettext`, `pgettext` and `npgettext`, as Jinja's i18n
extension makes them with `newstyle=True` (the translation marked safe under autoescape, then
always %-formatted with the keyword arguments, `num` and `context` set by default), but cheaper.

Through flask-babel and the extension, one `_()` costs ~33 µs on the development machine: three
nested `Context.call`s, and flask-babel looks the translations up again on every call (its
request context walked three times, the locale turned into a string). Here the translations
are looked up once per request and locale (keyed by the locale object, so `force_locale` and
`flask_babel.refresh` still switch), and `_` is the gettext itself: ~17 µs. Pages rendered with
`render_template` get a `_` bound to the translations of the render (a context processor, run
once per render): ~9 µs. A page has dozens.
"""

from __future__ import annotations

from flask import Flask, g, has_request_context
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup


def translations():
    """flask-babel's translations for the current locale, looked up once per request and locale."""
    locale = get_locale()
    if locale is None:  # outside a request: flask-babel's null translations
        return get_translations()
    memo = g.get("_template_translations")
    if memo is None or memo[0] is not locale:
        memo = g._template_translations = (locale, get_translations())
    return memo[1]


def _format(eval_ctx, rv: str, variables: dict) -> str:
    # the catalogue is ours, as in Jinja's newstyle gettext; the variables are escaped by `%`
    return (Markup(rv) if eval_ctx.autoescape else rv) % variables  # noqa: S704


@pass_eval_context
def gettext(eval_ctx, string: str, **variables) -> str:
    rv = translations().ugettext(string)
    return _format(eval_ctx, rv, variables)


@pass_eval_context
def ngettext(eval_ctx, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    rv = translations().ungettext(singular, plural, num)
    return _format(eval_ctx, rv, variables)


@pass_eval_context
def pgettext(eval_ctx, context: str, string: str, **variables) -> str:
    variables.setdefault("context", context)
    rv = translations().upgettext(context, string)
    return _format(eval_ctx, rv, variables)


@pass_eval_context
def npgettext(eval_ctx, context: str, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    rv = translations().unpgettext(context, singular, plural, num)
    return _format(eval_ctx, rv, variables)


def bound_gettext() -> dict:
    """`_` and `gettext` for one render, with the translations of the moment (outside a request
    nothing: a template without `_()` renders as before, one with it fails as it did)."""
    if not has_request_context():
        return {}
    catalogue = translations()

    @pass_eval_context
    def gettext(eval_ctx, string: str, **variables) -> str:
        return _format(eval_ctx, catalogue.ugettext(string), variables)

    return {"_": gettext, "gettext": gettext}


def install(app: Flask) -> None:
    """Replace flask-babel's template callables (call after `babel.init_app`)."""
    assert app.jinja_env.newstyle_gettext  # noqa: S101 - the semantics copied are newstyle's
    app.jinja_env.globals.update(
        _=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext
    )
    app.context_processor(bound_gettext)
