"""A session's grounded risk evidence: asserted and denied risk concepts, the floor's grounded hits, the risk level
and the risk text composed from them (never model prose)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from backend.summarize import denials
from core.errors import ConfigError
from core.schemas import SEVERITIES, Severity, max_severity, severity_rank

TERMS_FILE = Path(__file__).resolve().parent / "risk_terms.yaml"
MAX_EVIDENCE = 3                    # phrases quoted in the risk text (most severe first)
NO_EVIDENCE = "no risk statements in note"
FLOOR_ONLY = "safety floor rule matched, review"          # the level rests on a rule the note's wording does not show
WHOLE_NOTE = "read from the note as a whole"               # the trained reading set the level, no one statement did
# Floor flags as risk concepts (the floor's own vocabulary, core.schemas.RiskFlag, mapped onto ours).
FLOOR_CONCEPTS = {"suicidal_thoughts": "suicidal_thoughts", "plan": "plan", "means_access": "means_access",
                  "preparatory_behavior": "preparatory_behavior", "prior_attempt": "suicide_attempt",
                  "goodbye_message": "preparatory_behavior", "self_harm_behavior": "self_harm_behavior",
                  "harm_to_others": "harm_to_others", "hopelessness": "hopelessness", "substance_use": "substance_use",
                  "panic_symptoms": "panic_symptoms", "anhedonia": "low_mood"}


class Concept(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z_]+$")
    label: str
    short: str
    level: Severity
    escalates: bool = False
    anyone: bool = False            # counts whoever acts (an emergency response): no third-party guard
    masks: list[str] = Field(default_factory=list)    # concepts whose matches inside this one's do not count
    patterns: list[str] = Field(min_length=1)


class Terms(BaseModel):
    model_config = ConfigDict(extra="forbid")

    historical: str
    historical_after: str
    third_party: str
    hypothetical: str
    ratings: list[str] = Field(min_length=1)
    rating_levels: dict[str, Severity]
    not_current: str
    concepts: list[Concept] = Field(min_length=1)


@dataclass(frozen=True)
class Compiled:
    """The reviewed concept file, validated and compiled once."""

    spec: Terms
    concepts: dict[str, list[re.Pattern[str]]]      # patterns per concept key
    guards: dict[str, re.Pattern[str]]              # historical, historical_after, third_party, hypothetical, not_current
    ratings: list[re.Pattern[str]]                  # a clinician's rating of current risk (group `level`)


@lru_cache(maxsize=1)
def terms() -> Compiled:
    """The reviewed concept file, validated and compiled."""
    try:
        spec = Terms.model_validate(yaml.safe_load(TERMS_FILE.read_text(encoding="utf-8")))
        return Compiled(spec=spec,
                        concepts={c.key: [re.compile(p, re.I) for p in c.patterns] for c in spec.concepts},
                        guards={name: re.compile(getattr(spec, name), re.I) for name in
                                ("historical", "historical_after", "third_party", "hypothetical", "not_current")},
                        ratings=[re.compile(p, re.I) for p in spec.ratings])
    except (OSError, yaml.YAMLError, ValueError, re.error) as exc:
        raise ConfigError(f"Cannot read {TERMS_FILE.name}: {exc}") from None


def concept(key: str) -> Concept:
    return next(c for c in terms().spec.concepts if c.key == key)


def label(key: str) -> str:
    """A concept's name for a reader ("suicidal thoughts"); an unknown key spelled out."""
    return next((c.label for c in terms().spec.concepts if c.key == key), key.replace("_", " "))


class Mention(BaseModel):
    """One match of a risk concept in a text: its span, phrase and polarity."""

    key: str
    start: int
    end: int
    phrase: str
    polarity: str                   # asserted | denied | historical | third_party | hypothetical


_CLAUSE = re.compile(r"[.;!?\n]|\bbut\b", re.I)


def _clause_before(text: str, start: int) -> str:
    """The clause text before `start` (back to the last clause boundary)."""
    cuts = [m.end() for m in _CLAUSE.finditer(text, 0, start)]
    return text[cuts[-1] if cuts else 0:start]


_SINCE = re.compile(r"\b(?:nothing|none|no (?:further |more |other )?(?:attempts?|episodes?|recurrences?)) since\b", re.I)


_SENTENCE_END = re.compile(r"[.!?\n]")


