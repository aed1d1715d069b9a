"""Claiming, returning and reassigning human tasks, and who may work on one (part of
WorkflowService).

Each action re-reads the task row with its instance row locked (as every writer of an instance
does, so that writers never wait for each other in different orders), so that it judges what the
last committed writer left, not what this session read earlier: two people claiming at once take
turns, and the second sees the first one's claim (409).

- claim: the task is open (else 409), the person fits its department and roles (else 403), and
  nobody else holds it (else 409 — a department officer reassigns instead).
- unclaim: the task is open (else 409); by its assignee or an officer of its department (else 403).
- reassign: the task is open (else 409); by an officer of its department (else 403); the new
  assignee is an active user whose department and roles fit the task (else 422).
"""

from __future__ import annotations

from adapters.models.org import User
from adapters.models.workflow import HumanTask
from adapters.workflow.who import Who
from engine.errors import Conflict, Forbidden, NotFound, ValidationFailed


def task_roles(task: HumanTask) -> set[str]:
    return set((task.roles or "").split(",")) - {""}


def fits(task: HumanTask, department_id: int | None, roles: frozenset[str] | set[str]) -> bool:
    """A person of this department with these roles could do the task (assignee aside)."""
    wanted = task_roles(task)
    if wanted and not set(roles) & wanted:
        return False
    return task.department_id is None or department_id == task.department_id


class TaskActions:
    """Claims, returns, reassignments and the may-work rule (mixed into WorkflowService)."""

    def task_row(self, task_id: int, *, lock: bool = False) -> HumanTask:
        """The task row (`lock`: re-read with its instance row locked, see `_locked_task`)."""
        if lock:
            return self._locked_task(task_id)[0]
        row = self.session.get(HumanTask, task_id)
        if row is None:
            raise NotFound("任务不存在")
        return row

    def claim(self, task_id: int, who: Who) -> HumanTask:
        task = self.task_row(task_id, lock=True)
        _ensure_open(task)
        actor = who.actor
        if actor is None or not fits(task, actor.department_id, actor.roles):
            raise Forbidden("您没有办理该任务的权限")
        if task.assignee_id not in (None, actor.id):
            raise Conflict("该任务已被他人认领")
        if task.assignee_id != actor.id:
            task.assignee_id = actor.id
            self._audit_task(task, "task_claimed", who, {})
        return task

    def unclaim(self, task_id: int, who: Who) -> HumanTask:
        task = self.task_row(task_id, lock=True)
        if task.assignee_id != who.actor_id and not self._is_officer_of(task, who):
            raise Forbidden("只有认领人或本部门管理人员可以退回认领")
        _ensure_open(task)
        if task.assignee_id is not None:
            task.assignee_id = None
            self._audit_task(task, "task_unclaimed", who, {})
        return task

    def reassign(self, task_id: int, user_id: int, user_department_id: int | None, who: Who) -> HumanTask:
        """Give the task to `user_id`. (`user_department_id` is kept for callers; the user's row
        decides.)"""
        task = self.task_row(task_id, lock=True)
        if not self._is_officer_of(task, who):
            raise Forbidden("只有本部门管理人员可以转办")
        _ensure_open(task)
        user = self.session.get(User, user_id) if isinstance(user_id, int) else None
        if user is None or not user.active:
            raise ValidationFailed("请选择转办人员", {"user_id": "人员不存在或已停用"})
        if not fits(task, user.department_id, user.roles):
            raise ValidationFailed("该人员不能办理此任务", {"user_id": "只能转办给本部门可办理该任务的人员"})
        task.assignee_id = user.id
        self._audit_task(task, "task_reassigned", who, {"to": user.id})
        return task

    def may_work(self, task: HumanTask, who: Who) -> bool:
        actor = who.actor
        if actor is None or task.state != "ready" or not fits(task, actor.department_id, actor.roles):
            return False
        return task.assignee_id in (None, actor.id) or self._is_officer_of(task, who)

    def _ensure_may_work(self, task: HumanTask, who: Who) -> None:
        _ensure_open(task)
        if not self.may_work(task, who):
            raise Forbidden("您没有办理该任务的权限")

    @staticmethod
    def _is_officer_of(task: HumanTask, who: Who) -> bool:
        a = who.actor
        return bool(
            a
            and "officer" in a.roles
            and (task.department_id is None or a.department_id == task.department_id)
        )


def _ensure_open(task: HumanTask) -> None:
    if task.state != "ready":
        raise Conflict("该任务已办结，请刷新后重试")
