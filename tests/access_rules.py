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


def _dept_a(key: str = "department_id") -> Callable[[dict], dict]:
    return lambda w: {key: w["dept_a"]}


def _register_rules() -> dict[str, Rule]:
    """The register pages (web/registers) and their API (web/api/registers*.py)."""
    office_admin = Rule(read=OFFICE_AND_ADMIN, write=OFFICE_AND_ADMIN)
    office = Rule(read=OFFICE_ONLY, write=OFFICE_ONLY)
    owned = Rule(read=DEPT_WRITERS, write=DEPT_WRITERS, owner="dept")
    read_all = Rule(read=ANY_ROLE)
    rules = {f"registers.{name}": read_all for name in ("tags", "items", "joint_lists", "enterprises")}
    rules |= {"registers.inspectors": read_all, "registers.experts": read_all}
    rules |= {f"registers.tag_{a}": office_admin for a in ("new", "edit", "deactivate", "reactivate")}
    rules |= {f"registers.enterprise_{a}": office_admin for a in ("new", "edit")}
    rules |= {f"registers.expert_{a}": office for a in ("new", "edit", "deactivate", "reactivate")}
    for kind, dept_field in (("item", "department_id"), ("joint_list", "lead_department_id")):
        rules[f"registers.{kind}_new"] = Rule(read=NEW_FORM, write=OWN_WRITE, data=_dept_a(dept_field))
        rules[f"registers.{kind}_edit"] = Rule(
            read=DEPT_WRITERS, write=DEPT_WRITERS, owner="dept", data=_dept_a(dept_field)
        )
        rules |= {f"registers.{kind}_{a}": owned for a in ("deactivate", "reactivate")}
    rules["registers.inspector_new"] = Rule(read=NEW_FORM, write=OWN_WRITE, data=_dept_a())
    rules["registers.inspector_edit"] = Rule(
        read=DEPT_WRITERS, write=DEPT_WRITERS, owner="dept", data=_dept_a()
    )
    for name in ("inspector_deactivate", "inspector_reactivate", "conflict_add", "conflict_remove"):
        rules[f"registers.{name}"] = owned
    return rules | _register_api_rules()


def _register_api_rules() -> dict[str, Rule]:
    office_admin = Rule(write=OFFICE_AND_ADMIN)
    owned = Rule(write=DEPT_WRITERS, owner="dept")
    rules = {}
    for api in ("tags", "items", "joint_lists", "enterprises", "inspectors", "experts"):
        rules[f"registers_{api}.list_"] = Rule(read=ANY_ROLE)
        rules[f"registers_{api}.get"] = Rule(read=ANY_ROLE)
    rules |= {f"registers_tags.{a}": office_admin for a in ("update", "deactivate", "reactivate")}
    rules["registers_tags.create"] = Rule(write=OFFICE_AND_ADMIN, data={"name": "矩阵标签"})
    rules["registers_enterprises.update"] = office_admin
    rules["registers_enterprises.create"] = Rule(write=OFFICE_AND_ADMIN, data=_new_enterprise)
    rules |= {
        f"registers_experts.{a}": Rule(write=OFFICE_ONLY) for a in ("update", "deactivate", "reactivate")
    }
    rules["registers_experts.create"] = Rule(write=OFFICE_ONLY, data={"name": "矩阵专家"})
    for api in ("items", "joint_lists", "inspectors"):
        rules |= {f"registers_{api}.{a}": owned for a in ("update", "deactivate", "reactivate")}
    rules["registers_items.create"] = Rule(write=DEPT_WRITERS, owner="dept", data=_new_item)
    rules["registers_joint_lists.create"] = Rule(write=DEPT_WRITERS, owner="dept", data=_new_joint_list)
    rules["registers_inspectors.create"] = Rule(write=DEPT_WRITERS, owner="dept", data=_new_inspector)
    # an officer or inspector reads only their own department's inspectors
    own_readers = READERS | {"officer", "inspector"}
    rules["registers_inspectors.get"] = Rule(read=own_readers, owner="dept")
    rules["registers_inspectors.conflicts"] = Rule(read=own_readers, owner="dept")
    rules["registers_inspectors.conflict_add"] = Rule(write=DEPT_WRITERS, owner="dept", data=_new_conflict)
    rules["registers_inspectors.conflict_withdraw"] = owned
    return rules


def _new_item(w: dict) -> dict:
    return {"code": "MX-001", "name": "矩阵事项", "department_id": w["dept_a"], "category": "general"}


