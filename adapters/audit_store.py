"""The audit log on SQL: `SqlAuditLog` appends inside the caller's transaction (the caller
commits), `verify` checks every stored chain.

Appends to one stream are serialised through its head row, read FOR UPDATE on PostgreSQL, so two
transactions appending to the same stream take turns and the chain never forks. The events of one
call are written together (`append_all`; `append` is the one-event case): the head locked and
read once per transaction (kept in `session.info` until the transaction ends; a caller that has
locked it already, with the case's row, hands it over with `remember_head`), then the events and
the head written: on PostgreSQL in one statement of constant text (events from one JSON parameter,
the head UPDATE — or INSERT for a new stream — as part of it; the caller's own writes may join it,
`Write`), elsewhere one multi-row INSERT and one head write. A missing head is created
first; two transactions starting the same new stream at once take turns too
(INSERT … ON CONFLICT DO NOTHING: the second waits for the first, then reads its head). On SQLite
the head is created first (taking the database's single write lock, which serialises writers
just the same).
Appending to several streams in one transaction: do it in a stable order (deadlocks otherwise).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from itertools import groupby
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import insert, select, text, update
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
_HEADS = "liancha.audit_heads"  # session.info: stream -> (seq, hash) locked in this transaction
EVENTS = AuditEventRow.__table__
HEADS = AuditHead.__table__


def draft(
    stream: str,
    kind: str,
    *,
    data: Mapping[str, Any] | None = None,
    actor_id: int | None = None,
    actor_name: str | None = None,
    client_addr: str | None = None,
    occurred_at: datetime | None = None,
) -> AuditEvent:
    """An event to append (`append_all` numbers, links and hashes it); no time: the store's clock."""
    _check_names(stream, kind)
    return AuditEvent(
        stream=stream,
        seq=0,
        kind=kind,
        occurred_at=occurred_at,  # type: ignore[arg-type]  # filled in by append_all
        actor_id=actor_id,
        actor_name=actor_name,
        client_addr=client_addr,
        data=data or {},
    )


def remember_head(session: Session, stream: str, seq: int, digest: str) -> None:
    """Record a head this transaction has just read FOR UPDATE (e.g. together with the row of the
    case it belongs to), so that appends in the same transaction need not lock it again."""
    session.info.setdefault(_HEADS, {})[stream] = (seq, digest)


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_heads(session: Session, transaction: Any) -> None:
    # a head is known only while its lock is held: commit, rollback and savepoints end that (the
    # inner transaction of every flush does not)
    if transaction.parent is None or transaction.nested:
        session.info.pop(_HEADS, None)


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
        one = draft(
            stream,
            kind,
            data=data,
            actor_id=actor_id,
            actor_name=actor_name,
            client_addr=client_addr,
            occurred_at=occurred_at,
        )
        return self.append_all(stream, [one])[0]

    def append_all(
        self, stream: str, drafts: Sequence[AuditEvent], *, new: bool = False, writes: Sequence[Write] = ()
    ) -> list[AuditEvent]:
        """Append the drafts (see `draft`) to `stream` in order: the head locked once per
        transaction, then one INSERT of the events and one write of the head. `new`: the stream
        is known to be new (the case is being started), so the events are numbered from 1 and the
        head is inserted after them without being looked for — should the stream exist after all,
        the INSERT fails on the unique (stream, seq) and nothing forks. `writes` (PostgreSQL
        only): the caller's own data-modifying statements, run in the same statement as the
        events (one round trip); `WriteMismatch` when one touches another number of rows than
        it expects. Returns the sealed events."""
        if writes and self.session.get_bind().dialect.name != "postgresql":
            raise ValueError("writes together with audit events need PostgreSQL")
        if not drafts:
            return []
        known = self.session.info.get(_HEADS, {})
        fresh = new and stream not in known
        seq, prev = (0, GENESIS) if fresh else known.get(stream) or self._locked_head(stream)
        sealed = []
        for event in drafts:
            seq += 1
            moment = _utc(event.occurred_at or self._clock())
            event = seal(replace(event, stream=stream, seq=seq, occurred_at=moment), prev)
            prev = event.hash
            sealed.append(event)
        if self.session.get_bind().dialect.name == "postgresql":
            # one round trip: the events and the head move in one statement of constant text
            # (compiled and prepared once, whatever the number of events)
            events = json.dumps([_row(e, json_safe=True) for e in sealed], ensure_ascii=False)
            params = {"events": events, "stream": stream, "seq": seq, "hash": prev}
            if writes:
                for write in writes:
                    params.update(write.params)
                found = self.session.execute(
                    _pg_append_with(fresh, tuple(w.sql for w in writes)), params
                ).one()
                if any(n != w.rows for n, w in zip(found, writes, strict=True)):
                    raise WriteMismatch(f"rows written: {tuple(found)}, expected {[w.rows for w in writes]}")
            else:
                self.session.execute(_PG_APPEND_NEW if fresh else _PG_APPEND, params)
        else:
            self.session.execute(insert(EVENTS), [_row(e) for e in sealed])
            if fresh:
                self.session.execute(insert(HEADS).values(stream=stream, seq=seq, hash=prev))
            else:
                self.session.execute(update(HEADS).where(HEADS.c.stream == stream).values(seq=seq, hash=prev))
        remember_head(self.session, stream, seq, prev)
        return sealed

    def append_new_streams(self, drafts: Mapping[str, Sequence[AuditEvent]]) -> None:
        """`append_all(stream, events, new=True)` for many new streams (the cases of a batch being
        started), in one statement on PostgreSQL: every stream numbered from 1, its head inserted
        (a stream that exists after all fails the INSERT on the unique (stream, seq))."""
        wanted = {stream: events for stream, events in drafts.items() if events}
        if not wanted:
            return
        if self.session.get_bind().dialect.name != "postgresql":
            for stream, events in wanted.items():
                self.append_all(stream, events, new=True)
            return
        rows, heads = [], []
        for stream, events in wanted.items():
            seq, prev = 0, GENESIS
            for event in events:
                seq += 1
                moment = _utc(event.occurred_at or self._clock())
                event = seal(replace(event, stream=stream, seq=seq, occurred_at=moment), prev)
                prev = event.hash
                rows.append(_row(event, json_safe=True))
            heads.append({"stream": stream, "seq": seq, "hash": prev})
        params = {"events": json.dumps(rows, ensure_ascii=False), "heads": json.dumps(heads)}
        self.session.execute(_PG_APPEND_NEW_STREAMS, params)
        for head in heads:
            remember_head(self.session, head["stream"], head["seq"], head["hash"])

    def _locked_head(self, stream: str) -> tuple[int, str]:
        """(seq, hash) of the stream's head, created if missing, locked until the transaction
        ends. A head another transaction is creating blocks the insert until that one ends."""
        lock = select(HEADS.c.seq, HEADS.c.hash).where(HEADS.c.stream == stream).with_for_update()
        if self.session.get_bind().dialect.name == "sqlite":
            # the first write takes SQLite's write lock: appends take turns as on PostgreSQL
            self.session.execute(
                sqlite.insert(HEADS).values(stream=stream, seq=0, hash=GENESIS).on_conflict_do_nothing()
            )
            return tuple(self.session.execute(lock).one())  # type: ignore[return-value]
        found = self.session.execute(lock).one_or_none()
        if found is not None:
            return found.seq, found.hash
        create = (
            postgresql.insert(HEADS)
            .values(stream=stream, seq=0, hash=GENESIS)
            .on_conflict_do_nothing()
            .returning(HEADS.c.seq)
        )
        if self.session.execute(create).one_or_none() is not None:
            return 0, GENESIS  # ours, locked as every inserted row is
        return tuple(self.session.execute(lock).one())  # type: ignore[return-value]


