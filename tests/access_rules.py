"""Who may use each route: the table walked by tests/integration/test_access__matrix.py.

Every endpoint in `app.url_map` needs an entry in RULES, or the matrix test fails. To declare a
new route, add one line:

    "registers.item_edit": Rule(read={"office", "officer"}, write={"office", "officer"}, owner="dept"),

- `read`: who may GET it; `write`: who may use its unsafe methods (POST, PUT, PATCH, DELETE).
  Names are actors of the matrix (see ACTORS): "anonymous", "sysadmin", "office", "officer_a",
  "officer_b", "inspector" (of department A), "auditor"; "officer" means both officers, or only
  the officer of department A when `owner="dept"`. Constants: PUBLIC, LOGGED_IN, NOBODY.
- `owner="dept"`: the URL names an object owned by department A, so department B's officer must
  be refused where A's officer is allowed.
- `args`: URL variable -> key of a world object (defaults by variable name in DEFAULT_ARGS).
  World objects are built by the functions in BUILDERS (tests/access_world.py); add one there
  for the objects your routes need.
- `data`: the form fields or JSON body sent with unsafe methods (a dict, or a function of the
  world returning one). Send enough for the request to reach its department check: a refused
  actor must get 403, never 422.
- An allowed request answers 2xx/3xx, or 400/409/422 (it passed the access check and its input
  was refused); a refused one answers 401/403 or redirects to the login page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ACTORS = ("anonymous", "sysadmin", "office", "officer_a", "officer_b", "inspector", "auditor")
PUBLIC = frozenset(ACTORS)
LOGGED_IN = PUBLIC - {"anonymous"}
NOBODY: frozenset[str] = frozenset()
ANY_ROLE = LOGGED_IN  # every actor of the matrix has a role
SYSADMIN = frozenset({"sysadmin"})
READERS = frozenset({"sysadmin", "office", "auditor"})  # read everything


@dataclass(frozen=True)
class Rule:
    read: frozenset[str] | set[str] = NOBODY
    write: frozenset[str] | set[str] = NOBODY
    owner: str | None = None
    args: dict[str, str] = field(default_factory=dict)
    data: dict | Callable[[dict], dict] | None = None
    # the route sends a logged-in user to the login page on success (logout)
    login_redirect_ok: bool = False
    note: str = ""

    def allowed(self, method: str) -> frozenset[str]:
        names = self.read if method == "GET" else self.write
        out = set()
        for name in names:
            if name == "officer":
                out |= {"officer_a"} if self.owner == "dept" else {"officer_a", "officer_b"}
            else:
                out.add(name)
        unknown = out - PUBLIC
        assert not unknown, f"unknown actors in a Rule: {sorted(unknown)}"
        return frozenset(out)


# URL variable -> world key, when a Rule does not say otherwise.
DEFAULT_ARGS = {
    "filename": "static_file",
    "user_id": "victim_user",
    "department_id": "victim_department",
    "code": "victim_region",
    "token_id": "victim_token",
}

ADMIN_ONLY = Rule(read=SYSADMIN, write=SYSADMIN)

RULES: dict[str, Rule] = {
    # public and account
    "static": Rule(read=PUBLIC),
    "health.healthz": Rule(read=PUBLIC),
    "api-docs.openapi_json": Rule(read=PUBLIC),
    "auth.login": Rule(read=PUBLIC, write=PUBLIC),
    "auth.logout": Rule(write=LOGGED_IN, login_redirect_ok=True),
    "auth.home": Rule(read=LOGGED_IN),
    "auth.change_password": Rule(read=LOGGED_IN, write=LOGGED_IN),
    # system administration (web/admin)
    "admin.index": Rule(read={"sysadmin", "office"}),
    "admin.users": ADMIN_ONLY,
    "admin.user_new": ADMIN_ONLY,
    "admin.user_edit": ADMIN_ONLY,
    "admin.user_deactivate": ADMIN_ONLY,
    "admin.user_reactivate": ADMIN_ONLY,
    "admin.user_password": ADMIN_ONLY,
    "admin.departments": Rule(read={"sysadmin", "office"}),
    "admin.department_new": ADMIN_ONLY,
    "admin.department_edit": ADMIN_ONLY,
    "admin.department_deactivate": ADMIN_ONLY,
    "admin.department_reactivate": ADMIN_ONLY,
    "admin.regions": ADMIN_ONLY,
    "admin.region_new": ADMIN_ONLY,
    "admin.region_edit": ADMIN_ONLY,
    "admin.tokens": ADMIN_ONLY,
    "admin.token_new": ADMIN_ONLY,
    "admin.token_revoke": ADMIN_ONLY,
    # organisation API (web/api/org.py)
    "me.Me": Rule(read=LOGGED_IN),
    "users.Users": Rule(read=READERS | {"officer"}, write=SYSADMIN),
    "users.UserById": Rule(
        read=READERS | {"officer"}, write=SYSADMIN, owner="dept", args={"user_id": "victim_user"}
    ),
    "departments.Departments": Rule(read=ANY_ROLE, write=SYSADMIN),
    "departments.DepartmentById": Rule(read=ANY_ROLE, write=SYSADMIN),
    "regions.Regions": Rule(read=ANY_ROLE, write=SYSADMIN),
    "regions.RegionByCode": Rule(read=ANY_ROLE, write=SYSADMIN),
}
