"""Errors mapped once: domain exceptions and HTTP errors → one JSON shape for the API,
a Chinese error page for the UI. Never a bare 500 for bad input."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DataError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from adapters.db import db
from engine.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed

STATUS = {ValidationFailed: 422, NotFound: 404, Forbidden: 403, Conflict: 409}

MESSAGES = {
    400: "请求格式错误",
    401: "请先登录",
    403: "没有权限执行此操作",
    404: "未找到",
    405: "不支持的请求方法",
    409: "操作冲突，请刷新后重试",
    413: "上传文件过大",
    422: "提交的数据未通过校验",
    429: "尝试次数过多，请稍后再试",
    500: "服务器内部错误",
}


def wants_json() -> bool:
    return (
        request.path.startswith("/api/")
        or request.path == "/healthz"
        or request.accept_mimetypes.best == "application/json"
    )


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    if wants_json():
        body = {"error": {"code": code, "message": message, "fields": fields or {}}}
        return jsonify(body), status
    return render_template("error.html", status=status, message=message, fields=fields or {}), status


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def refuse_nul_characters():
    """No field of this system may hold a NUL character (PostgreSQL text cannot store one, and
    no person types one): refuse the request at the edge with a clear 400, before any view."""
    sources = [request.args.to_dict(flat=False), request.path]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        if request.is_json:
            sources.append(request.get_json(silent=True))
        elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            sources.append(request.form.to_dict(flat=False))
    if any(_has_nul(s) for s in sources):
        return error_response(
            400, "bad_request", _("The request contains a NUL character, which no field accepts.")
        )
    return None


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_characters)

    @app.errorhandler(DomainError)
    def _domain(err: DomainError):
        status = next((s for cls, s in STATUS.items() if isinstance(err, cls)), 400)
        return error_response(status, err.code, err.message, err.fields)

    app.register_error_handler(HTTPException, handle_http)

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def _out_of_range(err: Exception):
        # an id or number no column can hold (10**30 for a department id): the input is wrong
        db.session.rollback()
        return error_response(422, "validation_failed", _("A number in the request is out of range."))

    @app.errorhandler(StaleDataError)
    def _stale(err: StaleDataError):
        return error_response(409, "conflict", _(MESSAGES[409]))

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):  # pragma: no cover - last resort, logged
        app.logger.exception("unhandled error")
        return error_response(500, "internal_error", _(MESSAGES[500]))


def handle_http(err: HTTPException):
    """HTTP errors, including webargs/flask-smorest validation errors, in the one shape."""
    status = err.code or 500
    fields = {}
    data = getattr(err, "data", None)  # webargs/flask-smorest validation errors
    if data and isinstance(data.get("messages"), dict):
        for _loc, msgs in data["messages"].items():
            for name, msg in msgs.items() if isinstance(msgs, dict) else []:
                fields[name] = "；".join(msg) if isinstance(msg, list) else str(msg)
    code = {
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        409: "conflict",
        422: "validation_failed",
    }.get(status, f"http_{status}")
    return error_response(status, code, _(MESSAGES.get(status, err.name)), fields)
