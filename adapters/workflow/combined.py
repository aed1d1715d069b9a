"""Saving a loaded instance in one round trip (PostgreSQL): the instance row, the rows of the
tasks that close and the audit events of the save in one statement.

The ORM would flush the instance UPDATE (with its lock-version check) and each task UPDATE as
statements of their own before the events are appended. Here they are data-modifying parts of
the audit store's append (`SqlAuditLog.append_all(writes=…)`), with constant SQL text (compiled
and prepared once), and the ORM is then told what was written (`set_committed_value`), so that
its flush writes nothing twice. The instance UPDATE keeps the lock-version check: it must touch
exactly one row, else the save is a conflict (`WriteMismatch` → 409), as with the ORM.
"""

from __future__ import annotations

import json

from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from adapters.audit_store import Write
from adapters.models.workflow import HumanTask, ProcessInstance

INSTANCE = """UPDATE process_instances SET state = CAST(:i_state AS json), status = :i_status,
  next_wakeup = :i_wake, updated_at = :i_updated, completed_at = :i_completed,
  summary = CAST(:i_summary AS json), lock_version = :i_next
WHERE id = :i_id AND lock_version = :i_version RETURNING 1"""
TASKS = """UPDATE human_tasks AS t SET state = x.state, completed_at = x.completed_at,
  completed_by_id = x.completed_by_id
FROM json_to_recordset(CAST(:t_rows AS json))
  AS x(id integer, state varchar, completed_at timestamptz, completed_by_id integer)
WHERE t.id = x.id RETURNING 1"""
INSTANCE_COLUMNS = ("state", "status", "next_wakeup", "updated_at", "completed_at", "summary")
TASK_COLUMNS = ("state", "completed_at", "completed_by_id")


def combined_write_possible(session: Session, row: ProcessInstance) -> bool:
    return session.get_bind().dialect.name == "postgresql" and inspect(row).persistent


def writes(row: ProcessInstance, closing: list[HumanTask]) -> list[Write]:
    state = row.state
    text = getattr(state, "json_text", None)
    found = [
        Write(
            INSTANCE,
            {
                "i_state": text if text is not None else json.dumps(state),
                "i_status": row.status,
                "i_wake": row.next_wakeup,
                "i_updated": row.updated_at,
                "i_completed": row.completed_at,
                "i_summary": json.dumps(row.summary),
                "i_next": row.lock_version + 1,
                "i_id": row.id,
                "i_version": row.lock_version,
            },
            1,
        )
    ]
    if closing:
        rows = [
            {
                "id": t.id,
                "state": t.state,
                "completed_at": t.completed_at.isoformat() if t.completed_at else None,
                "completed_by_id": t.completed_by_id,
            }
            for t in closing
        ]
        found.append(Write(TASKS, {"t_rows": json.dumps(rows)}, len(closing)))
    return found


def mark_written(row: ProcessInstance, closing: list[HumanTask]) -> None:
    """Tell the ORM the written values are what the database holds (nothing left to flush)."""
    for name in INSTANCE_COLUMNS:
        set_committed_value(row, name, getattr(row, name))
    set_committed_value(row, "lock_version", row.lock_version + 1)
    for task in closing:
        for name in TASK_COLUMNS:
            set_committed_value(task, name, getattr(task, name))
