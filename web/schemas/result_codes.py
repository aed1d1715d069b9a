"""marshmallow schemas of the result dictionary API (/api/v1/result-codes)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from web.schemas.registers import ZhSchema, field, text


class ResultCodeOut(Schema):
    code = fields.String()
    name = fields.String()
    parent_code = fields.String(allow_none=True)
    counts_as_problem = fields.Boolean()
    problem = fields.Boolean(metadata={"description": "counts as problem found (itself or its parent)"})
    sort_order = fields.Integer()
    active = fields.Boolean()
    in_use = fields.Boolean(metadata={"description": "used in a submitted checklist: cannot be deleted"})


class ResultCodeList(Schema):
    items = fields.List(fields.Nested(ResultCodeOut))


class ResultCodeArgs(ZhSchema):
    active = field(fields.Boolean, load_default=None, allow_none=True)


class _Editable(ZhSchema):
    name = text(64)
    parent_code = field(
        fields.String, allow_none=True, validate=validate.Length(max=8, error="最多 {max} 个字符")
    )
    counts_as_problem = field(fields.Boolean)
    sort_order = field(
        fields.Integer,
        strict=True,
        validate=validate.Range(min=0, max=100_000, error="应在 {min}—{max} 之间"),
    )
    active = field(fields.Boolean)


class ResultCodeIn(_Editable):
    code = text(8, required=True)
    name = text(64, required=True)


class ResultCodePatch(_Editable):
    pass