def _sentence_after(text: str, end: int) -> str:
    stop = _SENTENCE_END.search(text, end)
    return text[end:stop.start() if stop else len(text)]


def _polarity(text: str, start: int, end: int, scopes: list[denials.Scope], anyone: bool = False) -> str:
    if denials.denied(scopes, start, min(end, start + 1)) or denials.denied_after(text, end):
        return "denied"                                  # a mention that starts inside a denial is denied
    after, guards = _sentence_after(text, end), terms().guards
    if _SINCE.search(after) or guards["historical_after"].match(after):   # "... in 1988; nothing since"
        return "historical"
    before = _clause_before(text, start)
    lead = f"{before}{text[start:end].split()[0]}"   # a qualifier leading the phrase counts: "prior attempts"
    for name in ("historical", "hypothetical"):
        if guards[name].search(lead):
            return name
    if not anyone and guards["third_party"].search(" ".join(before.split()[-5:])):
        return "third_party"
    return "asserted"


def mentions(text: str, scopes: list[denials.Scope] | None = None) -> list[Mention]:
    """Every risk-concept match in `text` (overlapping matches of one concept merged), in text order;
    `scopes` are the text's denial scopes when the caller has them."""
    scopes = denials.scopes(text) if scopes is None else scopes
    found: list[Mention] = []
    for key, patterns in terms().concepts.items():
        spans = sorted({(m.start(), m.end()) for p in patterns for m in p.finditer(text) if m.end() > m.start()},
                       key=lambda span: (span[0], -span[1]))
        last_end = -1
        for start, end in spans:
            if start < last_end:
                continue
            last_end = end
            phrase = " ".join(text[start:end].split()).strip(" ,")
            found.append(Mention(key=key, start=start, end=end, phrase=phrase,
                                 polarity=_polarity(text, start, end, scopes, concept(key).anyone)))
    masked = {(m.start, m.end, k) for m in found for k in concept(m.key).masks}
    found = [m for m in found if not any(s <= m.start and m.end <= e and k == m.key for s, e, k in masked)]
    return sorted(found, key=lambda m: m.start)


class Rating(BaseModel):
    """A clinician's own rating of current risk in the note ("Risk assessed as low")."""

    level: Severity
    start: int
    end: int
    phrase: str


def rating(text: str, scopes: list[denials.Scope] | None = None) -> Rating | None:
    """The note's last rating of current risk, unless denied ("not high risk") or of chronic risk."""
    compiled = terms()
    spec, guards = compiled.spec, compiled.guards
    scopes = denials.scopes(text) if scopes is None else scopes
    found = []
    for pattern in compiled.ratings:
        for m in pattern.finditer(text):
            word = m.group("level").lower()
            if denials.denied(scopes, m.start(), m.end()) or guards["not_current"].search(text[max(0, m.start() - 20):m.start()]):
                continue
            found.append(Rating(level=spec.rating_levels[word], start=m.start(), end=m.end(),
                                phrase=" ".join(text[m.start():m.end()].split())))
    return max(found, key=lambda r: r.start) if found else None


def asserted(found: list[Mention]) -> list[str]:
    return list(dict.fromkeys(m.key for m in found if m.polarity == "asserted"))


def denied_keys(found: list[Mention]) -> list[str]:
    """Concepts the text denies and never asserts."""
    yes = set(asserted(found))
    return list(dict.fromkeys(m.key for m in found if m.polarity == "denied" and m.key not in yes))


def concept_level(keys: list[str]) -> str:
    """The risk the asserted concepts imply: each its own level; suicidal thoughts with an escalating
    concept (plan, intent, no safety commitment) is a crisis, and so is a plan with intent, no safety
    commitment or the means to carry it out."""
    escalating = {k for k in keys if concept(k).escalates}
    if "suicidal_thoughts" in keys and escalating:
        return "crisis"
    if "plan" in keys and (escalating - {"plan"} or "means_access" in keys):
        return "crisis"
    return max_severity(*(concept(k).level for k in keys))


# --- the floor, grounded ---------------------------------------------------------------------------
class Grounded(BaseModel):
    """The floor's result read against the note's own denials."""

    floor_risk: str                          # what the floor said
    floor_flags: list[str]
    risk: str                                # the floor without hits the note itself explicitly denies
    flags: list[str]                         # flags of the floor's asserted (not negated, not denied) hits
    discounted: list[str] = Field(default_factory=list)     # rules whose hit lies inside a denial scope
    unread_risk: str = "low"                 # the floor's hits on text our own reading has no concept for
    phrases: list[tuple[int, int, str, str]] = Field(default_factory=list)   # (start, end, text, severity)


