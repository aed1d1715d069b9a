"""Python functions that BPMN service tasks call by name (the engine's service registry).

Each runs inside the engine step, in the caller's transaction, and returns JSON-able data stored
in the task's result variable. Register new ones in `SERVICES`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapters import joint_task_reports, result_dictionary
from adapters.notifications.overdue import notify_overdue
from adapters.plans import process as plan_process
from adapters.publication import publish

SERVICES: dict[str, Callable[..., Any]] = {
    "record_report": joint_task_reports.record_report,  # processes/joint_task: 部门报到
    "escalate_report": joint_task_reports.escalate_report,
    "close_reporting": joint_task_reports.close_reporting,
    "note_report_closing": joint_task_reports.note_report_closing,  # 截止报到 (lead or office)
    "record_absence": joint_task_reports.record_absence,
    "notify_overdue": notify_overdue,  # adapters/notifications: office and departments told
    "load_result_dictionary": result_dictionary.load_result_dictionary,  # processes/inspection_case
    "result_code_choices": result_dictionary.result_code_choices,  # checklist.json x-choices-service
    "mark_result_codes_used": result_dictionary.mark_used,
    "publish_result": publish.publish_result,  # processes/inspection_case: 公示 (adapters/publication)
    "publish_follow_up": publish.publish_follow_up,  # processes/follow_up: 公示处置结果
    "mark_plan_revision": plan_process.mark_plan_revision,  # processes/annual_plan: 提交审核/退回/通过
    "publish_plan": plan_process.publish_plan,  # processes/annual_plan: 发布
}