def _new_joint_list(w: dict) -> dict:
    return {"name": "矩阵清单", "industry_codes": ["621"], "lead_department_id": w["dept_a"]}


def _new_inspector(w: dict) -> dict:
    return {"cert_no": "MX-0001", "name": "矩阵检查员", "department_id": w["dept_a"]}


def _new_enterprise(w: dict) -> dict:
    return {"uscc": w["new_uscc"], "name": "矩阵企业", "industry_code": "6210", "region_code": "130100"}


def _new_conflict(w: dict) -> dict:
    return {"uscc": w["enterprise_uscc"], "reason": "亲属关系"}


def _case_rules() -> dict[str, Rule]:
    """The case engine's pages (web/cases, web/processes_admin.py) and API (web/api/cases.py).
    The world's cases belong to department A alone (tests/access_world.py build_cases)."""
    case_readers = READERS | {"officer", "inspector"}  # with owner="dept": department A's people
    doers = {"officer", "inspector"}
    task = {"task_id": "task_a"}
    case = {"instance_id": "case_a"}
    admin = {"instance_id": "case_admin"}
    reason = {"reason": "矩阵检查"}
    reassign = _victim_user
    rules = {
        "cases.inbox": Rule(read=ANY_ROLE),
        "cases.cases": Rule(read=ANY_ROLE),
        "cases.task": Rule(read=case_readers, write=doers, owner="dept", args=task),
        "cases.claim": Rule(write=doers, owner="dept", args={"task_id": "task_claim"}),
        "cases.unclaim": Rule(write={"officer"}, owner="dept", args={"task_id": "task_unclaim"}),
        "cases.reassign": Rule(
            write={"officer"}, owner="dept", args={"task_id": "task_unclaim"}, data=reassign
        ),
        "cases.case": Rule(read=case_readers, owner="dept", args=case),
        "cases.diagram": Rule(read=case_readers, owner="dept", args=case),
        "cases.attachment": Rule(
            read=case_readers,
            owner="dept",
            args={**case, "file_id": "attachment_id"},
            passed=frozenset({404}),
            note="the world's case has no such file: an allowed download is a 404",
        ),
        "cases.incidents": Rule(read=OFFICE_AND_ADMIN),
        "cases.retry_incident": Rule(write=OFFICE_AND_ADMIN, args={"incident_id": "incident"}),
        "processes.index": Rule(read=OFFICE_AND_ADMIN),
        "processes.upload": Rule(write=OFFICE_AND_ADMIN, note="no files: an allowed upload is a 422"),
        "processes.version": Rule(read=OFFICE_AND_ADMIN, args={"version_id": "process_version"}),
        "processes.diagram": Rule(read=OFFICE_AND_ADMIN, args={"version_id": "process_version"}),
        "processes.file": Rule(
            read=OFFICE_AND_ADMIN, args={"version_id": "process_version", "name": "process_file"}
        ),
        "processes.deploy": Rule(write=OFFICE_AND_ADMIN, args={"version_id": "process_version"}),
        # API
        "cases_tasks.list_tasks": Rule(read=ANY_ROLE),
        "cases_tasks.get_task": Rule(read=case_readers, owner="dept", args=task),
        "cases_tasks.complete": Rule(write=doers, owner="dept", args=task),
        "cases_tasks.claim": Rule(write=doers, owner="dept", args={"task_id": "task_claim"}),
        "cases_tasks.unclaim": Rule(write={"officer"}, owner="dept", args={"task_id": "task_unclaim"}),
        "cases_tasks.reassign": Rule(
            write={"officer"}, owner="dept", args={"task_id": "task_unclaim"}, data=reassign
        ),
        "cases_tasks.attach": Rule(
            write=doers, owner="dept", args=task, note="no file: an allowed upload is a 422"
        ),
        "cases_cases.list_cases": Rule(read=ANY_ROLE),
        "cases_cases.get_case": Rule(read=case_readers, owner="dept", args=case),
        "cases_cases.timeline": Rule(read=case_readers, owner="dept", args=case),
        "cases_incidents.list_incidents": Rule(read=OFFICE_AND_ADMIN),
        "cases_incidents.retry": Rule(write=OFFICE_AND_ADMIN, args={"incident_id": "incident"}),
        "cases_processes.list_models": Rule(read=OFFICE_AND_ADMIN),
        "cases_processes.list_versions": Rule(read=OFFICE_AND_ADMIN, args={"model_id": "process_model"}),
        "cases_processes.upload": Rule(write=OFFICE_AND_ADMIN, note="no files: an allowed upload is a 422"),
        "cases_processes.deploy": Rule(write=OFFICE_AND_ADMIN, args={"version_id": "process_version"}),
    }
    for action in ("cancel", "suspend", "resume"):
        rules[f"cases.{action}"] = Rule(write=OFFICE_AND_ADMIN, args=admin, data=reason)
        rules[f"cases_cases.{action}"] = Rule(write=OFFICE_AND_ADMIN, args=admin, data=reason)
    return rules


