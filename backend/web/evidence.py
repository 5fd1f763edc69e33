"""Evidence for a page: the crisis floor's spans in a text as (plain, marked) pieces, and the fixed resources."""
from __future__ import annotations

from dataclasses import dataclass

from backend.context import get_toolkit
from backend.safety.floor import evaluate
from backend.safety.resources import Resource, load_resources


@dataclass(frozen=True)
class Piece:
    text: str
    marked: bool = False
    why: str = ""                       # the rule or concern behind a marked piece


def pieces(text: str) -> list[Piece]:
    """`text` cut at the floor's asserted evidence spans (the template escapes every piece)."""
    hits = sorted((h for h in evaluate(text).hits if h.end > h.start and h.modifier is None),
                  key=lambda h: (h.start, -h.end))
    out, at = [], 0
    for hit in hits:
        if hit.start < at:                                  # overlapping spans: the first one is kept
            continue
        out += [Piece(text[at:hit.start]), Piece(text[hit.start:hit.end], True, hit.concern or hit.rule)]
        at = hit.end
    return out + [Piece(text[at:])]


def resources(severity: str) -> list[Resource]:
    """The practice's fixed resources for this severity (crisis and high)."""
    return load_resources(get_toolkit().settings.resources_file or None).for_severity(severity)
