"""marshmallow schemas of the registers API (一单两库): input, output, list arguments, pages.

Every field carries Chinese error messages, because webargs turns them into the per-field
messages of the one error shape (422).
"""

from __future__ import annotations

from marshmallow import EXCLUDE, RAISE, Schema, fields, pre_dump, validate

from adapters.models.registers import ENTERPRISE_STATUSES, ITEM_CATEGORIES, RISK_CLASSES
from adapters.queries.registers import joint_list_groups

ZH = {"required": "此项为必填项", "null": "此项不能为空", "validator_failed": "取值无效"}
INVALID = {
    fields.String: "应为文本",
    fields.Integer: "应为整数",
    fields.Boolean: "应为 true 或 false",
    fields.Date: "日期格式应为 YYYY-MM-DD",
    fields.List: "应为列表",
}


FIELDS_DOC = {"description": "执法领域 (enforcement fields)"}


def field(cls, *args, **kw):
    """A marshmallow field with Chinese messages."""
    messages = {**ZH, "invalid": INVALID.get(cls, "格式无效"), **kw.pop("error_messages", {})}
    return cls(*args, error_messages=messages, **kw)


def text(max_len: int, required: bool = False, **kw):
    return field(
        fields.String,
        required=required,
        validate=validate.Length(min=1 if required else 0, max=max_len, error="长度应为 {min}—{max} 个字符"),
        **kw,
    )


def one_of(choices, **kw):
    return field(fields.String, validate=validate.OneOf(choices, error="取值无效，应为：{choices}"), **kw)


def ids(strict: bool = True, **kw):
    """A list of ids: strict (no "1" strings) in JSON bodies, not in query strings."""
    return field(fields.List, field(fields.Integer, strict=strict), **kw)


class ZhSchema(Schema):
    error_messages = {"unknown": "未知字段", "type": "数据格式无效"}

    class Meta:
        unknown = RAISE


class Ref(Schema):
    id = fields.Integer()
    name = fields.String()


class ItemRef(Ref):
    code = fields.String()


# --- list arguments and pages -------------------------------------------------------------


class PageArgs(ZhSchema):
    class Meta:
        unknown = EXCLUDE  # the query string also carries e.g. ?lang=

    after = field(fields.Integer, validate=validate.Range(min=0, error="应为非负整数"))
    before = field(fields.Integer, validate=validate.Range(min=0, error="应为非负整数"))
    limit = field(fields.Integer, validate=validate.Range(min=1, max=200, error="应在 {min}—{max} 之间"))
    with_total = field(fields.Boolean, metadata={"description": "include a count capped at 10000"})
    q = text(64, metadata={"description": "name (or code) prefix"})
    active = field(fields.Boolean)


class EnterpriseArgs(PageArgs):
    industry = text(4, metadata={"description": "GB/T 4754 prefix or section letter"})
    region = text(6)
    risk = field(fields.List, one_of(RISK_CLASSES))
    tag = ids(strict=False)
    status = one_of(ENTERPRISE_STATUSES)


class ItemArgs(PageArgs):
    department_id = field(fields.Integer)
    category = one_of(ITEM_CATEGORIES)


class JointListArgs(PageArgs):
    department_id = field(fields.Integer)
    industry = text(4)


class InspectorArgs(PageArgs):
    department_id = field(fields.Integer)
    region = text(6)
    tag = ids(strict=False)


class ExpertArgs(PageArgs):
    department_id = field(fields.Integer)


class PageOut(Schema):
    next_after = fields.Integer(allow_none=True)
    prev_before = fields.Integer(allow_none=True)
    total = fields.Integer(allow_none=True)
    total_capped = fields.Boolean()


def page_of(out: type[Schema], name: str) -> type[Schema]:
    return type(name, (PageOut,), {"items": fields.List(fields.Nested(out))})


# --- tags -----------------------------------------------------------------------------------


class TagIn(ZhSchema):
    name = text(64, required=True)
    description = text(256, allow_none=True)


class TagOut(Schema):
    id = fields.Integer()
    name = fields.String()
    description = fields.String(allow_none=True)
    active = fields.Boolean()


# --- inspection items and joint lists ----------------------------------------------------------


class ItemIn(ZhSchema):
    code = text(32, required=True)
    name = text(128, required=True)
    department_id = field(fields.Integer, required=True, strict=True)
    legal_basis = field(fields.String, allow_none=True)
    method = text(128, allow_none=True)
    category = one_of(ITEM_CATEGORIES, required=True)
    enforcement_fields = text(
        128, allow_none=True, data_key="fields", attribute="fields", metadata=FIELDS_DOC
    )


class ItemOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    department = fields.Nested(Ref)
    legal_basis = fields.String(allow_none=True)
    method = fields.String(allow_none=True)
    category = fields.String()
    enforcement_fields = fields.String(
        allow_none=True, data_key="fields", attribute="fields", metadata=FIELDS_DOC
    )
    active = fields.Boolean()


class JointListIn(ZhSchema):
    name = text(64, required=True)
    industry_codes = field(
        fields.List, text(5), required=True, validate=validate.Length(min=1, error="至少一项")
    )
    lead_department_id = field(fields.Integer, required=True, strict=True)
    cooperating_department_ids = ids()
    item_ids = ids(metadata={"description": "items of the lead and cooperating departments"})
    frequency_per_year = field(
        fields.Integer, validate=validate.Range(min=1, max=12, error="应在 {min}—{max} 之间")
    )
    notes = field(fields.String, allow_none=True)


