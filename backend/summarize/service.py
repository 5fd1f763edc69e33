"""Session summaries: one model call per session (chunks for long notes), faithfulness, grounded risk, word limit,
sanitizing."""
from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import nh3
from pydantic import ValidationError

from backend.summarize import evidence, faithful
from core.engine.base import Engine, GenerationOptions
from core.errors import EngineError
from core.prompts import SUMMARY_PROMPT_VERSION as PROMPT_VERSION
from core.prompts import build_session_messages
from core.schemas import SUMMARY_MAX_WORDS, SessionSummary, json_schema, max_severity, visible_words
from tasks import ASSISTANT_MODEL

log = logging.getLogger("backend.summarize")
MODEL_NAME = ASSISTANT_MODEL
REPLY_TOKENS = 256                 # room kept for the JSON answer
MESSAGE_OVERHEAD = 8               # template tokens around each message
ALLOWED_TAGS = {"b", "br"}
TRIM_ORDER = ("plan", "symptoms", "chief_complaint", "risk_note")   # ties: trimmed in this order
REVIEW_RISKS = ("high", "crisis")
FIELD_CHARS = {"chief_complaint": 80, "symptoms": 80, "risk_note": 48, "plan": 80}
SERVE_VERSION = "faithful-v1"      # what serving does to the model's answer: a change invalidates cached summaries


@dataclass
class SessionResult:
    """One session's summary as stored in the cache and returned by the API."""

    summary: dict[str, Any]        # SessionSummary fields after faithfulness, grounded risk and trimming
    summary_html: str
    risk: str                      # the grounded session risk (never below the floor's grounded reading)
    model_risk: str                # what the model said (recorded, not served)
    floor_risk: str                # what the rule floor said of the whole note
    floor_flags: list[str] = field(default_factory=list)
    chunks: int = 1
    trimmed: bool = False
    replaced: list[str] = field(default_factory=list)      # fields the note did not support, now note extracts
    evidence: list[str] = field(default_factory=list)      # risk concepts the note asserts (progression items)
    denied: list[str] = field(default_factory=list)        # risk concepts the note denies and never asserts
    discounted: list[str] = field(default_factory=list)    # floor rules whose hit lies inside a note's denial

    @property
    def needs_review(self) -> bool:
        """High/crisis by our reading or by the floor's own (a discounted floor crisis still reaches a human)."""
        return self.risk in REVIEW_RISKS or self.floor_risk in REVIEW_RISKS

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SessionResult":
        """From a cached dict, older ones included (missing fields take their defaults, unknown ones are dropped)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


# --- the model call --------------------------------------------------------------------------
def prompt_tokens(engine: Engine, messages: list[dict[str, str]]) -> int:
    """Tokens the prompt will take, counted with the engine's tokenizer (SYSTEM and few-shot turns included)."""
    return sum(engine.count_tokens(m["content"]) + MESSAGE_OVERHEAD for m in engine.full_messages(messages))


def budget(engine: Engine) -> int:
    """The most prompt tokens a summary call may use and still leave room for the answer."""
    return engine.context_length - REPLY_TOKENS - 16


def summary_schema() -> dict[str, Any]:
    """json_schema(SessionSummary) with the shorter generation caps (FIELD_CHARS) as grammar patterns."""
    return json_schema(SessionSummary, max_chars=FIELD_CHARS)


def ask_model(engine: Engine, messages: list[dict[str, str]]) -> SessionSummary:
    """One schema-constrained call; a reply that still fails validation is retried once with another seed."""
    schema = summary_schema()
    for seed in (0, 1):
        options = GenerationOptions(max_tokens=REPLY_TOKENS, temperature=0.0 if seed == 0 else 0.7, seed=seed)
        reply = engine.generate(messages, schema=schema, options=options)
        log.info("summary call: %d tokens in, %d out, %.0f ms, %s", reply.tokens_in, reply.tokens_out,
                 reply.latency_ms, reply.finish_reason)
        try:
            return SessionSummary.model_validate_json(reply.text)
        except ValidationError:
            continue
    raise EngineError("The model did not produce a valid session summary (twice).",
                      hint="check the therapy-assistant model; the grammar should constrain it")


