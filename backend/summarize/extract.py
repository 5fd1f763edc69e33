"""The extractive backbone: a note's clauses, the candidates for each summary field, and the best one for a draft."""
from __future__ import annotations

import re
from dataclasses import dataclass

from backend.summarize import denials

# A heading that opens a clause ("Plan:", "S:", "Assessment -"): dropped from the extract, kept as a hint.
_HEADING = re.compile(r"^\s*(?P<h>[A-Za-z][A-Za-z /&]{0,24}?)\s*[:\u2013-]\s+(?=\S)")
_SPLIT = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=\w)\s+[\u2013-]\s+(?=[A-Z])")
_FIELD_CUES = {
    "plan": re.compile(r"\b(?:plan|planned|continue|continuing|follow[- ]?up|refer(?:ral)?|schedul\w*|increase|"
                       r"decrease|start(?:ed)?|begin|began|reassess\w*|review|homework|next (?:session|visit|week)|"
                       r"weekly|biweekly|fortnightly|monthly|safety plan\w*|evaluation|assessment|agreed|will|"
                       r"return|recheck|monitor\w*|practi[cs]e|journal|diary|coordinate|contact|call|cbt|dbt|emdr|"
                       r"psychiatr\w*|means restriction|hospital\w*|admission|crisis line|discussed)\b", re.I),
    "chief_complaint": re.compile(r"\b(?:presents?|presenting|presented|referred|reports?|reported|complains?|c/o|"
                                  r"here for|seeking|seen for|struggling|since|after|due to|following|laid off|lost|says|said|states|"
                                  r"stress\w*|concern\w*|grief|conflict|break-?up|divorce|intake|follow-up for)\b", re.I),
    "symptoms": re.compile(r"\b(?:mood|sleep\w*|insomnia|appetite|energy|anxi\w*|panic|worr\w*|tearful|crying|"
                           r"irritab\w*|drink\w*|alcohol|hopeless\w*|concentrat\w*|nightmares?|flashbacks?|thoughts?|"
                           r"fatigue|tired|motivation|withdraw\w*|isolat\w*|numb|guilt\w*|shame|anger|angry|racing|"
                           r"restless\w*|avoid\w*|intrusive|rumination|low|depress\w*|sad\w*|stress\w*|overwhelm\w*|"
                           r"hallucinat\w*|voices|paranoi\w*|binge\w*|purg\w*|weight|pain|headaches?|cutting|urges?)\b",
                           re.I),
}
_HEADINGS = {"plan": re.compile(r"^(?:p|plan|next steps?|intervention|recommendations?)$", re.I),
             "chief_complaint": re.compile(r"^(?:s|cc|chief complaint|presenting (?:problem|complaint)|reason for "
                                           r"(?:visit|referral)|subjective|d|data)$", re.I),
             "symptoms": re.compile(r"^(?:symptoms?|mse|o|objective|a|assessment)$", re.I)}
_STRUCTURAL = re.compile(r"^(?:s|o|a|p|d|r|b|i|cc|hpi|plan|assessment|data|subjective|objective|intervention|"
                         r"response|behaviou?r|next steps?|recommendations?|presenting (?:problem|complaint)|"
                         r"chief complaint|reason for (?:visit|referral)|symptoms?|summary|note)$", re.I)
_PLAN_OPENING = re.compile(r"^(?:plan|continue|schedul\w*|refer\w*|will|agreed|follow|next|return|start|increase|"
                           r"safety plan|homework|recommend\w*|coordinate|f/u)\b", re.I)
FIELDS = ("chief_complaint", "symptoms", "plan")


@dataclass(frozen=True)
class Clause:
    text: str                # the clause as the note writes it (heading dropped)
    heading: str             # its heading ("Plan"), or ""
    index: int               # its order in the note


def clauses(note: str) -> list[Clause]:
    """The note's sentences and heading-led clauses, in order, whitespace collapsed."""
    out: list[Clause] = []
    for piece in _SPLIT.split(note):
        piece = " ".join(piece.split())
        heading = ""
        m = _HEADING.match(piece)
        if m and len(m.group("h").split()) <= 3:
            heading = m.group("h").strip()
            piece = piece[m.end():] if _STRUCTURAL.match(heading) else piece
        piece = piece.strip(" ;")
        if len(piece.split()) >= 2 or (piece and heading):
            out.append(Clause(piece, heading, len(out)))
    return out


def _all_denied(text: str) -> bool:
    """Whether every word of the clause after its first lies in a denial scope (a pure denial: "Denies SI.")."""
    spans = denials.scopes(text)
    words = [m for m in re.finditer(r"[A-Za-z][\w'-]*", text)][1:]
    return bool(words) and all(denials.denied(spans, w.start(), w.end()) for w in words)


def candidates(note: str, field: str) -> list[Clause]:
    """The clauses that may stand for `field`, best first: heading matches, then cue matches in note order.
    Symptom and complaint candidates leave out pure denials and plan clauses when anything else is left."""
    every = clauses(note)
    heads = [c for c in every if c.heading and _HEADINGS[field].match(c.heading)]
    cued = [c for c in every if c not in heads and _FIELD_CUES[field].search(c.text)]
    if field == "plan":
        return heads + cued
    cued = [c for c in cued if not _is_plan(c)]
    if field == "chief_complaint":          # any opening clause that is neither plan nor pure denial will do
        cued += [c for c in every if c not in heads + cued and not _is_plan(c)]
    kept = [c for c in heads + cued if not _all_denied(c.text)]
    return kept or heads + cued


def _is_plan(clause: Clause) -> bool:
    return bool(clause.heading and _HEADINGS["plan"].match(clause.heading)) or bool(_PLAN_OPENING.match(clause.text))


def trim(text: str, max_chars: int) -> str:
    """`text` cut at a word boundary to at most `max_chars` characters ("…" marks a cut)."""
    text = text.strip().rstrip(".")
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut + "…"


_FRAME = re.compile(r"^(?:(?:the )?(?:client|patient|pt)\.? )?(?:reports|reported|states|stated|says|said|describes|"
                    r"described|presents|presented|endorses|endorsed|notes|noted)(?: that)?\s+(?=\S)", re.I)


def compact(text: str, max_chars: int) -> str:
    """An extract as a field value: the reporting frame dropped ("Client reports X" -> "X"), trimmed to fit."""
    return trim(_FRAME.sub("", text.strip()), max_chars)


def is_plan(text: str) -> bool:
    """Whether a field value reads as a plan (a next step, referral, follow-up...)."""
    return bool(_FIELD_CUES["plan"].search(text))
