"""The crisis floor's shared types: a rule hit, the floor's result, context modifiers and text normalisation."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel

from core.schemas import Severity

Modifier = Literal["negated", "hedged", "reported", "hypothetical", "third_party", "historical"]
MODIFIERS: tuple[str, ...] = ("negated", "hedged", "reported", "hypothetical", "third_party", "historical")
QUOTES = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u02bc": "'"}
_QUOTES = str.maketrans(QUOTES)


def normalise(text: str) -> str:
    """Straight quotes and plain spaces; the same length as `text`, so spans carry over."""
    return text.translate(_QUOTES)


# --- results -------------------------------------------------------------------------------
class Hit(BaseModel):
    """One rule match: the exact span of the message, and what it counts as after its context."""

    rule: str
    category: str
    flag: str
    concern: str
    severity: Severity                  # after the modifier's demotion
    modifier: Optional[Modifier] = None
    start: int
    end: int
    text: str
    score: Optional[float] = None       # the semantic layer's probability (its span is the window it scored)


Lane = Literal["crisis", "possible_risk", "none"]
POSSIBLE_RISK = "possible risk, not confirmed"


class FloorResult(BaseModel):
    """The floor's verdict: a severity it never lets anything lower, and the lane the message is in:
    `crisis` (an explicit statement or a semantic score past the crisis threshold), `possible_risk` (at least high
    and reviewed: a semantic score in the uncertain band, or a risk statement under a hedge, hypothetical, report
    or third party), or `none`."""

    severity: Severity
    rules: list[str]                    # rules that fired at their full severity, or demoted above "low"
    hits: list[Hit]
    action: Optional[str] = None        # an action the floor insists on (e.g. emergency_services)
    concern: Optional[str] = None
    flags: list[str]
    latency_ms: float
    lane: Lane = "none"
    needs_review: bool = False
    review_reason: Optional[str] = None
    scores: dict[str, float] = {}       # the semantic layer's head probabilities, when it ran
    layers: list[str] = []              # the layers that ran, in order
