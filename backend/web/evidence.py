"""Evidence for a page: the crisis floor's spans in a text as (plain, marked) pieces, and the fixed resources."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from backend.context import get_toolkit
from backend.safety.floor import evaluate
from backend.safety.resources import Resource, load_resources


@dataclass(frozen=True)
class Piece:
    text: str
    marked: bool = False
    why: str = ""                       # the rule or concern behind a marked piece


def cut(text: str, spans: Iterable[tuple[int, int, str]]) -> list[Piece]:
    """`text` cut at (start, end, why) spans into plain and marked pieces (the template escapes every piece);
    of overlapping spans the first one is kept."""
    out, at = [], 0
    for start, end, why in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < at:
            continue
        out += [Piece(text[at:start]), Piece(text[start:end], True, why)]
        at = end
    return out + [Piece(text[at:])]


def pieces(text: str) -> list[Piece]:
    """`text` cut at the floor's asserted evidence spans."""
    return cut(text, [(h.start, h.end, h.concern or h.rule) for h in evaluate(text).hits
                      if h.end > h.start and h.modifier is None])


def resources(severity: str) -> list[Resource]:
    """The practice's fixed resources for this severity (crisis and high)."""
    return load_resources(get_toolkit().settings.resources_file or None).for_severity(severity)