_PG_EVENTS = """INSERT INTO audit_events
  (stream, seq, kind, actor_id, actor_name, client_addr, occurred_at, data, prev_hash, hash)
SELECT stream, seq, kind, actor_id, actor_name, client_addr, occurred_at, data, prev_hash, hash
FROM json_to_recordset(CAST(:events AS json)) AS e(
  stream varchar, seq integer, kind varchar, actor_id integer, actor_name varchar, client_addr varchar,
  occurred_at timestamptz, data json, prev_hash varchar, hash varchar)
ORDER BY stream, seq"""
# the head written in the same statement: checked at commit to name a stored event (migration 0012)
_PG_APPEND = text(
    f"WITH appended AS ({_PG_EVENTS}) UPDATE audit_heads SET seq = :seq, hash = :hash WHERE stream = :stream"
)
_PG_APPEND_NEW = text(
    f"WITH appended AS ({_PG_EVENTS}) INSERT INTO audit_heads (stream, seq, hash) VALUES (:stream, :seq, :hash)"
)


_PG_APPEND_NEW_STREAMS = text(
    f"WITH appended AS ({_PG_EVENTS}) INSERT INTO audit_heads (stream, seq, hash)"
    " SELECT stream, seq, hash FROM json_to_recordset(CAST(:heads AS json))"
    " AS h(stream varchar, seq integer, hash varchar)"
)


@dataclass(frozen=True)
class Write:
    """A data-modifying statement to run with an append (`append_all(writes=…)`): SQL text with
    RETURNING (its own parameter names, unique among the writes), its parameters, and the number
    of rows it must return."""

    sql: str
    params: dict
    rows: int


class WriteMismatch(Exception):
    """A write run with an append touched another number of rows than expected."""


@lru_cache(maxsize=64)
def _pg_append_with(fresh: bool, writes: tuple[str, ...]):
    """Events, head and the writes in one statement; returns each write's row count."""
    head = (
        "INSERT INTO audit_heads (stream, seq, hash) VALUES (:stream, :seq, :hash)"
        if fresh
        else "UPDATE audit_heads SET seq = :seq, hash = :hash WHERE stream = :stream"
    )
    parts = [f"w{i} AS ({sql})" for i, sql in enumerate(writes)]
    parts += [f"appended AS ({_PG_EVENTS})", f"head AS ({head})"]
    counts = ", ".join(f"(SELECT count(*) FROM w{i})" for i in range(len(writes)))
    return text(f"WITH {', '.join(parts)} SELECT {counts}")


def _check_names(stream: str, kind: str) -> None:
    if not stream or len(stream) > 128:
        raise ValueError(f"bad audit stream name: {stream!r}")
    if not kind or len(kind) > 32:
        raise ValueError(f"bad audit event kind: {kind!r}")


def _utc(moment: datetime) -> datetime:
    # SQLite drops the offset without converting, so store UTC everywhere
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _row(event: AuditEvent, *, json_safe: bool = False) -> dict[str, Any]:
    return {
        "stream": event.stream,
        "seq": event.seq,
        "kind": event.kind,
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "client_addr": event.client_addr,
        "occurred_at": event.occurred_at.isoformat() if json_safe else event.occurred_at,
        "data": dict(event.data),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def stream_events(session: Session, stream: str | None = None) -> Iterator[AuditEvent]:
    """Stored events ordered by stream and seq, read in batches (plain rows, no identity map)."""
    t = EVENTS
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
