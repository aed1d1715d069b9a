"""Process models (流程模型) for the office and sysadmins, /admin/processes: every model with its
versions, a version's files and diagram, uploading a new version (.bpmn, .dmn, .json; checked
completely before anything is stored) and deploying a draft.

A model with problems is refused as a whole: the page lists every problem with file, line and
element, and no version row is written. Deploying makes the version the one new cases start on;
running cases stay on their own version. versions.py writes the audit events.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from adapters.db import db
from adapters.models import ProcessVersion
from adapters.queries import cases as queries
from adapters.workflow import versions
from engine.errors import NotFound, ValidationFailed
from engine.models import Problem
from engine.validation import ModelInvalid
from web.auth import current_actor, require
from web.cases import actions, present
from web.runtime import engine, who

bp = Blueprint("processes", __name__, url_prefix="/admin/processes")
ACTION = "processes.manage"
SUFFIXES = (".bpmn", ".dmn", ".json")
MAX_FILES = 40
MAX_FILE_KB = 2048


def read_uploads(uploads: Iterable[FileStorage]) -> dict[str, bytes]:
    """Uploaded model files by name; ValidationFailed for a wrong type, size, count or a name twice."""
    files: dict[str, bytes] = {}
    problems: dict[str, str] = {}
    for upload in uploads:
        if not upload or not upload.filename:
            continue
        name = PurePath(upload.filename.replace("\\", "/")).name
        data = upload.read(MAX_FILE_KB * 1024 + 1)
        if not name.lower().endswith(SUFFIXES):
            problems[name or "?"] = "只能上传 .bpmn、.dmn 和 .json 文件"
        elif len(data) > MAX_FILE_KB * 1024:
            problems[name] = f"文件超过 {MAX_FILE_KB} KB"
        elif name in files:
            problems[name] = "文件名重复"
        else:
            files[name] = data
    if not files and not problems:
        raise ValidationFailed("请选择要上传的流程模型文件", {"files": "必填项"})
    if len(files) > MAX_FILES:
        problems["files"] = f"一次最多上传 {MAX_FILES} 个文件"
    if problems:
        raise ValidationFailed("上传的文件不符合要求", problems)
    return files


def upload_version(files: dict[str, bytes], deploy: bool) -> tuple[ProcessVersion, bool]:
    """Check every file, then store a new version (ModelInvalid lists the problems; nothing is
    stored then). The same content as a stored version returns that version."""
    problems = engine().validate(files)
    if problems:
        raise ModelInvalid(problems)
    actor, person = current_actor(), who()
    return versions.create_version(
        db.session,
        engine(),
        files,
        deploy=deploy,
        actor_id=actor.id if actor else None,
        actor_name=person.name,
    )


def problem_rows(err: ValidationFailed) -> list[Problem]:
    """The problems of a refused upload as (file, line, element, message) rows."""
    if isinstance(err, ModelInvalid):
        return list(err.problems)
    return [Problem(name, None, None, message) for name, message in err.fields.items()] or [
        Problem("", None, None, err.message)
    ]


def problem_fields(err: ValidationFailed) -> dict[str, str]:
    """The problems keyed `file:line:element` (the API's error fields); one key, one message list."""
    out: dict[str, str] = {}
    for p in problem_rows(err):
        key = ":".join([p.file, str(p.line or 0), *([p.element_id] if p.element_id else [])])
        out[key] = f"{out[key]}；{p.message}" if key in out else p.message
    return out


@bp.get("")
@require(ACTION)
def index():
    return _index()


def _index(problems: list[Problem] | None = None, status: int = 200):
    by_model = queries.versions_by_model()
    creators = queries.user_names(
        {v.created_by_id for vs in by_model.values() for v in vs if v.created_by_id}
    )
    page = render_template(
        "processes/index.html",
        models=by_model,
        running=queries.open_instance_counts(),
        creators=creators,
        problems=problems,
        status_label=lambda s: present.label(present.VERSION_STATUS_LABELS, s),
        fmt_time=present.fmt_time,
        max_files=MAX_FILES,
        max_kb=MAX_FILE_KB,
    )
    return page, status


@bp.post("/upload")
@require(ACTION)
def upload():
    try:
        files = read_uploads(request.files.getlist("files"))
        version, created = upload_version(files, deploy=request.form.get("deploy") == "1")
    except ValidationFailed as err:
        db.session.rollback()
        return _index(problem_rows(err), 422)
    db.session.commit()
    if created:
        flash(
            _("Version %(n)s of %(model)s was stored.", n=version.version, model=version.model_id), "success"
        )
    else:
        flash(
            _("These files are the same as version %(n)s; nothing new was stored.", n=version.version),
            "warning",
        )
    return redirect(url_for("processes.version", version_id=version.id))


def get_version(version_id: int) -> ProcessVersion:
    row = db.session.get(ProcessVersion, version_id)
    if row is None:
        raise NotFound("流程模型版本不存在")
    return row


@bp.get("/versions/<int:version_id>")
@require(ACTION)
def version(version_id: int):
    row = get_version(version_id)
    creators = queries.user_names({row.created_by_id} if row.created_by_id else set())
    return render_template(
        "processes/version.html",
        row=row,
        files=sorted((name, len(text.encode("utf-8"))) for name, text in row.files.items()),
        running=queries.open_instance_counts().get(row.id, 0),
        creator=creators.get(row.created_by_id),
        status_label=present.label(present.VERSION_STATUS_LABELS, row.status),
        fmt_time=present.fmt_time,
    )


@bp.get("/versions/<int:version_id>/diagram.xml")
@require(ACTION)
def diagram(version_id: int):
    return Response(actions.diagram_xml(get_version(version_id)), mimetype="application/xml")


@bp.get("/versions/<int:version_id>/files/<name>")
@require(ACTION)
def file(version_id: int, name: str):
    text = get_version(version_id).files.get(name)
    if text is None:
        abort(404)
    return Response(text, mimetype="text/plain; charset=utf-8")


@bp.post("/versions/<int:version_id>/deploy")
@require(ACTION)
def deploy(version_id: int):
    row = get_version(version_id)
    actor = current_actor()
    versions.deploy_version(db.session, row, actor.id if actor else None, who().name)
    db.session.commit()
    flash(_("Version %(n)s is deployed: new cases start on it.", n=row.version), "success")
    return redirect(url_for("processes.version", version_id=row.id))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
