"""marshmallow schemas of the case engine API: tasks, cases, timelines, incidents, process versions.

Inputs carry Chinese messages (webargs turns them into the per-field messages of the one error
shape); outputs document what the API returns.
"""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import EXCLUDE, INCLUDE, Schema, fields, validate

from adapters.queries.cases import TABS
from web.schemas.registers import ZhSchema, field, text

# --- inputs -----------------------------------------------------------------------------------


class TaskArgs(ZhSchema):
    class Meta:
        unknown = EXCLUDE

    tab = field(
        fields.String,
        load_default="mine",
        validate=validate.OneOf(TABS, error="取值无效，应为：{choices}"),
        metadata={"description": "mine 我的待办 · department 本部门待办 · overdue 逾期 · done 已办任务"},
    )
    model = text(64, metadata={"description": "process model id"})
    overdue = field(fields.Boolean, load_default=False, metadata={"description": "overdue tasks only"})
    q = text(64, metadata={"description": "part of the case title"})
    page = field(
        fields.Integer,
        load_default=1,
        validate=validate.Range(min=1, max=9999, error="应在 {min}—{max} 之间"),
    )
    limit = field(
        fields.Integer,
        load_default=30,
        validate=validate.Range(min=1, max=200, error="应在 {min}—{max} 之间"),
    )


class CaseArgs(ZhSchema):
    class Meta:
        unknown = EXCLUDE

    status = field(fields.String, validate=validate.OneOf(
        ("running", "waiting", "complete", "error", "cancelled", "suspended"), error="取值无效，应为：{choices}"
    ))  # fmt: skip
    model = text(64)
    q = text(64)
    page = field(
        fields.Integer,
        load_default=1,
        validate=validate.Range(min=1, max=9999, error="应在 {min}—{max} 之间"),
    )
    limit = field(
        fields.Integer,
        load_default=50,
        validate=validate.Range(min=1, max=200, error="应在 {min}—{max} 之间"),
    )


class FormData(Schema):
    """The form's data as a JSON object; its JSON Schema (see GET /tasks/<id>) says what it holds."""

    class Meta:
        unknown = INCLUDE


class ReassignIn(ZhSchema):
    user_id = field(fields.Integer, required=True, strict=True)


class ReasonIn(ZhSchema):
    reason = text(500, metadata={"description": "required to cancel or suspend"})


class IncidentArgs(ZhSchema):
    class Meta:
        unknown = EXCLUDE

    all = field(fields.Boolean, load_default=False, metadata={"description": "include resolved incidents"})


class VersionUpload(Schema):
    files = fields.List(Upload(), metadata={"description": ".bpmn, .dmn and .json files of one model"})


class AttachmentUpload(Schema):
    file = Upload(metadata={"description": "the file (required)"})


# --- outputs ----------------------------------------------------------------------------------


class CaseBrief(Schema):
    id = fields.Integer()
    title = fields.String()
    model_id = fields.String()
    status = fields.String()
    status_label = fields.String()
    summary = fields.Dict()


class TaskOut(Schema):
    id = fields.Integer()
    name = fields.String()
    element_id = fields.String()
    state = fields.String(metadata={"description": "ready | completed | cancelled"})
    department_id = fields.Integer(allow_none=True)
    department = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    assignee_id = fields.Integer(allow_none=True)
    assignee = fields.String(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    due_date = fields.String(allow_none=True)
    due_text = fields.String(allow_none=True, metadata={"description": "剩余 N 个工作日 / 已逾期 N 个工作日"})
    overdue = fields.Boolean()
    created_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)
    completed_by_id = fields.Integer(allow_none=True)
    case = fields.Nested(CaseBrief)


class AttachmentOut(Schema):
    id = fields.String()
    name = fields.String()
    sha256 = fields.String()
    size = fields.Integer()
    content_type = fields.String()


class TaskDetail(TaskOut):
    instructions = fields.String(allow_none=True)
    can_work = fields.Boolean(metadata={"description": "the caller may complete it now"})
    form_schema = fields.Dict(allow_none=True, metadata={"description": "JSON Schema of the form"})
    ui_schema = fields.Dict(allow_none=True)
    form_data = fields.Dict(metadata={"description": "pre-filled data (submitted data once done)"})
    attachments = fields.List(fields.Nested(AttachmentOut))


class TaskPage(Schema):
    items = fields.List(fields.Nested(TaskOut))
    page = fields.Integer()
    has_next = fields.Boolean()


class IncidentOut(Schema):
    id = fields.Integer()
    instance_id = fields.Integer()
    case_title = fields.String()
    element_id = fields.String()
    message = fields.String()
    created_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)


class IncidentList(Schema):
    items = fields.List(fields.Nested(IncidentOut))


class CaseOut(CaseBrief):
    version = fields.Integer()
    version_id = fields.Integer()
    business_key = fields.String(allow_none=True)
    department_id = fields.Integer(allow_none=True)
    started_at = fields.DateTime()
    updated_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)
    tasks = fields.List(fields.Nested(TaskOut))
    incidents = fields.List(fields.Nested(IncidentOut))
    diagram = fields.Dict(metadata={"description": "element ids: completed, active, overdue"})


class CasePage(Schema):
    items = fields.List(fields.Nested(CaseBrief))
    page = fields.Integer()
    has_next = fields.Boolean()


class EventOut(Schema):
    seq = fields.Integer()
    kind = fields.String()
    kind_label = fields.String()
    occurred_at = fields.DateTime()
    actor_id = fields.Integer(allow_none=True)
    actor_name = fields.String(allow_none=True)
    task = fields.String(allow_none=True)
    task_name = fields.String(allow_none=True)
    detail = fields.String()
    data = fields.Dict()


class Timeline(Schema):
    items = fields.List(fields.Nested(EventOut))


class VersionOut(Schema):
    id = fields.Integer()
    model_id = fields.String()
    version = fields.Integer()
    name = fields.String()
    status = fields.String(metadata={"description": "draft | deployed | retired"})
    content_hash = fields.String()
    files = fields.List(fields.String())
    created_by_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    deployed_at = fields.DateTime(allow_none=True)
    open_cases = fields.Integer()


class VersionList(Schema):
    items = fields.List(fields.Nested(VersionOut))


class ModelOut(Schema):
    model_id = fields.String()
    name = fields.String()
    versions = fields.List(fields.Nested(VersionOut))


class ModelList(Schema):
    items = fields.List(fields.Nested(ModelOut))
