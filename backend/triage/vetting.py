"""What a person at risk reads: the model's opening and question only when they pass checks, else vetted texts."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from backend.safety.resources import load_fallback_texts
from core.errors import ConfigError
from core.model_names import TRIAGE_MODEL
from core.modelfile import shipped
from core.schemas import TriageAssessment, json_schema, visible_words

VETTING_FILE = Path(__file__).resolve().parents[1] / "safety" / "vetting.yaml"
FIELDS = ("empathetic_opening", "follow_up_question")
VETTED_SEVERITIES = ("high", "crisis")


@dataclass(frozen=True)
class Checks:
    min_words: int
    max_words: int
    echo: int
    minimizing: tuple[re.Pattern[str], ...]
    against_help: tuple[re.Pattern[str], ...]
    prompt: str


@lru_cache(maxsize=1)
def checks(path: Path = VETTING_FILE) -> Checks:
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        c = lambda ps: tuple(re.compile(p, re.IGNORECASE) for p in ps)  # noqa: E731
        return Checks(spec["words"]["min"], spec["words"]["max"], int(spec["echo_similarity"]),
                      c(spec["minimizing"]), c(spec["against_help"]),
                      ((shipped(TRIAGE_MODEL).system or "") + " " + json.dumps(json_schema(TriageAssessment))).lower())
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"Cannot read {path.name}: {exc}") from None


def problem(value: str, message: str, field: str) -> str | None:
    """Why a model-written text must not be shown to a person at risk, or None when it may."""
    c, lowered = checks(), value.lower().strip()
    n = visible_words(value)
    if not c.min_words <= n <= c.max_words:
        return f"{n} words (allowed {c.min_words}-{c.max_words})"
    if field == "follow_up_question" and not lowered.endswith("?"):
        return "not a question"
    if fuzz.partial_ratio(lowered, c.prompt) >= c.echo and len(lowered) < len(c.prompt):
        return "copies the prompt or schema"
    if fuzz.partial_ratio(lowered, message.lower()) >= c.echo or fuzz.ratio(lowered, message.lower()) >= c.echo:
        return "repeats the message"
    if any(p.search(value) for p in c.minimizing):
        return "minimizing"
    if any(p.search(value) for p in c.against_help):
        return "advises against help"
    return None


def vet(final: TriageAssessment, message: str) -> tuple[TriageAssessment, dict[str, str], list[str]]:
    """(assessment with vetted texts where needed, {field: "model" | "vetted"}, repairs). Only high and crisis
    results are vetted; lower ones keep the model's texts."""
    used = {f: "model" for f in FIELDS}
    if final.severity not in VETTED_SEVERITIES:
        return final, used, []
    texts, update, repairs = load_fallback_texts(), {}, []
    for f in FIELDS:
        why = problem(getattr(final, f), message, f)
        vetted = getattr(texts, f)[final.severity]
        if why is not None and getattr(final, f) != vetted:
            update[f], used[f] = vetted, "vetted"
            repairs.append(f"{f} replaced by the practice's vetted text ({why})")
        elif getattr(final, f) == vetted:
            used[f] = "vetted"
    return (final.model_copy(update=update) if update else final), used, repairs