def _victim_user(w: dict) -> dict:
    return {"user_id": w["victim_user"]}


def _joint_task_rules() -> dict[str, Rule]:
    """Joint tasks (web/joint_tasks.py, web/api/joint_tasks.py). `joint_task_a` is led by
    department A with the victim department reporting; in `joint_task_ab` department B reports
    (tests/access_world.py build_joint_tasks). Allowed writes send too little: a 422."""
    readers = READERS | {"officer", "inspector"}  # with owner="dept": department A's people
    task_a = {"task_id": "joint_task_a"}
    ad_hoc = _dept_a("lead_department_id")
    return {
        "joint_tasks.index": Rule(read=ANY_ROLE),
        "joint_tasks.new": Rule(
            read=NEW_FORM, write=OWN_WRITE, data=lambda w: {"mode": "ad_hoc", **ad_hoc(w)}
        ),
        "joint_tasks.detail": Rule(read=readers, owner="dept", args=task_a),
        "joint_tasks_api.list_": Rule(read=ANY_ROLE),
        "joint_tasks_api.create": Rule(write=OWN_WRITE, data=ad_hoc),
        "joint_tasks_api.get": Rule(read=readers, owner="dept", args=task_a),
        "joint_tasks_api.report": Rule(
            write={"officer_b"},
            args={"task_id": "joint_task_ab"},
            note="only the reporting department's officer",
        ),
    }


def _redraw_data(w: dict) -> dict:
    return {"assignment_id": w["draw_assignment"], "kind": "recusal", "reason": "矩阵回避"}


def _draw_rules() -> dict[str, Rule]:
    """Draws (web/draws.py, web/draw_ratios.py, web/api/draws.py). The world's `draw_task` is led
    by department A alone and `draw_a` is its drawn record (tests/access_world.py build_draws):
    department A's officer and the office draw; readers and A's officer read. Allowed writes
    may find the draw already confirmed or void: a 409, or a redirect with a message."""
    runners = {"office", "officer"}
    readers = READERS | {"officer"}
    task = {"task_id": "draw_task"}
    draw = {"draw_id": "draw_a"}
    redraw = _redraw_data
    rules = {
        "draws.index": Rule(read=readers),
        "draws.ratios": Rule(read=readers, write=OFFICE_ONLY, note="an allowed empty form re-renders"),
        "draws.task": Rule(read=runners, owner="dept", args=task),
        "draws.commit": Rule(write=runners, owner="dept", args=task),
        "draws.redraw": Rule(write=runners, owner="dept", args=draw, data=redraw),
        "draws.void": Rule(write=runners, owner="dept", args=draw, data={"reason": "矩阵作废"}),
        "draws_api.list_": Rule(read=readers),
        "draws_api.rules": Rule(read=readers),
        "draws_api.save_rules": Rule(
            write=OFFICE_ONLY,
            data={"dmn": "<definitions/>", "minimums": []},
            note="an allowed bad table is a 422",
        ),
        "draws_api.preview": Rule(read=runners, owner="dept", args=task),
        "draws_api.commit": Rule(write=runners, owner="dept", data=lambda w: {"task_id": w["draw_task"]}),
        "draws_api.redraw": Rule(write=runners, owner="dept", args=draw, data=redraw),
        "draws_api.void": Rule(write=runners, owner="dept", args=draw, data={"reason": "矩阵作废"}),
    }
    for name in ("result", "record", "pool"):
        rules[f"draws.{name}"] = Rule(read=readers, owner="dept", args=draw)
    for name in ("get", "targets", "pool", "verify"):
        rules[f"draws_api.{name}"] = Rule(read=readers, owner="dept", args=draw)
    for name in ("run", "confirm"):
        rules[f"draws.{name}"] = Rule(write=runners, owner="dept", args=draw)
        rules[f"draws_api.{name}"] = Rule(write=runners, owner="dept", args=draw)
    return rules


def _plan_row(w: dict) -> dict:
    return {
        "industry": "餐饮服务",
        "industry_codes": "621",
        "lead_department_id": w["dept_a"],
        "task_name": "矩阵计划行",
    }


