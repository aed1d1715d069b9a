"""marshmallow schemas of the publication API (公示管理): published results, follow-up outcomes,
their corrections."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from adapters.publication.names import OUTCOMES
from web.schemas.registers import ZhSchema, field, one_of, text


class ResultArgs(Schema):
    q = field(
        fields.String, validate=validate.Length(max=200), metadata={"description": "USCC or name prefix"}
    )
    after = field(
        fields.Integer, validate=validate.Range(min=1), metadata={"description": "id of the last row"}
    )


class PublishedItemOut(Schema):
    department = fields.String()
    item_code = fields.String()
    item_name = fields.String()
    result_codes = fields.List(fields.String())
    result_names = fields.List(fields.String())


class ResultOut(Schema):
    id = fields.Integer()
    case_id = fields.String()
    uscc = fields.String()
    enterprise_name = fields.String()
    plan_number = fields.String(allow_none=True)
    plan_name = fields.String(allow_none=True)
    task_number = fields.String(allow_none=True)
    task_name = fields.String(allow_none=True)
    inspection_type = fields.String()
    organs = fields.List(fields.String())
    lead_department_id = fields.Integer(allow_none=True)
    inspected_on = fields.Date(allow_none=True)
    completed_on = fields.Date()
    result_text = fields.String()
    items = fields.List(fields.Nested(PublishedItemOut))
    published_at = fields.DateTime()
    corrected_at = fields.DateTime(allow_none=True)
    correction_count = fields.Integer()


class ResultList(Schema):
    items = fields.List(fields.Nested(ResultOut))
    next_after = fields.Integer(allow_none=True)


class FollowUpOut(Schema):
    id = fields.Integer()
    follow_up_id = fields.String()
    case_id = fields.String()
    result_id = fields.Integer(allow_none=True)
    department_name = fields.String()
    problem = fields.String()
    measures = fields.String()
    outcome = fields.String()
    outcome_name = fields.String()
    outcome_note = fields.String(allow_none=True)
    completed_on = fields.Date(allow_none=True)
    published_at = fields.DateTime()
    corrected_at = fields.DateTime(allow_none=True)
    correction_count = fields.Integer()


class CorrectionOut(Schema):
    id = fields.Integer()
    result_id = fields.Integer(allow_none=True)
    follow_up_id = fields.Integer(allow_none=True)
    reason = fields.String()
    changes = fields.Dict()
    organ = fields.String()
    corrected_at = fields.DateTime()


class ResultDetail(ResultOut):
    follow_ups = fields.List(fields.Nested(FollowUpOut))
    corrections = fields.List(fields.Nested(CorrectionOut))


class ResultCorrectionIn(ZhSchema):
    reason = text(1000, required=True)
    enterprise_name = text(200)
    uscc = text(18)
    completed_on = field(fields.Date)
    item_results = field(
        fields.Dict,
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "item position (0, 1, …) -> its new result codes"},
    )


class FollowUpCorrectionIn(ZhSchema):
    reason = text(1000, required=True)
    problem = text(2000)
    measures = text(4000)
    outcome = one_of(list(OUTCOMES))
    outcome_note = text(2000)
    completed_on = field(fields.Date)
