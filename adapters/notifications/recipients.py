"""Who is told about a task: its assignee, else the active users of its department who hold one
of its roles (a task with neither department nor roles tells nobody rather than everyone)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from adapters.models import HumanTask, User, UserRole


@dataclass(frozen=True)
class Recipient:
    id: int
    email: str | None


def task_roles(task: HumanTask) -> frozenset[str]:
    return frozenset((task.roles or "").split(",")) - {""}


def recipients_query(department_id: Any, roles: frozenset[str], *columns, roles_param: Any = None) -> Select:
    """The ids (and `columns`) of the active users of the department (an id or a bound
    parameter; None: any) holding one of the roles (or `roles_param`, an expanding bound
    parameter; none: any role)."""
    query = select(User.id, *columns).where(User.active.is_(True))
    if department_id is not None:
        query = query.where(User.department_id == department_id)
    wanted = roles_param if roles_param is not None else (roles or None)
    if wanted is not None:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(wanted))))
    return query


class Recipients:
    """Looks people up once per (department, roles) within one transaction (see the listener)."""

    def __init__(self, session: Session):
        self.session = session
        self._cache: dict[tuple, list[Recipient]] = {}

    def for_task(self, task: HumanTask) -> list[Recipient]:
        if task.assignee_id is not None:
            return self.users([task.assignee_id])
        return self.by_role(task.department_id, task_roles(task))

    def by_role(self, department_id: int | None, roles: frozenset[str]) -> list[Recipient]:
        if department_id is None and not roles:
            return []
        key = (department_id, roles)
        if key not in self._cache:
            query = recipients_query(department_id, roles, User.email)
            rows = self.session.execute(query.order_by(User.id)).all()
            self._cache[key] = [Recipient(i, e) for i, e in rows]
        return self._cache[key]

    def users(self, ids: list[int]) -> list[Recipient]:
        query = select(User.id, User.email).where(User.id.in_(ids), User.active.is_(True))
        return [Recipient(i, e) for i, e in self.session.execute(query.order_by(User.id)).all()]
