"""/healthz: the state of the database and of the job queue, as JSON."""

from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text

from adapters.db import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    checks = {"database": _database(), "queue": _queue()}
    ok = all(c["ok"] for c in checks.values())
    return jsonify({"ok": ok, **checks}), (200 if ok else 503)


def _database() -> dict:
    try:
        db.session.execute(text("SELECT 1"))
        return {"ok": True, "backend": db.engine.dialect.name}
    except Exception as err:  # report, never raise, from a health check
        return {"ok": False, "backend": db.engine.dialect.name, "error": str(err)[:200]}


def _queue() -> dict:
    url = current_app.config["LIANCHA_SETTINGS"].redis_url
    if not url:
        return {"ok": True, "mode": "in-process"}
    try:
        from redis import Redis

        Redis.from_url(url, socket_connect_timeout=1).ping()
        return {"ok": True, "mode": "rq"}
    except Exception as err:
        return {"ok": False, "mode": "rq", "error": str(err)[:200]}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
