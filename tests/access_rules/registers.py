"""Register pages and their API."""

from __future__ import annotations

from tests.access_rules.core import (
    ANY_ROLE,
    DEPT_WRITERS,
    NEW_FORM,
    OFFICE_AND_ADMIN,
    OFFICE_ONLY,
    OWN_WRITE,
    READERS,
    Rule,
    dept_a,
)


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
        rules[f"registers.{kind}_new"] = Rule(read=NEW_FORM, write=OWN_WRITE, data=dept_a(dept_field))
        rules[f"registers.{kind}_edit"] = Rule(
            read=DEPT_WRITERS, write=DEPT_WRITERS, owner="dept", data=dept_a(dept_field)
        )
        rules |= {f"registers.{kind}_{a}": owned for a in ("deactivate", "reactivate")}
    rules["registers.inspector_new"] = Rule(read=NEW_FORM, write=OWN_WRITE, data=dept_a())
    rules["registers.inspector_edit"] = Rule(
        read=DEPT_WRITERS, write=DEPT_WRITERS, owner="dept", data=dept_a()
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


def rules() -> dict[str, Rule]:
    return {**_register_rules()}
