"""Process model versions in the database: deploy `processes/` idempotently, upload new versions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adapters.audit_store import SqlAuditLog
from adapters.models.workflow import ProcessVersion
from engine.audit import process_stream
from engine.errors import NotFound, ValidationFailed
from engine.models import ModelMeta, content_hash, load_model_folder, model_folders
from engine.runtime import ProcessEngine

PROCESSES_DIR = Path(__file__).resolve().parents[2] / "processes"


def files_of(version: ProcessVersion) -> dict[str, bytes]:
    return {name: text.encode("utf-8") for name, text in version.files.items()}


def _as_text(files: Mapping[str, bytes]) -> dict[str, str]:
    out, bad = {}, []
    for name, data in files.items():
        try:
            out[name] = data.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(name)
    if bad:
        raise ValidationFailed("文件不是UTF-8编码", dict.fromkeys(bad, "文件不是UTF-8编码"))
    return out


def latest_deployed(session: Session, model_id: str) -> ProcessVersion:
    row = session.execute(
        select(ProcessVersion)
        .where(ProcessVersion.model_id == model_id, ProcessVersion.status == "deployed")
        .order_by(ProcessVersion.version.desc())
        .limit(1)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"流程模型 {model_id} 没有已部署的版本")
    return row


def create_version(
    session: Session,
    engine: ProcessEngine,
    files: Mapping[str, bytes],
    *,
    deploy: bool,
    actor_id: int | None = None,
    actor_name: str | None = None,
) -> tuple[ProcessVersion, bool]:
    """Store `files` as a new version of their model (validated first: a model with problems
    raises ValidationFailed and stores nothing). The same content as an existing version returns
    that version (deploying it if asked). Returns (version, created)."""
    problems = engine.validate(files)
    if problems:
        raise ValidationFailed("流程模型校验未通过", {f"{p.file}:{p.line or 0}": p.message for p in problems})
    meta = engine.parse(files).meta
    digest = content_hash(files)
    existing = session.execute(
        select(ProcessVersion).where(
            ProcessVersion.model_id == meta.id, ProcessVersion.content_hash == digest
        )
    ).scalar_one_or_none()
    if existing is not None:
        if deploy and existing.status != "deployed":
            _deploy(session, existing, actor_id, actor_name)
        return existing, False
    number = (
        session.execute(
            select(func.max(ProcessVersion.version)).where(ProcessVersion.model_id == meta.id)
        ).scalar()
        or 0
    ) + 1
    row = ProcessVersion(
        model_id=meta.id,
        version=number,
        name=meta.name,
        content_hash=digest,
        files=_as_text(files),
        status="draft",
        problems=[],
        created_by_id=actor_id,
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    SqlAuditLog(session).append(
        process_stream(meta.id),
        "version_created",
        data={"version": number, "hash": digest, "files": sorted(files)},
        actor_id=actor_id,
        actor_name=actor_name,
    )
    if deploy:
        _deploy(session, row, actor_id, actor_name)
    return row, True


def deploy_version(
    session: Session, version: ProcessVersion, actor_id: int | None, actor_name: str | None
) -> None:
    if version.status == "deployed":
        return
    _deploy(session, version, actor_id, actor_name)


def _deploy(session: Session, row: ProcessVersion, actor_id: int | None, actor_name: str | None) -> None:
    """The newest deployed version is the one new instances start on; older deployed versions
    are retired (their running instances stay pinned to them and keep running)."""
    for other in session.execute(
        select(ProcessVersion).where(
            ProcessVersion.model_id == row.model_id,
            ProcessVersion.status == "deployed",
            ProcessVersion.id != row.id,
        )
    ).scalars():
        other.status = "retired"
    row.status = "deployed"
    row.deployed_at = datetime.now(UTC)
    session.flush()
    SqlAuditLog(session).append(
        process_stream(row.model_id),
        "process_deployed",
        data={"version": row.version, "hash": row.content_hash},
        actor_id=actor_id,
        actor_name=actor_name,
    )


def deploy_directory(
    session: Session, engine: ProcessEngine, root: Path = PROCESSES_DIR
) -> list[tuple[ProcessVersion, bool]]:
    """Deploy every model folder under `root`; unchanged models keep their version (idempotent)."""
    results = []
    for folder in model_folders(root):
        files = load_model_folder(folder)
        results.append(create_version(session, engine, files, deploy=True, actor_name="system"))
    return results


def model_meta(engine: ProcessEngine, version: ProcessVersion) -> ModelMeta:
    return engine.parse(files_of(version)).meta
