"""Who may do what: the access policy as pure functions over an Actor.

Views and API calls ask `can(actor, action, department_id)`; `department_id` is the department
that owns the resource (None for resources without an owner). Roles:

- sysadmin: system administration (users, departments, regions, calendar, tokens);
- office: the leading-group office (双随机办), reads everything, manages shared registers and plans;
- officer: a department officer, manages their own department's items and inspectors;
- inspector: fills their own inspection tasks, reads the registers;
- auditor: reads everything, changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("sysadmin", "office", "officer", "inspector", "auditor")


@dataclass(frozen=True)
class Actor:
    id: int
    department_id: int | None
    roles: frozenset[str]

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


# action -> roles allowed regardless of department
_GLOBAL = {
    "admin.manage": {"sysadmin"},
    "calendar.manage": {"sysadmin"},  # the working-day calendar (工作日历)
    "registers.read": {"sysadmin", "office", "officer", "inspector", "auditor"},
    "enterprises.write": {"sysadmin", "office"},
    "enterprises.override_uscc": {"office", "sysadmin"},
    "tags.write": {"sysadmin", "office"},
    "experts.write": {"office"},
    "joint_lists.write": {"office"},
    "items.write": {"office"},
    "inspectors.write": {"office"},
    "inspectors.read_all": {"sysadmin", "office", "auditor"},
    "import.run": {"sysadmin", "office"},
    "audit.read": {"office", "auditor", "sysadmin"},
    "jobs.read": {"sysadmin", "office"},  # background job runs, /admin/jobs
    "jobs.retry": {"sysadmin", "office"},
    "departments.view": {"sysadmin", "office"},  # the admin pages of departments, read-only for the office
    "org.read": {"sysadmin", "office", "officer", "inspector", "auditor"},  # departments/regions as choices
    "users.read": {"sysadmin", "office", "auditor"},
    "tasks.read": {"sysadmin", "office", "officer", "inspector", "auditor"},  # the inbox /tasks
    "cases.read_all": {"office", "auditor", "sysadmin"},  # every case, whatever its department
    "cases.admin": {"office", "sysadmin"},  # cancel, suspend, resume cases; retry incidents
    "processes.manage": {"office", "sysadmin"},  # process models: upload and deploy versions
    "results.manage": {"office", "sysadmin"},  # the result dictionary (结果字典)
    "draws.run": {"office"},  # commit, draw, re-draw, confirm, void (officers: their lead department's)
    "draws.read": {"office", "auditor", "sysadmin"},  # draw records (officers: their tasks')
    "draws.rules": {"office"},  # the ratio table (抽查比例表)
    "joint_tasks.open": {"office"},  # 发起联合抽查 (吹哨) for any lead department
    "joint_tasks.read": {"office", "auditor", "sysadmin"},  # every joint task
    "plans.read": {"sysadmin", "office", "officer", "inspector", "auditor"},  # 年度抽查计划 pages
    "plans.manage": {"office"},  # create, review, publish, adjust, import annual plans
    "plans.draft": {"office"},  # plan rows (officers: the rows their department leads)
    "publication.read": {"office", "auditor", "sysadmin"},  # 公示管理: every published record
    "publication.manage": {"office"},  # 更正 of published records (officers: their lead department's)
    "revisits.add": {"office"},  # 回访 of a closed case (officers: cases their department leads)
}
# action -> roles allowed only for their own department's resources
_OWN_DEPARTMENT = {
    "items.write": {"officer"},
    "inspectors.write": {"officer"},
    "inspectors.read_all": {"officer", "inspector"},  # their own department's inspectors only
    "joint_lists.write": {"officer"},  # the lead department keeps its own list
    "users.read": {"officer"},  # an officer links their own department's inspectors to accounts
    "draws.run": {"officer"},  # the department the joint task's lead is
    "draws.read": {"officer"},  # a department taking part in the joint task
    "joint_tasks.open": {"officer"},  # the lead department's officers blow the whistle
    "joint_tasks.read": {"officer", "inspector"},  # tasks their department takes part in
    "plans.draft": {"officer"},  # the plan rows their department leads
    "publication.read": {"officer"},  # records of the cases their department led
    "publication.manage": {"officer"},  # corrections of the cases their department led
    "revisits.add": {"officer"},  # the cases their department leads
}


def can(actor: Actor | None, action: str, department_id: int | None = None) -> bool:
    """True when the actor may perform `action` on a resource owned by `department_id`."""
    if actor is None:
        return False
    if actor.roles & _GLOBAL.get(action, set()):
        return True
    own = _OWN_DEPARTMENT.get(action)
    return bool(
        own and actor.roles & own and department_id is not None and actor.department_id == department_id
    )


def known_actions() -> set[str]:
    return set(_GLOBAL) | set(_OWN_DEPARTMENT)
