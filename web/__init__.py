"""Liancha's Flask application factory."""

from __future__ import annotations

import functools
import importlib
from pathlib import Path

from babel import Locale
from flask import Flask, current_app, request, session
from flask_login import current_user

from adapters.db import db
from web import template_gettext
from web.extensions import babel, csrf, login_manager, migrate
from web.settings import Settings, load_settings

LOCALES = ("zh_CN", "en")
# Each area module has init_app(app) that registers its blueprints, handlers and commands.
AREAS = [
    "web.errors",
    "web.runtime",
    "web.auth",
    "web.health",
    "web.registers",
    "web.admin",
    "web.imports",
    "web.jobs",
    "web.calendar_admin",
    "web.cases",
    "web.processes_admin",
    "web.plans",
    "web.public_plans",
    "web.publication",
    "web.draws",
    "web.joint_tasks",
    "web.follow_ups",
    "web.notifications",
    "web.api",
]
MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "adapters" / "migrations")


def create_app(test_config: dict | None = None, *, settings: Settings | None = None) -> Flask:
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings.database_url),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024,
        UPLOAD_FOLDER=settings.upload_folder,
        BABEL_DEFAULT_LOCALE=settings.default_locale,
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        WTF_CSRF_TIME_LIMIT=None,
        API_TITLE="Liancha 联查 API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        LIANCHA_SETTINGS=settings,
    )
    if test_config:
        app.config.update(test_config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///") :]).parent.mkdir(
            parents=True, exist_ok=True
        )

    from web.i18n import ensure_compiled

    ensure_compiled()
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=lambda: _parsed_locale(_select_locale()))
    template_gettext.install(app)
    login_manager.init_app(app)

    for module in AREAS:
        importlib.import_module(module).init_app(app)

    @app.context_processor
    def _inject():
        from flask_babel import get_locale

        from web.nav import menus, navigation

        items = navigation()
        return {"nav_items": items, "nav_menus": menus(items), "locales": LOCALES, "get_locale": get_locale}

    return app


def _engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


@functools.cache
def _parsed_locale(name: str) -> Locale:
    """flask-babel parses the selector's answer on every request unless it is a Locale already,
    and parsing scans Babel's locale-data directory (~0.25 ms); the names: LOCALES and the default."""
    return Locale.parse(name)


def _select_locale() -> str:
    wanted = request.args.get("lang")
    if wanted in LOCALES:
        session["lang"] = wanted
        return wanted
    if session.get("lang") in LOCALES:
        return session["lang"]
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in LOCALES:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]
