"""The result dictionary (DOMAIN.md §6) as the case process and the pages use it.

- `choices()`: the active codes as form options (`{"const", "title"}`), read when a checklist is
  shown or validated (the form names this source with `x-choices-service`);
- `load_result_dictionary`: a case's snapshot of its problem codes, taken at start;
- `mark_used`: codes of submitted checklists become undeletable;
- add / update / delete for the office's page and the API (the caller commits).

"Problem found" is a code that counts as a problem, or any code under one (A and its children,
and 8). A database whose table is empty (never seeded) uses the built-in §6 codes: they are the
migration's seed, so a case started there behaves like one on a seeded database.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from adapters.db import db
from adapters.models.results import ResultCode
from engine.errors import Conflict, NotFound, ValidationFailed

# Same rows as the data insert of migration 0008 (code, name, parent, counts as problem).
DEFAULTS: tuple[tuple[str, str, str | None, bool], ...] = (
    ("1", "未发现问题", None, False),
    ("A", "发现问题待后续处理", None, True),
    ("2", "违反工商行政管理相关规定", "A", True),
    ("B", "未按规定公示应当公示的信息", "A", True),
    ("C", "公示信息隐瞒真实情况弄虚作假", "A", True),
    ("6", "通过登记的住所（经营场所）无法联系", "A", True),
    ("D", "违反其他工商行政管理规定行为", "A", True),
    ("3", "违反食品药品监管相关规定", "A", True),
    ("4", "违反质量技术监督相关规定", "A", True),
    ("5", "违反其他部门监管相关规定", "A", True),
    ("G", "违反公安机关监管相关规定", "A", True),
    ("E", "发现问题已责令改正", None, False),
    ("F", "未发现开展本次抽查涉及的经营活动", None, False),
    ("7", "已关闭停业或正在组织清算", None, False),
    ("8", "不配合检查情节严重", None, True),
    ("9", "注销", None, False),
    ("10", "被吊销", None, False),
    ("11", "被撤销", None, False),
    ("12", "迁出", None, False),
)
_MEMO = "liancha.result_dictionary"  # session.info: the rows read in this transaction
NO_PROBLEM = "1"  # 未发现问题: exclusive with every other code (checklist.json says so)
CODE_CHARS = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _defaults() -> list[ResultCode]:
    return [
        ResultCode(code=c, name=n, parent_code=p, counts_as_problem=x, sort_order=(i + 1) * 10, active=True)
        for i, (c, n, p, x) in enumerate(DEFAULTS)
    ]


def all_codes() -> list[ResultCode]:
    """Every code in display order (the built-in ones when the table is empty)."""
    rows = list(
        db.session.execute(select(ResultCode).order_by(ResultCode.sort_order, ResultCode.code)).scalars()
    )
    return rows or _defaults()


# --- what the case process reads on every start and checklist --------------------------------------
#
# The case's start service and the checklist's option source read the dictionary in every unit of
# work. They read its few columns without building ORM objects, once per transaction (kept in
# `session.info` until the transaction ends, dropped by this module's writers), and what they make
# of those rows is computed once per distinct content (the office edits the dictionary rarely).

_Rows = tuple[tuple[str, str, str | None, bool, bool], ...]  # code, name, parent, problem, active
_DERIVED: dict[_Rows, tuple[list[dict], list[str], dict[str, str]]] = {}


def _rows() -> _Rows:
    memo = db.session.info.get(_MEMO)
    if memo is None:
        t = ResultCode.__table__
        found = db.session.execute(
            select(t.c.code, t.c.name, t.c.parent_code, t.c.counts_as_problem, t.c.active).order_by(
                t.c.sort_order, t.c.code
            )
        ).all()
        memo = tuple(tuple(r) for r in found) or tuple((c, n, p, x, True) for c, n, p, x in DEFAULTS)
        db.session.info[_MEMO] = memo
    return memo


def _derived(rows: _Rows) -> tuple[list[dict], list[str], dict[str, str]]:
    """(active choices, problem codes, names) of these rows."""
    found = _DERIVED.get(rows)
    if found is None:
        codes = [ResultCode(code=c, name=n, parent_code=p, counts_as_problem=x) for c, n, p, x, _a in rows]
        found = (
            [{"const": c, "title": n} for c, n, _p, _x, active in rows if active],
            problem_codes(codes),
            {c: n for c, n, *_ in rows},
        )
        if len(_DERIVED) > 16:
            _DERIVED.clear()
        _DERIVED[rows] = found
    return found


def _forget() -> None:
    """The dictionary changes in this transaction: read it again."""
    db.session.info.pop(_MEMO, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_at_end(session: Session, transaction) -> None:
    if transaction.parent is None or transaction.nested:
        session.info.pop(_MEMO, None)


def seed_defaults() -> int:
    """Insert the §6 codes that are missing (the migration does this on a new database)."""
    have = set(db.session.execute(select(ResultCode.code)).scalars())
    new = [r for r in _defaults() if r.code not in have]
    for row in sorted(new, key=lambda r: r.parent_code is not None):
        db.session.add(row)
        db.session.flush()
    _forget()
    return len(new)


def choices() -> list[dict]:
    """The active codes as form options, in display order; a child's title names its parent."""
    return [dict(o) for o in _derived(_rows())[0]]


