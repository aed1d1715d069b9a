"""Process models: the folder format, its metadata and the parsed, versioned result.

A model is a flat folder `processes/<model>/` holding:

- `model.json` — metadata: `id`, `name` (zh), `description`, `primary_file` (the BPMN file that
  holds the process to start), `primary_process_id`, and `lanes`: for each BPMN lane name a hint
  `{"title", "roles": [...], "department_from"}` where `department_from` is `"task"` (the
  task's own department: its multi-instance key or `departmentVariable`), the name of a data
  variable holding a department id (e.g. `"lead_department"`), or null (any department);
- `*.bpmn` and `*.dmn` files;
- JSON-Schema forms `<form>.json` and their UI schemas `<form>_ui.json`, referenced from user
  tasks by the `formJsonSchemaFilename` / `formUiSchemaFilename` properties.

Files travel as a mapping name → bytes, so models can come from disk, an upload or the database.
A version is identified by `content_hash` over the sorted names and bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MODEL_FILE = "model.json"
UI_SUFFIX = "_ui.json"
ModelFiles = Mapping[str, bytes]


@dataclass(frozen=True)
class LaneHint:
    """Who works in a lane: roles and where the task's department comes from."""

    title: str
    roles: tuple[str, ...] = ()
    department_from: str | None = None


@dataclass(frozen=True)
class ModelMeta:
    """The contents of `model.json`."""

    id: str
    name: str
    description: str
    primary_file: str
    primary_process_id: str
    lanes: Mapping[str, LaneHint] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelMeta:
        """Build from parsed `model.json`; KeyError/TypeError/ValueError on a malformed file."""
        lanes = {
            name: LaneHint(
                title=str(hint.get("title", name)),
                roles=tuple(hint.get("roles") or ()),
                department_from=hint.get("department_from"),
            )
            for name, hint in (data.get("lanes") or {}).items()
        }
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            description=str(data.get("description", "")),
            primary_file=str(data["primary_file"]),
            primary_process_id=str(data["primary_process_id"]),
            lanes=lanes,
        )


REQUIRED_META_KEYS = ("id", "name", "primary_file", "primary_process_id")


def content_hash(files: ModelFiles) -> str:
    """SHA-256 over the sorted file names and their bytes: the model's version id."""
    digest = hashlib.sha256()
    for name in sorted(files):
        data = files[name]
        # Lengths make the encoding unambiguous (no two file sets share a byte stream).
        digest.update(f"{len(name.encode())}:{name}:{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


def load_model_folder(path: str | Path) -> dict[str, bytes]:
    """Read a model folder into name → bytes (regular, non-hidden files; no subfolders)."""
    folder = Path(path)
    return {
        item.name: item.read_bytes()
        for item in sorted(folder.iterdir())
        if item.is_file() and not item.name.startswith(".")
    }


def model_folders(root: str | Path) -> list[Path]:
    """The model folders under `root` (those holding a `model.json`), sorted by name."""
    return sorted(p for p in Path(root).iterdir() if (p / MODEL_FILE).is_file())


def files_with_suffix(files: ModelFiles, suffix: str) -> list[str]:
    """The sorted names of the model's files ending in `suffix` (case-insensitive)."""
    return sorted(name for name in files if name.lower().endswith(suffix))


def form_files(files: ModelFiles) -> list[str]:
    """JSON-Schema form files: every `.json` except `model.json` and UI schemas."""
    return [n for n in files_with_suffix(files, ".json") if n != MODEL_FILE and not n.endswith(UI_SUFFIX)]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a model, located as precisely as known."""

    file: str
    line: int | None
    element_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where} [{self.element_id}] {self.message}" if self.element_id else f"{where} {self.message}"


@dataclass(eq=False)
class ParsedModel:
    """A validated model version: metadata, SpiffWorkflow specs and the JSON forms."""

    hash: str
    meta: ModelMeta
    spec: Any
    subprocess_specs: dict[str, Any]
    forms: dict[str, dict] = field(default_factory=dict)

    def form(self, filename: str | None) -> dict | None:
        """The parsed JSON file `filename` (form or UI schema), None when absent."""
        return self.forms.get(filename) if filename else None


def read_json_files(files: ModelFiles) -> dict[str, dict]:
    """Every parseable JSON file of the model except `model.json` (validation reports the rest)."""
    out = {}
    for name in files_with_suffix(files, ".json"):
        if name == MODEL_FILE:
            continue
        try:
            out[name] = json.loads(files[name])
        except ValueError:
            continue
    return out
