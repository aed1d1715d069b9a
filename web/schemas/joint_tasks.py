"""marshmallow schemas of the joint tasks API (联合抽查任务): list arguments, opening a task (from a
plan row or ad hoc), a department's 报到, and what the API returns."""

from __future__ import annotations

from marshmallow import EXCLUDE, INCLUDE, Schema, fields, validate

from adapters.joint_tasks import REPORT_DAYS_MAX
from adapters.queries.joint_tasks import STATUS_FILTERS
from web.schemas.registers import ZhSchema, field, ids, one_of, text

RANGE = "应在 {min}—{max} 之间"


class JointTaskArgs(ZhSchema):
    class Meta:
        unknown = EXCLUDE  # the query string also carries e.g. ?lang=

    status = one_of(
        STATUS_FILTERS, metadata={"description": "task status, or `overdue`: a department is overdue"}
    )
    mine = field(
        fields.Boolean, load_default=False, metadata={"description": "only tasks my department takes part in"}
    )
    year = field(fields.Integer, validate=validate.Range(min=2000, max=2100, error=RANGE))
    page = field(fields.Integer, load_default=1, validate=validate.Range(min=1, max=9999, error=RANGE))
    limit = field(fields.Integer, load_default=30, validate=validate.Range(min=1, max=200, error=RANGE))


class JointTaskIn(ZhSchema):
    """From a published plan row: `plan_row_id` (and `report_days`). Ad hoc: `name`,
    `lead_department_id`, `ad_hoc_reason`, `department_ids` and/or `joint_list_id`."""

    plan_row_id = field(
        fields.Integer, strict=True, metadata={"description": "a row of a published annual plan"}
    )
    name = text(128)
    lead_department_id = field(fields.Integer, strict=True)
    joint_list_id = field(fields.Integer, strict=True, allow_none=True)
    department_ids = ids(metadata={"description": "联查部门 (cooperating departments)"})
    ad_hoc_reason = text(1000, metadata={"description": "required for a task outside the plan"})
    report_days = field(
        fields.Integer, strict=True, validate=validate.Range(min=1, max=REPORT_DAYS_MAX, error=RANGE)
    )
    window_start = field(fields.Date)
    window_end = field(fields.Date)


class ReportIn(Schema):
    """The caller's department's 报到 form (see processes/joint_task/report.json): participate,
    decline_reason, item_ids, inspector_tag_ids, inspectors_per_target, contact, contact_phone."""

    class Meta:
        unknown = INCLUDE


class JointTaskItemOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class JointTaskDepartmentOut(Schema):
    department_id = fields.Integer()
    name = fields.String()
    is_lead = fields.Boolean()
    status = fields.String(metadata={"description": "pending | confirmed | declined | overdue (stored)"})
    report_state = fields.String(metadata={"description": "lead | pending | confirmed | declined | overdue"})
    items = fields.List(fields.Nested(JointTaskItemOut))
    inspector_tag_ids = fields.List(fields.Integer())
    inspector_tags = fields.List(fields.String())
    inspectors_per_target = fields.Integer()
    due_at = fields.DateTime(allow_none=True)
    reported_at = fields.DateTime(allow_none=True)
    escalated_at = fields.DateTime(allow_none=True)
    comment = fields.String(allow_none=True)
    report_task_id = fields.Integer(allow_none=True)


class JointTaskOut(Schema):
    id = fields.Integer()
    number = fields.String()
    name = fields.String()
    status = fields.String()
    ad_hoc = fields.Boolean()
    ad_hoc_reason = fields.String(allow_none=True)
    plan_id = fields.Integer(allow_none=True)
    plan_row_key = fields.String(allow_none=True)
    joint_list_id = fields.Integer(allow_none=True)
    lead_department_id = fields.Integer()
    lead_department = fields.String()
    industry_codes = fields.List(fields.String())
    report_days = fields.Integer()
    window_start = fields.Date(allow_none=True)
    window_end = fields.Date(allow_none=True)
    instance_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    departments = fields.List(fields.Nested(JointTaskDepartmentOut))


class JointTaskLineOut(Schema):
    id = fields.Integer()
    number = fields.String()
    name = fields.String()
    status = fields.String()
    ad_hoc = fields.Boolean()
    lead_department_id = fields.Integer()
    lead_department = fields.String()
    reports = fields.Dict(
        keys=fields.String(), values=fields.Integer(), metadata={"description": "报到 status -> count"}
    )
    report_due = fields.DateTime(allow_none=True)


class JointTaskPage(Schema):
    items = fields.List(fields.Nested(JointTaskLineOut))
    page = fields.Integer()
    has_next = fields.Boolean()
