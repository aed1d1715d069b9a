"""The access policy, checked over every action × role × own/other/no department.

EXPECTED is the policy as the project states it; a new action in `engine.access` must be
declared here too (test_policy__every_action_is_declared fails otherwise).
"""

from __future__ import annotations

import pytest

from engine.access import ROLES, Actor, can, known_actions

ALL = frozenset(ROLES)
NONE = frozenset()

# action -> (roles allowed on any resource, roles allowed only on their own department's resources)
EXPECTED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "admin.manage": (frozenset({"sysadmin"}), NONE),
    "calendar.manage": (frozenset({"sysadmin"}), NONE),
    "departments.view": (frozenset({"sysadmin", "office"}), NONE),
    "org.read": (ALL, NONE),
    "users.read": (frozenset({"sysadmin", "office", "auditor"}), frozenset({"officer"})),
    "registers.read": (ALL, NONE),
    "enterprises.write": (frozenset({"sysadmin", "office"}), NONE),
    "enterprises.override_uscc": (frozenset({"sysadmin", "office"}), NONE),
    "tags.write": (frozenset({"sysadmin", "office"}), NONE),
    "experts.write": (frozenset({"office"}), NONE),
    "joint_lists.write": (frozenset({"office"}), frozenset({"officer"})),
    "items.write": (frozenset({"office"}), frozenset({"officer"})),
    "inspectors.write": (frozenset({"office"}), frozenset({"officer"})),
    "inspectors.read_all": (
        frozenset({"sysadmin", "office", "auditor"}),
        frozenset({"officer", "inspector"}),
    ),
    "import.run": (frozenset({"sysadmin", "office"}), NONE),
    "audit.read": (frozenset({"sysadmin", "office", "auditor"}), NONE),
    "jobs.read": (frozenset({"sysadmin", "office"}), NONE),
    "jobs.retry": (frozenset({"sysadmin", "office"}), NONE),
    "tasks.read": (ALL, NONE),
    "cases.read_all": (frozenset({"sysadmin", "office", "auditor"}), NONE),
    "cases.admin": (frozenset({"sysadmin", "office"}), NONE),
    "processes.manage": (frozenset({"sysadmin", "office"}), NONE),
    "draws.run": (frozenset({"office"}), frozenset({"officer"})),
    "draws.read": (frozenset({"sysadmin", "office", "auditor"}), frozenset({"officer"})),
    "draws.rules": (frozenset({"office"}), NONE),
    "joint_tasks.open": (frozenset({"office"}), frozenset({"officer"})),
    "joint_tasks.read": (frozenset({"sysadmin", "office", "auditor"}), frozenset({"officer", "inspector"})),
    "plans.read": (ALL, NONE),
    "plans.manage": (frozenset({"office"}), NONE),
    "plans.draft": (frozenset({"office"}), frozenset({"officer"})),
    "revisits.add": (frozenset({"office"}), frozenset({"officer"})),
    "publication.read": (frozenset({"office", "auditor", "sysadmin"}), frozenset({"officer"})),
    "publication.manage": (frozenset({"office"}), frozenset({"officer"})),
    "results.manage": (frozenset({"office", "sysadmin"}), NONE),
}
# Actions that only read: the auditor "reads everything, changes nothing".
READ_ONLY = {a for a in EXPECTED if a.endswith((".read", ".view", ".read_all"))}

OWN, OTHER = 7, 8
PLACES = {"own department": OWN, "other department": OTHER, "no owner": None}


def _expected(action: str, role: str, owner: int | None) -> bool:
    everywhere, own_only = EXPECTED[action]
    return role in everywhere or (role in own_only and owner == OWN)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_policy__role_and_department_decide(action, role, place):
    actor = Actor(id=1, department_id=OWN, roles=frozenset({role}))
    assert can(actor, action, PLACES[place]) is _expected(action, role, PLACES[place])


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_policy__actor_without_department_never_gets_department_rights(action):
    for role in ROLES:
        actor = Actor(id=1, department_id=None, roles=frozenset({role}))
        assert can(actor, action, None) is (role in EXPECTED[action][0])
        assert can(actor, action, OTHER) is (role in EXPECTED[action][0])


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_policy__anonymous_and_roleless_may_do_nothing(action):
    assert can(None, action) is False and can(None, action, OWN) is False
    roleless = Actor(id=1, department_id=OWN, roles=frozenset())
    assert can(roleless, action) is False and can(roleless, action, OWN) is False


def test_policy__roles_add_up():
    actor = Actor(id=1, department_id=OWN, roles=frozenset({"inspector", "auditor"}))
    assert can(actor, "audit.read") and can(actor, "inspectors.read_all", OTHER)
    assert not can(actor, "items.write", OWN)


@pytest.mark.parametrize("action", sorted(set(EXPECTED) - READ_ONLY))
def test_policy__auditor_and_inspector_change_nothing(action):
    for role in ("auditor", "inspector"):
        actor = Actor(id=1, department_id=OWN, roles=frozenset({role}))
        assert not can(actor, action) and not can(actor, action, OWN)


def test_policy__unknown_action_is_refused_even_to_the_sysadmin():
    actor = Actor(id=1, department_id=OWN, roles=ALL)
    assert can(actor, "no.such.action") is False and can(actor, "no.such.action", OWN) is False


def test_policy__every_action_is_declared():
    undeclared = known_actions() - set(EXPECTED)
    assert not undeclared, f"declare these actions in EXPECTED of {__name__}: {sorted(undeclared)}"
    stale = set(EXPECTED) - known_actions()
    assert not stale, f"EXPECTED lists actions the policy no longer has: {sorted(stale)}"
