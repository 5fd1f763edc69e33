"""One exception hierarchy for the toolkit, translated only at the CLI and HTTP edges."""
from __future__ import annotations

from typing import Any


class ToolkitError(Exception):
    """An error with a user-facing message, an HTTP status and a CLI exit code."""

    code = "internal_error"
    http_status = 500
    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.hint:
            body["hint"] = self.hint
        if self.details:
            body["details"] = self.details
        return {"error": body}

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class BadRequest(ToolkitError):
    code, http_status, exit_code = "bad_request", 400, 2


class ValidationFailed(BadRequest):
    code, http_status = "validation_error", 422


class PayloadTooLarge(BadRequest):
    code, http_status = "payload_too_large", 413


class Unauthorized(ToolkitError):
    code, http_status, exit_code = "unauthorized", 401, 1


class Forbidden(ToolkitError):
    code, http_status, exit_code = "forbidden", 403, 1


class NotFound(ToolkitError):
    code, http_status, exit_code = "not_found", 404, 1


class Conflict(ToolkitError):
    code, http_status, exit_code = "conflict", 409, 1


class ConfigError(ToolkitError):
    """Broken configuration or a malformed file we own (Modelfile, rules, presets)."""

    code, http_status, exit_code = "config_error", 500, 2


class ModelNotFound(NotFound):
    code = "model_not_found"


class EngineError(ToolkitError):
    """The model engine failed (llama.cpp or Ollama)."""

    code, http_status, exit_code = "engine_error", 502, 1


class EngineUnavailable(EngineError):
    code, http_status = "engine_unavailable", 503


class EngineTimeout(EngineError):
    code, http_status = "engine_timeout", 504


class EngineBusy(EngineUnavailable):
    """The model's wait queue is full: come back later (HTTP 503 with Retry-After)."""

    code = "engine_busy"
    retry_after_s = 5


class ContextOverflow(EngineError):
    """The prompt does not fit the model's context; we never truncate silently."""

    code, http_status, exit_code = "context_overflow", 422, 2
