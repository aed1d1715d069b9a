"""Inbox, task forms, case pages, incidents, process models."""

from __future__ import annotations

from tests.access_rules.core import (
    ANY_ROLE,
    OFFICE_AND_ADMIN,
    READERS,
    Rule,
)


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


def rules() -> dict[str, Rule]:
    return _case_rules()
