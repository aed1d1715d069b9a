"""Task forms: JSON Schema + UI schema → a framework-free description, and Chinese validation.

Conventions the web layer can rely on (documented in docs/engine.md):

- a select is a string with `oneOf: [{"const", "title"}]` (or `enum` + legacy `enumNames`); an
  array of such strings with `uniqueItems` is a multi-select;
- `{"type": "string", "format": "date"}` is a date, `"format": "attachment"` a file id;
- an array of objects is a table (a checklist), its item properties are the columns;
- `"x-choices-from": "<variable>"` fills a select's options at run time from task data
  (a list of `{"const", "title"}`), see `resolve_choices`;
- `"x-choices-service": "<name>"` fills them from a registered option source (a service of the
  engine's registry called without arguments), read each time the form is shown or validated —
  a dictionary the office edits (the result codes) rather than data frozen in the case;
- `"x-message": "<text>"` on a (sub)schema replaces the generic message of any keyword that
  fails directly in it (e.g. `then: {"maxItems": 1, "x-message": "…不能与其他结果同时选择"}`);
- UI schema: `ui:order`, `ui:widget` (`textarea`, `radio`, `checkboxes`, `hidden`, `table`),
  `ui:help`, `ui:placeholder`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, relevance

ROOT_FIELD = "__all__"
_TYPE_NAMES = {
    "string": "文本",
    "number": "数字",
    "integer": "整数",
    "boolean": "是/否",
    "array": "列表",
    "object": "对象",
    "null": "空值",
}


@dataclass(frozen=True)
class Choice:
    """One option of a select: the stored value and its Chinese title."""

    value: Any
    title: str


@dataclass(frozen=True)
class Field:
    """One input: `kind` is text, textarea, number, integer, date, datetime, select, multiselect,
    boolean, attachment, attachments, table (rows of `columns`), group, list or hidden."""

    name: str
    kind: str
    title: str
    required: bool = False
    help: str | None = None
    choices: tuple[Choice, ...] = ()
    columns: tuple[Field, ...] = ()
    read_only: bool = False
    default: Any = None
    widget: str | None = None
    placeholder: str | None = None


@dataclass(frozen=True)
class FormDescription:
    """A whole form: its title and fields in display order."""

    title: str
    fields: tuple[Field, ...]


def _choices(schema: Mapping[str, Any]) -> tuple[Choice, ...]:
    options = schema.get("oneOf") or schema.get("anyOf")
    if options and all("const" in o for o in options):
        return tuple(Choice(o["const"], str(o.get("title", o["const"]))) for o in options)
    if "enum" in schema:
        names = schema.get("enumNames") or [str(v) for v in schema["enum"]]
        return tuple(Choice(v, str(n)) for v, n in zip(schema["enum"], names, strict=False))
    return ()


def _kind(schema: Mapping[str, Any], ui: Mapping[str, Any]) -> str:
    widget = ui.get("ui:widget")
    kind_type, fmt = schema.get("type"), schema.get("format")
    if widget == "hidden":
        return "hidden"
    if kind_type == "array":
        items = schema.get("items") or {}
        if _choices(items) or "x-choices-service" in items or "x-choices-from" in items:
            return "multiselect"
        if items.get("type") == "object":
            return "table"
        return "attachments" if items.get("format") == "attachment" else "list"
    if _choices(schema) or "x-choices-from" in schema or "x-choices-service" in schema:
        return "select"
    if kind_type == "object":
        return "group"
    if kind_type in {"number", "integer", "boolean"}:
        return kind_type
    if fmt in {"date", "attachment"}:
        return fmt
    if fmt == "date-time":
        return "datetime"
    return "textarea" if widget == "textarea" else "text"


def _ordered(properties: Mapping[str, Any], ui: Mapping[str, Any]) -> list[str]:
    order = [n for n in ui.get("ui:order", []) if n in properties]
    return order + [n for n in properties if n not in order]


def _fields(schema: Mapping[str, Any], ui: Mapping[str, Any]) -> tuple[Field, ...]:
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or ())
    out = []
    for name in _ordered(properties, ui):
        sub, sub_ui = properties[name], ui.get(name) or {}
        kind = _kind(sub, sub_ui)
        columns: tuple[Field, ...] = ()
        if kind == "table":
            columns = _fields(sub["items"], sub_ui.get("items") or {})
        elif kind == "group":
            columns = _fields(sub, sub_ui)
        choices = _choices(sub.get("items") or {}) if kind == "multiselect" else _choices(sub)
        out.append(
            Field(
                name=name,
                kind=kind,
                title=str(sub.get("title", name)),
                required=name in required,
                help=sub_ui.get("ui:help") or sub.get("description"),
                choices=choices,
                columns=columns,
                read_only=bool(sub.get("readOnly")),
                default=sub.get("default"),
                widget=sub_ui.get("ui:widget"),
                placeholder=sub_ui.get("ui:placeholder"),
            )
        )
    return tuple(out)


def describe(schema: Mapping[str, Any], ui: Mapping[str, Any] | None = None) -> FormDescription:
    """The fields of a form in display order, with kinds the web layer knows how to render."""
    return FormDescription(title=str(schema.get("title", "")), fields=_fields(schema, ui or {}))


def _options(values: list) -> list[dict]:
    return [o if isinstance(o, dict) else {"const": o, "title": str(o)} for o in values]


def resolve_choices(
    schema: Mapping[str, Any],
    data: Mapping[str, Any],
    sources: Mapping[str, Callable[[], Any]] | None = None,
) -> dict:
    """A copy of `schema` where every `x-choices-from` names its options from `data` and every
    `x-choices-service` from the option source of that name in `sources` (left as it is when
    the source is not given)."""
    resolved = copy.deepcopy(dict(schema))
    fetched: dict[str, list] = {}  # one call per source and form

    def from_source(name: str) -> list | None:
        if name not in fetched and sources is not None and name in sources:
            found = sources[name]()
            fetched[name] = found if isinstance(found, list) else []
        return fetched.get(name)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            source = node.get("x-choices-from")
            if source and isinstance(data.get(source), list):
                node["oneOf"] = _options(data[source])
            service = node.get("x-choices-service")
            options = from_source(service) if isinstance(service, str) else None
            if options is not None:
                node.pop("enum", None)
                node["oneOf"] = _options(options)  # none active: every value is refused
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(resolved)
    return resolved


def _message(error: ValidationError) -> str:
    value, kind = error.validator_value, error.validator
    custom = error.schema.get("x-message") if isinstance(error.schema, Mapping) else None
    if isinstance(custom, str) and custom:
        return custom
    if kind == "minLength" and value == 1:
        return "不能为空"
    messages = {
        "type": lambda: (
            f"应为{'或'.join(_TYPE_NAMES.get(t, t) for t in ([value] if isinstance(value, str) else value))}"
        ),
        "enum": lambda: "请选择有效的选项",
        "oneOf": lambda: "请选择有效的选项",
        "anyOf": lambda: "请选择有效的选项",
        "const": lambda: "取值无效",
        "minLength": lambda: f"至少 {value} 个字符",
        "maxLength": lambda: f"不能超过 {value} 个字符",
        "minimum": lambda: f"不能小于 {value}",
        "maximum": lambda: f"不能大于 {value}",
        "exclusiveMinimum": lambda: f"必须大于 {value}",
        "exclusiveMaximum": lambda: f"必须小于 {value}",
        "minItems": lambda: f"至少选择或填写 {value} 项",
        "maxItems": lambda: f"最多选择或填写 {value} 项",
        "uniqueItems": lambda: "不能有重复项",
        "pattern": lambda: "格式不正确",
        "format": lambda: {"date": "日期格式应为 YYYY-MM-DD", "date-time": "时间格式不正确"}.get(
            value, "格式不正确"
        ),
        "additionalProperties": lambda: "包含不允许的字段",
        "not": lambda: "取值不允许",
    }
    return messages.get(kind, lambda: "取值无效")()


def _path(parts: Any) -> str:
    return ".".join(str(p) for p in parts) or ROOT_FIELD


_FORMATS = FormatChecker()  # stateless; building one walks every known format


def validate(schema: Mapping[str, Any], data: Any) -> dict[str, str]:
    """Validate `data` against `schema`: {field path (e.g. `results.0.result_codes`): 中文信息}.

    Empty when valid. A missing required field is reported at its own path; the root is `__all__`.
    """
    return _errors(Draft202012Validator(schema, format_checker=_FORMATS), data)


def _errors(validator: Draft202012Validator, data: Any) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in sorted(validator.iter_errors(data), key=relevance, reverse=True):
        if error.validator == "required" and isinstance(error.instance, dict):
            for name in error.validator_value:
                if name not in error.instance:
                    errors.setdefault(_path([*error.absolute_path, name]), "必填项")
            continue
        errors.setdefault(_path(error.absolute_path), _message(error))
    return errors


# --- validating a task's form: compiled once per schema and options --------------------------------
#
# Submitting a task validates against its schema with the run-time choices filled in. Instead of
# copying the whole schema, resolving it and building a validator on every submission, the places
# of its choice nodes are found once per schema object (a parsed model's forms never change), and
# a validator is kept per schema and distinct options. Where the options are distinct constants
# the validator checks them with `enum` instead of `oneOf` of `const`s: the same values pass and
# the same message is given ("请选择有效的选项"), without trying every option as a subschema.

_CACHE_SIZE = 256
_PLANS: dict[int, tuple[Any, tuple | None]] = {}  # id(schema) -> (schema, choice nodes or None)
_VALIDATORS: dict[tuple, Draft202012Validator] = {}


def _plan(schema: Mapping[str, Any]) -> tuple | None:
    """The choice nodes of `schema` as (path, x-choices-from, x-choices-service); None when one
    lies inside another's options (then the schema is resolved as a whole)."""
    found = _PLANS.get(id(schema))
    if found is not None and found[0] is schema:
        return found[1]
    nodes: list[tuple[tuple, Any, Any]] = []

    def walk(node: Any, path: tuple) -> None:
        if isinstance(node, dict):
            if "x-choices-from" in node or "x-choices-service" in node:
                nodes.append((path, node.get("x-choices-from"), node.get("x-choices-service")))
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, (*path, i))

    walk(schema, ())
    paths = [n[0] for n in nodes]
    nested = any(a != b and b[: len(a)] == a and b[len(a)] in ("oneOf", "enum") for a in paths for b in paths)
    plan = None if nested else tuple(nodes)
    if len(_PLANS) >= _CACHE_SIZE:
        _PLANS.clear()
    _PLANS[id(schema)] = (schema, plan)  # the schema is kept: its id is not reused meanwhile
    return plan


