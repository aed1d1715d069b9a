"""Joint tasks (吹哨/报到)."""

from __future__ import annotations

from tests.access_rules.core import (
    ANY_ROLE,
    NEW_FORM,
    OWN_WRITE,
    READERS,
    Rule,
    dept_a,
)


def _joint_task_rules() -> dict[str, Rule]:
    """Joint tasks (web/joint_tasks.py, web/api/joint_tasks.py). `joint_task_a` is led by
    department A with the victim department reporting; in `joint_task_ab` department B reports
    (tests/access_world.py build_joint_tasks). Allowed writes send too little: a 422."""
    readers = READERS | {"officer", "inspector"}  # with owner="dept": department A's people
    task_a = {"task_id": "joint_task_a"}
    ad_hoc = dept_a("lead_department_id")
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


def rules() -> dict[str, Rule]:
    return _joint_task_rules()
