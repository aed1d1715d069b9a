"""API of the result dictionary (结果字典): everyone with a role reads it (checklists offer its
active codes); the office and the sysadmin add, change, deactivate and delete codes. A code a
submitted checklist used cannot be deleted (409)."""

from __future__ import annotations

from adapters import result_dictionary as dictionary
from adapters.db import db
from web.api import api_blueprint
from web.auth import ensure
from web.schemas import result_codes as s

bp = api_blueprint("result_codes", __name__, "/result-codes", description="结果字典 Result dictionary")


def _out(row, problems: set[str]) -> dict:
    return {**dictionary.as_dict(row), "problem": row.code in problems}


def _one(code: str) -> dict:
    rows = dictionary.all_codes()
    return _out(dictionary.get(code), set(dictionary.problem_codes(rows)))


@bp.route("", methods=["GET"])
@bp.arguments(s.ResultCodeArgs, location="query")
@bp.response(200, s.ResultCodeList)
def list_codes(args):
    """Every code in display order (`active=true`: only those checklists offer)."""
    ensure("tasks.read")
    rows = dictionary.all_codes()
    problems = set(dictionary.problem_codes(rows))
    wanted = args.get("active")
    return {"items": [_out(r, problems) for r in rows if wanted is None or r.active == wanted]}


@bp.route("", methods=["POST"])
@bp.arguments(s.ResultCodeIn)
@bp.response(201, s.ResultCodeOut)
def add_code(data):
    ensure("results.manage")
    row = dictionary.add(data)
    db.session.commit()
    return _one(row.code)


@bp.route("/<code>", methods=["PATCH"])
@bp.arguments(s.ResultCodePatch)
@bp.response(200, s.ResultCodeOut)
def update_code(data, code: str):
    """Change name, parent, problem flag, order or `active` (false: deactivate)."""
    ensure("results.manage")
    dictionary.update(code, data)
    db.session.commit()
    return _one(code)


@bp.route("/<code>", methods=["DELETE"])
@bp.response(204)
def delete_code(code: str):
    ensure("results.manage")
    dictionary.delete(code)
    db.session.commit()
    return ""
