"""Multi-visit patients files (JSONL, one patient a line): validated, then flattened into summarize eval items."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import BadRequest
from core.schemas import Severity
from evaluation.data import sample

Trend = Literal["escalating", "improving", "stable", "fluctuating"]


class PatientVisit(BaseModel):
    model_config = ConfigDict(extra="ignore")

    date: str
    text: str = Field(min_length=1)
    risk: Severity
    must_not_say: list[str] = Field(default_factory=list)
    key_facts: list[str] = Field(default_factory=list)


class Patient(BaseModel):
    model_config = ConfigDict(extra="ignore")

    patient: str = Field(min_length=1)
    style: str = ""
    trend: Trend
    visits: list[PatientVisit] = Field(min_length=1)


def load(path: str | Path) -> list[Patient]:
    """Every patient of the file, visits oldest first; a malformed line is a BadRequest naming its number."""
    path = Path(path)
    if not path.is_file():
        raise BadRequest(f"--patients {path}: no such file")
    patients = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            patient = Patient.model_validate(json.loads(line))
        except (ValueError, ValidationError) as exc:
            raise BadRequest(f"{path.name} line {number} is not a patient: {str(exc).splitlines()[0]}") from None
        patients.append(patient.model_copy(update={"visits": sorted(patient.visits, key=lambda v: v.date)}))
    if not patients:
        raise BadRequest(f"{path.name} holds no patients")
    return patients


def items(patients: list[Patient]) -> list[dict[str, Any]]:
    """One summarize item per visit: the note, its labels, and the patient, visit number and trend it belongs to."""
    return [{"id": f"{p.patient}-{i + 1}", "session": v.text, "date": v.date, "risk": v.risk,
             "must_not_say": v.must_not_say, "key_facts": v.key_facts, "summary_html": None, "patient": p.patient,
             "visit": i + 1, "trend": p.trend, "source": "patients"} for p in patients for i, v in enumerate(p.visits)]


def load_items(path: str | Path, limit: int | None = None) -> tuple[Path, list[dict[str, Any]]]:
    """The eval items of a patients file; `limit` keeps that many whole patients (taken in turn from each
    trend), so every kept patient's trend can still be scored."""
    patients = load(path)
    if limit:
        picked = sample("summarize", [{"risk": p.trend, "p": p} for p in patients], limit)
        wanted = {id(x["p"]) for x in picked}
        patients = [p for p in patients if id(p) in wanted]
    return Path(path), items(patients)
