"""The explicit layer: the data-file rules in backend/safety/rules, each hit read in its context (context.yaml)."""
from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backend.safety.scanner import Scanner
from backend.safety.scope import denied_list_item
from backend.safety.types import MODIFIERS, FloorResult, Hit, Modifier, normalise
from core.errors import ConfigError
from core.schemas import ACTIONS, CONCERN_TYPES, RISK_FLAGS, Severity, action_rank, severity_rank

SAFETY_DIR = Path(__file__).resolve().parent
RULES_DIR = SAFETY_DIR / "rules"
CONTEXT_FILE = SAFETY_DIR / "context.yaml"
_MACRO = re.compile(r"%([A-Z]+)%")



# --- data-file shapes ----------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RuleSpec(_Strict):
    name: str = Field(pattern=r"^[a-z0-9_]+$")
    patterns: list[str] = Field(min_length=1)
    severity: Optional[Severity] = None
    flag: Optional[str] = None
    concern: Optional[str] = None
    action: Optional[str] = None
    modifiers: Optional[list[Modifier]] = None


class RuleFile(_Strict):
    category: str
    concern: str
    flag: str
    severity: Severity
    action: Optional[str] = None
    modifiers: list[Modifier] = list(MODIFIERS)
    rules: list[RuleSpec] = Field(min_length=1)


class Accumulate(_Strict):
    min_distinct_rules: int = 2
    flags: list[str]
    severity: Severity = "crisis"
    name: str = "accumulated_warning_signs"


class NegationSpec(_Strict):
    window_words: int = 6
    cues: str
    blockers: str
    denied_after: str                   # "Suicidal thoughts? No, never."
    partial_after: str


class Frame(_Strict):
    """A message-level reading that caps the floor: every pattern in `all` matches and `unless` does not."""
    name: str
    all: list[str] = Field(min_length=1)
    unless: Optional[str] = None
    cap: Severity


class ContextFile(_Strict):
    macros: dict[str, str]
    sentence_boundary: str
    clause_boundary: str
    idioms: list[str]
    negation: NegationSpec
    hedged: str
    reported: str
    hypothetical: str
    third_party: str
    first_person: str
    historical: str
    demote: dict[Modifier, Severity]
    accumulate: Accumulate
    denial: str = r"(?!)"               # clinical denial ("denies SI"): a negated match counts as nothing
    frames: list[Frame] = Field(default_factory=list)
    frames_never_cap: list[str] = Field(default_factory=list)   # rule categories whose unmodified crisis hits no frame caps


@dataclass(frozen=True)
class Rule:
    name: str
    category: str
    severity: str
    flag: str
    concern: str
    action: str | None
    modifiers: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]


# --- loading -------------------------------------------------------------------------------
def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"Cannot read safety file {path.name}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"Safety file {path.name} must be a mapping.")
    return data


def _compile(pattern: str, macros: dict[str, str], where: str) -> re.Pattern[str]:
    expanded = pattern
    for _ in range(3):  # macros may use macros
        expanded = _MACRO.sub(lambda m: macros.get(m.group(1), m.group(0)), expanded)
    if re.search(r"%[A-Z_0-9]+%", expanded):          # a misspelt or unknown macro name must not pass as text
        raise ConfigError(f"{where}: unknown macro in pattern {pattern!r}")
    try:
        return re.compile(expanded, re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"{where}: bad pattern {pattern!r}: {exc}") from None


def _check_vocab(value: str | None, vocab: tuple[str, ...], what: str, where: str) -> None:
    if value is not None and value not in vocab:
        raise ConfigError(f"{where}: unknown {what} '{value}'")


def _load_rule_file(path: Path, macros: dict[str, str]) -> list[Rule]:
    try:
        spec = RuleFile.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise ConfigError(f"Rule file {path.name} is malformed: {exc.errors()[0]['msg']}") from None
    rules = []
    for r in spec.rules:
        where = f"{path.name}:{r.name}"
        rule = Rule(name=r.name, category=spec.category, severity=r.severity or spec.severity,
                    flag=r.flag or spec.flag, concern=r.concern or spec.concern, action=r.action or spec.action,
                    modifiers=frozenset(r.modifiers if r.modifiers is not None else spec.modifiers),
                    patterns=tuple(_compile(p, macros, where) for p in r.patterns))
        _check_vocab(rule.flag, RISK_FLAGS, "flag", where)
        _check_vocab(rule.concern, CONCERN_TYPES, "concern", where)
        _check_vocab(rule.action, ACTIONS, "action", where)
        rules.append(rule)
    return rules


