"""Run actions after the current transaction commits, and drop them if it rolls back.

Jobs are handed over only once the data they read is committed: a worker never sees a half-made
case, and a rolled-back request starts nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger(__name__)
PENDING = "liancha.after_commit"


def after_commit(session: Session, action: Callable[[], object]) -> None:
    """Call `action` once `session`'s outermost transaction commits."""
    _install()
    session.info.setdefault(PENDING, []).append(action)


def _install() -> None:
    if not event.contains(Session, "after_commit", _run_pending):
        event.listen(Session, "after_commit", _run_pending)
        event.listen(Session, "after_soft_rollback", _drop_pending)


def _run_pending(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint was released: the data is not committed yet
        return
    # the caller's commit already succeeded: an action's failure is logged, never raised into it
    for action in session.info.pop(PENDING, []):
        try:
            action()
        except Exception:
            log.exception("an after-commit action failed")


def _drop_pending(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(PENDING, None)
