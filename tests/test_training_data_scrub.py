"""PII scrub: canary recall >= 99%, no false positives on clean clinical sentences, ambiguity and speed."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from training_data import canaries
from training_data.scrub import PLACEHOLDERS, find_pii, scrub

CANARIES = canaries.load(Path(__file__).parent / "fixtures" / "data" / "pii_canaries.jsonl")


def test_canary_recall_at_least_99_percent():
    report = canaries.evaluate(CANARIES)
    print(f"\nPII canaries: recall {report['recall']:.1%} ({report['caught']}/{report['planted']}), "
          f"false-positive rate {report['false_positive_rate']:.1%} on {report['clean_sentences']} clean sentences")
    assert report["planted"] >= 150
    assert report["recall"] >= 0.99, report["missed"]


def test_clean_sentences_mostly_untouched():
    report = canaries.evaluate(CANARIES)
    assert report["clean_sentences"] >= 50
    assert report["false_positive_rate"] <= 0.05, report["flagged"]


@pytest.mark.parametrize("text, expected", [
    ("Grace period ends soon.", "Grace period ends soon."),
    ("I spoke with Grace yesterday.", "I spoke with [NAME] yesterday."),
    ("May I ask a question?", "May I ask a question?"),
    ("We met in May 2021.", "We met in [DATE]."),
    ("I will hope for the best.", "I will hope for the best."),
    ("My name is Sarah Johnson and I'm 34.", "My name is [NAME] and I'm [AGE]."),
    ("Email sarah.j@gmail.com or call (555) 123-4567.", "Email [EMAIL] or call [PHONE]."),
    ("Visit www.example.com/help today.", "Visit [URL] today."),
    ("My MRN is 00482913.", "My MRN is [ID]."),
    ("I live in Springfield.", "I live in [LOCATION]."),
    ("Hannah's dad left.", "[NAME]'s dad left."),
    ("I scored 22 on the PHQ-9 and take 50 mg of Zoloft.", "I scored 22 on the PHQ-9 and take 50 mg of Zoloft."),
])
def test_placeholders_and_ambiguous_words(text, expected):
    assert scrub(text) == expected


def test_scrub_is_idempotent_and_placeholders_are_known():
    once = scrub("Dr. Patel saw Maria Lopez on 03/14/2021 in Chicago; call 312-555-0199.")
    assert scrub(once) == once
    assert {p for p in PLACEHOLDERS if p in once} == {"[NAME]", "[DATE]", "[LOCATION]", "[PHONE]"}
    assert find_pii(once) == []


def test_fast_enough_for_thousands_of_records():
    texts = [line["text"] for line in CANARIES] * 12          # ~2,800 short records
    scrub(texts[0])                                           # load lexicons
    started = time.perf_counter()
    for text in texts:
        scrub(text)
    assert time.perf_counter() - started < 20
