"""Grounded flags: a risk flag stays only with an exact span of the message that supports it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from backend.safety.floor import FloorResult
from backend.safety.normalize import Normalized, normalize
from backend.triage.models import Evidence
from core.errors import ConfigError
from core.schemas import RISK_FLAGS

EVIDENCE_FILE = Path(__file__).resolve().parent.parent / "safety" / "evidence.yaml"


@dataclass
class Grounding:
    flags: list[str]
    evidence: list[Evidence]
    ungrounded: list[str]


@lru_cache(maxsize=1)
def evidence_lexicon(path: Path = EVIDENCE_FILE) -> dict[str, tuple[re.Pattern[str], ...]]:
    """flag -> compiled patterns, from the data file (every flag of the vocabulary must be present)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        lexicon = {flag: tuple(re.compile(p, re.IGNORECASE) for p in data[flag]) for flag in RISK_FLAGS}
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"Evidence lexicon {path.name} is malformed: {type(exc).__name__}: {exc}") from None
    return lexicon


def find_evidence(flag: str, text: str, floor: FloorResult, reading: Normalized | None = None) -> Evidence | None:
    """The first floor hit for `flag` (not a denied one), else the first lexicon match, else None."""
    for hit in floor.hits:
        if hit.flag == flag and hit.modifier != "negated":
            return Evidence(flag=flag, start=hit.start, end=hit.end, text=text[hit.start:hit.end],
                            source=f"rule:{hit.rule}")
    reading = reading or normalize(text)
    matches = [m for p in evidence_lexicon().get(flag, ()) if (m := p.search(reading.text))]
    if not matches:
        return None
    first = min(matches, key=lambda m: m.start())
    start, end = reading.span(first.start(), first.end())
    return Evidence(flag=flag, start=start, end=end, text=text[start:end], source="lexicon")


def ground(flags: list[str], text: str, floor: FloorResult) -> Grounding:
    kept, evidence, dropped = [], [], []
    reading = normalize(text) if flags else None                 # once for every flag's lexicon search
    for flag in flags:
        found = find_evidence(flag, text, floor, reading)
        if found is None:
            dropped.append(flag)
        else:
            kept.append(flag)
            evidence.append(found)
    return Grounding(flags=kept, evidence=evidence, ungrounded=dropped)
