"""核验: recompute a stored draw from its record and compare — with engine.draw_replay for the
draw itself, and against the database for what the record does not protect by itself (the
target and assignment rows, the enterprises' ids, the task number, the ratio table)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.draws import ratios
from adapters.draws.pool import enterprises_by_uscc
from adapters.draws.record import current_slots, to_record
from adapters.models import Draw, JointTask, TaskTarget
from engine.draw_replay import verify
from engine.errors import NotFound, ValidationFailed
from engine.runtime import ProcessEngine


@dataclass
class VerifyReport:
    draw_id: int
    status: str
    problems: list[str] = field(default_factory=list)

    @property
    def match(self) -> bool:
        return not self.problems

    def as_json(self) -> dict:
        return {
            "draw_id": self.draw_id,
            "status": self.status,
            "match": self.match,
            "problems": self.problems,
        }


def verify_draw(session: Session, engine: ProcessEngine | None, draw_id: int) -> VerifyReport:
    draw = session.get(Draw, draw_id)
    if draw is None:
        raise NotFound("抽取记录不存在")
    report = VerifyReport(draw.id, draw.status)
    if draw.status == "committed" or not draw.seed:
        report.problems.append("尚未抽取，只有承诺值，无可核验的结果")
        return report
    live = draw.status in ("drawn", "confirmed")
    record = to_record(draw, current_slots(session, draw.id) if live else None)
    report.problems += verify(record)
    report.problems += _task_problems(session, draw, record.task_ref)
    report.problems += _target_problems(session, draw, record.targets, live)
    if engine is not None:
        report.problems += _ratio_problems(session, engine, draw, record.counts)
    return report


def _task_problems(session: Session, draw: Draw, task_ref: str) -> list[str]:
    task = session.get(JointTask, draw.task_id)
    if task is None or task.number != task_ref:
        return [f"记录中的任务编号 {task_ref} 与任务不符"]
    return []


def _target_problems(session: Session, draw: Draw, targets, live: bool) -> list[str]:
    out = []
    by_uscc = enterprises_by_uscc(session, [t[1] for t in targets])
    wrong = [t[1] for t in targets if by_uscc.get(t[1], (None,))[0] != t[0]]
    if wrong:
        out.append(f"检查对象的企业编号与统一社会信用代码不对应：{wrong[:5]}")
    if live:
        rows = session.execute(
            select(TaskTarget.enterprise_id, TaskTarget.rank).where(TaskTarget.draw_id == draw.id)
        ).all()
        expected = {(t[0], n) for n, t in enumerate(targets, start=1)}
        if set(map(tuple, rows)) != expected:
            out.append(f"任务检查对象表与抽取记录不符（表中 {len(rows)} 个，记录 {len(expected)} 个）")
    return out


def _ratio_problems(session: Session, engine: ProcessEngine, draw: Draw, counts) -> list[str]:
    version = (draw.filters or {}).get("rules_version")
    rules = ratios.rules_version(session, int(version)) if version is not None else None
    if rules is None or rules.content_hash != (draw.filters or {}).get("rules_hash"):
        return ["记录所用的抽查比例表版本不存在或内容已变"]
    try:
        expected = ratios.evaluate(engine, rules, counts)
    except ValidationFailed as err:
        return [f"抽查比例表无法重算：{err.message}"]
    if expected != dict(draw.ratios or {}):
        return [f"抽查比例与比例表不符：比例表 {expected}，记录 {dict(draw.ratios or {})}"]
    minimums = rules.minimums_json()
    if minimums != [list(m) for m in draw.minimums or []]:
        return [f"最低抽取数规则与比例表不符：比例表 {minimums}，记录 {draw.minimums}"]
    return []
