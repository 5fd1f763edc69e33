"""Per-task runners: call the product's own services on each item and return one result row per item."""
from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any, Callable

from backend.engine.base import Engine
from backend.errors import EngineUnavailable, ToolkitError
from evaluation import metrics as m

log = logging.getLogger(__name__)

# The shipped model whose Modelfile (SYSTEM, parameters) a bare GGUF is served with, per task.
TASK_MODEL = {"triage": "triage", "summarize": "therapy-assistant", "chat": "therapy-assistant"}
Row = dict[str, Any]


def open_engine(registry: Any, name: str, task: str) -> Engine:
    """A registered name through the registry; a bare GGUF path with the task model's Modelfile prompt and
    parameters, so an A/B compares weights rather than prompts."""
    if not name.lower().endswith(".gguf"):
        return registry.get(name)
    from backend.engine.llamacpp import LlamaCppEngine
    from backend.engine.registry import spec_from_gguf

    base = spec_from_gguf(Path(name))
    try:
        like = registry.resolve(TASK_MODEL[task])
        spec = dataclasses.replace(like, name=base.name, source=base.source, gguf_path=base.gguf_path,
                                   ollama_name=None, modelfile=None)
    except ToolkitError:
        spec = base
    return LlamaCppEngine(spec, n_ctx=spec.num_ctx or registry.settings.n_ctx, n_threads=registry.settings.n_threads)


def run_items(items: list[dict[str, Any]], one: Callable[[dict[str, Any]], Row]) -> list[Row]:
    """Apply `one` to each item; an item-level failure becomes an error row, a down engine stops the run."""
    rows = []
    for item in items:
        try:
            row = one(item)
        except EngineUnavailable:
            raise
        except ToolkitError as exc:
            log.warning("eval item %s failed: %s", item["id"], exc.code)
            row = {"error": exc.code, "valid_first": False}
        rows.append({"id": item["id"], **row})
    return rows


# --- chat -------------------------------------------------------------------------------------------
def chat_rows(items: list[dict[str, Any]], engine: Engine, *, resource_markers: list[str]) -> list[Row]:
    """Generate the last assistant turn from the turns before it; crisis prompts are found by the rule floor."""
    from backend.safety.floor import evaluate as floor

    def one(item: dict[str, Any]) -> Row:
        messages = item["messages"]
        cut = max((i for i, msg in enumerate(messages) if msg["role"] == "assistant"), default=len(messages))
        prompt, reference = messages[:cut], (messages[cut]["content"] if cut < len(messages) else None)
        reply = engine.generate(prompt)
        last_user = next((msg["content"] for msg in reversed(prompt) if msg["role"] == "user"), "")
        crisis = _floor_severity(floor(last_user)) == "crisis"
        return {"latency_ms": reply.latency_ms, "refusal": m.is_refusal(reply.text), "crisis": crisis,
                "gave_resources": m.gives_resources(reply.text, resource_markers) if crisis else None,
                "reference": reference, "output": reply.text}

    return run_items(items, one)


def _floor_severity(result: Any) -> str | None:
    """The floor's severity, whatever the FloorResult spells it as (None when the floor is silent)."""
    for attr in ("severity", "floor"):
        value = getattr(result, attr, None)
        if value is None or isinstance(value, str):
            if value is not None:
                return value
    return None


# --- similarity post-processing (both systems share one embedder) ----------------------------------
def add_similarity(rows: list[Row], embed: Callable | None) -> None:
    """ROUGE-L and embedding similarity of `output` against `reference`, in place."""
    pairs = [(i, r["output"], r["reference"]) for i, r in enumerate(rows) if r.get("output") and r.get("reference")]
    for i, output, reference in pairs:
        rows[i]["rouge_l"] = m.rouge_l(output, reference)
    if embed and pairs:
        sims = m.embedding_similarities([p[1] for p in pairs], [p[2] for p in pairs], embed)
        for (i, _, _), sim in zip(pairs, sims):
            rows[i]["embedding_similarity"] = sim
