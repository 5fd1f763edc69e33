"""Shared de-identification types: the identifier kinds, a found span, and placeholder text."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Safe Harbor identifier kinds, in overlap priority: when two spans overlap, the earlier kind wins.
KINDS = ("EMAIL", "URL", "IP", "ID", "DATE", "PHONE", "AGE", "USERNAME", "LOCATION", "ORGANIZATION", "NAME")
PRIORITY = {kind: rank for rank, kind in enumerate(KINDS)}
ENTITIES = ("LOCATION", "ORGANIZATION", "NAME")     # one tier: between these, the longer span wins
PLACEHOLDER = re.compile(rf"\[(?:{'|'.join(KINDS)})(?:_\d+)?\]")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    source: str = ""          # the recognizer that found it (reported; never the text)


def placeholder(label: str, number: int | None = None) -> str:
    return f"[{label}]" if number is None else f"[{label}_{number}]"
