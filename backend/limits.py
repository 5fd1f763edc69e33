"""Rate limits (flask-limiter): per token and per client address, shared by every route, and sign-in attempts
per address; 429 in the error shape (an error page for the clinician page)."""
from __future__ import annotations

import hashlib
import logging
import math
import time

from flask import Flask, render_template, request
from flask_limiter import ApplicationLimit, Limiter, RateLimitExceeded
from limits import parse_many

from backend.http import error_response
from core.errors import ConfigError
from core.settings import Settings

log = logging.getLogger(__name__)
EXEMPT_ENDPOINTS = frozenset({"core.health"})       # the liveness probe: no database, no model, always answers


def address_key() -> str:
    return "a:" + (request.remote_addr or "unknown")


def token_key() -> str:
    """The bucket of the request's bearer token: a hash of it (the token itself is never stored, even in Redis)."""
    return "t:" + hashlib.sha256(_bearer().encode()).hexdigest()[:32]


def _bearer() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _signing_in() -> bool:
    return request.endpoint == "web.login" and request.method == "POST"


def _exempt() -> bool:
    return request.endpoint in EXEMPT_ENDPOINTS or request.method == "OPTIONS"


def init_app(app: Flask, settings: Settings) -> Limiter | None:
    """Check every request against the settings' limits before anything else (auth reads the database).
    An empty limit string turns that limit off; both empty: no limiter."""
    limits = [ApplicationLimit(settings.rate_limit_address, key_function=address_key, scope="address",
                               exempt_when=_exempt)] if _parse(settings.rate_limit_address) else []
    if _parse(settings.rate_limit_signin):        # password guessing: sign-in attempts per address
        limits.append(ApplicationLimit(settings.rate_limit_signin, key_function=address_key, scope="signin",
                                       exempt_when=lambda: not _signing_in()))
    if _parse(settings.rate_limit_token):
        limits.append(ApplicationLimit(settings.rate_limit_token, key_function=token_key, scope="token",
                                       exempt_when=lambda: _exempt() or not _bearer()))
    if not limits:
        return None
    limiter = Limiter(address_key, app=app, application_limits=limits, storage_uri=_storage(settings),
                      headers_enabled=False, swallow_errors=True, in_memory_fallback_enabled=True,
                      key_prefix="therapy")
    app.register_error_handler(RateLimitExceeded, lambda exc: _too_many(limiter))
    app.extensions["rate_limits"] = limiter
    return limiter


def _too_many(limiter: Limiter):
    current = limiter.current_limit
    wait = max(1, math.ceil(current.window[0] - time.time())) if current else 1
    if request.blueprint == "web":                       # a browser gets a page, an API client the JSON shape
        page = render_template("error.html", title="Too many attempts", user=None,
                               message=f"Too many requests from this computer; try again in {wait} s.")
        return page, 429, {"Retry-After": str(wait)}
    body, status = error_response("rate_limited", f"Too many requests; retry after {wait} s.", 429)
    return body, status, {"Retry-After": str(wait)}


def _parse(value: str) -> bool:
    """True when `value` holds limits ("20/second;600/minute"); a malformed one is a ConfigError at start."""
    if not value.strip():
        return False
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"Malformed rate limit '{value}'.", hint="e.g. '10/second;600/minute', or empty for none")
    return True


def _storage(settings: Settings) -> str:
    """memory:// (one process) by default; a redis:// (or other limits storage) URL shares counts between workers."""
    from limits.storage import storage_from_string

    uri = settings.rate_limit_storage.strip() or "memory://"
    try:
        storage_from_string(uri)
    except Exception as exc:
        raise ConfigError(f"Unusable THERAPY_RATE_LIMIT_STORAGE: {type(exc).__name__}.",
                          hint="memory:// for one process, redis://host:6379 for several workers") from None
    return uri