def validate_resolved(
    schema: Mapping[str, Any],
    choice_data: Mapping[str, Any],
    sources: Mapping[str, Callable[[], Any]] | None,
    data: Any,
) -> dict[str, str]:
    """`validate(resolve_choices(schema, choice_data, sources), data)`, with the validator
    compiled once per schema and distinct options. `schema` must not be changed afterwards."""
    plan = _plan(schema)
    if plan is None:
        return validate(resolve_choices(schema, choice_data, sources), data)
    fetched: dict[str, Any] = {}
    options = []
    for _path, variable, service in plan:
        found = None
        if isinstance(service, str) and sources is not None and service in sources:
            if service not in fetched:
                got = sources[service]()
                fetched[service] = got if isinstance(got, list) else []
            found = ("service", fetched[service])
        elif variable and isinstance(choice_data.get(variable), list):
            found = ("from", choice_data[variable])
        options.append(found)
    key = (id(schema), json.dumps(options, sort_keys=True, default=repr))
    validator = _VALIDATORS.get(key)
    if validator is None:
        validator = Draft202012Validator(_with_options(schema, plan, options), format_checker=_FORMATS)
        if len(_VALIDATORS) >= _CACHE_SIZE:
            _VALIDATORS.clear()
        _VALIDATORS[key] = validator
    return _errors(validator, data)


def _with_options(schema: Mapping[str, Any], plan: tuple, options: list) -> dict:
    resolved = copy.deepcopy(dict(schema))
    for (path, _variable, _service), found in zip(plan, options, strict=True):
        if found is None:
            continue
        node: Any = resolved
        for part in path:
            node = node[part]
        how, values = found
        listed = _options(values)
        consts = [json.dumps(o.get("const"), sort_keys=True, default=repr) for o in listed]
        if how == "service":
            node.pop("enum", None)
        if all("const" in o for o in listed) and len(set(consts)) == len(consts) and "enum" not in node:
            node.pop("oneOf", None)
            node["enum"] = [o["const"] for o in listed]
        else:
            node["oneOf"] = listed
    return resolved
