"""Negation scope the layers share: a clinical denial covers the list that follows it in its sentence."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

CONTEXT_FILE = Path(__file__).resolve().parent / "context.yaml"
# Between a denial and a later item of the same sentence: a verb of endorsement ends the denied list.
LIST_BREAK = re.compile(r"\b(?:but|reports?|reported|endorses?|endorsed|admits?|admitted|states?|stated|says|said|"
                        r"however|although|though|yet|except|with\s+(?:a\s+)?plan)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def denial() -> re.Pattern[str]:
    """context.yaml's clinical denial pattern ("denies", "negative for", "no SI"), compiled once."""
    return re.compile(yaml.safe_load(CONTEXT_FILE.read_text(encoding="utf-8"))["denial"], re.IGNORECASE)


def denied_list_item(text: str, sentence_start: int, start: int, pattern: re.Pattern[str] | None = None) -> bool:
    """True when a denial cue earlier in the sentence reaches `start` with only a list between
    ("Denies SI, HI, self-harm, or substance misuse": every item is denied)."""
    cue = None
    for cue in (pattern or denial()).finditer(text, sentence_start, start):
        pass
    return cue is not None and not LIST_BREAK.search(text, cue.end(), start)


_SCOPE_END = re.compile(r"[.;!?\n]|,\s*(?:and\s+|so\s+|just\s+)?(?:i|i'm|im|i've|ive|i'll|my|she|he|they)\b",
                        re.IGNORECASE)       # a new first-person clause after a comma is no longer the list


def mask_denials(text: str) -> str:
    """`text` with every clinical denial blanked, from its cue to the end of the denied list (a verb of
    endorsement, "but", or the end of the sentence): "Denies SI, HI, plan or intent. Sleep poor." keeps only
    "Sleep poor." for a reader that cannot parse negation. Same length, so spans carry over."""
    chars, pos = list(text), 0
    for cue in denial().finditer(text):
        if cue.start() < pos:
            continue
        brk, end = LIST_BREAK.search(text, cue.end()), _SCOPE_END.search(text, cue.end())
        stop = min(m.start() for m in (brk, end) if m) if (brk or end) else len(text)
        chars[cue.start():stop] = " " * (stop - cue.start())
        pos = stop
    return "".join(chars)
