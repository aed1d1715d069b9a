"""marshmallow schemas of the annual plan API (年度抽查计划): plans, revisions, rows, diffs and the
review steps. Chinese error messages, as in the other schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from web.schemas.registers import ZhSchema, field, ids, one_of, text


class PlanArgs(Schema):
    year = field(fields.Integer)


class PlanIn(ZhSchema):
    year = field(fields.Integer, required=True, strict=True)
    region_code = text(6, required=True)
    title = text(128)
    lead_department_ids = ids(
        metadata={
            "description": "departments that draft rows; default: the leads of the region's joint lists"
        }
    )
    from_joint_lists = field(fields.Boolean, load_default=False)


class RevisionOut(Schema):
    id = fields.Integer()
    number = fields.Integer()
    status = fields.String(metadata={"description": "draft | in_review | returned | approved | published"})
    reason = fields.String(allow_none=True)
    review_comment = fields.String(allow_none=True)
    created_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    published_at = fields.DateTime(allow_none=True)


class PlanOut(Schema):
    id = fields.Integer()
    year = fields.Integer()
    region_code = fields.String()
    title = fields.String()
    status = fields.String(metadata={"description": "draft | in_review | published | revising"})
    published_revision_id = fields.Integer(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    instance_id = fields.Integer(allow_none=True)


class PlanList(Schema):
    items = fields.List(fields.Nested(PlanOut))


class RowIn(ZhSchema):
    seq = field(fields.Integer, strict=True, allow_none=True)
    industry = text(64, required=True)
    industry_codes = field(fields.List, text(5))
    lead_department_id = field(
        fields.Integer,
        strict=True,
        allow_none=True,
        metadata={"description": "officers: their own department"},
    )
    task_name = text(128, required=True)
    department_ids = ids()
    joint_list_id = field(fields.Integer, strict=True, allow_none=True)
    items = text(2000, allow_none=True)
    target_scope = text(2000, allow_none=True)
    subject = text(128, allow_none=True)
    duties = text(2000, allow_none=True)
    ratio = text(64, allow_none=True)
    schedule = text(64, allow_none=True)
    notes = text(2000, allow_none=True)


class RowPatch(RowIn):
    """A partial row: the given fields change, the others keep their values."""

    industry = text(64)
    task_name = text(128)


class RowOut(Schema):
    id = fields.Integer()
    row_key = fields.String()
    seq = fields.Integer()
    industry = fields.String()
    industry_codes = fields.List(fields.String())
    lead_department_id = fields.Integer()
    task_name = fields.String()
    department_ids = fields.List(fields.Integer())
    joint_list_id = fields.Integer(allow_none=True)
    items = fields.String(allow_none=True)
    target_scope = fields.String(allow_none=True)
    subject = fields.String(allow_none=True)
    duties = fields.String(allow_none=True)
    ratio = fields.String(allow_none=True)
    schedule = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)


class PlanDetail(PlanOut):
    revision = fields.Nested(
        RevisionOut, metadata={"description": "the revision shown: the open one, else the published one"}
    )
    rows = fields.List(fields.Nested(RowOut))
    revisions = fields.List(fields.Nested(RevisionOut))


class RowList(Schema):
    revision = fields.Nested(RevisionOut)
    rows = fields.List(fields.Nested(RowOut))


class DiffArgs(Schema):
    from_ = field(fields.Integer, data_key="from")
    to = field(fields.Integer)


class CellChangeOut(Schema):
    column = fields.String()
    old = fields.String()
    new = fields.String()


class RowChangeOut(Schema):
    row_key = fields.String()
    seq = fields.String()
    task_name = fields.String()
    changes = fields.List(fields.Nested(CellChangeOut))


class DiffOut(Schema):
    from_ = fields.Integer(data_key="from")
    to = fields.Integer()
    added = fields.List(fields.Nested(RowChangeOut))
    removed = fields.List(fields.Nested(RowChangeOut))
    changed = fields.List(fields.Nested(RowChangeOut))


class SubmitIn(ZhSchema):
    note = text(1000)


class ReviewIn(ZhSchema):
    decision = one_of(["approve", "return"], required=True)
    reason = text(2000)
    return_departments = ids()


class PublishIn(ZhSchema):
    note = text(1000)


class AdjustIn(ZhSchema):
    reason = field(
        fields.String,
        required=True,
        validate=validate.Length(min=1, max=2000, error="长度应为 {min}—{max} 个字符"),
    )
    lead_department_ids = ids()
