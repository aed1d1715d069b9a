"""The JSON API under /api/v1 (flask-smorest, OpenAPI at /api/v1/openapi.json).

Authentication: a session cookie (then unsafe methods need the X-CSRFToken header) or an
`Authorization: Bearer <token>` header with a token an admin created.
"""

from __future__ import annotations

import importlib

from flask import Flask, abort, g, request
from flask_login import current_user
from flask_smorest import Api, Blueprint
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import HTTPException

from web.errors import handle_http
from web.extensions import csrf

SAFE = {"GET", "HEAD", "OPTIONS"}

BLUEPRINTS: list[Blueprint] = []
API_MODULES = [
    "web.api.registers",
    "web.api.registers_enterprises",
    "web.api.registers_items",
    "web.api.registers_joint_lists",
    "web.api.registers_inspectors",
    "web.api.registers_experts",
    "web.api.org",
    "web.api.cases",
    "web.api.inbox",
    "web.api.result_codes",
    "web.api.plans",
    "web.api.joint_tasks",
    "web.api.draws",
    "web.api.publication",
]


def api_blueprint(name: str, import_name: str, url_prefix: str, description: str = "") -> Blueprint:
    """A flask-smorest blueprint registered under /api/v1 with the API's auth rules."""
    bp = Blueprint(name, import_name, url_prefix="/api/v1" + url_prefix, description=description)
    bp.before_request(_guard)
    csrf.exempt(bp)
    BLUEPRINTS.append(bp)
    return bp


def _guard():
    if not current_user.is_authenticated:
        abort(401)
    if request.method not in SAFE and not g.get("via_token"):
        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except (CSRFError, Exception):
            abort(400)


def init_app(app: Flask) -> None:
    api = Api(app, spec_kwargs={"info": {"description": "联查 Liancha JSON API"}})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for module in API_MODULES:  # each defines its blueprints with api_blueprint()
        importlib.import_module(module)

    for bp in BLUEPRINTS:
        api.register_blueprint(bp)
    # flask-smorest installs its own HTTP error handler: put back the one error shape.
    app.register_error_handler(HTTPException, handle_http)
