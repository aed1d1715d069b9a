"""Statements of the case runtime that run in every unit of work, built once.

Building a SQLAlchemy statement (and its cache key) costs more than running a cached one; these
are built on first use with bound parameters (`model_id`, `n`, `instance_id`, `task_id`) and then
only executed.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select, String, bindparam, cast, func, literal, select, true
from sqlalchemy.orm import load_only

from adapters.models.audit import AuditHead
from adapters.models.workflow import HumanTask, ProcessInstance, ProcessVersion

_VERSION_COLUMNS = load_only(ProcessVersion.model_id, ProcessVersion.version, ProcessVersion.content_hash)


@cache
def latest_version() -> Select:
    """The newest deployed version of `model_id`, without its files."""
    return (
        select(ProcessVersion)
        .options(_VERSION_COLUMNS)
        .where(ProcessVersion.model_id == bindparam("model_id"), ProcessVersion.status == "deployed")
        .order_by(ProcessVersion.version.desc())
        .limit(1)
    )


@cache
def latest_version_with_ids() -> Select:
    """PostgreSQL: `latest_version` once per each of `n` instance ids drawn from the sequence."""
    latest = latest_version().subquery()
    drawn = func.nextval(func.pg_get_serial_sequence("process_instances", "id"))
    return (
        select(ProcessVersion, drawn)
        .options(_VERSION_COLUMNS)
        .join(latest, latest.c.id == ProcessVersion.id)
        .join(func.generate_series(1, bindparam("n")).table_valued("n"), true())
    )


@cache
def instance_with_hash() -> Select:
    """The instance row `instance_id` with its version's content hash."""
    return (
        select(ProcessInstance, ProcessVersion.content_hash)
        .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
        .where(ProcessInstance.id == bindparam("instance_id"))
    )


@cache
def task_with_instance() -> Select:
    """The task row `task_id`, its instance row and the version's content hash."""
    return (
        select(HumanTask, ProcessInstance, ProcessVersion.content_hash)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
        .where(HumanTask.id == bindparam("task_id"))
    )


QUERIES = {"instance": instance_with_hash, "task": task_with_instance}


@cache
def reread(kind: str) -> Select:
    """The query of `kind` overwriting what the session holds (`populate_existing`)."""
    return QUERIES[kind]().execution_options(populate_existing=True)


@cache
def locked(kind: str) -> Select:
    """`reread`, the instance row locked FOR UPDATE (PostgreSQL)."""
    return reread(kind).with_for_update(of=ProcessInstance)


@cache
def locked_with_head(kind: str) -> Select:
    """`locked`, and the case's audit head with it (its seq and hash as the last two columns)."""
    stream = literal("case:") + cast(ProcessInstance.id, String)
    return (
        reread(kind)
        .add_columns(AuditHead.seq, AuditHead.hash)
        .join(AuditHead, AuditHead.stream == stream)
        .with_for_update(of=(ProcessInstance, AuditHead))
    )