class JointListDepartmentOut(Schema):
    department = fields.Nested(Ref)
    role = fields.String(metadata={"description": "lead | cooperating"})
    items = fields.List(fields.Nested(ItemRef))


class JointListOut(Schema):
    id = fields.Integer()
    name = fields.String()
    industry_codes = fields.List(fields.String())
    lead_department = fields.Nested(Ref)
    departments = fields.List(fields.Nested(JointListDepartmentOut))
    frequency_per_year = fields.Integer()
    notes = fields.String(allow_none=True)
    active = fields.Boolean()

    @pre_dump
    def _grouped(self, jl, **_kw):
        """Departments with their items, the lead first (the model keeps them as two sets)."""
        names = ("id", "name", "industry_codes", "lead_department", "frequency_per_year", "notes", "active")
        return {**{n: getattr(jl, n) for n in names}, "departments": joint_list_groups(jl)}


# --- enterprises --------------------------------------------------------------------------------


class EnterpriseIn(ZhSchema):
    uscc = text(18, required=True, metadata={"description": "统一社会信用代码"})
    uscc_override = field(
        fields.Boolean, metadata={"description": "accept a code whose only problem is the check character"}
    )
    uscc_override_reason = text(256, allow_none=True)
    name = text(128, required=True)
    industry_code = text(5, required=True, metadata={"description": "GB/T 4754-2017, 2–4 digits"})
    region_code = text(6, required=True)
    address = text(256, allow_none=True)
    legal_representative = text(64, allow_none=True)
    contact = text(64, allow_none=True)
    risk_class = one_of(RISK_CLASSES)
    status = one_of(ENTERPRISE_STATUSES)
    tag_ids = ids()
    last_inspected_on = field(fields.Date, allow_none=True)


class EnterpriseOut(Schema):
    id = fields.Integer()
    uscc = fields.String()
    name = fields.String()
    industry_code = fields.String()
    region_code = fields.String()
    region_name = fields.String(attribute="region.name", allow_none=True)
    address = fields.String(allow_none=True)
    legal_representative = fields.String(allow_none=True)
    contact = fields.String(allow_none=True)
    risk_class = fields.String()
    status = fields.String()
    tags = fields.List(fields.Nested(Ref))
    last_inspected_on = fields.Date(allow_none=True)
    uscc_override = fields.Boolean()
    uscc_override_reason = fields.String(allow_none=True)
    uscc_override_by_id = fields.Integer(allow_none=True)
    uscc_override_at = fields.DateTime(allow_none=True)


# --- inspectors and their conflicts ----------------------------------------------------------


class InspectorIn(ZhSchema):
    cert_no = text(32, required=True, metadata={"description": "执法证号"})
    name = text(64, required=True)
    department_id = field(fields.Integer, required=True, strict=True)
    enforcement_fields = text(
        128, allow_none=True, data_key="fields", attribute="fields", metadata=FIELDS_DOC
    )
    region_code = text(6, allow_none=True)
    phone = text(32, allow_none=True)
    tag_ids = ids()


class InspectorOut(Schema):
    id = fields.Integer()
    cert_no = fields.String()
    name = fields.String()
    department = fields.Nested(Ref)
    enforcement_fields = fields.String(
        allow_none=True, data_key="fields", attribute="fields", metadata=FIELDS_DOC
    )
    region_code = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    tags = fields.List(fields.Nested(Ref))
    active = fields.Boolean()


class ConflictIn(ZhSchema):
    uscc = text(18, required=True, metadata={"description": "the enterprise, by its USCC"})
    reason = text(256, required=True)


class ConflictOut(Schema):
    id = fields.Integer()
    enterprise = fields.Nested(Ref)
    uscc = fields.String(attribute="enterprise.uscc")
    reason = fields.String()
    declared_at = fields.DateTime()
    declared_by_id = fields.Integer(allow_none=True)
    active = fields.Boolean()


# --- experts ------------------------------------------------------------------------------------


class ExpertIn(ZhSchema):
    name = text(64, required=True)
    specialty = text(128, allow_none=True)
    organisation = text(128, allow_none=True)
    phone = text(32, allow_none=True)
    department_id = field(fields.Integer, allow_none=True, strict=True)


class ExpertOut(Schema):
    id = fields.Integer()
    name = fields.String()
    specialty = fields.String(allow_none=True)
    organisation = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    department = fields.Nested(Ref, allow_none=True)
    active = fields.Boolean()
    note = fields.Constant("专家仅提供协助，不作为检查主体", metadata={"description": "assists only"})


TagPage = page_of(TagOut, "TagPage")
ItemPage = page_of(ItemOut, "ItemPage")
JointListPage = page_of(JointListOut, "JointListPage")
EnterprisePage = page_of(EnterpriseOut, "EnterprisePage")
InspectorPage = page_of(InspectorOut, "InspectorPage")
ExpertPage = page_of(ExpertOut, "ExpertPage")


class ConflictList(Schema):
    items = fields.List(fields.Nested(ConflictOut))


def patch_of(schema: type[Schema]) -> Schema:
    """A partial-update (PATCH) schema under its own name, so OpenAPI lists both."""
    return type(schema.__name__.replace("In", "Patch"), (schema,), {})(partial=True)


TagPatch = patch_of(TagIn)
ItemPatch = patch_of(ItemIn)
JointListPatch = patch_of(JointListIn)
EnterprisePatch = patch_of(EnterpriseIn)
InspectorPatch = patch_of(InspectorIn)
ExpertPatch = patch_of(ExpertIn)
