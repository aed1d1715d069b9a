"""UI pages of the registers (一单两库): items, industry joint lists, enterprises, inspectors,
experts, tags. Each register's views live in their own module and add routes to `bp`."""

import importlib

from flask import Blueprint, Flask

bp = Blueprint("registers", __name__, url_prefix="/registers")
VIEW_MODULES = ("tags", "items", "joint_lists", "enterprises", "inspectors", "experts")


def init_app(app: Flask) -> None:
    for name in VIEW_MODULES:  # importing a module adds its routes to bp (once per process)
        importlib.import_module(f"web.registers.{name}")
    app.register_blueprint(bp)
