"""Schemas of the organisation API: users, departments, regions and the current user.

Types and choices are checked here (they document the API); the business rules (unique
username, GB/T 2260 codes, self-protection) are checked by `web.admin.services`.
"""

from __future__ import annotations

from marshmallow import Schema as _Schema
from marshmallow import fields, validate

from engine.access import ROLES
from engine.org import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH

LEVELS = ("city", "county")
# Chinese messages: they reach users through the API's error shape.
ERRORS = {"required": "必填", "null": "不能为空", "invalid": "格式不正确"}
LIST_ERRORS = {**ERRORS, "invalid": "应为列表"}


def _length(lo: int | None = None, hi: int | None = None) -> validate.Length:
    error = "不能超过{max}个字符" if lo is None else "长度应在{min}—{max}个字符之间"
    return validate.Length(min=lo, max=hi, error=error)


def _one_of(choices) -> validate.OneOf:
    return validate.OneOf(choices, error="应为以下之一：{choices}")


def Str(**kw) -> fields.Str:  # noqa: N802 - reads like the field class it builds
    return fields.Str(error_messages=ERRORS, **kw)


def Int(**kw) -> fields.Int:  # noqa: N802
    return fields.Int(error_messages=ERRORS, **kw)


def Id(**kw) -> fields.Int:  # noqa: N802
    """An id: a positive INTEGER (larger values cannot exist and would upset PostgreSQL)."""
    return fields.Int(error_messages=ERRORS, validate=validate.Range(1, 2**31 - 1, error="编号无效"), **kw)


def Bool(**kw) -> fields.Bool:  # noqa: N802
    return fields.Bool(error_messages=ERRORS, **kw)


_password = {
    "load_only": True,
    "validate": validate.Length(
        min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH, error="密码长度应为{min}—{max}个字符"
    ),
    "metadata": {"description": f"at least {PASSWORD_MIN_LENGTH} characters; stored only as a scrypt hash"},
}


class Schema(_Schema):
    error_messages = {"unknown": "未知字段", "type": "数据格式不正确"}


class DepartmentBriefSchema(Schema):
    id = Int(dump_only=True)
    name = Str(dump_only=True)
    short_name = Str(dump_only=True, allow_none=True)


class DepartmentSchema(Schema):
    id = Int(dump_only=True)
    name = Str(metadata={"description": "部门名称"})
    short_name = Str(allow_none=True)
    level = Str(validate=_one_of(LEVELS), metadata={"description": "city (市) or county (县区)"})
    region_code = Str(metadata={"description": "GB/T 2260 code of the department's region"})
    region_name = fields.Function(lambda d: d.region.name if d.region else None, dump_only=True)
    parent_id = Id(allow_none=True)
    active = Bool(dump_only=True)


class DepartmentCreateSchema(Schema):
    name = Str(required=True, validate=_length(1, 64))
    short_name = Str(allow_none=True, validate=_length(None, 32))
    level = Str(required=True, validate=_one_of(LEVELS))
    region_code = Str(required=True, validate=validate.Length(equal=6, error="应为6位"))
    parent_id = Id(allow_none=True)


class DepartmentUpdateSchema(DepartmentCreateSchema):
    name = Str(validate=_length(1, 64))
    level = Str(validate=_one_of(LEVELS))
    region_code = Str(validate=validate.Length(equal=6, error="应为6位"))
    active = Bool()


class DepartmentQuerySchema(Schema):
    active = Bool(metadata={"description": "only active (true) or deactivated (false) departments"})
    region_code = Str()


class RegionSchema(Schema):
    code = Str(metadata={"description": "GB/T 2260 six-digit code"})
    name = Str()
    level = Str(validate=_one_of(LEVELS))
    parent_code = Str(allow_none=True)
    active = Bool(dump_only=True)


class RegionCreateSchema(Schema):
    code = Str(required=True, validate=validate.Regexp(r"^\d{6}$", error="应为6位数字"))
    name = Str(required=True, validate=_length(1, 64))
    level = Str(required=True, validate=_one_of(LEVELS))
    parent_code = Str(allow_none=True, metadata={"description": "the city of a county/district"})


class RegionUpdateSchema(Schema):
    name = Str(validate=_length(1, 64))
    parent_code = Str(allow_none=True)
    active = Bool()


class RegionQuerySchema(Schema):
    level = Str(validate=_one_of(LEVELS))
    parent_code = Str()
    active = Bool()


class UserSchema(Schema):
    id = Int(dump_only=True)
    username = Str()
    display_name = Str()
    email = Str(allow_none=True)
    department_id = Id(allow_none=True)
    department = fields.Nested(DepartmentBriefSchema, allow_none=True, dump_only=True)
    roles = fields.Function(lambda u: sorted(u.roles), dump_only=True)
    active = Bool(dump_only=True)
    last_login_at = fields.DateTime(allow_none=True, dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class UserCreateSchema(Schema):
    username = Str(required=True, validate=_length(2, 64))
    display_name = Str(required=True, validate=_length(1, 64))
    email = Str(allow_none=True, validate=_length(None, 128))
    department_id = Id(allow_none=True)
    roles = fields.List(Str(validate=_one_of(ROLES)), required=True, error_messages=LIST_ERRORS)
    password = Str(required=True, **_password)


class UserUpdateSchema(Schema):
    display_name = Str(validate=_length(1, 64))
    email = Str(allow_none=True, validate=_length(None, 128))
    department_id = Id(allow_none=True)
    roles = fields.List(Str(validate=_one_of(ROLES)), error_messages=LIST_ERRORS)
    active = Bool(metadata={"description": "false deactivates: no login, tokens stop working"})
    password = Str(**_password)


class UserQuerySchema(Schema):
    q = Str(metadata={"description": "part of the username, name or email"})
    department_id = Id()
    role = Str(validate=_one_of(ROLES))
    active = Bool()


class PermissionsSchema(Schema):
    everywhere = fields.List(Str(), metadata={"description": "actions allowed on any resource"})
    own_department = fields.List(
        Str(), metadata={"description": "actions allowed on the own department's resources"}
    )


class MeSchema(UserSchema):
    permissions = fields.Nested(PermissionsSchema)
    via_token = Bool(metadata={"description": "true when the request came with a bearer token"})
