"""Who may see a case or a task, and who may act on a task — checked before the service is called.

- The office, auditors and sysadmins see every case (`cases.read_all`); anyone else sees a case
  when its department is theirs or one of its tasks belongs to their department.
- A task is seen by those who see every case and by those who could do it: their department
  (or the task has none) and one of the task's roles. Doing it is the service's `may_work`.

The service checks the task's state before the person; asking here first keeps a refusal a 403
whatever state the task is in.
"""

from __future__ import annotations

from adapters.models import HumanTask, ProcessInstance
from adapters.queries.cases import case_has_department_task
from engine.access import Actor, can
from engine.errors import Forbidden

READ_ALL = "cases.read_all"


def roles_of(task: HumanTask) -> set[str]:
    return set((task.roles or "").split(",")) - {""}


def could_do(task: HumanTask, actor: Actor | None) -> bool:
    """The actor's department and roles fit the task (its state and assignee aside)."""
    if actor is None:
        return False
    roles = roles_of(task)
    if roles and not actor.roles & roles:
        return False
    return task.department_id is None or task.department_id == actor.department_id


def is_officer_of(task: HumanTask, actor: Actor | None) -> bool:
    return bool(
        actor
        and "officer" in actor.roles
        and actor.department_id is not None
        and task.department_id in (None, actor.department_id)
    )


def may_see_task(task: HumanTask, actor: Actor | None) -> bool:
    return can(actor, READ_ALL) or could_do(task, actor) or is_officer_of(task, actor)


def may_see_case(row: ProcessInstance, actor: Actor | None) -> bool:
    if actor is None:
        return False
    if can(actor, READ_ALL):
        return True
    if actor.department_id is None:
        return False
    return row.department_id == actor.department_id or case_has_department_task(row.id, actor.department_id)


def ensure_task_visible(task: HumanTask, actor: Actor | None) -> None:
    if not may_see_task(task, actor):
        raise Forbidden("您没有查看该任务的权限")


def ensure_could_do(task: HumanTask, actor: Actor | None) -> None:
    if not could_do(task, actor):
        raise Forbidden("您没有办理该任务的权限")


def ensure_case_visible(row: ProcessInstance, actor: Actor | None) -> None:
    if not may_see_case(row, actor):
        raise Forbidden("您没有查看该案件的权限")