def problem_codes(rows: Iterable[ResultCode] | None = None) -> list[str]:
    """Codes meaning "problem found": those that count as a problem and everything under them."""
    rows = list(rows if rows is not None else all_codes())
    parent = {r.code: r.parent_code for r in rows}
    flagged = {r.code for r in rows if r.counts_as_problem}

    def under_problem(code: str | None, depth: int = 0) -> bool:
        return (
            code is not None
            and depth < 10
            and (code in flagged or under_problem(parent.get(code), depth + 1))
        )

    return [r.code for r in rows if under_problem(r.code)]


# --- service tasks of processes/inspection_case ------------------------------------------------


def load_result_dictionary(**_: Any) -> dict:
    """The case's snapshot at start: its problem codes and every code's name (for documents)."""
    _choices, problems, names = _derived(_rows())
    return {
        "problem_codes": list(problems),
        "names": dict(names),
        "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def result_code_choices(**_: Any) -> list[dict]:
    """Option source of the checklist's result codes (`x-choices-service`)."""
    return choices()


def mark_used(checklists: Any = None, **_: Any) -> dict:
    """Codes of submitted checklists can no longer be deleted."""
    used = sorted(
        {
            str(code)
            for checklist in (checklists or {}).values()
            if isinstance(checklist, dict)
            for row in checklist.get("results") or []
            if isinstance(row, dict)
            for code in row.get("result_codes") or []
        }
    )
    if used:
        now = datetime.now(UTC)
        for row in db.session.execute(
            select(ResultCode).where(ResultCode.code.in_(used), ResultCode.used_at.is_(None))
        ).scalars():
            row.used_at = now
    return {"codes": used}


# --- the office's edits ---------------------------------------------------------------------------


def get(code: str) -> ResultCode:
    _ensure_seeded()
    row = db.session.get(ResultCode, code)
    if row is None:
        raise NotFound("结果代码不存在")
    return row


def _check(code: str, name: str, parent: str | None, sort_order: Any) -> dict[str, str]:
    problems = {}
    if not code or len(code) > 8 or not set(code) <= CODE_CHARS:
        problems["code"] = "代码为 1–8 位数字或大写字母"
    if not name or len(name) > 64:
        problems["name"] = "名称为 1–64 个字符"
    if parent is not None:
        row = db.session.get(ResultCode, parent)
        if row is None:
            problems["parent_code"] = "上级代码不存在"
        elif parent == code or row.parent_code is not None:
            problems["parent_code"] = "上级代码只能是一级代码，且不能是自身"
    if not isinstance(sort_order, int) or isinstance(sort_order, bool) or not 0 <= sort_order <= 100_000:
        problems["sort_order"] = "排序应为 0–100000 的整数"
    return problems


def _next_order() -> int:
    return int(db.session.execute(select(func.max(ResultCode.sort_order))).scalar() or 0) + 10


def _ensure_seeded() -> None:
    """Editing an unseeded database starts from the §6 codes the pages showed."""
    if not db.session.execute(select(func.count()).select_from(ResultCode)).scalar():
        seed_defaults()


def add(values: dict) -> ResultCode:
    """A new code; ValidationFailed names the wrong fields, a taken code is a field error too."""
    _ensure_seeded()
    code = str(values.get("code") or "").strip().upper()
    name = str(values.get("name") or "").strip()
    parent = str(values.get("parent_code") or "").strip().upper() or None
    order = values.get("sort_order")
    order = _next_order() if order in (None, "") else order
    problems = _check(code, name, parent, order)
    if not problems and db.session.get(ResultCode, code) is not None:
        problems["code"] = "该代码已存在"
    if problems:
        raise ValidationFailed("结果代码填写有误", problems)
    row = ResultCode(
        code=code,
        name=name,
        parent_code=parent,
        counts_as_problem=bool(values.get("counts_as_problem")),
        sort_order=order,
        active=values.get("active", True) is not False,
    )
    db.session.add(row)
    db.session.flush()
    _forget()
    return row


def update(code: str, values: dict) -> ResultCode:
    """Change name, parent, problem flag, order or active; the code itself never changes."""
    row = get(code)
    name = str(values.get("name", row.name) or "").strip()
    parent = values.get("parent_code", row.parent_code)
    parent = str(parent).strip().upper() or None if parent is not None else None
    order = values.get("sort_order", row.sort_order)
    problems = _check(row.code, name, parent, order)
    if parent is not None and _has_children(row.code):
        problems["parent_code"] = "该代码有下级代码，不能再设上级"
    if problems:
        raise ValidationFailed("结果代码填写有误", problems)
    row.name, row.parent_code, row.sort_order = name, parent, order
    if "counts_as_problem" in values:
        row.counts_as_problem = bool(values["counts_as_problem"])
    if "active" in values:
        row.active = bool(values["active"])
    db.session.flush()
    _forget()
    return row


def _has_children(code: str) -> bool:
    return (
        db.session.execute(select(ResultCode.code).where(ResultCode.parent_code == code).limit(1)).first()
        is not None
    )


def delete(code: str) -> None:
    """Delete an unused code without children; a used one can only be deactivated (409)."""
    row = get(code)
    if row.used_at is not None:
        raise Conflict("该代码已在检查结果中使用，不能删除，只能停用")
    if _has_children(code):
        raise Conflict("该代码有下级代码，不能删除")
    db.session.delete(row)
    db.session.flush()
    _forget()


def as_dict(row: ResultCode) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "parent_code": row.parent_code,
        "counts_as_problem": row.counts_as_problem,
        "sort_order": row.sort_order,
        "active": row.active,
        "in_use": row.used_at is not None,
    }
