"""Pydantic models for every structured thing: the single source of truth for schemas and validation."""
from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, field_validator

from core.model_names import ASSISTANT_MODEL

# --- Vocabularies -------------------------------------------------------------------------
Severity = Literal["low", "moderate", "high", "crisis"]
ConcernType = Literal[
    "suicidal_ideation", "self_harm", "depression", "anxiety", "panic", "ptsd", "grief",
    "burnout", "loneliness", "eating_disorder", "substance_abuse", "general_distress",
]
RecommendedAction = Literal[
    "emergency_services", "immediate_therapist", "scheduled_therapist",
    "self_help_resources", "peer_support", "monitoring",
]
RiskFlag = Literal[
    "suicidal_thoughts", "plan", "means_access", "preparatory_behavior", "prior_attempt",
    "goodbye_message", "self_harm_behavior", "harm_to_others", "acute_danger", "hopelessness",
    "anhedonia", "sleep_disruption", "appetite_change", "social_withdrawal", "panic_symptoms",
    "anxiety_symptoms", "trauma_reexperiencing", "disordered_eating", "substance_use",
    "grief_loss", "work_stress", "isolation",
]

SEVERITIES: tuple[str, ...] = get_args(Severity)          # ordered low -> crisis
CONCERN_TYPES: tuple[str, ...] = get_args(ConcernType)
ACTIONS: tuple[str, ...] = get_args(RecommendedAction)
RISK_FLAGS: tuple[str, ...] = get_args(RiskFlag)

# Least to most urgent.
ACTION_URGENCY: tuple[str, ...] = (
    "monitoring", "self_help_resources", "peer_support",
    "scheduled_therapist", "immediate_therapist", "emergency_services",
)

# Clinical consistency: which actions each severity allows.
ALLOWED_ACTIONS: dict[str, tuple[str, ...]] = {
    "crisis": ("emergency_services", "immediate_therapist"),
    "high": ("immediate_therapist", "scheduled_therapist"),
    "moderate": ("scheduled_therapist", "peer_support", "self_help_resources"),
    "low": ("self_help_resources", "peer_support", "monitoring", "scheduled_therapist"),
}


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


def max_severity(*severities: str | None) -> str:
    present = [s for s in severities if s]
    return max(present, key=severity_rank) if present else "low"


def action_rank(action: str) -> int:
    return ACTION_URGENCY.index(action)


def consistency_problems(severity: str, action: str) -> list[str]:
    """Empty when the (severity, action) pair follows the action table."""
    if action in ALLOWED_ACTIONS[severity]:
        return []
    return [f"action '{action}' is not allowed for severity '{severity}'"]


