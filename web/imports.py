"""Uploading a register file (检查对象 or 执法检查人员) and showing the import report.

Office and sysadmin only ("import.run"). The upload is size-limited by MAX_UPLOAD_MB, its type
checked by name and by content, imported synchronously, and deleted afterwards; when there are
problems their full list is kept as a CSV the uploader can download from the same session.
"""

from __future__ import annotations

import csv
import io
import secrets
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, Flask, Response, abort, current_app, render_template, send_file, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice

from adapters.db import db
from adapters.importers import ImportOptions, ReportFile, run_import
from engine.importing import KINDS
from web.auth import ensure, require

bp = Blueprint("imports", __name__, url_prefix="/registers/import")
SHOWN_PROBLEMS = 500
KEPT_REPORTS = 10  # report tokens remembered per session
REPORT_LIFETIME_S = 24 * 3600


class ImportForm(FlaskForm):
    kind = SelectField(
        _l("Register"),
        choices=[
            SelectChoice("enterprises", _l("Enterprise register")),
            SelectChoice("inspectors", _l("Inspector register")),
        ],
    )
    file = FileField(
        _l("File (CSV or XLSX)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], _l("Only CSV and XLSX files can be imported.")),
        ],
    )
    skip_invalid = BooleanField(_l("Import the valid rows and skip the invalid ones"))
    dry_run = BooleanField(_l("Check only, write nothing"))
    allow_pilot_codes = BooleanField(_l("Accept early pilot codes whose only fault is the check character"))


@bp.route("", methods=["GET", "POST"])
@require("import.run")
def upload():
    form = ImportForm()
    report = token = None
    if form.validate_on_submit():
        if form.allow_pilot_codes.data:
            ensure("enterprises.override_uscc")
        report, token = _import(form)
    return render_template(
        "imports/upload.html",
        form=form,
        report=report,
        token=token,
        kinds=KINDS,
        shown=SHOWN_PROBLEMS,
        max_mb=current_app.config["LIANCHA_SETTINGS"].max_upload_mb,
    )


@bp.get("/report/<token>.csv")
@require("import.run")
def report_file(token: str):
    if token not in session.get("import_reports", []):
        abort(404)
    path = _reports_dir() / f"{token}.csv"
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="text/csv", as_attachment=True, download_name="导入问题清单.csv")


@bp.get("/template/<kind>.csv")
@require("import.run")
def template(kind: str):
    """An empty file with the headers, UTF-8 with BOM so that Excel shows the Chinese."""
    if kind not in KINDS:
        abort(404)
    out = io.StringIO()
    csv.writer(out).writerow([c.label for c in KINDS[kind].columns])
    name = f"{KINDS[kind].label}导入模板.csv"
    response = Response(out.getvalue().encode("utf-8-sig"), mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _import(form: ImportForm):
    upload = form.file.data
    suffix = Path(upload.filename or "").suffix.lower()
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, suffix=suffix, delete=False) as fh:
        upload.save(fh)
        path = Path(fh.name)
    try:
        if not _content_matches(path, suffix):
            form.file.errors.append(_l("The file's content does not match its extension."))
            return None, None
        _prune_reports()
        token = secrets.token_hex(16)
        options = ImportOptions(
            skip_invalid=form.skip_invalid.data,
            dry_run=form.dry_run.data,
            allow_pilot_codes=form.allow_pilot_codes.data,
            by_user_id=current_user.id,
        )
        db.session.commit()  # hold no read transaction open while the import writes (SQLite)
        with ReportFile(_reports_dir() / f"{token}.csv") as sink:
            report = run_import(db.engine, form.kind.data, path, options, sink=sink)
    finally:
        path.unlink(missing_ok=True)
    if not report.problems:
        (_reports_dir() / f"{token}.csv").unlink(missing_ok=True)
        return report, None
    session["import_reports"] = [*session.get("import_reports", [])[-(KEPT_REPORTS - 1) :], token]
    return report, token


def _content_matches(path: Path, suffix: str) -> bool:
    """An .xlsx must be a zip package; a .csv must not be a workbook (zip or Excel 97 file).
    Whether a CSV's text can be decoded is the reader's to say, with a precise reason."""
    is_zip = zipfile.is_zipfile(path)
    if suffix == ".xlsx":
        return is_zip
    with path.open("rb") as fh:
        return not is_zip and not fh.read(4).startswith(b"\xd0\xcf\x11\xe0")


def _reports_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "import-reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _prune_reports() -> None:
    """Problem lists are for the uploader's session only: forget those older than a day."""
    cutoff = time.time() - REPORT_LIFETIME_S
    for old in _reports_dir().glob("*.csv"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