class RuleSet:
    """Compiled rules plus their context (idioms, negation, modifiers). Build once, evaluate many times."""

    def __init__(self, rules_dir: Path = RULES_DIR, context_file: Path = CONTEXT_FILE):
        try:
            ctx = ContextFile.model_validate(_read_yaml(context_file))
        except ValidationError as exc:
            raise ConfigError(f"{context_file.name} is malformed: {exc.errors()[0]['msg']}") from None
        c = lambda p: _compile(p, ctx.macros, context_file.name)  # noqa: E731
        self.ctx = ctx
        self.sentence, self.clause = c(ctx.sentence_boundary), c(ctx.clause_boundary)
        self.idioms = [c(p) for p in ctx.idioms]
        self.neg_cues, self.neg_blockers = c(ctx.negation.cues), c(ctx.negation.blockers)
        self.partial_after, self.denied_after = c(ctx.negation.partial_after), c(ctx.negation.denied_after)
        self.cues = {name: c(getattr(ctx, name)) for name in ("hedged", "reported", "hypothetical", "historical")}
        self.third_party, self.first_person = c(ctx.third_party), c(ctx.first_person)
        self.denial = c(ctx.denial)
        self.frames = [(f, [c(p) for p in f.all], c(f.unless) if f.unless else None) for f in ctx.frames]
        files = sorted(Path(rules_dir).glob("*.yaml"))
        if not files:
            raise ConfigError(f"No rule files in {rules_dir}")
        self.rules = [rule for path in files for rule in _load_rule_file(path, ctx.macros)]
        names = [r.name for r in self.rules]
        if len(names) != len(set(names)):
            raise ConfigError("Rule names must be unique across rule files.")
        self._owner = [rule for rule in self.rules for _ in rule.patterns]
        self._scanner = Scanner([p for rule in self.rules for p in rule.patterns])
        self._idiom_scanner = Scanner(self.idioms)

    def evaluate(self, text: str) -> FloorResult:
        start = time.perf_counter()
        norm = normalise(text)
        masked = self._mask_idioms(norm)
        bounds = _Bounds(self, masked)
        hits = [self._hit(self._owner[index], m, norm, masked, bounds)
                for index, m in self._scanner.matches(masked)]
        hits.sort(key=lambda h: (h.start, -severity_rank(h.severity)))
        return self._result(hits, (time.perf_counter() - start) * 1000)

    # --- internals ---------------------------------------------------------------------------
    def framed(self, result: FloorResult, text: str) -> FloorResult:
        """The result capped by the first message-level frame that applies (fiction, gaming jokes, ...). A crisis
        statement of a category in `frames_never_cap` (a documented screener answer, a hold, an emergency lab value)
        is no fiction or professional question, and is never capped."""
        proof = set(self.ctx.frames_never_cap)
        if any(h.category in proof and h.severity == "crisis" and h.modifier is None for h in result.hits):
            return result
        norm = normalise(text)
        for frame, patterns, unless in self.frames:
            if severity_rank(result.severity) <= severity_rank(frame.cap):
                continue
            if all(p.search(norm) for p in patterns) and not (unless and unless.search(norm)):
                return result.model_copy(update={"severity": frame.cap, "action": None,
                                                 "rules": result.rules + [f"frame:{frame.name}"]})
        return result

    def _mask_idioms(self, text: str) -> str:
        chars = list(text)
        for _, m in self._idiom_scanner.matches(text):
            chars[m.start():m.end()] = " " * (m.end() - m.start())
        return "".join(chars)

    def _hit(self, rule: Rule, m: re.Match[str], norm: str, masked: str, bounds: "_Bounds") -> Hit:
        modifier = self._modifier(rule, m, masked, bounds)
        severity = rule.severity
        if modifier:
            demoted = self.ctx.demote[modifier]
            severity = min(severity, demoted, key=severity_rank)
        if self._denied(masked, bounds, m.start(), m.end()):
            modifier, severity = "negated", "low"
        return Hit(rule=rule.name, category=rule.category, flag=rule.flag, concern=rule.concern,
                   severity=severity, modifier=modifier, start=m.start(), end=m.end(),
                   text=norm[m.start():m.end()])

    def _denied(self, text: str, bounds: "_Bounds", start: int, end: int) -> bool:
        """A clinical denial before the match in its clause, or earlier in its sentence with only a list between
        ("Denies SI, HI, self-harm, or substance misuse": every item is denied)."""
        c_lo = bounds.clause(start, end)[0]
        if self.denial.search(text[c_lo:start]):
            return True
        return denied_list_item(text, bounds.sentence(start, end)[0], start, self.denial)

    def _modifier(self, rule: Rule, m: re.Match[str], text: str, bounds: "_Bounds") -> str | None:
        s_lo, s_hi = bounds.sentence(m.start(), m.end())
        c_lo, _ = bounds.clause(m.start(), m.end())
        sentence_before, clause_before = text[s_lo:m.start()], text[c_lo:m.start()]
        allowed = rule.modifiers
        if "historical" in allowed and self.cues["historical"].search(text, s_lo, s_hi):
            return "historical"
        for name in ("hypothetical", "reported"):
            if name in allowed and self.cues[name].search(sentence_before):
                return name
        if "negated" in allowed and (self._negated(clause_before, text[m.end():s_hi])
                                     or self.denied_after.search(text[m.end():m.end() + 30])):
            return "negated"                   # whoever it is about: "he is not suicidal" is no risk statement
        if "third_party" in allowed and self._third_party(clause_before, m.group(0)):
            return "third_party"
        if "hedged" in allowed and self.cues["hedged"].search(clause_before):
            return "hedged"
        return None

    def _third_party(self, before: str, matched: str) -> bool:
        last = None
        for last in self.third_party.finditer(before):
            pass
        if last is None:
            return False
        return not self.first_person.search(before[last.end():] + " " + matched)

    def _negated(self, before: str, after: str) -> bool:
        window = " ".join(before.split()[-self.ctx.negation.window_words:])
        if not self.neg_cues.search(window) or self.neg_blockers.search(before):
            return False
        return not self.partial_after.search(after)

    def _result(self, hits: list[Hit], elapsed_ms: float) -> FloorResult:
        live = [h for h in hits if h.severity != "low"]
        severity = max((h.severity for h in live), key=severity_rank, default="low")
        rules = list(dict.fromkeys(h.rule for h in live if h.modifier != "negated"))
        acc = self.ctx.accumulate
        signals = {h.rule for h in live if h.modifier is None and h.flag in acc.flags
                   and severity_rank(h.severity) >= severity_rank("high")}
        if len(signals) >= acc.min_distinct_rules and severity_rank(acc.severity) > severity_rank(severity):
            severity = acc.severity
            rules.append(acc.name)
        top = [h for h in live if h.severity == severity] or live
        by_name = {r.name: r for r in self.rules}
        actions = [by_name[h.rule].action for h in live
                   if h.modifier is None and by_name[h.rule].action and h.severity == "crisis"]
        return FloorResult(
            severity=severity, rules=rules, hits=hits,
            action=max(actions, key=action_rank) if actions else None,
            concern=top[0].concern if top else None,
            flags=list(dict.fromkeys(h.flag for h in live if h.modifier != "negated")),
            latency_ms=round(elapsed_ms, 3))


class _Bounds:
    """Sentence and clause boundary offsets of one text, for bisecting around a match."""

    def __init__(self, rules: RuleSet, text: str):
        self.n = len(text)
        self._sent = [(m.start(), m.end()) for m in rules.sentence.finditer(text)]
        self._clause = [(m.start(), m.end()) for m in rules.clause.finditer(text)]

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        return self._around(self._sent, start, end)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        return self._around(self._clause, start, end)

    def _around(self, marks: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_right(marks, (start, self.n + 1)) - 1
        lo = 0
        while i >= 0:
            if marks[i][1] <= start:
                lo = marks[i][1]
                break
            i -= 1
        j = bisect.bisect_left(marks, (end, -1))
        hi = marks[j][0] if j < len(marks) else self.n
        return lo, hi


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The shipped rule set, compiled once per process."""
    return RuleSet()


__all__ = ["RuleSet", "default_rules"]