def _one_line(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValueError("must not be blank")
    return value


Line = Annotated[str, AfterValidator(_one_line)]   # whitespace collapsed to single spaces, never blank


# --- Triage ------------------------------------------------------------------------------
class TriageAssessment(BaseModel):
    """What the triage model must answer: the grammar, Ollama format=, validation and training data."""

    model_config = ConfigDict(extra="forbid")

    # Field order is generation order (the grammar keeps it): the evidence first (concern, risk flags), then
    # the decision that rests on it (severity, action). A 135M model rated severity at chance when it had to
    # decide first; answering after its own flags is a short chain of thought.
    concern_type: ConcernType
    risk_flags: list[RiskFlag] = Field(max_length=6)
    severity: Severity
    recommended_action: RecommendedAction
    empathetic_opening: Line = Field(min_length=8, max_length=160)
    follow_up_question: Line = Field(min_length=8, max_length=140, json_schema_extra={"x-ends-with": "?"})

    @field_validator("risk_flags")
    @classmethod
    def _unique_flags(cls, flags: list[str]) -> list[str]:
        return list(dict.fromkeys(flags))

    @field_validator("follow_up_question")
    @classmethod
    def _is_question(cls, value: str) -> str:
        if not value.rstrip().endswith("?"):
            raise ValueError("must be a question ending with '?'")
        return value


_JSON_CHAR = '[^"\\\\\\x00-\\x1f]'          # a JSON string character that needs no escape
_JSON_FIRST = '[^"\\\\\\x00-\\x1f ]'        # ... and no leading space (no blank fields)


def json_schema(model: type[BaseModel], *, max_chars: dict[str, int] | None = None) -> dict[str, Any]:
    """The JSON schema handed to llama.cpp grammars and Ollama's format= (no $refs: enums are inline).

    llama-cpp-python's schema converter ignores minLength/maxLength, so every bounded string also gets
    an equivalent `pattern`: what the grammar allows is what pydantic accepts. A field marked
    `json_schema_extra={"x-ends-with": "?"}` must end with that character. `max_chars` tightens chosen
    fields for generation only (validation keeps the model's own limits).
    """
    import copy

    schema = copy.deepcopy(model.model_json_schema())
    for name, prop in schema["properties"].items():
        end = prop.pop("x-ends-with", "")
        if prop.get("type") != "string" or "enum" in prop or "maxLength" not in prop:
            continue
        low = max(prop.get("minLength", 1), 1)
        high = min(prop["maxLength"], (max_chars or {}).get(name, prop["maxLength"]))
        prop["maxLength"] = high
        middle = _JSON_CHAR[:-1] + end.replace("\\", "\\\\") + "]" if end else _JSON_CHAR
        tail = f"[{end}]" if end else ""
        prop.setdefault("pattern", f"^{_JSON_FIRST}{middle}{{{low - 1 - len(end)},{high - 1 - len(end)}}}{tail}$")
    return schema


# --- Session summaries -------------------------------------------------------------------
SUMMARY_MAX_WORDS = 49            # "under 50 words", labels included
SUMMARY_SECTIONS = (("chief_complaint", "Chief Complaint"), ("symptoms", "Symptoms"),
                    ("risk", "Risk"), ("plan", "Plan"))


class SessionSummary(BaseModel):
    """One session's summary. The model answers this JSON; `to_html` renders the practice's format."""

    model_config = ConfigDict(extra="forbid")

    chief_complaint: Line = Field(min_length=3, max_length=160)
    symptoms: Line = Field(min_length=3, max_length=160)
    risk: Severity
    risk_note: Line = Field(min_length=2, max_length=120)
    plan: Line = Field(min_length=3, max_length=160)

    def to_html(self) -> str:
        """`<b>Label:</b> text` sections joined by `<br>`; all model text is HTML-escaped."""
        from html import escape

        values = {"chief_complaint": self.chief_complaint, "symptoms": self.symptoms,
                  "risk": f"{self.risk} - {self.risk_note}", "plan": self.plan}
        return "<br>".join(f"<b>{label}:</b> {escape(values[key], quote=False)}"
                           for key, label in SUMMARY_SECTIONS)

    @classmethod
    def from_html(cls, summary_html: str) -> "SessionSummary":
        """Parse a summary in the practice's format back into fields (used for training data)."""
        import html
        import re

        sections = dict(re.findall(r"<b>\s*([^<:]+?)\s*:\s*</b>\s*(.*?)\s*(?=<br\s*/?>|$)", summary_html, re.S))
        by_label = {label: key for key, label in SUMMARY_SECTIONS}
        values = {by_label[k]: html.unescape(v) for k, v in sections.items() if k in by_label}
        risk, _, note = values.get("risk", "").partition(" - ")
        values["risk"], values["risk_note"] = risk.strip().lower(), note.strip() or "see note"
        return cls.model_validate(values)


def visible_words(summary_html: str) -> int:
    """Words a reader sees (tags removed, labels counted)."""
    import re

    return len(re.sub(r"<[^>]+>", " ", summary_html).split())


# --- HTTP request bodies -----------------------------------------------------------------
MAX_ID = 2**53          # ids are integers JSON carries exactly (and SQLite's INTEGER holds): 1..2**53
RecordId = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
MODEL_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"    # a registered name: never a path


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["system", "user", "assistant"]
    content: str = Field(max_length=32_000)


class ChatOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, gt=0, le=1)
    max_tokens: int | None = Field(default=None, ge=1, le=4096)
    seed: int | None = Field(default=None, ge=0, le=2**32 - 1)


class ChatRequest(BaseModel):
    """POST /chat."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(default=ASSISTANT_MODEL, min_length=1, max_length=120, pattern=MODEL_NAME_PATTERN)
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    options: ChatOptions | None = None

    @field_validator("model")
    @classmethod
    def _a_name_not_a_file(cls, value: str) -> str:
        if value.lower().endswith(".gguf"):
            raise ValueError("must be a registered model name (GGUF paths are for the CLI)")
        return value
