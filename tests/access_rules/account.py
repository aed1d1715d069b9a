"""Public, account, administration, organisation API, imports, jobs, calendar."""

from __future__ import annotations

from tests.access_rules.core import (
    ADMIN_ONLY,
    ANY_ROLE,
    LOGGED_IN,
    OFFICE_AND_ADMIN,
    PUBLIC,
    READERS,
    SYSADMIN,
    Rule,
)


def rules() -> dict[str, Rule]:
    return {
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
            note="a problem report belongs to the user who uploaded it: anyone else gets 404",
        ),
        "imports.result": Rule(
            read=OFFICE_AND_ADMIN,
            passed=frozenset({404}),
            note="an import's page belongs to the user who uploaded it: anyone else gets 404",
        ),
        "jobs.index": Rule(read=OFFICE_AND_ADMIN),
        "jobs.retry": Rule(
            write=OFFICE_AND_ADMIN, note="the world's run is done, so an allowed retry is a 409"
        ),
        "calendar.index": Rule(read=SYSADMIN),
        "calendar.year": Rule(read=SYSADMIN, write=SYSADMIN),
    }
