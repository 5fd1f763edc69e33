"""Triage request and result models: the model's TriageAssessment plus what the service adds around it."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from backend.safety.resources import Resource
from core.schemas import RecordId, RiskFlag, Severity, TriageAssessment


class TriageRequest(BaseModel):
    """POST /triage body (and one line of `triage --input`, minus `id`)."""

    model_config = ConfigDict(extra="forbid")

    text: StrictStr
    patient_id: Optional[RecordId] = None


class Evidence(BaseModel):
    """The exact span of the message that grounds one risk flag: message[start:end] == text."""

    flag: RiskFlag
    start: int
    end: int
    text: str
    source: str                          # "rule:<name>" (crisis floor) or "lexicon"


class FloorSummary(BaseModel):
    severity: Severity
    rules: list[str]
    lane: Literal["crisis", "possible_risk", "none"] = "none"
    scores: dict[str, float] = Field(default_factory=dict)     # the semantic layer's probabilities


class LibraryRef(BaseModel):
    id: str
    title: str
    source: str
    url: Optional[str] = None


class TriageResult(TriageAssessment):
    """The final, validated assessment (severity = max(floor, model)) and how it was reached."""

    needs_review: bool
    review_reasons: list[str] = Field(default_factory=list)
    floor: FloorSummary
    evidence: list[Evidence] = Field(default_factory=list)
    ungrounded_flags: list[str] = Field(default_factory=list)   # dropped model flags
    ungrounded_count: int = 0
    repairs: list[str] = Field(default_factory=list)            # upward repairs, each marked here
    resources: list[Resource] = Field(default_factory=list)
    source: Literal["model", "floor"]                            # whose assessment was the starting point
    attempts: int = 0                                            # model calls made (0: engine down)
    first_pass_valid: Optional[bool] = None
    retrieval: list[LibraryRef] = Field(default_factory=list)
    mean_logprob: Optional[float] = None
    model: Optional[str] = None
    engine: Optional[str] = None
    engine_error: Optional[str] = None
    review_id: Optional[int] = None
    texts: dict[str, Literal["model", "vetted"]] = Field(default_factory=dict)   # whose opening/question is shown
    latency_ms: float

    def assessment(self) -> TriageAssessment:
        return TriageAssessment.model_validate(self.model_dump(include=set(TriageAssessment.model_fields)))
