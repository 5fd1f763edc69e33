"""Crisis signals: cue classes from the signals.yaml lexicons, combined into a severity (the floor's second layer)."""
from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backend.safety.scope import denied_list_item
from backend.safety.types import FloorResult, Hit, normalise
from core.errors import ConfigError
from core.schemas import CONCERN_TYPES, RISK_FLAGS, Severity, max_severity, severity_rank

LEXICON_FILE = Path(__file__).resolve().parent / "signals.yaml"
CATEGORY = "signals"
_MACRO = re.compile(r"%([A-Z0-9]+)%")
# In a historical clause these classes describe the past: they count as history, or not at all.
_PAST_AS_HISTORY = {"intent", "selfharm", "selfharm_intent", "action"}
_PAST_DROPPED = {"means", "drug", "time", "acute", "means_active", "at_place", "goodbye", "farewell", "missing",
                 "reunion", "action_vague"}
_NOT_NEGATABLE = {"time", "missing"}
_MEDICAL = {"acute", "action", "action_vague"}
_GOODBYES = {"goodbye", "farewell"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClassSpec(_Strict):
    flag: str
    concern: str
    gate: Optional[str] = None
    patterns: list[str] = Field(min_length=1)


class RuleSpec(_Strict):
    name: str
    need: list[str] = Field(min_length=1)
    with_: list[str] = Field(default_factory=list, alias="with")
    distinct: int = 1
    distinct_by: Literal["text", "pattern"] = "text"   # different words, or different lexicon lines
    window: Optional[int] = None        # the `with` cue must be this many sentences away at most
    severity: Severity


class LexiconFile(_Strict):
    macros: dict[str, str]
    negation: str
    negation_window_words: int = 5
    window_sentences: int = 3           # how far apart the cues of a combination may be
    negation_blockers: str
    clause_boundary: str
    sentence_boundary: str
    hypothetical: str
    resolved: str
    everyday_goodbye: str
    recovered: str
    historical: str
    idioms: list[str]
    gates: dict[str, str] = Field(default_factory=dict)
    classes: dict[str, ClassSpec]
    rules: list[RuleSpec] = Field(min_length=1)


@dataclass(frozen=True)
class Cue:
    cls: str
    key: str            # which pattern of the class matched
    start: int
    end: int
    text: str           # the matched words, lowercased (distinct cues are distinct texts)
    sentence: int       # index of the sentence it is in


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for _ in range(3):
        pattern = _MACRO.sub(lambda m: macros.get(m.group(1), m.group(0)), pattern)
    if _MACRO.search(pattern):
        raise ConfigError(f"signals.yaml: unknown macro in {pattern!r}")
    return pattern.replace("`", "'?").replace(" ?", r"\s*").replace(" ", r"\s+")


def _compile_one(pattern: str, macros: dict[str, str]) -> re.Pattern[str]:
    try:
        return re.compile(_expand(pattern, macros), re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"signals.yaml: bad pattern {pattern!r}: {exc}") from None


def _compile(patterns: list[str], macros: dict[str, str]) -> re.Pattern[str]:
    """One regex for a whole lexicon, tried only at word starts; alternative i is the named group g<i>."""
    # every alternative of a pattern ends at a word edge (or after a space or apostrophe it ends with)
    parts = "|".join(f"(?P<g{i}>(?:{_expand(p, macros)})(?:(?<!\\w)|(?!\\w)))" for i, p in enumerate(patterns))
    try:
        return re.compile(f"(?<!\\w)(?<!\\w')(?:{parts})", re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"signals.yaml: bad pattern: {exc}") from None


class Signals:
    """Compiled lexicons and combination rules. Build once, evaluate many messages."""

    def __init__(self, path: Path = LEXICON_FILE):
        try:
            spec = LexiconFile.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise ConfigError(f"Cannot load {Path(path).name}: {exc}") from None
        m = spec.macros
        one = lambda p: _compile_one(p, m)  # noqa: E731
        self.spec = spec
        self.negation, self.blockers = one(spec.negation), one(spec.negation_blockers)
        self.clause, self.sentence = one(spec.clause_boundary), one(spec.sentence_boundary)
        self.hypothetical, self.historical = one(spec.hypothetical), one(spec.historical)
        self.resolved, self.everyday_goodbye = one(spec.resolved), one(spec.everyday_goodbye)
        self.recovered = one(spec.recovered)
        self.idioms = _compile(spec.idioms, m)
        self.gates = {name: one(p) for name, p in spec.gates.items()}
        self.classes = {name: _compile(c.patterns, m) for name, c in spec.classes.items()}
        # The lexicons have no upper-case letters, so on lower-cased text they match without IGNORECASE: the
        # same spans, twice as fast (checked at load; text whose length changes when lowered takes the slow way).
        self.lowered = {name: re.compile(p.pattern) for name, p in self.classes.items()}
        self._check(spec)

    def _check(self, spec: LexiconFile) -> None:
        for name, c in spec.classes.items():
            if c.flag not in RISK_FLAGS or c.concern not in CONCERN_TYPES:
                raise ConfigError(f"signals.yaml: class {name} has an unknown flag or concern")
            if c.gate and c.gate not in self.gates:
                raise ConfigError(f"signals.yaml: class {name} has an unknown gate {c.gate}")
        coded = _PAST_AS_HISTORY | _PAST_DROPPED | _NOT_NEGATABLE | _MEDICAL | _GOODBYES | {"history"}
        if coded - set(spec.classes):
            raise ConfigError(f"signals.yaml: classes the code relies on are missing: {sorted(coded - set(spec.classes))}")
        if any(re.search(r"(?<!\\)[A-Z]", p.pattern.replace("(?P<", "")) for p in self.classes.values()):
            raise ConfigError("signals.yaml: lexicon patterns must be lower case (they match lower-cased text)")
        for r in spec.rules:
            unknown = set(r.need + r.with_) - set(spec.classes)
            if unknown:
                raise ConfigError(f"signals.yaml: rule {r.name} uses unknown classes {sorted(unknown)}")

    # --- evaluation ------------------------------------------------------------------------
    def cues(self, text: str) -> dict[str, list[Cue]]:
        """Every live cue by class, after idioms, hypotheticals, the past and negation."""
        masked = self._mask(normalise(text))
        sentences = _marks(self.sentence, masked)
        clauses = _marks(self.clause, masked)
        sentence_ends = [e for _, e in sentences]
        found: dict[str, list[Cue]] = {}
        everyday_goodbye = bool(self.everyday_goodbye.search(masked))
        recovered = bool(self.recovered.search(masked))
        lowered = masked.lower()
        fast = len(lowered) == len(masked)
        for name, pattern in self.classes.items():
            gate = self.spec.classes[name].gate
            if (gate and not self.gates[gate].search(masked)) or (everyday_goodbye and name in _GOODBYES):
                continue
            for mt in (self.lowered[name].finditer(lowered) if fast else pattern.finditer(masked)):
                cls = self._context(name, mt, masked, sentences, clauses)
                if cls and not (cls == "history" and recovered):
                    found.setdefault(cls, []).append(
                        Cue(cls, f"{name}:{mt.lastgroup}", mt.start(), mt.end(), " ".join(mt.group(0).lower().split()),
                            bisect.bisect_right(sentence_ends, mt.start())))
        return found

    def _mask(self, text: str) -> str:
        return self.idioms.sub(lambda mt: " " * len(mt.group(0)), text)

    def _context(self, name: str, mt: re.Match[str], text: str, sentences: list, clauses: list) -> str | None:
        s_lo, s_hi = _around(sentences, mt.start(), mt.end(), len(text))
        if self.hypothetical.search(text, s_lo, s_hi):
            return None
        if name in _MEDICAL and self.resolved.search(text, s_lo, s_hi):
            return None
        c_lo, c_hi = _around(clauses, mt.start(), mt.end(), len(text))
        if self.historical.search(text, c_lo, c_hi):
            if name in _PAST_AS_HISTORY:
                return "history"
            if name in _PAST_DROPPED:
                return None
        if name not in _NOT_NEGATABLE and (self._negated(text[c_lo:mt.start()])
                                           or denied_list_item(text, s_lo, mt.start())):
            return None
        return name

    def _negated(self, before: str) -> bool:
        window = " ".join(before.split()[-self.spec.negation_window_words:])
        return bool(self.negation.search(window)) and not self.blockers.search(window)

    def evaluate(self, text: str) -> list[Hit]:
        """One Hit per rule that fires (strongest first); the span is the rule's first cue."""
        found = self.cues(text)
        hits = []
        for rule in self.spec.rules:
            cue = self._fire(rule, found)
            if cue is None:
                continue
            c = self.spec.classes[cue.cls]
            hits.append(Hit(rule=f"signal:{rule.name}", category=CATEGORY, flag=c.flag, concern=c.concern,
                            severity=rule.severity, start=cue.start, end=cue.end,
                            text=text[cue.start:cue.end]))
        hits.sort(key=lambda h: -severity_rank(h.severity))
        return hits

    def _fire(self, rule: RuleSpec, found: dict[str, list[Cue]]) -> Cue | None:
        first = found.get(rule.need[0], [])
        if not first or not all(found.get(n) for n in rule.need):
            return None
        if rule.with_:
            window = self.spec.window_sentences if rule.window is None else rule.window
            others = [c for w in rule.with_ for c in found.get(w, ())]
            first = [a for a in first if any(abs(a.sentence - b.sentence) <= window for b in others)]
            if not first:
                return None
        if len({c.text if rule.distinct_by == "text" else c.key for c in first}) < rule.distinct:
            return None
        return max(first, key=lambda c: c.end - c.start)

    def severity(self, text: str) -> str:
        hits = self.evaluate(text)
        return hits[0].severity if hits else "low"


def _marks(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(mt.start(), mt.end()) for mt in pattern.finditer(text)]


def _around(marks: list[tuple[int, int]], start: int, end: int, n: int) -> tuple[int, int]:
    """The boundaries enclosing [start, end): end of the last mark before it, start of the first after."""
    ends = [e for _, e in marks]
    i = bisect.bisect_right(ends, start)
    lo = ends[i - 1] if i else 0
    starts = [s for s, _ in marks]
    j = bisect.bisect_left(starts, end)
    hi = starts[j] if j < len(starts) else n
    return lo, hi


@lru_cache(maxsize=1)
def default_signals() -> Signals:
    """The shipped lexicons, compiled once per process."""
    return Signals()


def evaluate(text: str, signals: Signals | None = None) -> list[Hit]:
    """Crisis-signal hits for one message (no engine; about a millisecond)."""
    return (signals or default_signals()).evaluate(text)


def severity(text: str, signals: Signals | None = None) -> str:
    """The highest severity the signals give one message ("low" when none fire)."""
    return (signals or default_signals()).severity(text)


def merge(result: FloorResult, text: str, signals: Signals | None = None) -> FloorResult:
    """The floor's result with the signals added: severity = max(phrase rules, signals); hits, rules, flags joined."""
    start = time.perf_counter()
    hits = [h for h in evaluate(text, signals) if h.severity != "low"]
    if not hits:
        return result
    top = hits[0]
    raised = severity_rank(top.severity) > severity_rank(result.severity)
    action = result.action or ("emergency_services" if top.severity == "crisis" else None)
    return result.model_copy(update={
        "severity": max_severity(result.severity, top.severity),
        "rules": list(dict.fromkeys(result.rules + [h.rule for h in hits])),
        "hits": sorted(result.hits + hits, key=lambda h: (h.start, -severity_rank(h.severity))),
        "action": action,
        "concern": top.concern if raised or result.concern is None else result.concern,
        "flags": list(dict.fromkeys(result.flags + [h.flag for h in hits])),
        "latency_ms": round(result.latency_ms + (time.perf_counter() - start) * 1000, 3),
    })


__all__ = ["Cue", "Signals", "default_signals", "evaluate", "merge", "severity"]
