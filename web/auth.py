"""Login, logout, password change, API tokens and the `require` guard for views."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from functools import wraps

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from adapters.db import db
from adapters.models import ApiToken, User
from engine.access import Actor, can
from web.extensions import login_manager

bp = Blueprint("auth", __name__)
TOKEN_PREFIX = "lc_"  # noqa: S105 - a public prefix, not a secret


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_api_token(user: User, name: str, created_by: User | None) -> str:
    """Create a token for `user`; the plain token is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(
            user_id=user.id,
            name=name,
            token_hash=hash_token(token),
            prefix=token[:10],
            created_by_id=created_by.id if created_by else None,
            created_at=datetime.now(UTC),
        )
    )
    return token


def current_actor() -> Actor | None:
    if not current_user or not current_user.is_authenticated:
        return None
    return Actor(id=current_user.id, department_id=current_user.department_id, roles=current_user.roles)


def allowed(action: str, department_id: int | None = None) -> bool:
    return can(current_actor(), action, department_id)


def ensure(action: str, department_id: int | None = None) -> None:
    """Abort with 403 unless the current user may perform the action."""
    if not current_user.is_authenticated:
        abort(401)
    if not allowed(action, department_id):
        abort(403)


def require(action: str):
    """View decorator: a logged-in user with a role that allows `action` (department checks
    on the resource itself are done inside the view with `ensure`)."""

    def deco(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            actor = current_actor()
            if not may_somewhere(action, actor):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return deco


def may_somewhere(action: str, actor: Actor | None = None) -> bool:
    """The actor (default: the current user) may perform `action` for every department, or at
    least for their own one."""
    actor = actor if actor is not None else current_actor()
    if actor is None:
        return False
    return can(actor, action) or (actor.department_id is not None and can(actor, action, actor.department_id))


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=128)])
    confirm = PasswordField(
        _l("Repeat new password"), validators=[EqualTo("new", message=_l("The passwords do not match"))]
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.execute(
            db.select(User).filter_by(username=form.username.data.strip())
        ).scalar_one_or_none()
        settings = current_app.config["LIANCHA_SETTINGS"]
        now = datetime.now(UTC)
        if user and user.locked_until and _aware(user.locked_until) > now:
            return render_template(
                "auth/login.html", form=form, error=_("Too many failed attempts. Try again later.")
            ), 429
        if user and user.active and check_password_hash(user.password_hash, form.password.data):
            user.failed_logins = 0
            user.locked_until = None
            user.last_login_at = now
            db.session.commit()
            login_user(user)
            session[PASSWORD_MARK] = password_mark(user)
            return redirect(_safe_next() or url_for("auth.home"))
        if user:
            user.failed_logins = (user.failed_logins or 0) + 1
            if user.failed_logins >= settings.login_max_failures:
                user.locked_until = now + timedelta(minutes=settings.login_lock_minutes)
                user.failed_logins = 0
            db.session.commit()
        return render_template("auth/login.html", form=form, error=_("Wrong username or password.")), 401
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash, form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            current_user.password_hash = hash_password(form.new.data)
            db.session.commit()
            session[PASSWORD_MARK] = password_mark(current_user)  # this session stays, others end
            flash(_("Password changed."), "success")
            return redirect(url_for("auth.home"))
    return render_template("auth/password.html", form=form)


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    from web.workbench import context

    return render_template("home.html", **context())


PASSWORD_MARK = "_pw"  # noqa: S105 - a session key, not a password


def password_mark(user: User) -> str:
    """A short fingerprint of the user's password hash kept in the session cookie: changing the
    password changes it, which ends every other session of that user."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _safe_next() -> str | None:
    target = request.args.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in.")

    @login_manager.user_loader
    def _load(user_id: str):
        user = db.session.get(User, int(user_id))
        if user is None or not user.active:
            return None
        # a session opened before the password last changed (by the user or an admin) has ended
        return user if session.get(PASSWORD_MARK) == password_mark(user) else None

    @login_manager.request_loader
    def _from_token(req):
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        row = db.session.execute(
            db.select(ApiToken).filter_by(token_hash=hash_token(header[7:].strip()), revoked_at=None)
        ).scalar_one_or_none()
        if row is None or not row.user.active:
            return None
        row.last_used_at = datetime.now(UTC)
        db.session.commit()
        g.via_token = True
        return row.user

    @login_manager.unauthorized_handler
    def _unauthorized():
        if request.path.startswith("/api/"):
            abort(401)
        return redirect(
            url_for("auth.login", next=request.full_path if request.query_string else request.path)
        )
