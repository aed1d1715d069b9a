"""What the demo steps share: options, per-step random generators, the ids created so far."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from adapters.models import User
from adapters.workflow.service import Who, WorkflowService
from engine.access import Actor
from engine.runtime import ProcessEngine

DEFAULT_SEED = 20261122
BATCH = 2000


@dataclass(frozen=True)
class DemoUser:
    username: str
    roles: tuple[str, ...]
    department: str | None
    password: str


@dataclass
class DemoContext:
    session: Session
    seed: int
    enterprise_count: int
    inspector_count: int
    hash_password: Callable[[str], str]
    # the process runtime, for the steps that run the real processes (plans, joint tasks)
    engine: ProcessEngine | None = None
    workflow: Callable[[], WorkflowService] | None = None
    departments: dict[str, int] = field(default_factory=dict)  # department key -> id
    items: dict[str, int] = field(default_factory=dict)  # item code -> id
    tags: dict[str, int] = field(default_factory=dict)  # tag name -> id
    enterprise_ids: list[int] = field(default_factory=list)
    inspectors: dict[str, list[int]] = field(default_factory=dict)  # department key -> ids
    user_ids: dict[str, int] = field(default_factory=dict)  # username -> id
    users: list[DemoUser] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def rng(self, step: str) -> random.Random:
        """A generator of its own per step, so adding or resizing one step leaves the others'
        data unchanged for the same seed."""
        return random.Random(f"{self.seed}/{step}")

    def who(self, username: str) -> Who:
        """A demo user as the workflow service's actor (as if they did it in the UI)."""
        user = self.session.execute(select(User).where(User.username == username)).scalar_one()
        return Who(Actor(user.id, user.department_id, user.roles), user.display_name, "127.0.0.1")

    def insert(self, table: Table, rows: Iterable[dict[str, Any]]) -> int:
        """Bulk insert through Core (executemany in batches), never ORM objects one by one."""
        batch: list[dict[str, Any]] = []
        total = 0
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                total += self._flush(table, batch)
                batch = []
        if batch:
            total += self._flush(table, batch)
        return total

    def _flush(self, table: Table, batch: list[dict[str, Any]]) -> int:
        self.session.execute(insert(table), batch)
        return len(batch)
