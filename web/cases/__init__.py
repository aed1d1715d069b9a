"""The generic pages of the case engine: the inbox (/tasks), task forms (/tasks/<id>), cases
(/cases, /cases/<id> with the diagram and the audit timeline) and incidents (/admin/incidents).
Each page lives in its own module of this package and adds its routes to `bp`."""

from __future__ import annotations

import importlib

from flask import Blueprint, Flask

from web.forms_render import Helpers

bp = Blueprint("cases", __name__)
VIEW_MODULES = ("inbox", "task_form", "instance", "incidents", "result_codes", "notice")


def init_app(app: Flask) -> None:
    for name in VIEW_MODULES:  # importing a module adds its routes to bp (once per process)
        importlib.import_module(f"web.cases.{name}")
    app.register_blueprint(bp)
    app.jinja_env.globals["jsonform"] = Helpers()
