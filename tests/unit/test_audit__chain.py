"""The audit hash chain: any single change, removal, swap or insertion is reported."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from engine.audit import GENESIS, AuditEvent, canonical_json, chain_hash, seal, verify_chain

START = datetime(2026, 10, 19, 8, 30, tzinfo=UTC)
KINDS = ["instance_started", "task_ready", "task_claimed", "task_completed", "timer_fired", "cancelled"]
scalars = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=8)
json_values = scalars | st.lists(scalars, max_size=3)
drafts = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.one_of(st.none(), st.integers(1, 99)),
        st.dictionaries(st.text(min_size=1, max_size=6), json_values, max_size=3),
    ),
    min_size=1,
    max_size=10,
)


def build(stream: str, items) -> tuple[list[AuditEvent], dict[str, tuple[int, str]]]:
    events, prev = [], GENESIS
    for i, (kind, actor, data) in enumerate(items):
        draft = AuditEvent(stream, i + 1, kind, START + timedelta(minutes=i), actor_id=actor, data=data)
        event = seal(draft, prev)
        events.append(event)
        prev = event.hash
    return events, {stream: (len(events), prev)}


@given(drafts)
def test_audit__untouched_chain_verifies(items):
    events, heads = build("case:1", items)
    assert verify_chain(events, heads) == []


@given(drafts, st.data())
def test_audit__changed_event_is_reported_at_its_number(items, data):
    events, heads = build("case:1", items)
    i = data.draw(st.integers(0, len(events) - 1))
    field = data.draw(st.sampled_from(["kind", "actor_id", "data", "occurred_at", "actor_name"]))
    original = events[i]
    changed = {
        "kind": "incident" if original.kind != "incident" else "cancelled",
        "actor_id": (original.actor_id or 0) + 1,
        "data": {**original.data, "forged": True},
        "occurred_at": original.occurred_at + timedelta(seconds=1),
        "actor_name": "mallory",
    }[field]
    events[i] = replace(original, **{field: changed})
    problems = verify_chain(events, heads)
    assert any(p.what == "changed" and p.seq == original.seq for p in problems), problems


@given(drafts, st.data())
def test_audit__removed_event_is_reported(items, data):
    events, heads = build("case:1", items)
    i = data.draw(st.integers(0, len(events) - 1))
    gone = events.pop(i)
    problems = verify_chain(events, heads)
    assert any(p.what == "removed" and p.seq == gone.seq for p in problems), problems


@given(drafts.filter(lambda items: len(items) >= 2), st.data())
def test_audit__swapped_events_are_reported(items, data):
    events, heads = build("case:1", items)
    i, j = sorted(data.draw(st.lists(st.integers(0, len(events) - 1), min_size=2, max_size=2, unique=True)))
    a, b = events[i], events[j]
    events[i], events[j] = replace(b, seq=a.seq), replace(a, seq=b.seq)
    problems = verify_chain(events, heads)
    assert any(p.what == "reordered" for p in problems), problems


@given(drafts, st.data())
def test_audit__inserted_event_is_reported(items, data):
    events, heads = build("case:1", items)
    i = data.draw(st.integers(0, len(events)))
    prev = events[i - 1].hash if i else GENESIS
    forged = seal(AuditEvent("case:1", i + 1, "task_completed", START, data={"forged": True}), prev)
    renumbered = [replace(e, seq=e.seq + 1) for e in events[i:]]
    problems = verify_chain([*events[:i], forged, *renumbered], heads)
    assert any(p.what == "inserted" for p in problems), problems


def test_audit__rewritten_event_with_recomputed_hash_is_caught_by_its_successor():
    events, heads = build(
        "case:7", [("task_ready", 1, {}), ("task_completed", 1, {"ok": 1}), ("cancelled", 2, {})]
    )
    events[1] = seal(replace(events[1], data={"ok": 0}), events[1].prev_hash)
    problems = verify_chain(events, heads)
    assert [(p.seq, p.what) for p in problems] == [(2, "changed")]


def test_audit__removed_newest_event_needs_the_head():
    events, heads = build("case:7", [("task_ready", 1, {}), ("task_completed", 1, {})])
    assert verify_chain(events[:1]) == []  # the chain alone cannot tell
    assert [(p.seq, p.what) for p in verify_chain(events[:1], heads)] == [(2, "removed")]


def test_audit__streams_are_independent_chains():
    a, heads_a = build("case:1", [("task_ready", 1, {})])
    b, heads_b = build("case:2", [("task_ready", 1, {}), ("cancelled", None, {})])
    assert verify_chain([*b, *a], {**heads_a, **heads_b}) == []
    assert verify_chain(a, {**heads_a, **heads_b})[0].what == "removed"  # all of case:2 is gone


def test_audit__canonical_json_is_sorted_compact_utf8_with_utc_times():
    shanghai = timezone(timedelta(hours=8))
    value = {"b": "检查", "a": datetime(2026, 10, 19, 16, 0, tzinfo=shanghai), "c": [1, {"y": 2, "x": 1}]}
    assert (
        canonical_json(value)
        == '{"a":"2026-10-19T08:00:00.000000Z","b":"检查","c":[1,{"x":1,"y":2}]}'.encode()
    )


def test_audit__hash_ignores_timezone_representation_but_not_the_instant():
    event = AuditEvent("admin", 1, "admin_action", START)
    same_instant = replace(event, occurred_at=START.astimezone(timezone(timedelta(hours=8))))
    naive_utc = replace(event, occurred_at=START.replace(tzinfo=None))  # as SQLite returns it
    later = replace(event, occurred_at=START + timedelta(microseconds=1))
    assert chain_hash(GENESIS, event) == chain_hash(GENESIS, same_instant) == chain_hash(GENESIS, naive_utc)
    assert chain_hash(GENESIS, event) != chain_hash(GENESIS, later)
