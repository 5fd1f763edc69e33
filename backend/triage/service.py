"""The triage service: floor first, then the constrained model (retry once), then upward repair and grounding."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from pydantic import ValidationError

from backend.safety.floor import FloorResult, RuleSet, evaluate
from backend.safety.resources import ResourceSet, load_fallback_texts, load_resources
from backend.triage.consistency import MAX_FLAGS, reconcile, severity_for_action
from backend.triage.grounding import ground
from backend.triage.models import FloorSummary, LibraryRef, TriageResult
from backend.triage.retrieval import Library, LibraryEntry, default_library
from backend.triage.vetting import vet
from core.engine.base import Engine, GenerationOptions, Reply, Timer
from core.errors import BadRequest, PayloadTooLarge, ToolkitError
from core.prompts import build_messages, retry_message
from core.schemas import TriageAssessment, json_schema, severity_rank
from tasks import TRIAGE_MODEL

log = logging.getLogger("backend.triage")


SCHEMA = json_schema(TriageAssessment)       # lengths and the trailing '?' as grammar patterns
MODEL_NAME = TRIAGE_MODEL
ReviewWriter = Callable[[TriageResult, str], Optional[int]]
QueueWriter = Callable[[TriageResult, str, Optional[int]], Optional[int]]    # (result, text, patient_id)


@dataclass(frozen=True)
class TriageConfig:
    """Service knobs; `from_settings` reads the ones Settings carries."""

    max_chars: int = 8000
    retries: int = 1                              # extra model calls after an invalid answer
    max_tokens: int = 320
    temperature: Optional[float] = 0.0
    seed: Optional[int] = 7
    logprob_threshold: Optional[float] = -1.0     # below: retrieve library notes and ask again; None: never
    retrieval_k: int = 3
    timeout_s: Optional[float] = 60.0             # per model call; past it the floor answers

    @classmethod
    def from_settings(cls, settings: Any) -> "TriageConfig":
        return cls(max_chars=settings.triage_max_chars, logprob_threshold=settings.triage_logprob_threshold,
                   timeout_s=settings.triage_timeout_s)


@dataclass
class ModelAttempt:
    """What the model produced: a valid assessment or None, plus the evidence of how it went."""

    assessment: Optional[TriageAssessment] = None
    reply: Optional[Reply] = None
    raw: Optional[str] = None                      # the last reply text of any call (the scored "raw")
    calls: int = 0
    first_pass_valid: Optional[bool] = None
    error: Optional[str] = None
    notes: list[LibraryEntry] = field(default_factory=list)


def check_text(text: Any, max_chars: int) -> str:
    """The message if it is a non-empty string within the limit; else a clear 4xx error."""
    if not isinstance(text, str):
        raise BadRequest("'text' must be a string.")
    if not text.strip():
        raise BadRequest("'text' must not be empty.")
    if len(text) > max_chars:
        raise PayloadTooLarge(f"'text' is {len(text)} characters; the limit is {max_chars}.",
                              hint="split the message or raise THERAPY_TRIAGE_MAX_CHARS")
    return text


def ask_model(engine: Engine, messages: list[dict[str, str]], config: TriageConfig) -> ModelAttempt:
    """Schema-constrained generation, validated with pydantic; one retry with the problems spelled out."""
    options = GenerationOptions(temperature=config.temperature, max_tokens=config.max_tokens,
                                seed=config.seed, logprobs=True, timeout_s=config.timeout_s)
    attempt = ModelAttempt()
    for _ in range(1 + config.retries):
        attempt.calls += 1
        try:
            attempt.reply = engine.generate(messages, schema=SCHEMA, options=options)
            attempt.raw = attempt.reply.text
        except ToolkitError as exc:                # engine down, timeout, context overflow, grammar
            attempt.error = exc.code
            return attempt
        except Exception as exc:  # noqa: BLE001 - the floor must answer whatever the runtime does
            log.error("triage engine failed: %s", type(exc).__name__)
            attempt.error = "engine_error"
            return attempt
        try:
            attempt.assessment = TriageAssessment.model_validate_json(attempt.reply.text)
        except ValidationError as exc:
            attempt.first_pass_valid = False if attempt.first_pass_valid is None else attempt.first_pass_valid
            problems = [f"{'.'.join(map(str, e['loc'])) or 'json'}: {e['msg']}" for e in exc.errors()]
            messages = [*messages, {"role": "assistant", "content": attempt.reply.text[:4000]},
                        retry_message(problems)]
            continue
        if attempt.first_pass_valid is None:
            attempt.first_pass_valid = True
        return attempt
    attempt.error = "invalid_output"
    return attempt


def _low_confidence(attempt: ModelAttempt, config: TriageConfig) -> bool:
    logprob = attempt.reply.mean_logprob if attempt.reply else None
    return (attempt.assessment is not None and config.logprob_threshold is not None
            and logprob is not None and logprob < config.logprob_threshold)


def consult(engine: Optional[Engine], text: str, config: TriageConfig, library: Optional[Library]) -> ModelAttempt:
    """The model's answer, re-asked with library notes when its confidence is below the threshold."""
    if engine is None:
        return ModelAttempt(error="engine_unavailable")
    first = ask_model(engine, build_messages(text), config)
    if not (_low_confidence(first, config) and library is not None):
        return first
    notes = library.search(text, config.retrieval_k)
    if not notes:
        return first
    second = ask_model(engine, build_messages(text, context=notes), config)
    second.calls += first.calls
    second.first_pass_valid = first.first_pass_valid
    second.notes = notes
    return second if second.assessment is not None else _with_notes(first, notes, second.raw)


