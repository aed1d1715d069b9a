"""UI pages of the registers (一单两库): items, industry joint lists, enterprises, inspectors,
experts, tags."""

from flask import Blueprint, Flask

bp = Blueprint("registers", __name__, url_prefix="/registers")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
