"""The audit trail on SQLite and PostgreSQL: appends chain per stream, verify finds tampering."""

import threading

import pytest
from sqlalchemy import text

from adapters.audit_store import SqlAuditLog, verify
from adapters.db import db
from adapters.models import AuditEventRow
from web.cli import main


def _append_case(stream: str = "case:1", n: int = 3) -> None:
    log = SqlAuditLog(db.session)
    log.append(
        stream,
        "instance_started",
        actor_id=7,
        actor_name="张三",
        client_addr="10.0.0.8",
        data={"ref": "JT-1"},
    )
    for i in range(n - 1):
        log.append(stream, "task_completed", actor_id=7, actor_name="张三", data={"step": i, "意见": "同意"})
    db.session.commit()


def _raw(sql: str, **params) -> None:
    """Tamper as someone with direct database access would (PostgreSQL: past the trigger)."""
    with db.engine.begin() as conn:
        pg = conn.dialect.name == "postgresql"
        if pg:
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
        conn.execute(text(sql), params)
        if pg:
            conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))


def test_audit_store__appends_chain_and_verify(app):
    _append_case("case:1", 3)
    _append_case("admin", 2)
    rows = db.session.execute(db.select(AuditEventRow).order_by(AuditEventRow.id)).scalars().all()
    assert [(r.stream, r.seq) for r in rows] == [
        ("case:1", 1),
        ("case:1", 2),
        ("case:1", 3),
        ("admin", 1),
        ("admin", 2),
    ]
    assert rows[1].prev_hash == rows[0].hash and rows[3].prev_hash == "0" * 64
    assert verify(db.session) == (5, [])
    assert verify(db.session, "admin") == (2, [])


def test_audit_store__changed_data_is_reported_at_that_event(app):
    _append_case("case:1", 4)
    _raw(
        "UPDATE audit_events SET data = :d WHERE stream = 'case:1' AND seq = 3",
        d='{"step": 1, "意见": "不同意"}',
    )
    _count, problems = verify(db.session)
    assert [(p.stream, p.seq, p.what) for p in problems] == [("case:1", 3, "changed")]


def test_audit_store__removed_event_is_reported(app):
    _append_case("case:1", 4)
    _raw("DELETE FROM audit_events WHERE stream = 'case:1' AND seq = 2")
    assert [(p.seq, p.what) for p in verify(db.session)[1]] == [(2, "removed")]


def test_audit_store__removed_newest_event_is_reported(app):
    _append_case("case:1", 3)
    _raw("DELETE FROM audit_events WHERE stream = 'case:1' AND seq = 3")
    assert [(p.seq, p.what) for p in verify(db.session)[1]] == [(3, "removed")]


def test_audit_store__reordered_events_are_reported(app):
    _append_case("case:1", 4)
    _raw("UPDATE audit_events SET seq = 100 WHERE stream = 'case:1' AND seq = 2")
    _raw("UPDATE audit_events SET seq = 2 WHERE stream = 'case:1' AND seq = 3")
    _raw("UPDATE audit_events SET seq = 3 WHERE stream = 'case:1' AND seq = 100")
    problems = verify(db.session)[1]
    assert problems and {p.what for p in problems} == {"reordered"}


def test_audit_store__cli_verify_exit_code(app, runner):
    _append_case("case:5", 2)
    ok = runner.invoke(main, ["audit", "verify"])
    assert ok.exit_code == 0 and "OK: 2" in ok.output
    _raw("UPDATE audit_events SET actor_name = 'mallory' WHERE seq = 1")
    bad = runner.invoke(main, ["audit", "verify", "--stream", "case:5"])
    assert bad.exit_code == 1 and "case:5 #1: changed" in bad.output


def test_audit_store__rollback_leaves_no_event_and_no_gap(app):
    _append_case("case:1", 1)
    SqlAuditLog(db.session).append("case:1", "task_ready")
    db.session.rollback()
    _append_case("case:1", 1)
    assert [r.seq for r in db.session.execute(db.select(AuditEventRow)).scalars()] == [1, 2]
    assert verify(db.session)[1] == []


def test_audit_store__postgres_refuses_update_and_delete(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    _append_case("case:1", 2)
    for sql in ("UPDATE audit_events SET kind = 'x'", "DELETE FROM audit_events", "DELETE FROM audit_heads"):
        with pytest.raises(Exception, match="refused"), db.engine.begin() as conn:
            conn.execute(text(sql))
    assert verify(db.session) == (2, [])


def test_audit_store__concurrent_appends_keep_one_chain_on_postgres(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has a single writer")
    errors = []

    def writer(name: str) -> None:
        try:
            with app.app_context():
                log = SqlAuditLog(db.session)
                for i in range(15):
                    log.append("case:9", "task_completed", actor_name=name, data={"i": i})
                    db.session.commit()
        except Exception as err:  # surfaced by the assertion below
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert verify(db.session) == (30, [])
    seqs = db.session.execute(db.select(AuditEventRow.seq).order_by(AuditEventRow.seq)).scalars().all()
    assert seqs == list(range(1, 31))


def test_audit_store__a_batch_is_one_chain_and_one_head_move(app):
    from adapters.audit_store import draft, heads

    log = SqlAuditLog(db.session)
    log.append("case:3", "instance_started")
    sealed = log.append_all("case:3", [draft("case:3", "task_ready", data={"n": i}) for i in range(3)])
    log.append("case:3", "task_completed")  # the head is known for the rest of the transaction
    db.session.commit()
    assert [e.seq for e in sealed] == [2, 3, 4] and sealed[0].prev_hash != "0" * 64
    assert heads(db.session)["case:3"][0] == 5
    assert verify(db.session) == (5, [])
    SqlAuditLog(db.session).append("case:3", "cancelled")  # a new transaction locks it again
    db.session.commit()
    assert verify(db.session, "case:3") == (6, [])


def test_audit_store__postgres_head_only_names_stored_events(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the head triggers exist on PostgreSQL only")
    _append_case("case:1", 2)
    for sql in (
        "UPDATE audit_heads SET seq = seq + 1",  # forward, but past the stored events
        "UPDATE audit_heads SET hash = repeat('f', 64)",  # not forward
        "UPDATE audit_heads SET seq = seq - 1",  # backwards
        "INSERT INTO audit_heads (stream, seq, hash) VALUES ('case:2', 1, repeat('f', 64))",
    ):
        with pytest.raises(Exception, match="refused"), db.engine.begin() as conn:
            conn.execute(text(sql))
    assert verify(db.session) == (2, [])