def _read_by_us(hit: Any, found: list[Mention]) -> bool:
    """Whether our reading has a concept for what a floor hit saw: a mention overlapping a rule's span, or one
    inside a semantic window."""
    if hit.score is not None:
        return any(hit.start <= m.start and m.end <= hit.end for m in found)
    return any(m.start < hit.end and hit.start < m.end for m in found)


def ground_floor(text: str, result: Any, found: list[Mention] | None = None,
                 scopes: list[denials.Scope] | None = None) -> Grounded:
    """`result` (a FloorResult of `text`) without the hits whose span sits inside an explicit denial of the
    note ("Denies suicidal ideation, self-harm, or substance misuse"); hits without a span are kept. A kept hit
    that our own reading of `found` calls denied, historical or someone else's keeps its severity but is neither
    quoted nor counted as a flag."""
    scopes = denials.scopes(text) if scopes is None else scopes
    kept, discounted = [], []
    for hit in result.hits:
        inside = hit.end > hit.start and hit.modifier != "negated" and denials.denied(scopes, hit.start, hit.end)
        (discounted if inside else kept).append(hit)
    risk = result.severity
    if discounted:
        risk = min(result.severity, max_severity(*(h.severity for h in kept)), key=severity_rank)
    other = [(m.start, m.end) for m in found or () if m.polarity != "asserted"]
    live = [h for h in kept if h.modifier is None and not any(s < h.end and h.start < e for s, e in other)]
    phrases = [(h.start, h.end, " ".join(h.text.split()), h.severity) for h in live if h.end > h.start]
    unread = [h for h in kept if h.modifier is None and not _read_by_us(h, found or [])]
    unread_risk = max_severity("low", *(h.severity for h in unread))
    return Grounded(floor_risk=result.severity, floor_flags=sorted(set(result.flags)), risk=risk,
                    flags=sorted({h.flag for h in live}), discounted=sorted({h.rule for h in discounted}), phrases=phrases,
                    unread_risk=min(risk, unread_risk, key=severity_rank))


# --- the session's risk and its text ---------------------------------------------------------------
class RiskEvidence(BaseModel):
    """What a session summary says about risk, all of it grounded in the note."""

    risk: str                                # the note's own reading, raised to crisis by a grounded floor crisis
    risk_note: str                           # evidence phrases quoted from the note, then denials as denials
    grounded: Grounded
    asserted: list[str]                      # concept keys the note asserts (and the floor's, when it raised the level)
    denied: list[str]                        # concept keys the note denies and never asserts
    rated: Rating | None = None              # the clinician's own rating of current risk, when the note has one
    read_whole: Severity | None = None       # the trained reading of the whole note, when the floor's model ran


_PLAN_WORDS = re.compile(r"(?<!safety )(?<!care )(?<!treatment )\b(?:plan|plans|intent|intention|timeline)\b(?!:)", re.I)


def denies_plan(text: str, scopes: list[denials.Scope] | None = None) -> bool:
    """Whether the note explicitly denies a plan or intent ("denies plan/intent", "no plan or intent")."""
    scopes = denials.scopes(text) if scopes is None else scopes
    return any(denials.denied(scopes, m.start(), m.end()) for m in _PLAN_WORDS.finditer(text))


def note_level(keys: list[str], rated: Rating | None) -> str:
    """The note's own risk: the clinician's rating when it gives one (an asserted crisis-level concept, such as
    an attempt or an emergency response, still makes a crisis), else what the asserted concepts imply."""
    if rated is None:
        return concept_level(keys) if keys else "low"
    return "crisis" if any(concept(k).level == "crisis" for k in keys) else rated.level


def rule_rank(text: str) -> int:
    """The note's rule reading (`note_level`: concepts and the clinician's rating) as a severity rank; what the
    trained reading is combined with, and calibrated against (`main.py safety train`)."""
    scopes = denials.scopes(text)
    return severity_rank(note_level(asserted(mentions(text, scopes)), rating(text, scopes)))


