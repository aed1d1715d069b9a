"""In-app notifications (站内通知) and the mail outbox.

A notification is written in the same transaction as what it tells about (a task row becoming
ready, a claim handed over, an overdue mark); a mail is an outbox row sent afterwards by a job,
so that a slow or failing mail server never holds up or undoes the work itself.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from adapters.db import db
from adapters.models.base import utcnow

NOTIFICATION_KINDS = ("assigned", "returned", "overdue")
MAIL_STATUSES = ("queued", "sent", "failed")


class Notification(db.Model):
    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))  # assigned | returned | overdue
    title: Mapped[str] = mapped_column(String(256))
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(256))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_tasks.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # set as objects while their rows are still unwritten (the flush orders the INSERTs)
    task = relationship("HumanTask")
    instance = relationship("ProcessInstance")

    # the bell counts a user's unread ones; the page lists a user's newest first
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at", "id"),)


class MailOutbox(db.Model):
    """One e-mail to send: queued → sent, or failed after the job's retries (last_error kept)."""

    __tablename__ = "mail_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id"), index=True)
    to_addr: Mapped[str] = mapped_column(String(128))
    subject: Mapped[str] = mapped_column(String(256))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    notification = relationship("Notification")

    __table_args__ = (Index("ix_mail_outbox_status", "status", "created_at"),)