def summarize_text(engine: Engine, text: str, date: str | None = None) -> tuple[SessionSummary, int]:
    """(summary, chunks): the whole note in one call if it fits, else chunk summaries reduced by one more call."""
    messages = build_session_messages(text, date)
    if prompt_tokens(engine, messages) <= budget(engine):
        return ask_model(engine, messages), 1
    chunks = split_to_fit(engine, text, date)
    parts = [faithful.enforce(ask_model(engine, build_session_messages(c, date, part=(i + 1, len(chunks)))), c,
                              FIELD_CHARS)[0] for i, c in enumerate(chunks)]
    merged_text = "\n".join(f"Part {i + 1}: {p.chief_complaint}; symptoms: {p.symptoms}; plan: {p.plan}"
                            for i, p in enumerate(parts))
    merged, _ = summarize_text(engine, merged_text, date)
    risk = max_severity(merged.risk, *(p.risk for p in parts))
    return merged.model_copy(update={"risk": risk}), len(chunks)


def split_to_fit(engine: Engine, text: str, date: str | None) -> list[str]:
    """Cut a note at paragraph/sentence/word boundaries into pieces whose prompts fit the context."""
    room = budget(engine) - prompt_tokens(engine, build_session_messages("", date, part=(99, 99)))
    if room < 32:
        raise EngineError("The model's context is too small to summarize anything.",
                          details={"context_length": engine.context_length})
    pieces = [p for p in re.split(r"(?<=[.!?])\s+|\n\s*\n", text) if p.strip()]
    chunks: list[str] = []
    current = ""
    for piece in _fit_pieces(engine, pieces, room):
        candidate = f"{current} {piece}".strip()
        if current and engine.count_tokens(candidate) > room:
            chunks.append(current)
            candidate = piece
        current = candidate
    return chunks + ([current] if current else [])


def _fit_pieces(engine: Engine, pieces: list[str], room: int) -> list[str]:
    """Pieces themselves longer than `room` are split into word runs that fit."""
    out: list[str] = []
    for piece in pieces:
        if engine.count_tokens(piece) <= room:
            out.append(piece)
            continue
        words, run = piece.split(), []
        for word in words:
            if run and engine.count_tokens(" ".join(run + [word])) > room:
                out.append(" ".join(run))
                run = []
            run.append(word)
        if run:
            out.append(" ".join(run))
    return out


# --- post-processing: floor, word limit, sanitizing -------------------------------------------
@dataclass(frozen=True)
class SummaryOutcome:
    """The model's own summary (before the checks, word limit and sanitizer) next to the served SessionResult."""

    model: SessionSummary
    served: SessionResult


def summarize_session(engine: Engine, text: str, date: str | None = None) -> SessionResult:
    """The clinician-facing summary of one session: model, then faithfulness, grounded risk, word limit, sanitizer."""
    return summarize_outcome(engine, text, date).served


def summarize_outcome(engine: Engine, text: str, date: str | None = None) -> SummaryOutcome:
    """`summarize_session`, keeping the model's own summary next to the served one."""
    summary, chunks = summarize_text(engine, text, date)
    return SummaryOutcome(summary, serve(summary, text, chunks))


