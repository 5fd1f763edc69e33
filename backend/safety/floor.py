"""The crisis floor's entry point: normalise a message, run the layers of pipeline.yaml, map spans back."""
from __future__ import annotations

from backend.safety.explicit import CONTEXT_FILE, RULES_DIR, RuleSet, default_rules
from backend.safety.normalize import Normalized, variants
from backend.safety.pipeline import Pipeline, default_pipeline
from backend.safety.types import FloorResult, Hit, normalise
from core.schemas import severity_rank


def evaluate(text: str, rules: RuleSet | None = None, pipeline: Pipeline | None = None) -> FloorResult:
    """Apply the crisis floor to one message: normalised first (backend/safety/normalize.py: invisible
    characters, look-alikes, leetspeak, letter runs), then the layers of backend/safety/pipeline.yaml (explicit
    statements in context, signal combinations, the semantic classifier, frames, lanes). `rules` swaps the
    explicit layer's rule set (tests); `pipeline` runs other layers (ablations). Spans point into `text` as given.
    Needs no engine; a few milliseconds."""
    pipeline = pipeline or default_pipeline()
    if rules is not None:
        pipeline = Pipeline(names=pipeline.names, without=pipeline.without, rules=rules)
    best: FloorResult | None = None
    for reading in variants(text):          # two readings only when a letter repeats 3+ times
        result = _in_original(pipeline.apply(reading.text), reading, text)
        if best is None or severity_rank(result.severity) > severity_rank(best.severity):
            best = result
        if best.severity == "crisis":
            break
    assert best is not None
    return best


def _in_original(result: FloorResult, reading: Normalized, text: str) -> FloorResult:
    """The result with every hit's span (and quoted text) moved from the normalised reading into `text`."""
    if reading.text == text:
        return result
    hits = []
    for hit in result.hits:
        if hit.start == hit.end:                    # a hit without a span stays without one
            hits.append(hit)
            continue
        start, end = reading.span(hit.start, hit.end)
        hits.append(hit.model_copy(update={"start": start, "end": end, "text": text[start:end]}))
    return result.model_copy(update={"hits": hits})


__all__ = ["CONTEXT_FILE", "RULES_DIR", "FloorResult", "Hit", "RuleSet", "default_rules", "evaluate", "normalise"]
