"""marshmallow schemas of /api/v1/inbox (the inbox with its filters) and /api/v1/notifications."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from adapters.queries.cases import TABS
from web.schemas.cases import CaseBrief, TaskOut
from web.schemas.registers import ZhSchema, field, text

PAGE = validate.Range(min=1, max=9999, error="应在 {min}—{max} 之间")
LIMIT = validate.Range(min=1, max=200, error="应在 {min}—{max} 之间")


class InboxArgs(ZhSchema):
    class Meta:
        unknown = EXCLUDE

    tab = field(
        fields.String,
        load_default="mine",
        validate=validate.OneOf(TABS, error="取值无效，应为：{choices}"),
        metadata={"description": "mine 我的待办 · department 本部门待办 · overdue 逾期 · done 已办任务"},
    )
    model = text(64, metadata={"description": "process model id"})
    task = text(64, metadata={"description": "part of the task name"})
    enterprise = text(
        64, metadata={"description": "part of the enterprise name, or the USCC (its beginning)"}
    )
    due_before = field(fields.Date, metadata={"description": "due on or before this day (local time)"})
    overdue = field(fields.Boolean, load_default=False, metadata={"description": "overdue tasks only"})
    q = text(64, metadata={"description": "part of the case title"})
    page = field(fields.Integer, load_default=1, validate=PAGE)
    limit = field(fields.Integer, load_default=30, validate=LIMIT)


class OverdueCaseOut(CaseBrief):
    department = fields.String(allow_none=True, metadata={"description": "lead department"})
    due_date = fields.String(allow_none=True)
    due_text = fields.String(allow_none=True, metadata={"description": "已逾期 N 个工作日"})


class InboxPage(Schema):
    items = fields.List(fields.Nested(TaskOut))
    page = fields.Integer()
    has_next = fields.Boolean()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": "per tab"})
    overdue_cases = fields.List(
        fields.Nested(OverdueCaseOut),
        metadata={"description": "tab=overdue, first page: open cases their timer marked overdue"},
    )


class NotificationArgs(ZhSchema):
    class Meta:
        unknown = EXCLUDE

    unread = field(fields.Boolean, load_default=False)
    page = field(fields.Integer, load_default=1, validate=PAGE)
    limit = field(fields.Integer, load_default=30, validate=LIMIT)


class NotificationOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "assigned | returned | overdue"})
    kind_label = fields.String()
    title = fields.String()
    body = fields.String()
    url = fields.String(allow_none=True, metadata={"description": "the page it leads to"})
    task_id = fields.Integer(allow_none=True)
    instance_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class NotificationPage(Schema):
    items = fields.List(fields.Nested(NotificationOut))
    page = fields.Integer()
    has_next = fields.Boolean()
    unread = fields.Integer(metadata={"description": "the caller's unread notifications"})


class ReadAllOut(Schema):
    marked = fields.Integer()
    unread = fields.Integer()
