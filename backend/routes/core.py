"""Routes: GET /health, GET /models, POST /chat."""
from __future__ import annotations

from flask import Blueprint, jsonify

from backend import __version__
from backend.auth import public, roles
from backend.auth import public, roles
from backend.context import get_toolkit
from backend.engine.base import GenerationOptions
from backend.http import parse_body
from backend.schemas import ChatRequest

bp = Blueprint("core", __name__)


@bp.get("/health")
@public
def health():
    toolkit = get_toolkit()
    return jsonify({"status": "ok", "version": __version__, "engine": toolkit.settings.engine,
                    "models": toolkit.models.names()})


@bp.get("/models")
@roles("admin", "clinician", "service")
def models():
    return jsonify({"models": get_toolkit().models.describe()})


@bp.post("/chat")
@roles("admin", "clinician")
def chat():
    body = parse_body(ChatRequest)
    engine = get_toolkit().models.get(body.model)
    options = GenerationOptions(**body.options.model_dump()) if body.options else None
    reply = engine.generate([m.model_dump() for m in body.messages], options=options)
    return jsonify({
        "model": body.model, "engine": reply.engine,
        "message": {"role": "assistant", "content": reply.text},
        "usage": {"tokens_in": reply.tokens_in, "tokens_out": reply.tokens_out},
        "latency_ms": round(reply.latency_ms, 1), "finish_reason": reply.finish_reason,
    })
