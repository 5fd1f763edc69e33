"""The crisis floor as a pipeline of named layers, each `apply(text, result) -> result`; which run is data.

The order lives in pipeline.yaml; `Pipeline(without=("semantic",))` is an ablation, no patching. `normalize` runs
before every layer (the others read its output; spans are mapped back to the original text afterwards).

  explicit   rules/*.yaml: unmistakable statements only (intent + method or time, attempt in progress, acute
             medical danger, threats to others), each hit read in its context (context.yaml: negation, clinical
             denials, hedges, hypotheticals, reports, third parties, history, idioms), demoted by that context
  signals    signals.yaml: distinct warning signs that together make a crisis (plan + means + time, ...)
  semantic   semantic.py: the trained classifier; crisis lane past its crisis threshold (the crisis head heard
             only where the at-risk head confirms it), possible-risk lane in the band below it; trained by
             `main.py safety train`, thresholds from leave-one-source-out CV
  frames     context.yaml frames: message-level readings that cap rule hits (fiction, games, song lyrics)
  lanes      the lane and the review flag from what the layers found; never lowers a severity

Where does a new rule go?
- A statement nobody could mean otherwise ("I took the whole bottle", "I am going to shoot him"): rules/*.yaml.
- A word that changes what a statement means ("denies", "if I ever", "my brother said"): context.yaml.
- A new way of saying something the layers already know, a register, a paraphrase: not a rule. Add labelled
  examples to backend/safety/data/ (never an evaluation set) and rerun `main.py safety train`.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Optional

import yaml

from backend.safety.types import POSSIBLE_RISK, FloorResult, Hit
from core.errors import ConfigError
from core.schemas import severity_rank

if TYPE_CHECKING:
    from backend.safety.explicit import RuleSet

PIPELINE_FILE = Path(__file__).resolve().parent / "pipeline.yaml"
REVIEW_MODIFIERS = ("hedged", "hypothetical", "reported", "third_party")
Layer = Callable[[str, FloorResult], FloorResult]


def _explicit(text: str, result: FloorResult, rules: "RuleSet | None" = None) -> FloorResult:
    from backend.safety.explicit import default_rules

    found = (rules or default_rules()).evaluate(text)
    return found.model_copy(update={"layers": result.layers})


def _signals(text: str, result: FloorResult) -> FloorResult:
    from backend.safety import signals

    return signals.merge(result, text)


def _frames(text: str, result: FloorResult, rules: "RuleSet | None" = None) -> FloorResult:
    from backend.safety.explicit import default_rules

    return (rules or default_rules()).framed(result, text)


def _semantic(text: str, result: FloorResult) -> FloorResult:
    from backend.safety.semantic import HEADS, default_model, heard_crisis

    model = default_model()
    s = model.score(_without_absent_risk(text, result))
    whole = {f"whole_{head}": round(v, 4) for head, v in zip(HEADS, s.whole)}   # a session note's reading uses these
    update: dict = {"scores": {"crisis": round(s.crisis, 4), "risk": round(s.risk, 4), **whole}}
    t, crisis = model.thresholds, float(heard_crisis(s.crisis, s.risk))
    if crisis >= t["crisis"]:
        update.update(_raise(result, "crisis", "semantic_crisis", s.crisis, s.crisis_span, text))
    elif max(s.risk, crisis) >= t["review"]:
        update.update(_raise(result, "high", "semantic_possible_risk", s.risk, s.risk_span, text))
        update.update(needs_review=True, review_reason=POSSIBLE_RISK)
    return result.model_copy(update=update)


ABSENT = ("negated", "historical", "hypothetical")      # what context says is not present risk


def _without_absent_risk(text: str, result: FloorResult) -> str:
    """`text` with the statements the explicit layer read as negated, past or hypothetical blanked (same length),
    so "I tried to kill myself years ago" is not scored as the present-tense statement it contains."""
    chars = list(text)
    for h in result.hits:
        if h.modifier in ABSENT and h.end > h.start:
            chars[h.start:h.end] = " " * (h.end - h.start)
    return "".join(chars)


def _raise(result: FloorResult, severity: str, rule: str, score: float, span: tuple[int, int], text: str) -> dict:
    """The fields that add one semantic hit and raise the severity to `severity` (never lower it)."""
    top = next((h for h in result.hits if h.severity == result.severity and h.modifier != "negated"), None)
    hit = Hit(rule=rule, category="semantic", flag=top.flag if top else "acute_danger",
              concern=result.concern or (top.concern if top else "suicidal_ideation"), severity=severity,
              start=span[0], end=span[1], text=text[span[0]:span[1]], score=round(score, 4))
    update: dict = {"hits": result.hits + [hit], "rules": list(dict.fromkeys(result.rules + [rule])),
                    "flags": list(dict.fromkeys(result.flags + [hit.flag]))}
    if severity_rank(severity) > severity_rank(result.severity):
        update.update(severity=severity, concern=hit.concern)
        if severity == "crisis" and not result.action:
            update["action"] = "emergency_services"
    return update


def _lanes(text: str, result: FloorResult) -> FloorResult:
    """crisis when the severity is crisis; possible_risk when a layer asked for review or a risk statement was
    read under a hedge, hypothetical, report or third party (at least high, reviewed); else none."""
    if result.severity == "crisis":
        return result.model_copy(update={"lane": "crisis"})
    framed = [h for h in result.hits if h.modifier in REVIEW_MODIFIERS and severity_rank(h.severity) >= 2]
    if result.needs_review or framed:
        return result.model_copy(update={"lane": "possible_risk", "needs_review": True,
                                         "review_reason": result.review_reason or POSSIBLE_RISK,
                                         "severity": max(result.severity, "high", key=severity_rank)})
    return result


LAYERS: dict[str, Layer] = {"explicit": _explicit, "signals": _signals, "semantic": _semantic,
                            "frames": _frames, "lanes": _lanes}
USES_RULES = ("explicit", "frames")


def _configured(path: Path = PIPELINE_FILE) -> tuple[str, ...]:
    try:
        names = yaml.safe_load(path.read_text(encoding="utf-8"))["layers"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ConfigError(f"Cannot read {path.name}: {exc}") from None
    unknown = [n for n in names if n not in LAYERS and n != "normalize"]
    if unknown or not names or names[0] != "normalize":
        raise ConfigError(f"{path.name}: layers must start with normalize and name only {sorted(LAYERS)}; "
                          f"unknown: {unknown}")
    return tuple(n for n in names if n != "normalize")


@dataclass(frozen=True)
class Pipeline:
    """The named layers to run, in order (pipeline.yaml unless given), minus any left out for an ablation."""

    names: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    rules: Optional["RuleSet"] = None           # another rule set for the explicit and frames layers (tests)

    def layers(self) -> list[tuple[str, Layer]]:
        names = self.names or _configured()
        bind = lambda n: partial(LAYERS[n], rules=self.rules) if self.rules and n in USES_RULES else LAYERS[n]  # noqa: E731
        return [(n, bind(n)) for n in names if n not in self.without]

    def apply(self, text: str) -> FloorResult:
        """All layers over one normalised reading; spans point into `text`."""
        start = time.perf_counter()
        result = FloorResult(severity="low", rules=[], hits=[], flags=[], latency_ms=0.0)
        for name, layer in self.layers():
            result = layer(text, result)
            result = result.model_copy(update={"layers": [*result.layers, name]})
        return result.model_copy(update={"latency_ms": round((time.perf_counter() - start) * 1000, 3)})


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline(names=_configured())


def ablations(names: Iterable[str] = ("signals", "semantic", "frames")) -> dict[str, Pipeline]:
    """The full pipeline and one pipeline per layer left out, for the benchmark's per-layer table."""
    return {"all": default_pipeline(), **{f"-{n}": Pipeline(without=(n,)) for n in names}}
