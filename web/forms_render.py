"""Task forms on the server: `engine.forms` descriptions → values the Jinja macros of
`templates/macros/jsonform.html` render, and a posted HTML form → the JSON its schema describes.

Input names are the validation paths of `engine.forms.validate` (`summary`,
`results.0.result_codes`), so a message lands next to its input. HTML posts strings: numbers
become numbers (a value that is not one is kept as typed, so the schema names the field and the
page shows what was entered), checkboxes booleans, checkbox groups arrays. Hidden and read-only
fields always keep the value the task was given, whatever is posted.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from werkzeug.datastructures import FileStorage, MultiDict

from engine.forms import Field, FormDescription

MISSING = object()
EXTRA_ROWS = 2  # blank rows offered at the end of an open table (follow-ups, …)
MAX_ROWS = 200
TRUE = {"true", "on", "1", "yes"}
ROW = "__row"
DELETE = "__delete"
KEEP = "__keep"
_LOCAL_DT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")

Store = Callable[[FileStorage, str], str]  # (upload, path) -> file id; raises ValueError(message)


def fixed_rows(field: Field) -> bool:
    """A table whose rows were given (a checklist: some columns read-only) cannot grow or shrink."""
    return any(c.read_only or c.kind == "hidden" for c in field.columns)


def parse(
    description: FormDescription,
    form: MultiDict,
    files: MultiDict,
    prefill: Mapping[str, Any],
    store: Store | None = None,
    tz: str = "Asia/Shanghai",
) -> tuple[dict, dict[str, str]]:
    """(data, problems): the posted form as JSON on top of `prefill`, and per-path messages for
    inputs that could not even be read (a refused upload)."""
    parser = _Parser(form, files, store, ZoneInfo(tz))
    data = copy.deepcopy(dict(prefill))
    parser.fields(description.fields, "", dict(prefill), data)
    return data, parser.problems


class _Parser:
    def __init__(self, form: MultiDict, files: MultiDict, store: Store | None, tz: ZoneInfo):
        self.form, self.files, self.store, self.tz = form, files, store, tz
        self.problems: dict[str, str] = {}

    def fields(self, fields: tuple[Field, ...], prefix: str, old: dict, out: dict) -> None:
        for f in fields:
            before = old.get(f.name) if isinstance(old, dict) else None
            if f.kind == "hidden" or f.read_only:
                if before is None:
                    out.pop(f.name, None)
                else:
                    out[f.name] = copy.deepcopy(before)
                continue
            value = self.value(f, prefix + f.name, before)
            if value is MISSING:
                out.pop(f.name, None)
            else:
                out[f.name] = value

    def value(self, f: Field, path: str, before: Any) -> Any:
        reader = getattr(self, f"_{f.kind}", self._text)
        return reader(f, path, before)

    def _text(self, f: Field, path: str, before: Any) -> Any:
        raw = self.form.get(path)
        if raw is None or not raw.strip():
            return MISSING
        return raw.replace("\r\n", "\n").strip()

    def _datetime(self, f: Field, path: str, before: Any) -> Any:
        raw = self._text(f, path, before)
        if isinstance(raw, str) and _LOCAL_DT.match(raw):
            moment = datetime.fromisoformat(raw).replace(tzinfo=self.tz)
            return moment.isoformat()
        return raw

    def _number(self, f: Field, path: str, before: Any) -> Any:
        raw = self._text(f, path, before)
        if raw is MISSING:
            return raw
        try:
            return int(raw)
        except ValueError:
            pass
        if f.kind == "integer":
            return raw  # the schema answers "应为整数"
        try:
            number = float(raw)
        except ValueError:
            return raw
        return number if number == number and abs(number) != float("inf") else raw

    _integer = _number

    def _boolean(self, f: Field, path: str, before: Any) -> Any:
        return (self.form.get(path) or "").lower() in TRUE

    def _select(self, f: Field, path: str, before: Any) -> Any:
        raw = self._text(f, path, before)
        return raw if raw is MISSING else _choice_value(f, raw)

    def _multiselect(self, f: Field, path: str, before: Any) -> Any:
        posted = [v for v in self.form.getlist(path) if v != ""]
        order = {str(c.value): n for n, c in enumerate(f.choices)}
        posted.sort(key=lambda v: order.get(v, len(order)))
        return [_choice_value(f, v) for v in posted]

    def _list(self, f: Field, path: str, before: Any) -> Any:
        raw = self._text(f, path, before)
        if raw is MISSING:
            return []
        return [line.strip() for line in raw.splitlines() if line.strip()]

    def _group(self, f: Field, path: str, before: Any) -> Any:
        old = before if isinstance(before, dict) else {}
        out = copy.deepcopy(old)
        self.fields(f.columns, path + ".", old, out)
        return out if out or f.required else MISSING

    def _table(self, f: Field, path: str, before: Any) -> Any:
        old_rows = before if isinstance(before, list) else []
        if fixed_rows(f):
            indices = list(range(len(old_rows)))
        else:
            marked = {int(i) for i in self.form.getlist(f"{path}.{ROW}") if i.isdigit()}
            indices = sorted(marked)[:MAX_ROWS]
        rows = []
        for i in indices:
            old = old_rows[i] if i < len(old_rows) and isinstance(old_rows[i], dict) else {}
            if not fixed_rows(f) and (self.form.get(f"{path}.{i}.{DELETE}") or "").lower() in TRUE:
                continue
            row = copy.deepcopy(old)
            self.fields(f.columns, f"{path}.{i}.", old, row)
            if fixed_rows(f) or not _blank(row, f.columns):
                rows.append(row)
        return rows

    def _attachment(self, f: Field, path: str, before: Any) -> Any:
        ids = self._uploads(path, single=True)
        return ids[0] if ids else MISSING

    def _attachments(self, f: Field, path: str, before: Any) -> Any:
        return self._uploads(path, single=False)

    def _uploads(self, path: str, *, single: bool) -> list[str]:
        kept = [v for v in self.form.getlist(f"{path}.{KEEP}") if v]
        added = []
        for upload in self.files.getlist(path):
            if not upload or not upload.filename:
                continue
            if self.store is None:
                self.problems[path] = "不能在此上传附件"
                continue
            try:
                added.append(self.store(upload, path))
            except ValueError as err:
                self.problems[path] = str(err)
        ids = kept + added
        return ids[-1:] if single else ids


def _choice_value(f: Field, raw: str) -> Any:
    for choice in f.choices:
        if str(choice.value) == raw:
            return choice.value
    return raw


def _blank(row: dict, columns: tuple[Field, ...]) -> bool:
    editable = [c for c in columns if not (c.read_only or c.kind == "hidden")]
    return all(row.get(c.name) in (None, "", [], {}, False) for c in editable)


def attachment_ids(fields: tuple[Field, ...], data: Any) -> list[str]:
    """Every file id the data holds in attachment fields (tables and groups included)."""
    out: list[str] = []
    if not isinstance(data, dict):
        return out
    for f in fields:
        value = data.get(f.name)
        if f.kind == "attachment" and value is not None:
            out.append(value)
        elif f.kind == "attachments" and isinstance(value, list):
            out += value
        elif f.kind == "table" and isinstance(value, list):
            for row in value:
                out += attachment_ids(f.columns, row)
        elif f.kind == "group":
            out += attachment_ids(f.columns, value)
    return out


def protect(
    description: FormDescription, submitted: Mapping[str, Any], prefill: Mapping[str, Any]
) -> tuple[dict, dict]:
    """JSON submitted through the API with the same guarantees as the page: hidden and read-only
    fields keep the task's values, a given table (a checklist) keeps its rows. Returns (data,
    problems); keys the form does not know are kept for the schema to judge."""
    data = copy.deepcopy(dict(submitted))
    problems: dict[str, str] = {}
    _protect(description.fields, data, dict(prefill), "", problems)
    return data, problems


def _protect(fields: tuple[Field, ...], data: dict, prefill: dict, prefix: str, problems: dict) -> None:
    for f in fields:
        before = prefill.get(f.name)
        if f.kind == "hidden" or f.read_only:
            if before is None:
                data.pop(f.name, None)
            else:
                data[f.name] = copy.deepcopy(before)
        elif f.kind == "table" and fixed_rows(f) and isinstance(before, list):
            rows = data.get(f.name)
            if not isinstance(rows, list) or len(rows) != len(before):
                problems[prefix + f.name] = f"应为 {len(before)} 行（与下发的检查事项一致）"
                continue
            for i, (row, old) in enumerate(zip(rows, before, strict=True)):
                if isinstance(row, dict) and isinstance(old, dict):
                    _protect(f.columns, row, old, f"{prefix}{f.name}.{i}.", problems)
        elif f.kind == "group" and isinstance(data.get(f.name), dict):
            _protect(
                f.columns,
                data[f.name],
                before if isinstance(before, dict) else {},
                f"{prefix}{f.name}.",
                problems,
            )


# --- what the templates use ---------------------------------------------------------------------


class Helpers:
    """Small functions the jsonform macros call (registered as the Jinja global `jsonform`)."""

    @staticmethod
    def rows(
        field: Field, value: Any, readonly: bool = False, extra: int = EXTRA_ROWS
    ) -> list[tuple[int, dict]]:
        """(index, row) pairs to render; an open table gets `extra` blank rows at the end."""
        given = value if isinstance(value, list) else []
        rows = [(i, r if isinstance(r, dict) else {}) for i, r in enumerate(given)]
        if not readonly and not fixed_rows(field):
            rows += [(len(rows) + n, {}) for n in range(min(extra, MAX_ROWS - len(rows)))]
        return rows

    @staticmethod
    def fixed(field: Field) -> bool:
        return fixed_rows(field)

    @staticmethod
    def selected(choice_value: Any, value: Any) -> bool:
        if isinstance(value, list):
            return str(choice_value) in {str(v) for v in value}
        return value is not None and str(choice_value) == str(value)

    @staticmethod
    def titles(field: Field, value: Any) -> str:
        """Chosen options by their titles, for read-only display."""
        values = value if isinstance(value, list) else ([] if value is None else [value])
        names = {str(c.value): c.title for c in field.choices}
        return "、".join(names.get(str(v), str(v)) for v in values)

    @staticmethod
    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return str(value)

    @staticmethod
    def local_datetime(value: Any) -> str:
        """An ISO date-time as the value of a datetime-local input."""
        if not isinstance(value, str):
            return ""
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).strftime("%Y-%m-%dT%H:%M")
        except ValueError:
            return value

    @staticmethod
    def ids(value: Any) -> list:
        if isinstance(value, list):
            return value
        return [] if value in (None, "") else [value]

    @staticmethod
    def error_at(errors: Mapping[str, str], path: str) -> str | None:
        """The message of an input, or of one of its values (a refused choice of a multiselect
        is reported at `path.N`)."""
        if path in errors:
            return errors[path]
        for key, message in errors.items():
            if key.startswith(path + ".") and key[len(path) + 1 :].isdigit():
                return message
        return None

    @staticmethod
    def errors_in(errors: Mapping[str, str], path: str) -> list[str]:
        """Messages about the table/group itself or about a row as a whole (not its inputs)."""
        out = [errors[path]] if path in errors else []
        for key, message in errors.items():
            rest = key[len(path) + 1 :] if key.startswith(path + ".") else None
            if rest is not None and rest.isdigit():
                out.append(f"第 {int(rest) + 1} 行：{message}")
        return out
