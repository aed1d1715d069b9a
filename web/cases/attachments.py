"""Files attached to task forms (检查记录、照片): stored under UPLOAD_FOLDER/attachments.

A form field of `format: attachment` holds a file id (a string, as the form convention says);
next to each file a small JSON record keeps its name, SHA-256, size, type, case and uploader,
so pages and the API can show `{id, name, sha256, size}` and downloads check the case's access.
Types are limited by extension AND by content (a renamed executable is refused), sizes by
ATTACHMENT_MAX_MB per file (the whole request is limited by MAX_UPLOAD_MB).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

ATTACHMENT_MAX_MB = 10
CHUNK = 64 * 1024
ID_PATTERN = re.compile(r"^[0-9a-f]{32}$")
# extension -> content check on the first bytes
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
MAGIC: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "webp": (b"RIFF",),
    "heic": None,  # checked below: "ftyp" at offset 4
    "docx": _ZIP,
    "xlsx": _ZIP,
    "ofd": _ZIP,
    "doc": _OLE,
    "xls": _OLE,
    "txt": None,  # checked below: text, no NUL bytes
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "heic": "image/heic",
    "txt": "text/plain; charset=utf-8",
}


class AttachmentRefused(ValueError):
    """The upload is not accepted; the message is for users."""


def _root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "attachments"


def _paths(file_id: str) -> tuple[Path, Path]:
    folder = _root() / file_id[:2]
    return folder / file_id, folder / f"{file_id}.json"


def extension(name: str) -> str:
    return Path(name).suffix.lower().lstrip(".")


def _content_ok(ext: str, head: bytes) -> bool:
    if ext == "heic":
        return head[4:8] == b"ftyp"
    if ext == "txt":
        return b"\x00" not in head
    if ext == "webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return any(head.startswith(m) for m in MAGIC.get(ext) or ())


def clean_name(name: str) -> str:
    """The file's own name, without folders or control characters, at most 120 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "附件"
    return base[-120:]


def store(
    upload: FileStorage, *, instance_id: int, user_id: int | None, department_id: int | None = None
) -> dict:
    """Save one upload and return its record; AttachmentRefused for a bad type or size.
    `department_id`: the department whose task it was uploaded for (its checklist's files are
    its own until submitted, see web/cases/checklists.py)."""
    name = clean_name(upload.filename or "")
    ext = extension(name)
    if ext not in MAGIC:
        allowed = "、".join(sorted(MAGIC))
        raise AttachmentRefused(f"不支持的文件类型“{name}”，可上传：{allowed}")
    file_id = secrets.token_hex(16)
    data_path, meta_path = _paths(file_id)
    data_path.parent.mkdir(parents=True, exist_ok=True)
    digest, size, head = hashlib.sha256(), 0, b""
    limit = ATTACHMENT_MAX_MB * 1024 * 1024
    with data_path.open("wb") as out:
        while chunk := upload.stream.read(CHUNK):
            head = head or chunk[:16]
            size += len(chunk)
            if size > limit:
                break
            digest.update(chunk)
            out.write(chunk)
    problem = None
    if size > limit:
        problem = f"文件“{name}”超过 {ATTACHMENT_MAX_MB} MB"
    elif size == 0:
        problem = f"文件“{name}”是空文件"
    elif not _content_ok(ext, head):
        problem = f"文件“{name}”的内容与扩展名不符"
    if problem:
        data_path.unlink(missing_ok=True)
        raise AttachmentRefused(problem)
    record = {
        "id": file_id,
        "name": name,
        "sha256": digest.hexdigest(),
        "size": size,
        "content_type": CONTENT_TYPES.get(ext, "application/octet-stream"),
        "instance_id": instance_id,
        "department_id": department_id,
        "uploaded_by": user_id,
        "uploaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    meta_path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return record


def record(file_id: object) -> dict | None:
    """The stored record of a file id, None when unknown (or not an id at all)."""
    if not isinstance(file_id, str) or not ID_PATTERN.match(file_id):
        return None
    _data, meta = _paths(file_id)
    try:
        return json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def data_path(file_id: str) -> Path:
    return _paths(file_id)[0]


def public(rec: dict) -> dict:
    """What pages and the API show of a record."""
    return {k: rec.get(k) for k in ("id", "name", "sha256", "size", "content_type")}


def records_for(values: list, instance_id: int) -> dict[str, dict]:
    """Records of the given ids that belong to the case."""
    out = {}
    for value in values:
        rec = record(value)
        if rec and rec.get("instance_id") == instance_id:
            out[value] = rec
    return out
