"""Bad input never gets a 500: every route, as a user allowed to use it, with hostile input —
NUL bytes, huge and odd strings, wrong JSON types, nonsense query strings. The answer must be a
clear 4xx (or a normal page that ignores the junk), never a server error.

Routes, URL arguments, actors and sample bodies come from the access matrix (tests/access_rules/).
"""

from __future__ import annotations

import pytest

from tests.access_rules import RULES
from tests.integration.test_access__matrix import _client, _routes, _url, world  # noqa: F401 - fixture

PREFERRED = ("office", "sysadmin", "officer_a", "inspector", "auditor", "officer_b", "anonymous")
STRINGS = [
    "",
    "\x00",
    "x" * 5000,
    "２０２６-１３-４５",
    "-1",
    "9" * 40,
    "' OR 1=1 --",
    "<script>",
    "../../etc/passwd",
]
JSON_VALUES = [None, -1, 10**30, 3.5, True, [], {}, ["\x00"], {"a": {"b": [1, "x"]}}, "\x00", "x" * 5000]
QUERIES = "?page=-1&after=%00&q=%00%FF&limit=999999999&sort=;drop&status=zz&year=99999&department_id=abc"


def _actor_for(rule, method: str) -> str | None:
    allowed = rule.allowed(method)
    return next((a for a in PREFERRED if a in allowed), None)


def _cases():
    for endpoint, rule_text, method in _routes():
        if endpoint == "static" or endpoint not in RULES:
            continue
        yield pytest.param(endpoint, rule_text, method, id=f"{method} {endpoint}")


@pytest.mark.parametrize(("endpoint", "rule_text", "method"), list(_cases()))
def test_garbage_input_never_gets_a_server_error(world, endpoint, rule_text, method):  # noqa: F811
    rule = RULES[endpoint]
    actor = _actor_for(rule, method)
    if actor is None:
        pytest.skip("nobody may use this route")
    client, token = _client(world, actor)
    url = _url(world, endpoint, rule_text, method, rule)
    sample = rule.data(world) if callable(rule.data) else dict(rule.data or {})
    fields = list(sample) or ["name", "reason", "decision", "data", "year"]
    responses = []
    if method == "GET":
        responses.append(client.get(url + QUERIES))
    elif url.startswith("/api/"):
        headers = {"X-CSRFToken": token}
        for value in JSON_VALUES:
            responses.append(
                client.open(url, method=method, json=dict.fromkeys(fields, value), headers=headers)
            )
        for body in ([1, 2], "just a string", None):
            responses.append(client.open(url, method=method, json=body, headers=headers))
        responses.append(
            client.open(
                url, method=method, data=b"{not json", headers={**headers, "Content-Type": "application/json"}
            )
        )
    else:
        for value in STRINGS:
            responses.append(
                client.open(url, method=method, data={"csrf_token": token, **dict.fromkeys(fields, value)})
            )
    for resp in responses:
        assert resp.status_code < 500, (
            f"{method} {url} as {actor}: {resp.status_code} {resp.get_data(as_text=True)[:300]!r}"
        )