def _with_notes(attempt: ModelAttempt, notes: list[LibraryEntry], raw: Optional[str]) -> ModelAttempt:
    attempt.notes = notes
    attempt.raw = raw if raw is not None else attempt.raw
    return attempt


def floor_assessment(floor: FloorResult) -> TriageAssessment:
    """The fixed assessment used when the model gives none: the floor's severity, concern and flags."""
    texts = load_fallback_texts()
    severity = floor.severity
    return TriageAssessment(
        severity=severity, concern_type=floor.concern or "general_distress",
        recommended_action=floor.action or texts.default_action[severity], risk_flags=floor.flags[:MAX_FLAGS],
        empathetic_opening=texts.empathetic_opening[severity], follow_up_question=texts.follow_up_question[severity])


MODEL_ALONE = "the model alone called a crisis: possible risk, not confirmed (served as high, reviewed)"


def model_vote(base: TriageAssessment, floor: FloorResult, from_model: bool) -> tuple[TriageAssessment, list[str]]:
    """The model's severity is one more vote, weighed by its measured reliability: a crisis call that no floor
    layer supports (floor below high) lands in the possible-risk lane, high and reviewed, never dropped."""
    crisis_call = base.severity == "crisis" or severity_for_action(base.recommended_action) == "crisis"
    if not from_model or not crisis_call or severity_rank(floor.severity) >= severity_rank("high"):
        return base, []
    texts = load_fallback_texts()
    return base.model_copy(update={"severity": "high", "recommended_action": texts.default_action["high"]}), \
        [MODEL_ALONE]


def _review_reasons(attempt: ModelAttempt, repairs: list[str], severity: str, floor: FloorResult) -> list[str]:
    reasons = []
    if floor.needs_review and severity != "crisis":
        reasons.append(floor.review_reason or "possible risk, not confirmed")
    if attempt.assessment is None:
        reasons.append(f"no valid model answer ({attempt.error or 'unknown'}): floor result used")
    if any("safety floor" in r for r in repairs):
        reasons.append("the safety floor raised the model's answer")
    elif repairs:
        reasons.append("the model's answer was inconsistent and was repaired")
    if any(r == MODEL_ALONE for r in repairs):
        reasons.append(MODEL_ALONE)
    if severity == "crisis":
        reasons.append("crisis")
    return reasons


def _crisis_question(final: TriageAssessment, base: TriageAssessment, repairs: list[str]) -> TriageAssessment:
    """A model that under-called a crisis asked the wrong question: use the fixed safety question."""
    if final.severity != "crisis" or base.severity == "crisis":
        return final
    question = load_fallback_texts().follow_up_question["crisis"]
    if final.follow_up_question != question:
        repairs.append("follow_up_question replaced by the fixed crisis safety question")
    return final.model_copy(update={"follow_up_question": question})


def _queue(result: TriageResult, text: str, review: ReviewWriter) -> None:
    """Write a crisis to the review queue; a failed write is marked on the result, never hidden."""
    try:
        result.review_id = review(result, text)
    except Exception as exc:  # noqa: BLE001 - the person still gets the crisis answer and resources
        log.error("triage review queue write failed: %s", type(exc).__name__)
        result.review_reasons.append("review queue write failed: escalate by hand")
        result.needs_review = True


@dataclass(frozen=True)
class TriageOutcome:
    """The served result next to the model's own answer (None: the floor answered) and its last raw reply."""

    result: TriageResult
    assessment: Optional[TriageAssessment]
    raw: Optional[str]


def triage(text: Any, *, engine: Optional[Engine], rules: Optional[RuleSet] = None,
           resources: Optional[ResourceSet] = None, review: Optional[ReviewWriter] = None,
           library: Optional[Library] = None, config: Optional[TriageConfig] = None) -> TriageResult:
    """Assess one message. Never under the floor; answers from the floor alone when the engine fails.

    `review(result, text)` is called for every crisis result and every possible-risk one (the floor's review
    lane, or a crisis the model alone called) and returns the review-queue id.
    """
    return assess(text, engine=engine, rules=rules, resources=resources, review=review, library=library,
                  config=config).result


