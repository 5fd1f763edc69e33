"""HTTP edge helpers: parse and validate JSON bodies with pydantic, and the one JSON error shape."""
from __future__ import annotations

import json
import logging
import re
import time
from typing import Any, TypeVar

from flask import Flask, g, jsonify, request
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter
from werkzeug.routing import ValidationError as NoMatch

from core.errors import BadRequest, ToolkitError, ValidationFailed
from core.schemas import MAX_ID

M = TypeVar("M", bound=BaseModel)


MAX_JSON_DEPTH = 32                      # objects/arrays nested deeper are refused before parsing
_PATH = re.compile(r"(?<![\w.])(?:/[\w.+-]+(?:/[\w.+-]+)+|(?:~|\.\.?)(?:/[\w.+-]+)+|[A-Za-z]:\\[^\s'\"]+)")


class IdConverter(BaseConverter):
    """`<id:name>`: a record id 1..MAX_ID; anything else does not match the route (404), never a 500."""

    regex = r"\d{1,16}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise NoMatch()
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


def read_json() -> Any:
    """The request's JSON body (the size is already bounded), refused before parsing when nested deeper
    than MAX_JSON_DEPTH, and without NaN/Infinity; BadRequest when it is not JSON."""
    if not request.is_json:
        raise BadRequest("Request body must be JSON (Content-Type: application/json).")
    raw = request.get_data(cache=True)
    if _depth(raw) > MAX_JSON_DEPTH:
        raise BadRequest(f"Request body nests deeper than {MAX_JSON_DEPTH} levels.")
    try:
        return json.loads(raw, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("Request body is not valid JSON.") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth(raw: bytes) -> int:
    """The deepest nesting of [ and { outside strings (a linear scan, stops early past the limit)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            escaped, in_string = (False, True) if escaped else (byte == 0x5C, byte != 0x22)
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                break
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def parse_body(model: type[M]) -> M:
    """The request's JSON body validated by `model` (400 if not JSON, 422 if it does not fit)."""
    data = read_json()
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
        retry = getattr(exc, "retry_after_s", None)
        return jsonify(without_paths(exc.to_dict())), exc.http_status, ({"Retry-After": str(retry)} if retry else {})

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = {413: "payload_too_large", 404: "not_found", 405: "method_not_allowed"}.get(exc.code or 500)
        return error_response(code or "http_error", exc.description or exc.name, exc.code or 500)

    @app.errorhandler(DataError)
    def _unstorable(exc: DataError):
        """PostgreSQL refuses what SQLite keeps: an id beyond its integer range, a NUL character in text."""
        if "out of range" in str(exc.orig):
            return error_response("not_found", "No such record.", 404)
        return error_response("validation_error", "A value in the request cannot be stored.", 422)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response("internal_error", "Internal server error; see the server log.", 500)


def without_paths(body: dict[str, Any]) -> dict[str, Any]:
    """An error body whose message and hint name no filesystem path (HTTP callers learn nothing of the disk)."""
    error = dict(body["error"])
    for key in ("message", "hint"):
        if isinstance(error.get(key), str):
            error[key] = _PATH.sub("<path>", error[key])
    return {**body, "error": error}


SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store", "X-Frame-Options": "DENY",
                    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
                    "Referrer-Policy": "no-referrer"}


def install_security_headers(app: Flask) -> None:
    """Every response: no sniffing, no caching of patient data, no framing, no scripts from anywhere."""
    @app.after_request
    def _headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


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
