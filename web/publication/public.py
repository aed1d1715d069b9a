"""信息公示 of inspection results (no login): search by enterprise name prefix or USCC with
keyset paging, one result with its follow-ups and correction history, an enterprise's
inspection history, follow-up outcomes, and CSV/JSON exports in the national layout.

Pages read only the public tables (adapters/models/publication.py): there is nothing else to
show — no risk class, no inspector.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    stream_with_context,
    url_for,
)

from adapters.db import db
from adapters.models import PublishedResult
from adapters.publication import export, queries

bp = Blueprint("public_results", __name__, url_prefix="/public/results")
records_bp = Blueprint("public_records", __name__, url_prefix="/public")
QUERY_MAX = 200
LINK_SLOT = 7_390_421_856_301_947  # a number no URL of these pages holds otherwise


def local_date(moment: datetime | None) -> str:
    if moment is None:
        return ""
    tz = ZoneInfo(current_app.config["LIANCHA_SETTINGS"].timezone)
    return moment.astimezone(tz).strftime("%Y-%m-%d")


def _text() -> str:
    text = request.args.get("q", "").strip()
    if len(text) > QUERY_MAX:
        abort(400)
    return text


def _after() -> int | None:
    raw = request.args.get("after", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        abort(400)
    return int(raw)


def link_pattern(endpoint: str, field: str) -> str:
    """`url_for(endpoint)` with `%s` in place of `field`'s value, for a table's links: built once
    per page, filled per row (`pattern % value`), as url_for costs ~15 µs a call."""
    url = url_for(endpoint, **{field: LINK_SLOT}).replace("%", "%%")
    return url.replace(str(LINK_SLOT), "%s")


@bp.get("", endpoint="search")
def search():
    text = _text()
    return render_template(
        "public/results.html",
        page=queries.listing(text, _after()),
        q=text,
        by_uscc=queries.is_uscc(text) if text else False,
        result_link=link_pattern("public_results.result", "result_id"),
        enterprise_link=link_pattern("public_records.enterprise", "uscc"),
    )


@bp.get("/<int:result_id>", endpoint="result")
def result(result_id: int):
    record = db.session.get(PublishedResult, result_id)
    if record is None:
        abort(404)
    follow_ups = queries.follow_ups_of([record.id]).get(record.id, [])
    return render_template(
        "public/result.html",
        record=record,
        follow_ups=follow_ups,
        corrections=queries.corrections_of(record, follow_ups),
    )


@bp.get("/export.csv", endpoint="export_csv")
def export_csv():
    rows = queries.export_rows(_text())
    return Response(
        stream_with_context(export.csv_lines(rows)),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=inspection-results.csv"},
    )


@bp.get("/export.json", endpoint="export_json")
def export_json():
    rows = queries.export_rows(_text())
    return Response(stream_with_context(export.json_chunks(rows)), mimetype="application/json")


@records_bp.get("/enterprises/<uscc>", endpoint="enterprise")
def enterprise(uscc: str):
    if not queries.is_uscc(uscc):
        abort(404)
    records = queries.history(uscc)
    if not records:
        abort(404)
    return render_template(
        "public/enterprise.html",
        records=records,
        latest=records[0],
        follow_ups=queries.follow_ups_of([r.id for r in records]),
    )


@records_bp.get("/follow-ups", endpoint="follow_ups")
def follow_ups():
    return render_template("public/follow_ups.html", page=queries.follow_up_page(_after()))
