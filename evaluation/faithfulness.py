"""Faithfulness metrics of a served summary against its note: per-field unsupported claims, negation flips, invented
entities, risk agreement with a label. Independent of the summarizer's own checks but for the shared denial detector."""
from __future__ import annotations

import re
from typing import Any

from backend.summarize import denials, evidence
from backend.summarize.evidence import FLOOR_ONLY, NO_EVIDENCE, WHOLE_NOTE
from backend.summarize.faithful import NOT_DOCUMENTED
from core.schemas import severity_rank
from evaluation.metrics import invented_entities

FIELDS = ("chief_complaint", "symptoms", "risk_note", "plan")
META = (NOT_DOCUMENTED, NO_EVIDENCE, FLOOR_ONLY, WHOLE_NOTE)        # the service's own fixed wording: no clinical claim
_WORD = re.compile(r"[a-z][a-z'-]{3,}")
_COMMON = frozenset("""about after again also been before being both client could does doing down each from have
having into just more most much must only other over patient reports reported said same says session some such than
that their them then there these they this those very were what when where which while will with would your""".split())


def _plain(text: str) -> str:
    return " ".join(text.lower().replace("\u2026", " ").split())


def _unknown_words(value: str, note: str) -> list[str]:
    """Words of 4+ letters whose first five letters never start a word of the note, nor do they without a
    plural -s (a crude, independent test of 'the note says this')."""
    words = set(_WORD.findall(_plain(note)))
    starts = {w[:5] for w in words}
    return [w for w in _WORD.findall(_plain(value))
            if w not in _COMMON and w[:5] not in starts and w.removesuffix("s") not in words]


def _risk_parts(value: str, note: str) -> tuple[list[str], list[str]]:
    """(quoted evidence parts, denied concept keys claimed) of a composed risk text."""
    parts = [p.strip() for p in value.split(";") if p.strip() and p.strip() not in META]
    quoted, claimed = [], []
    for part in parts:
        if part.lower().startswith("denies "):
            shorts = part[7:].split("/")
            claimed += [c.key for c in evidence.terms().spec.concepts if c.short in shorts]
        else:
            quoted.append(part)
    return quoted, claimed


def asserted_phrases(value: str, phrases: list[str]) -> list[str]:
    """The phrases of `phrases` that `value` contains outside a denial ("denies self-harm" does not assert it)."""
    low = value.lower()
    spans = denials.scopes(value)
    hits = []
    for phrase in phrases:
        for m in re.finditer(re.escape(phrase.lower()), low):
            if not denials.denied(spans, m.start(), m.end()):
                hits.append(phrase)
                break
    return hits


def field_check(name: str, value: str, note: str, must_not_say: list[str]) -> dict[str, Any]:
    """One served field against its note: unsupported (some claim the note does not make), flip (asserts
    what the note denies, or a must-not-say phrase), invented entities (numbers, names, dates, drugs)."""
    note_found = evidence.mentions(note)
    if name == "risk_note":
        quoted, claimed = _risk_parts(value, note)
        plain = _plain(note)
        missing = [q for q in quoted if _plain(q).rstrip("…") not in plain]
        note_denied = set(evidence.denied_keys(note_found))
        wrong_denials = [k for k in claimed if k not in note_denied]
        text = "; ".join(quoted)
    else:
        missing = [] if value in META else _unknown_words(value, note)
        wrong_denials, text = [], "" if value in META else value
    invented = invented_entities(text, note) if text else []
    asserted = evidence.asserted(evidence.mentions(text)) if text else []
    flips = [k for k in asserted if k in evidence.denied_keys(note_found)] + wrong_denials
    flips += asserted_phrases(text, must_not_say) if text else []
    return {"unsupported": bool(missing or invented or flips), "flip": bool(flips), "invented": invented,
            "flips": flips}


def summary_checks(summary: dict[str, Any], note: str, must_not_say: list[str] | None = None) -> dict[str, Any]:
    """Per-field checks of a served summary (`SessionResult.summary`)."""
    return {name: field_check(name, str(summary.get(name) or ""), note, list(must_not_say or ()))
            for name in FIELDS}


def within_one(risk: str | None, gold: str | None) -> bool | None:
    if risk is None or gold is None:
        return None
    return abs(severity_rank(risk) - severity_rank(gold)) <= 1


def crisis_kept(risk: str | None, gold: str | None) -> bool | None:
    """For a crisis-labelled visit: whether the served risk is crisis too (None for other visits)."""
    return None if gold != "crisis" or risk is None else risk == "crisis"
