"""HTTP edge helpers: parse and validate JSON bodies with pydantic, and the one JSON error shape."""
from __future__ import annotations

import logging
import time
from typing import Any, TypeVar

from flask import Flask, g, jsonify, request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException

from core.errors import BadRequest, ToolkitError, ValidationFailed

M = TypeVar("M", bound=BaseModel)


def parse_body(model: type[M]) -> M:
    """The request's JSON body validated by `model` (400 if not JSON, 422 if it does not fit)."""
    if not request.is_json:
        raise BadRequest("Request body must be JSON (Content-Type: application/json).")
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequest("Request body is not valid JSON.")
    if not isinstance(data, dict):
        raise BadRequest("Request body must be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed("Request body does not match the expected fields.",
                               details={"errors": _pydantic_errors(exc)}) from None


def _pydantic_errors(exc: ValidationError) -> list[dict[str, Any]]:
    return [{"field": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in exc.errors()]


def error_response(code: str, message: str, status: int, **extra: Any):
    body: dict[str, Any] = {"code": code, "message": message, **{k: v for k, v in extra.items() if v}}
    return jsonify({"error": body}), status


def install_error_handlers(app: Flask) -> None:
    @app.errorhandler(ToolkitError)
    def _toolkit(exc: ToolkitError):
        return jsonify(exc.to_dict()), exc.http_status

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = {413: "payload_too_large", 404: "not_found", 405: "method_not_allowed"}.get(exc.code or 500)
        return error_response(code or "http_error", exc.description or exc.name, exc.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response("internal_error", "Internal server error; see the server log.", 500)


def install_request_log(app: Flask) -> None:
    """One log line per request: method, route pattern (never the concrete path: it can hold patient
    ids), status, body size and latency. Bodies are never logged."""
    log = logging.getLogger("backend.requests")

    @app.before_request
    def _start() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log(response):
        started = g.pop("request_started", None)
        ms = (time.perf_counter() - started) * 1000 if started else 0.0
        rule = request.url_rule.rule if request.url_rule else "<unmatched>"
        log.info("%s %s -> %s (%s bytes in, %.1f ms)", request.method, rule, response.status_code,
                 request.content_length or 0, ms)
        return response
