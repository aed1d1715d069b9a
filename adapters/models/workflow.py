"""Process versions, instances, human tasks, message subscriptions and incidents.

An instance row keeps the workflow state WITHOUT the spec (the spec lives once per version), its
status and next wake-up, and a version counter for one-writer-per-instance.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from adapters.db import db
from adapters.models.base import utcnow

VERSION_STATUSES = ("draft", "deployed", "retired")
INSTANCE_STATUSES = ("running", "waiting", "complete", "error", "cancelled", "suspended")


class ProcessVersion(db.Model):
    __tablename__ = "process_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(128))
    content_hash: Mapped[str] = mapped_column(String(64))
    files: Mapped[dict] = mapped_column(JSON)  # {filename: text}
    status: Mapped[str] = mapped_column(String(16), default="draft")
    problems: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deployed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("model_id", "version", name="uq_process_version"),
        UniqueConstraint("model_id", "content_hash", name="uq_process_version_hash"),
    )


class StateJSON(TypeDecorator):
    """JSON that writes an `engine.serialization.EncodedState` as the text it already carries
    (the engine encoded the state once; SQLAlchemy need not decode and encode it again). Any other
    value is encoded as the JSON type does. A new EncodedState always counts as a change (no
    comparison, which would decode it)."""

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect):
        encode = self.impl_instance.bind_processor(dialect)

        def process(value):
            text = getattr(value, "json_text", None)
            if text is not None:
                return text
            return encode(value) if encode is not None else value

        return process

    def compare_values(self, x, y):
        if hasattr(x, "json_text") or hasattr(y, "json_text"):
            return x is y
        return super().compare_values(x, y)


class ProcessInstance(db.Model):
    __tablename__ = "process_instances"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[str] = mapped_column(String(64))
    version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"), index=True)
    business_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    title: Mapped[str] = mapped_column(String(256), default="")
    status: Mapped[str] = mapped_column(String(16), default="running")
    state: Mapped[dict] = mapped_column(StateJSON)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"), index=True)
    next_wakeup: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lock_version: Mapped[int] = mapped_column(Integer, default=0)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    version = relationship("ProcessVersion")

    # one writer per instance: every UPDATE checks and bumps lock_version (StaleDataError → 409)
    __mapper_args__ = {"version_id_col": lock_version}
    __table_args__ = (
        Index("ix_process_instances_wakeup", "next_wakeup"),
        Index("ix_process_instances_model_status", "model_id", "status"),
    )


class HumanTask(db.Model):
    """A READY manual task, materialised for inboxes; kept after completion for history."""

    __tablename__ = "human_tasks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"))
    task_uuid: Mapped[str] = mapped_column(String(36))
    element_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(256))
    lane: Mapped[str | None] = mapped_column(String(64))
    mi_key: Mapped[str | None] = mapped_column(String(64))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    roles: Mapped[str | None] = mapped_column(String(128))  # comma-separated
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    form: Mapped[str | None] = mapped_column(String(128))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(16), default="ready")  # ready | completed | cancelled
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    instance = relationship("ProcessInstance")

    __table_args__ = (
        UniqueConstraint("instance_id", "task_uuid", name="uq_human_task"),
        Index("ix_human_tasks_dept_state", "department_id", "state"),
        Index("ix_human_tasks_assignee_state", "assignee_id", "state"),
        Index("ix_human_tasks_instance_state", "instance_id", "state"),
    )


class MessageSubscription(db.Model):
    """An instance waiting for a message, routed by name and correlation key."""

    __tablename__ = "message_subscriptions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    message_name: Mapped[str] = mapped_column(String(128))
    correlation_key: Mapped[str] = mapped_column(String(256), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_message_subscriptions_route", "message_name", "correlation_key"),)


class Incident(db.Model):
    """A task in ERROR (a failing service or script), visible to admins until retried."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    task_uuid: Mapped[str] = mapped_column(String(36))
    element_id: Mapped[str] = mapped_column(String(128))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
