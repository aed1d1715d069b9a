"""Every route × actor × method against the declared table in tests/access_rules.py.

One world per backend is built once for the module (tests/access_world.py); each case is then a
single request from a fresh client carrying the actor's session and CSRF token, so a logout or
a changed object in one case does not leak into the next. A route without an entry in RULES
fails here: whoever adds a route declares who may use it.
"""

from __future__ import annotations

import functools
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from adapters.db import db
from adapters.models import User
from tests.access_rules import ACTORS, DEFAULT_ARGS, RULES, Rule
from tests.access_world import build_world
from tests.conftest import _empty_tables, _make_app
from tests.factories import put_login

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
PASSED_GUARD = {400, 409, 422}  # the access check let it through; its input was refused


@functools.cache
def _routes() -> list[tuple[str, str, str]]:
    """(endpoint, rule, method) of every route, from an app built only to read its URL map."""
    with tempfile.TemporaryDirectory() as tmp:
        app = _make_app(f"sqlite:///{tmp}/routes.db", Path(tmp))
        rules = list(app.url_map.iter_rules())
    out = []
    for rule in sorted(rules, key=lambda r: (r.endpoint, r.rule)):
        for method in sorted((rule.methods or set()) & ({"GET"} | UNSAFE)):
            out.append((rule.endpoint, rule.rule, method))
    return out


def pytest_generate_tests(metafunc):
    if "route" in metafunc.fixturenames:
        routes = _routes()
        metafunc.parametrize("route", routes, ids=[f"{m} {e}" for e, _r, m in routes])
        metafunc.parametrize("actor", ACTORS)
    if "endpoints" in metafunc.fixturenames:
        metafunc.parametrize("endpoints", [sorted({e for e, _r, _m in _routes()})], ids=["all"])


@pytest.fixture(scope="module")
def world(db_backend):
    """The shared app with the world built once; requests then run without a pushed app context,
    so every request gets its own `g` and database session."""
    app = db_backend[3]
    with app.app_context():
        _empty_tables()
        w = build_world()
    w["app"] = app
    w["sessions"] = {actor: _session(app, w, actor) for actor in ACTORS}
    return w


def _session(app, w: dict, actor: str) -> tuple[str | None, str]:
    """The actor's session cookie (holding the login and the CSRF secret) and CSRF token."""
    client = app.test_client()
    if actor != "anonymous":
        with app.app_context():
            user = db.session.get(User, w["users"][actor])
            with client.session_transaction() as sess:
                put_login(sess, user)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return (cookie.value if cookie else None), token


def _client(w: dict, actor: str):
    app = w["app"]
    cookie, token = w["sessions"][actor]
    client = app.test_client()
    if cookie:
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    return client, token


def _url(w: dict, endpoint: str, rule_text: str, method: str, rule: Rule) -> str:
    werkzeug_rule = next(
        r for r in w["app"].url_map.iter_rules() if r.endpoint == endpoint and r.rule == rule_text
    )
    values = {}
    for name in werkzeug_rule.arguments:
        key = rule.args.get(name) or DEFAULT_ARGS.get(name)
        if key is None or key not in w:
            pytest.fail(
                f"{endpoint}: no world object for URL variable <{name}>; set args={{'{name}': KEY}} in its "
                "Rule and build KEY in tests/access_world.py",
                pytrace=False,
            )
        values[name] = w[key]
    adapter = w["app"].url_map.bind("localhost")
    return adapter.build(endpoint, values, method=method, force_external=False)


def _send(client, token: str, method: str, url: str, rule: Rule, w: dict):
    if method == "GET":
        return client.get(url)
    data = rule.data(w) if callable(rule.data) else dict(rule.data or {})
    if url.startswith("/api/"):
        return client.open(url, method=method, json=data, headers={"X-CSRFToken": token})
    return client.open(url, method=method, data={"csrf_token": token, **data})


def _outcome(resp, actor: str, rule: Rule) -> str:
    status = resp.status_code
    if status in (401, 403):
        return "denied"
    if 300 <= status < 400:
        to_login = urlsplit(resp.headers.get("Location", "")).path == "/login"
        if to_login and not (rule.login_redirect_ok and actor != "anonymous"):
            return "denied"
        return "allowed"
    if status < 300 or status in PASSED_GUARD or status in rule.passed:
        return "allowed"
    return f"unexpected {status}"


def test_access_matrix(world, route, actor):
    endpoint, rule_text, method = route
    rule = RULES.get(endpoint)
    if rule is None:
        pytest.fail(f"{endpoint} ({rule_text}) has no entry in tests/access_rules.py RULES", pytrace=False)
    client, token = _client(world, actor)
    url = _url(world, endpoint, rule_text, method, rule)
    resp = _send(client, token, method, url, rule, world)
    expected = "allowed" if actor in rule.allowed(method) else "denied"
    got = _outcome(resp, actor, rule)
    assert got == expected, (
        f"{method} {url} as {actor}: {resp.status_code} {resp.headers.get('Location', '')} "
        f"{resp.get_data(as_text=True)[:200]!r}; the table says {expected}"
    )


def test_access_matrix__actors_are_who_the_table_thinks(world):
    for actor in ACTORS:
        client, _token = _client(world, actor)
        resp = client.get("/api/v1/me")
        if actor == "anonymous":
            assert resp.status_code == 401
        else:
            assert resp.get_json()["username"] == actor


def test_access_rules__every_route_is_declared(endpoints):
    missing = [e for e in endpoints if e not in RULES]
    assert not missing, f"declare these endpoints in tests/access_rules.py RULES: {missing}"


def test_access_rules__no_entry_for_a_route_that_is_gone(endpoints):
    stale = sorted(set(RULES) - set(endpoints))
    assert not stale, f"tests/access_rules.py RULES names endpoints that no longer exist: {stale}"
