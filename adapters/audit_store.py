"""The audit log on SQL: `SqlAuditLog` appends inside the caller's transaction (the caller
commits), `verify` checks every stored chain.

Appends to one stream are serialised through its head row: the head is created if missing
(INSERT … ON CONFLICT DO NOTHING) and then read FOR UPDATE on PostgreSQL, so two transactions
appending to the same stream take turns and the chain never forks. On SQLite the first write of
the transaction takes the database's single write lock, which serialises writers just the same.
Appending to several streams in one transaction: do it in a stable order (deadlocks otherwise).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from adapters.models.audit import AuditEventRow, AuditHead
from engine.audit import GENESIS, AuditEvent, Problem, seal, verify_chain

BATCH = 1000
EVENT_FIELDS = (
    "stream",
    "seq",
    "kind",
    "occurred_at",
    "actor_id",
    "actor_name",
    "client_addr",
    "prev_hash",
    "hash",
)


class SqlAuditLog:
    """The `engine.audit.AuditLog` port on a SQLAlchemy session."""

    def __init__(self, session: Session, clock=None):
        self.session = session
        self._clock = clock or (lambda: datetime.now(UTC))

    def append(
        self,
        stream: str,
        kind: str,
        *,
        data: Mapping[str, Any] | None = None,
        actor_id: int | None = None,
        actor_name: str | None = None,
        client_addr: str | None = None,
        occurred_at: datetime | None = None,
    ) -> AuditEvent:
        _check_names(stream, kind)
        head = self._locked_head(stream)
        draft = AuditEvent(
            stream=stream,
            seq=head.seq + 1,
            kind=kind,
            occurred_at=_utc(occurred_at or self._clock()),
            actor_id=actor_id,
            actor_name=actor_name,
            client_addr=client_addr,
            data=data or {},
        )
        event = seal(draft, head.hash or GENESIS)
        self.session.add(_row(event))
        head.seq, head.hash = event.seq, event.hash
        self.session.flush()
        return event

    def _locked_head(self, stream: str) -> AuditHead:
        insert = postgresql.insert if self.session.get_bind().dialect.name == "postgresql" else sqlite.insert
        self.session.execute(
            insert(AuditHead).values(stream=stream, seq=0, hash=GENESIS).on_conflict_do_nothing()
        )
        query = select(AuditHead).where(AuditHead.stream == stream).with_for_update()
        return self.session.execute(query.execution_options(populate_existing=True)).scalar_one()


def _check_names(stream: str, kind: str) -> None:
    if not stream or len(stream) > 128:
        raise ValueError(f"bad audit stream name: {stream!r}")
    if not kind or len(kind) > 32:
        raise ValueError(f"bad audit event kind: {kind!r}")


def _utc(moment: datetime) -> datetime:
    # SQLite drops the offset without converting, so store UTC everywhere
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _row(event: AuditEvent) -> AuditEventRow:
    return AuditEventRow(
        stream=event.stream,
        seq=event.seq,
        kind=event.kind,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        client_addr=event.client_addr,
        occurred_at=event.occurred_at,
        data=dict(event.data),
        prev_hash=event.prev_hash,
        hash=event.hash,
    )


def stream_events(session: Session, stream: str | None = None) -> Iterator[AuditEvent]:
    """Stored events ordered by stream and seq, read in batches (plain rows, no identity map)."""
    t = AuditEventRow.__table__
    query = select(t).order_by(t.c.stream, t.c.seq)
    if stream is not None:
        query = query.where(t.c.stream == stream)
    for row in session.execute(query.execution_options(yield_per=BATCH)).mappings():
        yield AuditEvent(**{name: row[name] for name in EVENT_FIELDS}, data=row["data"] or {})


def heads(session: Session, stream: str | None = None) -> dict[str, tuple[int, str]]:
    """The recorded (seq, hash) of each stream's newest event."""
    query = select(AuditHead.stream, AuditHead.seq, AuditHead.hash)
    if stream is not None:
        query = query.where(AuditHead.stream == stream)
    return {name: (seq, digest) for name, seq, digest in session.execute(query)}


def verify(session: Session, stream: str | None = None) -> tuple[int, list[Problem]]:
    """(number of events checked, problems) over every stream, or over one; one stream at a time
    is held in memory."""
    recorded = heads(session, stream)
    problems: list[Problem] = []
    count = 0
    for name, group in groupby(stream_events(session, stream), key=lambda e: e.stream):
        events = list(group)
        count += len(events)
        head = recorded.pop(name, None)
        problems += verify_chain(events, {name: head} if head else {})
    problems += verify_chain([], recorded)  # heads whose events are all gone
    return count, problems
