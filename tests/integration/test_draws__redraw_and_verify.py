"""Re-draws of one slot (回避/缺席 → 递补) and verification (核验) of stored records, through the
service and through `liancha draw verify ID`."""

from __future__ import annotations

import base64
import zlib

import pytest

from adapters.db import db
from adapters.draws.record import current_slots, decode_pool, encode_pool
from adapters.draws.redraw import redraw_slot
from adapters.draws.verify import verify_draw
from adapters.models import Draw, InspectorAssignment
from engine.errors import Conflict, ValidationFailed
from tests.integration import draws_support as s
from web.cli import main
from web.runtime import engine


def _redraw(w, draw, assignment, kind="recusal", reason="与企业负责人系亲属"):
    row = redraw_slot(
        db.session,
        s.service().draw(draw.id, lock=True),
        assignment.id,
        kind,
        reason,
        w.users["lead"].id,
        "lead",
    )
    db.session.commit()
    return row


def _slot_of(draw, department_id: int) -> InspectorAssignment:
    return (
        db.session.query(InspectorAssignment)
        .filter_by(draw_id=draw.id, department_id=department_id, status="active")
        .order_by(InspectorAssignment.id)
        .first()
    )


def test_draws__a_redraw_replaces_one_slot_and_keeps_every_other(app):
    w = s.build()
    draw = s.drawn(w)
    before, _leaders = current_slots(db.session, draw.id)
    old = _slot_of(draw, w.departments["market"])
    new = _redraw(w, draw, old)
    after, _leaders = current_slots(db.session, draw.id)
    key = (old.enterprise_id, str(old.department_id))
    assert {k: v for k, v in after.items() if k != key} == {k: v for k, v in before.items() if k != key}
    assert sorted(after[key]) == sorted(
        [i for i in before[key] if i != old.inspector_id] + [new.inspector_id]
    )
    assert new.inspector_id not in before[key] and new.is_leader == old.is_leader
    db.session.refresh(old)
    assert (old.status, old.replaced_by_id, old.reason) == ("replaced", new.id, "回避：与企业负责人系亲属")
    log = db.session.get(Draw, draw.id).result["redraws"]
    assert [(r["no"], r["replaced"], r["replacement"], r["kind"]) for r in log] == [
        (1, old.inspector_id, new.inspector_id, "recusal")
    ]
    assert verify_draw(db.session, engine(), draw.id).match


def test_draws__a_redraw_needs_a_reason_and_someone_to_step_in(app):
    w = s.build(restaurants=8)
    draw = s.drawn(w)
    slot = _slot_of(draw, w.departments["health"])
    with pytest.raises(ValidationFailed):
        _redraw(w, draw, slot, reason="  ")
    # health has 4 inspectors; 2 are on the case: two re-draws use up the other two
    first = _redraw(w, draw, slot, kind="absence", reason="病假")
    second = _redraw(w, draw, first, kind="absence", reason="出差")
    with pytest.raises(Conflict, match="没有符合条件"):
        _redraw(w, draw, second, reason="回避")
    db.session.rollback()
    assert verify_draw(db.session, engine(), draw.id).match


def test_draws__verify_detects_a_changed_result(app):
    w = s.build()
    draw = s.drawn(w)
    result = dict(draw.result)
    targets = [list(t) for t in result["targets"]]
    targets[0], targets[1] = targets[1], targets[0]
    draw.result = {**result, "targets": targets}
    db.session.commit()
    problems = verify_draw(db.session, engine(), draw.id).problems
    assert any("检查对象名单不符" in p for p in problems)


def test_draws__verify_detects_a_changed_pool_member(app):
    w = s.build()
    draw = s.drawn(w)
    text = decode_pool(draw.pool)
    lines = text.split(b"\n")
    lines[0] = lines[0][:-1] + (b"A" if lines[0].endswith(b"D") else b"D")  # another risk class
    draw.pool = encode_pool(b"\n".join(lines))
    db.session.commit()
    problems = verify_draw(db.session, engine(), draw.id).problems
    assert any("抽取池快照的 SHA-256" in p for p in problems)


def test_draws__verify_detects_a_changed_entropy_and_assignment(app):
    w = s.build()
    draw = s.drawn(w)
    draw.entropy = draw.entropy + " "
    row = _slot_of(draw, w.departments["fire"])
    row.inspector_id = next(i for i in w.inspectors["fire"] if i != row.inspector_id)
    db.session.commit()
    problems = verify_draw(db.session, engine(), draw.id).problems
    assert any("承诺值" in p for p in problems) and any("种子" in p for p in problems)
    assert any("当前检查人员不符" in p for p in problems)


def test_draws__verify_command_exit_code(app, runner):
    w = s.build()
    draw = s.drawn(w)
    ok = runner.invoke(main, ["draw", "verify", str(draw.id)])
    assert ok.exit_code == 0 and "MATCH" in ok.output
    packed = dict(draw.pool)
    packed["data"] = base64.b64encode(zlib.compress(b"91130102000000017X,A")).decode()
    draw.pool = packed
    db.session.commit()
    bad = runner.invoke(main, ["draw", "verify", str(draw.id)])
    assert bad.exit_code == 1 and "MISMATCH" in bad.output and "SHA-256" in bad.output
    missing = runner.invoke(main, ["draw", "verify", "999999"])
    assert missing.exit_code == 1