def _plan_rules() -> dict[str, Rule]:
    """Annual plans (web/plans, web/api/plans.py, web/public_plans.py). `plan_a` is a draft whose
    only lead department is A, its drafting task open until A's officer submits (plans.submit);
    `plan_published` is published (tests/access_world.py build_plans). Allowed writes that find
    the plan in another state answer 409; the API's review approves `plan_a`."""
    office = OFFICE_ONLY
    drafters = {"office", "officer"}  # with owner="dept": department A's officer
    plan = {"plan_id": "plan_a"}
    row = {"plan_id": "plan_a", "row_id": "plan_row_a"}
    rules = {
        "plans.index": Rule(read=ANY_ROLE),
        "plans.new": Rule(
            read=office,
            write=office,
            data=lambda w: {"year": 2031, "region_code": "130100", "lead_department_ids": [w["dept_a"]]},
        ),
        "plans.adjust": Rule(
            read=office, write=office, args={"plan_id": "plan_published"}, data={"reason": ""}
        ),
        "plans.import_rows": Rule(read=office, write=office, args=plan),
        "plans.review": Rule(write=office, args=plan, data={"decision": "approve"}),
        "plans.publish": Rule(write=office, args=plan),
        "plans.submit": Rule(
            write={"officer"}, owner="dept", args=plan, note="the office drafts no rows of its own"
        ),
        "plans.row_new": Rule(read=drafters, write=drafters, owner="dept", args=plan, data=_plan_row),
        "plans.row_edit": Rule(read=drafters, write=drafters, owner="dept", args=row, data=_plan_row),
        "plans.row_delete": Rule(
            write=drafters,
            owner="dept",
            args={"plan_id": "plan_a", "row_id": "plan_row_victim"},
            passed=frozenset({404}),
            note="the office deletes the victim row first; A's officer then finds it gone",
        ),
        "plans_api.list_": Rule(read=ANY_ROLE),
        "plans_api.create": Rule(
            write=office,
            data=lambda w: {"year": 2032, "region_code": "130100", "lead_department_ids": [w["dept_a"]]},
        ),
        "plans_api.review": Rule(write=office, args=plan, data={"decision": "approve"}),
        "plans_api.publish": Rule(write=office, args=plan),
        "plans_api.adjust": Rule(write=office, args=plan, data={"reason": "矩阵调整"}),
        "plans_api.submit": Rule(write={"officer"}, owner="dept", args=plan),
        "plans_api.row_create": Rule(
            write=drafters,
            owner="dept",
            args=plan,
            data=lambda w: {**_plan_row(w), "industry_codes": ["621"]},
        ),
        "plans_api.row_update": Rule(write=drafters, owner="dept", args=row, data={"ratio": "1%"}),
        "plans_api.row_delete": Rule(write=drafters, owner="dept", args=row),
        "public_plans.index": Rule(read=PUBLIC),
        "public_plans.plan": Rule(read=PUBLIC, args={"plan_id": "plan_published"}),
        "public_plans.export": Rule(read=PUBLIC, args={"plan_id": "plan_published"}),
    }
    for name in (
        "plans.plan",
        "plans.revisions",
        "plans.diff",
        "plans.export",
        "plans_api.get",
        "plans_api.diff",
    ):
        rules[name] = Rule(read=ANY_ROLE, args=plan)
    rules["plans_api.revision_rows"] = Rule(read=ANY_ROLE, args={**plan, "number": "plan_revision_number"})
    return rules


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
    # register import (web/imports.py), background jobs (web/jobs.py), calendar (web/calendar_admin.py)
    "imports.upload": Rule(read=OFFICE_AND_ADMIN, write=OFFICE_AND_ADMIN),
    "imports.template": Rule(read=OFFICE_AND_ADMIN),
    "imports.report_file": Rule(
        read=OFFICE_AND_ADMIN,
        passed=frozenset({404}),
        note="a problem report belongs to the session that uploaded it: any other session gets 404",
    ),
    "jobs.index": Rule(read=OFFICE_AND_ADMIN),
    "jobs.retry": Rule(write=OFFICE_AND_ADMIN, note="the world's run is done, so an allowed retry is a 409"),
    "calendar.index": Rule(read=SYSADMIN),
    "calendar.year": Rule(read=SYSADMIN, write=SYSADMIN),
    **_register_rules(),
    **_case_rules(),
    **_joint_task_rules(),
    **_draw_rules(),
    **_plan_rules(),
}