def whole_reading(floor_result: Any) -> Severity | None:
    """The trained reading of the whole note: the semantic model's three heads on the whole text (the floor
    records them) at the model's note thresholds, chosen out of source on clinical notes, its crisis head only
    where the floor sees at least high risk (`note_ranks`); None when the floor's semantic layer did not run or
    the model has no note thresholds."""
    from backend.safety.semantic import HEADS, default_model, note_ranks

    thresholds, scores = default_model().note_thresholds, floor_result.scores
    if not thresholds or any(f"whole_{h}" not in scores for h in HEADS):
        return None
    rank = note_ranks([[scores[f"whole_{h}"] for h in HEADS]], thresholds, [severity_rank(floor_result.severity)])
    return SEVERITIES[int(rank[0])]


def assess(text: str, floor_result: Any) -> RiskEvidence:
    """The session's risk level and risk text from the note and the floor's result for it.

    The level is the note's own reading: the higher of its rules (`note_level`) and the trained reading of the
    whole note (`whole_reading`, which hears distress and ideation in wording no concept lists; it only raises).
    The floor's rules, built for messages, read too much into a note's denials, history and passive wishes, so
    they do not set it. A floor crisis on words our reading has no concept for
    (a rule span that overlaps none of our mentions, a semantic window that holds none; not inside the note's
    denials) still makes the session a crisis, unless the clinician rates the risk or the note explicitly denies
    a plan or intent, and a floor high or crisis always sends the session to the review queue
    (`SessionResult.needs_review`), so nothing the floor sees is hidden from a clinician."""
    scopes = denials.scopes(text)                          # read once, used by every reader below
    found = mentions(text, scopes)
    grounded = ground_floor(text, floor_result, found, scopes)
    rated = rating(text, scopes)
    own = asserted(found)
    level, whole = note_level(own, rated), whole_reading(floor_result)
    by_whole = whole is not None and severity_rank(whole) > severity_rank(level)
    level = whole if by_whole else level
    raised = grounded.unread_risk == "crisis" and level != "crisis" and rated is None and not denies_plan(text, scopes)
    keys = list(dict.fromkeys(own + ([FLOOR_CONCEPTS[f] for f in grounded.flags if f in FLOOR_CONCEPTS] if raised else [])))
    no = [k for k in denied_keys(found) if k not in keys]    # denials only in the note's own words, never the floor's
    note = risk_text(found, grounded if raised else None, no, rated)
    if raised and not grounded.phrases:
        note = FLOOR_ONLY if note == NO_EVIDENCE else f"{FLOOR_ONLY}; {note}"
    elif by_whole and not raised:
        note = WHOLE_NOTE if note == NO_EVIDENCE else f"{WHOLE_NOTE}; {note}"
    return RiskEvidence(risk="crisis" if raised else level, risk_note=note, grounded=grounded, asserted=keys,
                        denied=no, rated=rated, read_whole=whole)


def _phrases(found: list[Mention], grounded: Grounded | None, rated: Rating | None) -> list[str]:
    """The clinician's rating, asserted concept phrases (most severe first), then the floor's own asserted
    spans they do not cover (only when the floor set the level)."""
    own = sorted((m for m in found if m.polarity == "asserted"),
                 key=lambda m: (-severity_rank(concept(m.key).level), m.start))
    spans = [(m.start, m.end) for m in own]
    floor = [text for start, end, text, severity in sorted(grounded.phrases, key=lambda p: -severity_rank(p[3]))
             if severity_rank(severity) >= 1 and not any(s < end and start < e for s, e in spans)] if grounded else []
    return list(dict.fromkeys(([rated.phrase] if rated else []) + [m.phrase for m in own] + floor))


def risk_text(found: list[Mention], grounded: Grounded | None, denied: list[str], rated: Rating | None = None,
              limit: int = 120) -> str:
    """`daily thoughts of ending his life; checked on his father's handgun; denies HI`: quoted evidence, then
    what the note denies, dropped from the end to fit `limit` characters."""
    parts = _phrases(found, grounded, rated)[:MAX_EVIDENCE]
    shorts = list(dict.fromkeys(concept(k).short for k in denied))[:4]
    if shorts:
        parts.append("denies " + "/".join(shorts))
    while parts and len("; ".join(parts)) > limit:
        parts.pop(-2 if len(parts) > 1 and shorts else -1)
    return "; ".join(parts) or NO_EVIDENCE
