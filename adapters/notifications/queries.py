"""Read side and marks of notifications: the bell's count, a user's page, mark read."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select, update

from adapters.db import db
from adapters.models import MailOutbox, Notification
from adapters.queries.cases import ListPage

MAX_LIMIT = 200


def unread_count(user_id: int) -> int:
    query = select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    return db.session.scalar(query) or 0


def page(user_id: int, *, unread_only: bool = False, page: int = 1, limit: int = 30) -> ListPage:
    """A user's notifications, newest first."""
    limit = max(1, min(limit, MAX_LIMIT))
    page = max(1, page)
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    query = query.order_by(Notification.id.desc()).limit(limit + 1).offset((page - 1) * limit)
    rows = list(db.session.scalars(query).all())
    return ListPage(rows[:limit], page, len(rows) > limit)


def mark_read(user_id: int, notification_id: int) -> Notification | None:
    """The user's notification marked read (None when it is not theirs or does not exist)."""
    row = db.session.get(Notification, notification_id)
    if row is None or row.user_id != user_id:
        return None
    if row.read_at is None:
        row.read_at = datetime.now(UTC)
    return row


def mark_all_read(user_id: int) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=datetime.now(UTC))
    )
    return result.rowcount or 0


def outbox(limit: int = 50) -> list[MailOutbox]:
    """The newest outbox rows, failed ones first (for the office's and admins' view)."""
    failed_first = (MailOutbox.status != "failed", MailOutbox.id.desc())
    return list(db.session.scalars(select(MailOutbox).order_by(*failed_first).limit(limit)).all())


def outbox_counts() -> dict[str, int]:
    rows = db.session.execute(select(MailOutbox.status, func.count()).group_by(MailOutbox.status))
    return dict(rows.all())