def serve(summary: SessionSummary, text: str, chunks: int = 1) -> SessionResult:
    """The model's summary of `text` as served: every field checked against the note (unsupported ones become
    note extracts), risk level and risk text from grounded evidence, word limit, sanitizer, invariants."""
    from backend.safety.floor import evaluate

    found = evidence.assess(text, evaluate(text))
    checked, replaced = faithful.enforce(summary, text, FIELD_CHARS)
    checked = checked.model_copy(update={"risk": found.risk, "risk_note": found.risk_note})
    checked, trimmed = trim_to_limit(checked)
    summary_html = sanitize(checked.to_html())
    check_summary_html(summary_html)
    grounded = found.grounded
    return SessionResult(summary=checked.model_dump(), summary_html=summary_html, risk=found.risk,
                         model_risk=summary.risk, floor_risk=grounded.floor_risk, floor_flags=grounded.floor_flags,
                         chunks=chunks, trimmed=trimmed, replaced=replaced, evidence=found.asserted,
                         denied=found.denied, discounted=grounded.discounted)


class Summarizer:
    """Session summaries as /summarize-sessions makes them, for the API and evaluation: the engine asked of
    the registry on every call (or one fixed engine)."""

    def __init__(self, models: Any = None, *, model_name: str = MODEL_NAME, engine: Engine | None = None):
        self.models, self.model_name, self.fixed_engine = models, model_name, engine

    def engine(self) -> Engine:
        """The engine that summarizes; the registry's ToolkitError when it cannot be had."""
        return self.fixed_engine if self.fixed_engine is not None else self.models.get(self.model_name)

    def summarize(self, text: str, date: str | None = None) -> SummaryOutcome:
        """One session's text: the model's own summary and the served one."""
        return summarize_outcome(self.engine(), text, date)


def trim_to_limit(summary: SessionSummary, limit: int = SUMMARY_MAX_WORDS) -> tuple[SessionSummary, bool]:
    """Drop words from the end of the longest field (ties in TRIM_ORDER) until the HTML has <= limit words.

    A trimmed field ends with "…" (glued to its last word, so it adds no word)."""
    fields = {k: getattr(summary, k).split() for k in TRIM_ORDER}
    cut: set[str] = set()
    while visible_words(summary.model_copy(update=_joined(fields, cut)).to_html()) > limit:
        longest = max(TRIM_ORDER, key=lambda k: (len(fields[k]), -TRIM_ORDER.index(k)))
        if len(fields[longest]) <= 1:
            break
        fields[longest] = fields[longest][:-1]
        cut.add(longest)
    return summary.model_copy(update=_joined(fields, cut)), bool(cut)


def _joined(fields: dict[str, list[str]], cut: set[str]) -> dict[str, str]:
    return {k: " ".join(v) + ("…" if k in cut else "") for k, v in fields.items()}


def sanitize(fragment: str) -> str:
    """Only <b> and <br> survive, without attributes; everything else is escaped or removed (nh3)."""
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes={}, strip_comments=True)


def check_summary_html(summary_html: str, limit: int = SUMMARY_MAX_WORDS) -> None:
    """The invariants every stored summary keeps; a violation is a bug, never shown to a clinician."""
    tags = {t.lower() for t in re.findall(r"</?\s*([A-Za-z0-9]+)", summary_html)}
    if not tags <= ALLOWED_TAGS:
        raise EngineError(f"summary HTML has disallowed tags {sorted(tags - ALLOWED_TAGS)}")
    if visible_words(summary_html) > limit:
        raise EngineError(f"summary has {visible_words(summary_html)} words (limit {limit})")


# --- cache keys ------------------------------------------------------------------------------
def model_identity(engine: Engine) -> str:
    """Name, weights (path, size, mtime) or Ollama name, and runtime: a retrained model changes it."""
    spec = engine.spec
    weights = spec.ollama_name or spec.source
    if spec.gguf_path is not None:
        try:
            stat = spec.gguf_path.stat()
            weights = f"{spec.gguf_path}:{stat.st_size}:{stat.st_mtime_ns}"
        except OSError:
            weights = str(spec.gguf_path)
    return f"{spec.name}|{weights}|{engine.name}"


def cache_key(text: str, date: str | None, identity: str) -> str:
    payload = "\x1f".join((PROMPT_VERSION, SERVE_VERSION, identity, date or "", text))
    return hashlib.sha256(payload.encode()).hexdigest()
