"""Routes: GET /health, GET /models, POST /chat."""
from __future__ import annotations

from flask import Blueprint, jsonify

from backend import __version__
from backend.auth import public, roles
from backend.context import get_toolkit
from backend.http import parse_body
from backend.safety.floor import evaluate
from backend.safety.resources import load_resources
from backend.store import get_store
from core import jobs
from core.engine.base import GenerationOptions
from core.errors import ModelNotFound
from core.schemas import ChatRequest, max_severity

bp = Blueprint("core", __name__)


@bp.get("/health")
@public
def health():
    toolkit = get_toolkit()
    return jsonify({"status": "ok", "version": __version__, "engine": toolkit.settings.engine,
                    "models": toolkit.models.names(), "served": _served(toolkit.models),
                    "build": jobs.summary(jobs.status(toolkit.settings)), "encryption": get_store().encryption})


def _served(models) -> dict:
    """Which kept version each model serves (a registry without versions, e.g. one fixed engine: nothing)."""
    served = getattr(models, "served", None)
    return served() if served else {}


@bp.get("/models")
@roles("admin", "clinician", "service")
def models():
    return jsonify({"models": get_toolkit().models.describe()})


@bp.post("/chat")
@roles("admin", "clinician")
def chat():
    body = parse_body(ChatRequest)
    models = get_toolkit().models
    if body.model not in models.names():                  # registered names only: paths are for the CLI
        raise ModelNotFound(f"Unknown model '{body.model}'.", hint=f"known names: {', '.join(models.names())}")
    engine = models.get(body.model)
    options = GenerationOptions(**body.options.model_dump()) if body.options else None
    reply = engine.generate([m.model_dump() for m in body.messages], options=options)
    return jsonify({
        "model": body.model, "engine": reply.engine,
        "message": {"role": "assistant", "content": reply.text},
        "usage": {"tokens_in": reply.tokens_in, "tokens_out": reply.tokens_out},
        "latency_ms": round(reply.latency_ms, 1), "finish_reason": reply.finish_reason,
        "safety": chat_safety([m.content for m in body.messages if m.role == "user"]),
    })


def chat_safety(user_texts: list[str]) -> dict:
    """The crisis floor over every user turn; crisis/high carry the practice's fixed resources.

    Computed from the floor's layers alone, so nothing the model writes can lower or remove it."""
    floors = [evaluate(text) for text in user_texts]
    severity = max_severity(*(f.severity for f in floors))
    resources = load_resources(get_toolkit().settings.resources_file or None).for_severity(severity)
    lane = "crisis" if severity == "crisis" else "possible_risk" if any(f.needs_review for f in floors) else "none"
    return {"severity": severity, "lane": lane, "needs_review": lane != "none",
            "rules": sorted({r for f in floors for r in f.rules}),
            "resources": [r.model_dump(exclude_none=True) for r in resources]}
