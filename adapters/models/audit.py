"""The audit trail tables: append-only events, and per stream the head (last seq and hash).

Deliberately no foreign keys: audit events outlive the cases, users and processes they mention,
and nothing may cascade-delete them. On PostgreSQL triggers (migration 0002) refuse UPDATE and
DELETE of events and any head change other than moving one event forward.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from adapters.db import db
from engine.audit import AuditEvent


class AuditEventRow(db.Model):
    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stream: Mapped[str] = mapped_column(String(128))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(Integer)  # no FK: users may go, events stay
    actor_name: Mapped[str | None] = mapped_column(String(64))
    client_addr: Mapped[str | None] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        # the unique constraint is also the (stream, seq) index that appends and verify use
        UniqueConstraint("stream", "seq", name="uq_audit_events_stream_seq"),
        Index("ix_audit_events_occurred_at", "occurred_at"),
    )

    def to_event(self) -> AuditEvent:
        return AuditEvent(
            stream=self.stream,
            seq=self.seq,
            kind=self.kind,
            occurred_at=self.occurred_at,
            actor_id=self.actor_id,
            actor_name=self.actor_name,
            client_addr=self.client_addr,
            data=self.data or {},
            prev_hash=self.prev_hash,
            hash=self.hash,
        )


class AuditHead(db.Model):
    """The newest event of a stream as recorded at append time; also the per-stream lock."""

    __tablename__ = "audit_heads"
    stream: Mapped[str] = mapped_column(String(128), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
