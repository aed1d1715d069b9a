"""Register imports as a background job: the web upload stores the file and enqueues
`import_register`; the job imports it, keeps the report as JSON (and the full problem list as a
CSV) next to the upload folder, and deletes the upload. A large file never ties up a request.

Re-running the job (a retry after a crash) is safe: the importer's upsert is idempotent.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from flask import current_app

from adapters.db import db
from adapters.importers.report_file import ReportFile
from adapters.importers.runner import ImportOptions, run_import
from adapters.jobs.registry import job
from engine.importing import ImportReport

TOKEN = re.compile(r"^[0-9a-f]{32}$")
SHOWN_PROBLEMS = 500


def uploads_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def reports_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "import-reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def job_key(token: str) -> str:
    return f"import:{token}"


@job("import_register")
def import_register(token: str, kind: str, suffix: str, options: dict[str, Any]) -> dict:
    """Import the stored upload `<token><suffix>`; the report's summary is returned and kept."""
    if not TOKEN.match(token) or suffix not in (".csv", ".xlsx"):
        raise ValueError("bad import token or file type")
    upload = uploads_dir() / f"{token}{suffix}"
    if not upload.is_file():
        raise FileNotFoundError("the uploaded file is gone (already imported, or pruned)")
    db.session.commit()  # hold no read transaction open while the import writes (SQLite)
    problems_csv = reports_dir() / f"{token}.csv"
    with ReportFile(problems_csv) as sink:
        report = run_import(db.engine, kind, upload, ImportOptions(**options), sink=sink)
    if not report.problems:
        problems_csv.unlink(missing_ok=True)
    summary = summarize(report)
    (reports_dir() / f"{token}.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    upload.unlink(missing_ok=True)
    return {"outcome": summary["outcome"], "rows": summary["rows"]}


def summarize(report: ImportReport) -> dict:
    return {
        "outcome": report.outcome,
        "encoding": report.encoding,
        **{k: getattr(report, k) for k in ("rows", "created", "updated", "unchanged", "invalid")},
        "error_count": report.error_count,
        "warning_count": report.warning_count,
        "problems": [asdict(p) for p in report.problems[:SHOWN_PROBLEMS]],
    }


def load_summary(token: str) -> dict | None:
    path = reports_dir() / f"{token}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
