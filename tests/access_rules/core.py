"""Who may use each route: the table walked by tests/integration/test_access__matrix.py.

The rules live one module per area in this package (see AREAS in __init__.py); this module holds
the vocabulary they share.

Every endpoint in `app.url_map` needs an entry in RULES, or the matrix test fails. To declare a
new route, add one line to its area module's `rules()` (or a new module listed in AREAS):

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
  was refused), or a status listed in `passed`; a refused one answers 401/403 or redirects to
  the login page.
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
    # more statuses that mean "the access check let it through" for this route (say why in note)
    passed: frozenset[int] = frozenset()
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
    "tag_id": "tag",
    "item_id": "item_a",
    "list_id": "joint_list_a",
    "ent_id": "enterprise",
    "insp_id": "inspector_a",
    "conflict_id": "conflict_a",
    "expert_id": "expert_a",
    "run_id": "job_run",
    "year": "calendar_year",
    "kind": "import_kind",
    "token": "import_report_token",
}

ADMIN_ONLY = Rule(read=SYSADMIN, write=SYSADMIN)
OFFICE_AND_ADMIN = frozenset({"sysadmin", "office"})
OFFICE_ONLY = frozenset({"office"})
# department-owned registers: the office writes all rows, an officer their own department's
DEPT_WRITERS = frozenset({"office", "officer"})
# the "new" form: any officer may open it (for their own department); the POST names department A
NEW_FORM = frozenset({"office", "officer_a", "officer_b"})
OWN_WRITE = frozenset({"office", "officer_a"})


def dept_a(key: str = "department_id") -> Callable[[dict], dict]:
    return lambda w: {key: w["dept_a"]}