def assess(text: Any, *, engine: Optional[Engine], rules: Optional[RuleSet] = None,
           resources: Optional[ResourceSet] = None, review: Optional[ReviewWriter] = None,
           library: Optional[Library] = None, config: Optional[TriageConfig] = None) -> TriageOutcome:
    """`triage`, keeping the model's own validated answer and last raw reply next to the served result."""
    timer = Timer()
    config = config or TriageConfig()
    text = check_text(text, config.max_chars)
    floor = evaluate(text, rules)
    attempt = consult(engine, text, config, library)
    base, voted = model_vote(attempt.assessment or floor_assessment(floor), floor, attempt.assessment is not None)
    final, repairs = reconcile(base, floor)
    final = _crisis_question(final, base, repairs)
    final, texts, vetted = vet(final, text)
    result = _result(text, final, [*voted, *repairs, *vetted], floor, attempt, engine, resources or load_resources())
    result.texts = texts
    if (result.severity == "crisis" or floor.needs_review or voted) and review is not None:
        _queue(result, text, review)
    result.latency_ms = round(timer.ms, 2)
    log.info("triage severity=%s floor=%s source=%s calls=%d chars=%d ms=%.1f", result.severity,
             floor.severity, result.source, attempt.calls, len(text), result.latency_ms)
    return TriageOutcome(result, attempt.assessment, attempt.raw)


def _result(text: str, final: TriageAssessment, repairs: list[str], floor: FloorResult, attempt: ModelAttempt,
            engine: Optional[Engine], resources: ResourceSet) -> TriageResult:
    """The served result: the reconciled assessment, grounded flags, resources and how it was reached."""
    grounded = ground(final.risk_flags, text, floor)
    reasons = _review_reasons(attempt, repairs, final.severity, floor)
    reply = attempt.reply
    return TriageResult(
        **final.model_dump(exclude={"risk_flags"}), risk_flags=grounded.flags,
        needs_review=bool(reasons), review_reasons=reasons,
        floor=FloorSummary(severity=floor.severity, rules=floor.rules, lane=floor.lane, scores=floor.scores),
        evidence=grounded.evidence,
        ungrounded_flags=grounded.ungrounded, ungrounded_count=len(grounded.ungrounded), repairs=repairs,
        resources=resources.for_severity(final.severity),
        source="model" if attempt.assessment else "floor", attempts=attempt.calls,
        first_pass_valid=attempt.first_pass_valid,
        retrieval=[LibraryRef(id=n.id, title=n.title, source=n.source.name, url=n.source.url) for n in attempt.notes],
        mean_logprob=reply.mean_logprob if reply else None,
        model=reply.model if reply else (engine.spec.name if engine else None),
        engine=reply.engine if reply else (engine.name if engine else None), engine_error=attempt.error,
        latency_ms=0.0)


class TriageService:
    """Triage as POST /triage and evaluation run it: resources, retrieval library and config loaded once, the
    engine asked of the registry on every call (or one fixed engine), crises written by `review`."""

    def __init__(self, *, config: TriageConfig, resources: ResourceSet, library: Optional[Library],
                 models: Any = None, model_name: Optional[str] = MODEL_NAME, engine: Optional[Engine] = None,
                 review: Optional[QueueWriter] = None):
        self.config, self.resources, self.library = config, resources, library
        self.models, self.model_name, self.fixed_engine, self.review = models, model_name, engine, review

    @classmethod
    def from_settings(cls, settings: Any, models: Any = None, *, model_name: Optional[str] = MODEL_NAME,
                      engine: Optional[Engine] = None, review: Optional[QueueWriter] = None) -> "TriageService":
        """`models` is the registry (anything with `get(name)`); `engine` pins one engine instead."""
        resources = load_resources(settings.resources_file or None)
        return cls(config=TriageConfig.from_settings(settings), resources=resources, library=default_library(),
                   models=models, model_name=model_name, engine=engine, review=review)

    def engine(self) -> tuple[Optional[Engine], Optional[ToolkitError]]:
        """The engine to ask, or (None, the registry's error) when it cannot give one right now."""
        if self.fixed_engine is not None or self.models is None or self.model_name is None:
            return self.fixed_engine, None
        try:
            return self.models.get(self.model_name), None
        except ToolkitError as exc:
            return None, exc

    def assess(self, text: Any, *, patient_id: Optional[int] = None) -> TriageOutcome:
        """One message: the served result (crises queued for review) and the model's own answer."""
        engine, engine_error = self.engine()
        outcome = assess(text, engine=engine, resources=self.resources, review=self._writer(patient_id),
                         library=self.library, config=self.config)
        if engine_error is not None:                        # why there was no engine at all
            outcome.result.engine_error = engine_error.code
        return outcome

    def triage(self, text: Any, *, patient_id: Optional[int] = None) -> TriageResult:
        return self.assess(text, patient_id=patient_id).result

    def _writer(self, patient_id: Optional[int]) -> Optional[ReviewWriter]:
        review = self.review
        return None if review is None else (lambda result, text: review(result, text, patient_id))
