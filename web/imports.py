"""Uploading a register file (检查对象 or 执法检查人员) and showing the import report.

Office and sysadmin only ("import.run"). The upload is size-limited by MAX_UPLOAD_MB, its type
checked by name and by content; the import itself runs as a background job (adapters/importers/
background.py) and its page shows progress, then the report; the full problem list is kept as a
CSV for a day, for the uploader only.
"""

from __future__ import annotations

import csv
import io
import secrets
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice

from adapters.db import db
from adapters.importers.background import (
    SHOWN_PROBLEMS,
    TOKEN,
    job_key,
    load_summary,
    reports_dir,
    uploads_dir,
)
from adapters.models import JobRun
from engine.importing import KINDS
from web.auth import ensure, require
from web.jobs import get_job_queue

bp = Blueprint("imports", __name__, url_prefix="/registers/import")
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
    if form.validate_on_submit():
        if form.allow_pilot_codes.data:
            ensure("enterprises.override_uscc")
        token = _enqueue(form)
        if token:
            return redirect(url_for("imports.result", token=token))
    return _page(form)


@bp.get("/<token>")
@require("import.run")
def result(token: str):
    """The import's progress and, once it ran, its report (the uploader's own imports only)."""
    run = _own_run(token)
    summary = load_summary(token) if run.status == "done" else None
    has_file = (reports_dir() / f"{token}.csv").is_file()
    return _page(ImportForm(), run=run, report=summary, token=token if has_file else None)


@bp.get("/report/<token>.csv")
@require("import.run")
def report_file(token: str):
    _own_run(token)
    path = reports_dir() / f"{token}.csv"
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


def _page(form: ImportForm, **context):
    return render_template(
        "imports/upload.html",
        form=form,
        kinds=KINDS,
        shown=SHOWN_PROBLEMS,
        max_mb=current_app.config["LIANCHA_SETTINGS"].max_upload_mb,
        **context,
    )


def _enqueue(form: ImportForm) -> str | None:
    """Store the upload and enqueue its import; the token naming both, or None (form errors)."""
    upload = form.file.data
    suffix = Path(upload.filename or "").suffix.lower()
    token = secrets.token_hex(16)
    path = uploads_dir() / f"{token}{suffix}"
    upload.save(path)
    if not _content_matches(path, suffix):
        path.unlink(missing_ok=True)
        form.file.errors.append(_l("The file's content does not match its extension."))
        return None
    _prune()
    options = {
        "skip_invalid": form.skip_invalid.data,
        "dry_run": form.dry_run.data,
        "allow_pilot_codes": form.allow_pilot_codes.data,
        "by_user_id": current_user.id,
    }
    get_job_queue().enqueue(
        "import_register",
        key=job_key(token),
        token=token,
        kind=form.kind.data,
        suffix=suffix,
        options=options,
    )
    db.session.commit()
    return token


def _own_run(token: str) -> JobRun:
    """The import run of `token` if the current user uploaded it; 404 for anyone else."""
    if not TOKEN.match(token):
        abort(404)
    run = db.session.execute(db.select(JobRun).filter_by(key=job_key(token))).scalar_one_or_none()
    if run is None or (run.kwargs.get("options") or {}).get("by_user_id") != current_user.id:
        abort(404)
    return run


def _content_matches(path: Path, suffix: str) -> bool:
    """An .xlsx must be a zip package; a .csv must not be a workbook (zip or Excel 97 file).
    Whether a CSV's text can be decoded is the reader's to say, with a precise reason."""
    is_zip = zipfile.is_zipfile(path)
    if suffix == ".xlsx":
        return is_zip
    with path.open("rb") as fh:
        return not is_zip and not fh.read(4).startswith(b"\xd0\xcf\x11\xe0")


def _prune() -> None:
    """Reports are kept for a day; uploads whose job never ran (a lost queue) as long."""
    cutoff = time.time() - REPORT_LIFETIME_S
    for old in [*reports_dir().iterdir(), *uploads_dir().iterdir()]:
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
