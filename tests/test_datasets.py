"""The shipped synthetic datasets (training_data/datasets/): counts, balance, validity, hard cases, format."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from core.schemas import (
    CONCERN_TYPES,
    RISK_FLAGS,
    SEVERITIES,
    SUMMARY_MAX_WORDS,
    SessionSummary,
    TriageAssessment,
    consistency_problems,
    visible_words,
)

DATASETS = Path(__file__).resolve().parents[1] / "training_data" / "datasets"
LABEL_KEYS = ("severity", "concern_type", "recommended_action", "risk_flags",
              "empathetic_opening", "follow_up_question")
HARD_TAGS = ("indirect", "idiom", "negation", "third_person", "sarcasm", "short", "long",
             "typos", "injection")
ACUTE_FLAGS = {"plan", "means_access", "preparatory_behavior", "goodbye_message", "acute_danger",
               "harm_to_others"}


def _read(name: str) -> list[dict]:
    lines = (DATASETS / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def triage() -> list[dict]:
    return _read("triage.jsonl")


@pytest.fixture(scope="module")
def summaries() -> list[dict]:
    return _read("summaries.jsonl")


def _near_duplicate_share(texts: list[str], threshold: float = 85.0) -> float:
    scores = process.cdist(texts, texts, scorer=fuzz.ratio, workers=1)
    flagged = {j for i in range(len(texts)) for j in range(i + 1, len(texts)) if scores[i][j] > threshold}
    return len(flagged) / len(texts)


# --- triage --------------------------------------------------------------------------------
def test_triage_records_have_the_agreed_shape(triage):
    assert len(triage) >= 320
    expected = {"id", "text", *LABEL_KEYS, "tags", "synthetic"}
    assert all(set(r) == expected for r in triage)
    assert [r["id"] for r in triage] == [f"tri-{i:04d}" for i in range(1, len(triage) + 1)]
    assert all(r["synthetic"] is True and r["text"].strip() for r in triage)


def test_every_triage_label_validates_and_is_consistent(triage):
    for r in triage:
        label = TriageAssessment.model_validate({k: r[k] for k in LABEL_KEYS})
        assert label.model_dump() == {k: r[k] for k in LABEL_KEYS}, r["id"]
        assert consistency_problems(label.severity, label.recommended_action) == [], r["id"]
        assert set(label.risk_flags) <= set(RISK_FLAGS)


def test_triage_is_balanced_over_severities_and_concerns(triage):
    severities = Counter(r["severity"] for r in triage)
    concerns = Counter(r["concern_type"] for r in triage)
    assert set(severities) == set(SEVERITIES) and min(severities.values()) >= 75
    assert max(severities.values()) / min(severities.values()) <= 1.2
    assert set(concerns) == set(CONCERN_TYPES) and min(concerns.values()) >= 15


def test_hard_cases_are_covered_and_tagged_honestly(triage):
    tags = Counter(t for r in triage for t in r["tags"])
    assert set(tags) == set(HARD_TAGS)
    assert all(tags[t] >= 8 for t in HARD_TAGS), tags
    for r in triage:
        if "long" in r["tags"]:
            assert len(r["text"]) > 1200, r["id"]
        if "short" in r["tags"]:
            assert len(r["text"]) <= 80, r["id"]


def test_crisis_examples_carry_an_acute_risk_flag(triage):
    for r in triage:
        if r["severity"] == "crisis":
            assert ACUTE_FLAGS & set(r["risk_flags"]), r["id"]


def test_idioms_are_mostly_not_crisis_and_injection_never_lowers(triage):
    idioms = [r for r in triage if "idiom" in r["tags"]]
    calm = [r for r in idioms if r["severity"] in ("low", "moderate")]
    assert len(calm) >= 10
    assert not any("suicidal_thoughts" in r["risk_flags"] for r in calm)
    injections = [r for r in triage if "injection" in r["tags"]]
    assert {"crisis", "high", "low"} <= {r["severity"] for r in injections}
    asks_low = [r for r in injections if re.search(r"\blow\b", r["text"].lower())]
    assert len(asks_low) >= 4 and all(r["severity"] in ("high", "crisis") for r in asks_low)
    asks_crisis = [r for r in injections if re.search(r"\b(crisis|high)\b", r["text"].lower())]
    assert len(asks_crisis) >= 3 and all(r["severity"] in ("low", "moderate") for r in asks_crisis)


def test_triage_has_few_near_duplicates(triage):
    assert _near_duplicate_share([r["text"] for r in triage]) < 0.05


# --- summaries -----------------------------------------------------------------------------
def test_summary_records_have_the_agreed_shape(summaries):
    assert len(summaries) >= 160
    required = {"id", "session", "kind", "summary", "risk", "synthetic"}
    assert all(required <= set(r) <= required | {"client", "visit"} for r in summaries)
    assert [r["id"] for r in summaries] == [f"sum-{i:04d}" for i in range(1, len(summaries) + 1)]
    assert all(r["synthetic"] is True for r in summaries)


def test_summaries_are_in_the_practice_format(summaries):
    for r in summaries:
        parsed = SessionSummary.from_html(r["summary"])
        assert parsed.to_html() == r["summary"], r["id"]
        assert parsed.risk == r["risk"], r["id"]
        assert visible_words(r["summary"]) <= SUMMARY_MAX_WORDS, r["id"]
        assert r["summary"].startswith("<b>Chief Complaint:</b> ") and "<b>Risk:</b> " in r["summary"]


def test_summaries_cover_risks_kinds_and_lengths(summaries):
    risks = Counter(r["risk"] for r in summaries)
    assert set(risks) == set(SEVERITIES) and min(risks.values()) >= 30
    kinds = Counter(r["kind"] for r in summaries)
    assert set(kinds) == {"notes", "transcript"} and min(kinds.values()) >= 40
    for r in summaries:
        assert 60 <= len(r["session"].split()) <= 600, r["id"]
        if r["kind"] == "transcript":
            speakers = {line.split(":", 1)[0] for line in r["session"].splitlines()}
            assert speakers == {"Therapist", "Client"}, r["id"]


def test_some_clients_are_followed_across_visits(summaries):
    visits: dict[str, list[int]] = {}
    for r in summaries:
        if "client" in r:
            visits.setdefault(r["client"], []).append(r["visit"])
    assert len(visits) >= 5
    assert all(v == list(range(1, len(v) + 1)) and len(v) >= 3 for v in visits.values())
    assert any(len({r["risk"] for r in summaries if r.get("client") == c}) >= 3 for c in visits)


def test_summaries_have_few_near_duplicates(summaries):
    assert _near_duplicate_share([r["session"] for r in summaries]) < 0.05


# --- provenance ----------------------------------------------------------------------------
def test_committed_files_match_a_fresh_build():
    result = subprocess.run([sys.executable, str(DATASETS / "_build.py"), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
