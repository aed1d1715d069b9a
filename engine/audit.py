"""The tamper-evident audit trail (审计轨迹): events hash-chained per stream.

Each stream ("case:123", "process:joint_task", "admin") is a chain: event n stores the hash of
event n-1 (`prev_hash`) and its own hash, SHA-256 over the canonical JSON of its fields and
`prev_hash`. A per-stream head (last seq and hash, kept by the store) anchors the end of the chain
so that removing the newest event shows too. `verify_chain` reports changed, removed, reordered and
inserted events. Anyone able to rewrite an event AND recompute every later hash and the head is
caught only by comparing with a copy of the heads kept elsewhere: the chain has no secret key.

`seq` is deliberately not hashed: an event's place is fixed by the chain link, so an event moved to
another place is reported as reordered rather than as changed.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Protocol

GENESIS = "0" * 64  # prev_hash of the first event of every stream
ADMIN_STREAM = "admin"

# The kinds the spec names; other kinds are allowed (short snake_case words).
INSTANCE_STARTED = "instance_started"
TASK_READY = "task_ready"
TASK_CLAIMED = "task_claimed"
TASK_COMPLETED = "task_completed"
TIMER_FIRED = "timer_fired"
INCIDENT = "incident"
CANCELLED = "cancelled"
ADMIN_ACTION = "admin_action"
PROCESS_DEPLOYED = "process_deployed"


def case_stream(case_id: int | str) -> str:
    """The stream name of one case (process instance)."""
    return f"case:{case_id}"


def process_stream(model_id: str) -> str:
    """The stream name of one process model (deployments)."""
    return f"process:{model_id}"


@dataclass(frozen=True)
class AuditEvent:
    """One event of a stream; `hash` covers every field except `seq` and `hash` itself."""

    stream: str
    seq: int
    kind: str
    occurred_at: datetime
    actor_id: int | None = None
    actor_name: str | None = None
    client_addr: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS
    hash: str = ""


@dataclass(frozen=True)
class Problem:
    """One finding of `verify_chain`: `what` is changed, removed, reordered or inserted."""

    stream: str
    seq: int
    what: str
    detail: str

    def __str__(self) -> str:
        return f"{self.stream} #{self.seq}: {self.what} — {self.detail}"


class AuditLog(Protocol):
    """Port: append one event to a stream inside the caller's transaction (the caller commits)."""

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
    ) -> AuditEvent: ...


def iso_utc(moment: datetime) -> str:
    """A datetime as ISO 8601 in UTC with microseconds and 'Z'; naive values are taken as UTC
    (SQLite returns them naive)."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    raise TypeError(f"not JSON serialisable in an audit event: {type(value).__name__}")


def canonical_json(value: Any) -> bytes:
    """Sorted keys, UTF-8, no whitespace, datetimes as ISO UTC: the bytes that are hashed."""
    text = json.dumps(
        value,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=_json_default,
        allow_nan=False,
    )
    return text.encode("utf-8")


def normalise_data(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """The data as it will be stored (plain JSON), so that stored and hashed values agree."""
    return json.loads(canonical_json(dict(data or {})))


def _hashed_fields(prev_hash: str, event: AuditEvent) -> dict[str, Any]:
    return {
        "stream": event.stream,
        "kind": event.kind,
        "occurred_at": iso_utc(event.occurred_at),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "client_addr": event.client_addr,
        "data": event.data,
        "prev_hash": prev_hash,
    }


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    """SHA-256 (hex) of the event's canonical JSON chained to `prev_hash`."""
    return hashlib.sha256(canonical_json(_hashed_fields(prev_hash, event))).hexdigest()


def seal(event: AuditEvent, prev_hash: str) -> AuditEvent:
    """The event linked to `prev_hash`, with normalised data and its hash filled in."""
    linked = replace(event, data=normalise_data(event.data), prev_hash=prev_hash)
    return replace(linked, hash=chain_hash(prev_hash, linked))


def verify_chain(
    events: Iterable[AuditEvent], heads: Mapping[str, tuple[int, str]] | None = None
) -> list[Problem]:
    """Every problem in the given events, stream by stream.

    `heads` maps a stream to the (seq, hash) of its newest event as recorded at append time;
    with it, removed newest events and whole removed or forged streams are found as well."""
    streams: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in events:
        streams[event.stream].append(event)
    problems: list[Problem] = []
    for stream in sorted(streams):
        head = heads.get(stream) if heads is not None else None
        problems += verify_stream(stream, streams[stream], head, check_head=heads is not None)
    for stream in sorted(set(heads or {}) - set(streams)):
        seq, _hash = heads[stream]  # type: ignore[index]
        if seq > 0:
            problems.append(Problem(stream, 1, "removed", f"all {seq} events of the stream are missing"))
    return problems


def verify_stream(
    stream: str,
    events: list[AuditEvent],
    head: tuple[int, str] | None = None,
    *,
    check_head: bool = False,
) -> list[Problem]:
    """The problems of one stream's events (any order; they are sorted by seq here)."""
    ordered = sorted(events, key=lambda e: e.seq)
    position = {e.hash: i for i, e in enumerate(ordered)}
    claimed: dict[str, int] = {}
    problems: list[Problem] = []
    expected = 1
    for i, event in enumerate(ordered):
        intact = chain_hash(event.prev_hash, event) == event.hash
        if not intact:
            problems.append(Problem(stream, event.seq, "changed", "its content does not match its hash"))
        if event.seq < expected:
            problems.append(Problem(stream, event.seq, "inserted", "a second event with this number"))
        elif event.seq > expected:
            missing = _span(expected, event.seq - 1)
            problems.append(Problem(stream, expected, "removed", f"event(s) {missing} are missing"))
        elif intact:  # a changed event's own link proves nothing more
            link = ordered[i - 1].hash if i else GENESIS
            if event.prev_hash != link:
                problems.append(_broken_link(stream, ordered, i, position, claimed))
        claimed.setdefault(event.prev_hash, event.seq)
        expected = max(expected, event.seq + 1)
    if check_head:
        problems += _check_head(stream, ordered, head)
    return problems


def _broken_link(
    stream: str, ordered: list[AuditEvent], i: int, position: dict[str, int], claimed: dict[str, int]
) -> Problem:
    """Explain why event i does not follow event i-1 although the numbers are contiguous."""
    event = ordered[i]
    if event.prev_hash in claimed:
        other = claimed[event.prev_hash]
        detail = f"events {other} and {event.seq} follow the same event: one of them was inserted"
        return Problem(stream, other, "inserted", detail)
    if event.prev_hash == GENESIS or event.prev_hash in position:
        return Problem(stream, event.seq, "reordered", "it is not in its original place")
    previous = ordered[i - 1].seq
    return Problem(
        stream, previous, "changed", f"event {event.seq} recorded a different hash for it (rewritten)"
    )


def _check_head(stream: str, ordered: list[AuditEvent], head: tuple[int, str] | None) -> list[Problem]:
    last = ordered[-1]
    if head is None:
        return [Problem(stream, ordered[0].seq, "inserted", "the stream has no recorded head")]
    seq, digest = head
    if seq > last.seq:
        return [Problem(stream, last.seq + 1, "removed", f"event(s) {_span(last.seq + 1, seq)} are missing")]
    if seq < last.seq:
        return [Problem(stream, seq + 1, "inserted", f"event(s) after {seq} were added outside the log")]
    if digest != last.hash:
        return [Problem(stream, last.seq, "changed", "the newest event does not match the recorded head")]
    return []


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"
