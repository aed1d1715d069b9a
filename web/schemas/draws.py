"""marshmallow schemas of the draws API (随机抽取): previews, records, targets, re-draws."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from web.schemas.registers import ZhSchema, field, text

KINDS = ("recusal", "absence")


class ListArgs(ZhSchema):
    class Meta:
        unknown = EXCLUDE

    task_id = field(fields.Integer)


class CommitIn(ZhSchema):
    task_id = field(fields.Integer, required=True, strict=True)
    entropy = text(
        256,
        load_default=None,
        allow_none=True,
        metadata={"description": "公开随机值 (e.g. lottery numbers); empty: the system generates one"},
    )


class RedrawIn(ZhSchema):
    assignment_id = field(fields.Integer, required=True, strict=True)
    kind = field(
        fields.String, required=True, validate=validate.OneOf(KINDS, error="应为 recusal 或 absence")
    )
    reason = text(200, required=True)


class VoidIn(ZhSchema):
    reason = text(256, required=True)


class RulesIn(ZhSchema):
    dmn = text(200_000, required=True, metadata={"description": "DMN XML with decision draw_ratios"})
    minimums = field(
        fields.List,
        field(
            fields.List,
            field(fields.Integer, strict=True),
            validate=validate.Length(equal=2, error="应为两个整数"),
        ),
        load_default=list,
        metadata={"description": "[[pool_at_most, at_least], ...]"},
    )
    comment = text(256, load_default="")


class PageArgs(ZhSchema):
    class Meta:
        unknown = EXCLUDE

    page = field(fields.Integer, load_default=1, validate=validate.Range(min=1, error="应为正整数"))
    per_page = field(
        fields.Integer, load_default=100, validate=validate.Range(min=1, max=1000, error="应在 1—1000 之间")
    )


class DepartmentOut(Schema):
    key = fields.String()
    department_id = fields.Integer()
    name = fields.String()
    lead = fields.Boolean()
    per_target = fields.Integer()
    eligible = fields.Integer()


class PreviewOut(Schema):
    task_id = fields.Integer()
    pool_size = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    ratios = fields.Dict(keys=fields.String(), values=fields.String())
    sizes = fields.Dict(keys=fields.String(), values=fields.Integer())
    total = fields.Integer()
    minimums = fields.List(fields.List(fields.Integer()))
    rules_version = fields.Integer()
    filters = fields.Dict()
    departments = fields.List(fields.Nested(DepartmentOut))
    pending_departments = fields.List(fields.Integer())


class DrawOut(Schema):
    id = fields.Integer()
    task_id = fields.Integer()
    task_number = fields.String()
    status = fields.String()
    algorithm = fields.String()
    commitment = fields.String()
    committed_at = fields.DateTime()
    entropy = fields.String(allow_none=True, metadata={"description": "null until drawn"})
    seed = fields.String(allow_none=True)
    pool_hash = fields.String(allow_none=True)
    pool_count = fields.Integer()
    filters = fields.Dict()
    ratios = fields.Dict()
    minimums = fields.List(fields.List(fields.Integer()))
    counts = fields.Dict()
    sizes = fields.Dict()
    shortages = fields.List(fields.String())
    loads = fields.Dict()
    redraws = fields.List(fields.Dict())
    void = fields.Dict(allow_none=True)
    operator_id = fields.Integer(allow_none=True)
    drawn_at = fields.DateTime(allow_none=True)
    confirmed_at = fields.DateTime(allow_none=True)
    confirmed_by_id = fields.Integer(allow_none=True)
    spawn_progress = fields.Dict()


class DrawList(Schema):
    items = fields.List(fields.Nested(DrawOut))


class SlotOut(Schema):
    assignment_id = fields.Integer()
    inspector_id = fields.Integer()
    name = fields.String()
    cert_no = fields.String()
    leader = fields.Boolean()
    redraw_no = fields.Integer()


class TargetOut(Schema):
    rank = fields.Integer()
    enterprise_id = fields.Integer()
    uscc = fields.String()
    name = fields.String()
    risk_class = fields.String()
    region_code = fields.String(allow_none=True)
    departments = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(SlotOut)))


class TargetPage(Schema):
    page = fields.Integer()
    pages = fields.Integer()
    items = fields.List(fields.Nested(TargetOut))


class PoolOut(Schema):
    count = fields.Integer()
    pool_hash = fields.String(allow_none=True)
    page = fields.Integer()
    pages = fields.Integer()
    members = fields.List(fields.List(fields.String()), metadata={"description": "[[uscc, risk_class], ...]"})


class VerifyOut(Schema):
    draw_id = fields.Integer()
    status = fields.String()
    match = fields.Boolean()
    problems = fields.List(fields.String())


class AssignmentOut(Schema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    department_id = fields.Integer()
    inspector_id = fields.Integer()
    is_leader = fields.Boolean()
    redraw_no = fields.Integer()


class RulesOut(Schema):
    version = fields.Integer()
    dmn = fields.String()
    minimums = fields.List(fields.List(fields.Integer()))
    content_hash = fields.String()
    ratios = fields.Dict(keys=fields.String(), values=fields.String())
