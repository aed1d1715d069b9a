"""Annual plans and the public plan pages."""

from __future__ import annotations

from tests.access_rules.core import (
    ANY_ROLE,
    OFFICE_ONLY,
    PUBLIC,
    Rule,
)


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
        "plans_api.row_delete": Rule(
            write=drafters,
            owner="dept",
            args={"plan_id": "plan_a", "row_id": "plan_row_victim"},
            passed=frozenset({404}),
            note="the victim row (never the shared plan_row_a): whoever deletes it first wins, the next finds it gone",
        ),
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


def rules() -> dict[str, Rule]:
    return _plan_rules()
