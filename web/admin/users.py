"""Admin pages of users: list with filters, create, edit, deactivate/reactivate, reset password."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from adapters.models import User
from adapters.queries import org as q
from engine.access import ROLES
from engine.errors import ValidationFailed
from web.admin import bp
from web.admin.forms import NONE, PasswordResetForm, UserForm, apply_errors
from web.admin.services import MAX_ID, create_user, get_or_404, reset_password, set_user_active, update_user
from web.auth import require

PER_PAGE = 50


@dataclass
class Page:
    items: list
    total: int | None
    prev_url: str | None
    next_url: str | None


@bp.get("/users")
@require("admin.manage")
def users():
    flt = q.UserFilter(
        q=request.args.get("q", "").strip(),
        department_id=_id_arg("department_id"),
        role=request.args.get("role") if request.args.get("role") in ROLES else None,
        active={"active": True, "inactive": False}.get(request.args.get("status", "")),
    )
    number = min(max(request.args.get("page", 1, type=int), 1), 100_000)
    rows, total = q.users_page(flt, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
    page = Page(rows, total, _page_url(number - 1) if number > 1 else None, None)
    if number * PER_PAGE < total:
        page.next_url = _page_url(number + 1)
    return render_template(
        "admin/users.html", page=page, flt=flt, departments=q.department_choices(), roles=ROLES
    )


def _id_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


def _page_url(number: int) -> str:
    args = {k: v for k, v in request.args.items() if k != "page"}
    return url_for("admin.users", page=number, **args)


@bp.route("/users/new", methods=["GET", "POST"])
@require("admin.manage")
def user_new():
    form = UserForm()
    _department_choices(form)
    if form.validate_on_submit():
        try:
            user, generated = create_user(form.values(is_new=True), current_user)
        except ValidationFailed as err:
            apply_errors(form, err.fields)
        else:
            if generated:
                return _show_password_once(user, generated)
            flash(_("User %(name)s created.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@require("admin.manage")
def user_edit(user_id: int):
    user = get_or_404(User, user_id, "用户")
    form = UserForm(obj=user if request.method == "GET" else None)
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
        form.department_id.data = user.department_id or NONE
    _department_choices(form, include=user.department_id)
    if form.validate_on_submit():
        try:
            update_user(user, form.values(is_new=False), current_user)
        except ValidationFailed as err:
            apply_errors(form, err.fields)
        else:
            flash(_("User %(name)s saved.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.post("/users/<int:user_id>/deactivate")
@require("admin.manage")
def user_deactivate(user_id: int):
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/reactivate")
@require("admin.manage")
def user_reactivate(user_id: int):
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    user = get_or_404(User, user_id, "用户")
    try:
        set_user_active(user, active, current_user)
    except ValidationFailed as err:
        flash("；".join(err.fields.values()) or err.message, "error")
    else:
        message = _("User %(name)s reactivated.") if active else _("User %(name)s deactivated.")
        flash(message % {"name": user.username}, "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@require("admin.manage")
def user_password(user_id: int):
    user = get_or_404(User, user_id, "用户")
    form = PasswordResetForm()
    if form.validate_on_submit():
        if not form.generate.data and not form.password.data:
            form.password.errors = [_("Type a new password or let the system generate one.")]
        else:
            try:
                generated = reset_password(user, None if form.generate.data else form.password.data)
            except ValidationFailed as err:
                apply_errors(form, err.fields)
            else:
                if generated:
                    return _show_password_once(user, generated)
                flash(_("The password of %(name)s was changed.", name=user.username), "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_password.html", form=form, user=user)


def _department_choices(form: UserForm, include: int | None = None) -> None:
    form.department_id.choices = [(NONE, _("(none)")), *q.department_choices(include=include)]


def _show_password_once(user: User, password: str):
    resp = make_response(
        render_template(
            "admin/secret_once.html",
            title=_("Password of %(name)s", name=user.username),
            secret=password,
            note=_("Give this password to the user now; it is not stored and will not be shown again."),
            back=url_for("admin.users"),
        )
    )
    resp.headers["Cache-Control"] = "no-store"
    return resp
