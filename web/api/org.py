"""API of the organisation: /api/v1/me, /users, /departments, /regions.

Departments and regions are readable by every user with a role (other pages offer them as
choices); users by the office, auditors and the sysadmin, and by officers for their own
department; only the sysadmin creates and changes them.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import g
from flask.views import MethodView
from flask_login import current_user

from adapters.models import Department, Region, User
from adapters.queries import org as q
from engine.access import can, known_actions
from web.admin import services
from web.api import api_blueprint
from web.auth import allowed, current_actor, ensure, require
from web.schemas.org import (
    DepartmentCreateSchema,
    DepartmentQuerySchema,
    DepartmentSchema,
    DepartmentUpdateSchema,
    MeSchema,
    RegionCreateSchema,
    RegionQuerySchema,
    RegionSchema,
    RegionUpdateSchema,
    UserCreateSchema,
    UserQuerySchema,
    UserSchema,
    UserUpdateSchema,
)

me_bp = api_blueprint("me", __name__, "/me", description="The current user, their department and roles")
users_bp = api_blueprint("users", __name__, "/users", description="Users and their roles")
departments_bp = api_blueprint("departments", __name__, "/departments", description="Departments (部门)")
regions_bp = api_blueprint(
    "regions", __name__, "/regions", description="Administrative divisions (GB/T 2260)"
)


@me_bp.route("")
class Me(MethodView):
    @me_bp.response(200, MeSchema)
    def get(self):
        actor = current_actor()
        user = current_user._get_current_object()
        own = actor.department_id
        everywhere = sorted(a for a in known_actions() if can(actor, a))
        mine = sorted(a for a in known_actions() if own and not can(actor, a) and can(actor, a, own))
        return SimpleNamespace(
            **{k: getattr(user, k) for k in UserSchema().fields if k != "roles"},
            roles=user.roles,
            permissions={"everywhere": everywhere, "own_department": mine},
            via_token=bool(g.get("via_token")),
        )


@users_bp.route("")
class Users(MethodView):
    @require("users.read")
    @users_bp.arguments(UserQuerySchema, location="query")
    @users_bp.response(200, UserSchema(many=True))
    @users_bp.paginate()
    def get(self, args, pagination_parameters):
        """Users matching the filters; an officer sees only their own department's users."""
        if not allowed("users.read"):
            args["department_id"] = current_user.department_id
        flt = q.UserFilter(**args)
        rows, total = q.users_page(
            flt, limit=pagination_parameters.page_size, offset=pagination_parameters.first_item
        )
        pagination_parameters.item_count = total
        return rows

    @require("admin.manage")
    @users_bp.arguments(UserCreateSchema)
    @users_bp.response(201, UserSchema)
    def post(self, data):
        user, _generated = services.create_user(data, current_user)
        return user


@users_bp.route("/<int:user_id>")
class UserById(MethodView):
    @require("users.read")
    @users_bp.response(200, UserSchema)
    def get(self, user_id: int):
        user = services.get_or_404(User, user_id, "用户")
        ensure("users.read", user.department_id)
        return user

    @require("admin.manage")
    @users_bp.arguments(UserUpdateSchema)
    @users_bp.response(200, UserSchema)
    def patch(self, data, user_id: int):
        user = services.get_or_404(User, user_id, "用户")
        return services.update_user(user, data, current_user)


@departments_bp.route("")
class Departments(MethodView):
    @require("org.read")
    @departments_bp.arguments(DepartmentQuerySchema, location="query")
    @departments_bp.response(200, DepartmentSchema(many=True))
    def get(self, args):
        return q.departments(**args)

    @require("admin.manage")
    @departments_bp.arguments(DepartmentCreateSchema)
    @departments_bp.response(201, DepartmentSchema)
    def post(self, data):
        return services.save_department(None, data)


@departments_bp.route("/<int:department_id>")
class DepartmentById(MethodView):
    @require("org.read")
    @departments_bp.response(200, DepartmentSchema)
    def get(self, department_id: int):
        return services.get_or_404(Department, department_id, "部门")

    @require("admin.manage")
    @departments_bp.arguments(DepartmentUpdateSchema)
    @departments_bp.response(200, DepartmentSchema)
    def patch(self, data, department_id: int):
        return services.save_department(services.get_or_404(Department, department_id, "部门"), data)


@regions_bp.route("")
class Regions(MethodView):
    @require("org.read")
    @regions_bp.arguments(RegionQuerySchema, location="query")
    @regions_bp.response(200, RegionSchema(many=True))
    def get(self, args):
        return q.regions(**args)

    @require("admin.manage")
    @regions_bp.arguments(RegionCreateSchema)
    @regions_bp.response(201, RegionSchema)
    def post(self, data):
        return services.create_region(data)


@regions_bp.route("/<code>")
class RegionByCode(MethodView):
    @require("org.read")
    @regions_bp.response(200, RegionSchema)
    def get(self, code: str):
        return services.get_or_404(Region, code, "行政区划")

    @require("admin.manage")
    @regions_bp.arguments(RegionUpdateSchema)
    @regions_bp.response(200, RegionSchema)
    def patch(self, data, code: str):
        return services.update_region(services.get_or_404(Region, code, "行政区划"), data)
