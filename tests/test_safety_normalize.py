"""Normalisation before the floor: invisible characters, look-alikes, leetspeak, letter runs, spans kept."""
from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import pytest

from backend.safety.floor import evaluate
from backend.safety.normalize import normalize, variants
from backend.triage.service import TriageService

DATA = Path(__file__).resolve().parent.parent / "backend" / "safety" / "data"  # the written training sets
BASE = "I am going to kill myself tonight, I have the pills ready"


def _crises() -> list[str]:
    texts = []
    for name, field in (("must_catch.jsonl", "expect"), ("floor_holdout.jsonl", "label"),
                        ("floor_holdout2.jsonl", "label")):
        rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
        texts += [r["text"] for r in rows if r[field] == "crisis"]
    return texts


CRISES = _crises()
FORMAT_CHARS = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
CONTROLS = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if chr(c) not in "\n\t\r"]
VARIATION_SELECTORS = [chr(c) for c in [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]]
COMBINING = [chr(c) for c in range(0x0300, 0x0370)] + ["\u034f", "\u20dd", "\u0488"]


def _inside_words(text: str, mark: str) -> str:
    """`mark` after the first letter of every word (how phone and Word pastes break words)."""
    return " ".join(w[:1] + mark + w[1:] if len(w) > 1 else w for w in text.split(" "))


def _verdict(text: str) -> tuple:
    r = evaluate(text)
    return r.severity, sorted(r.rules), sorted(r.flags), r.action, r.concern


@pytest.mark.parametrize("group", [FORMAT_CHARS, CONTROLS, VARIATION_SELECTORS, COMBINING],
                         ids=["Cf", "Cc", "variation-selectors", "combining-marks"])
def test_every_invisible_code_point_is_removed(group):
    assert len(group) > 10
    for char in group:
        assert normalize(_inside_words(BASE, char)).text == BASE, f"U+{ord(char):04X}"


def test_unicode_forms_look_alikes_and_leetspeak_fold_to_plain_words():
    cases = {
        "\uff4b\uff49\uff4c\uff4c \uff4d\uff59\uff53\uff45\uff4c\uff46": "kill myself",      # full width
        "k\u0456ll mys\u0435lf": "kill myself",                                              # Cyrillic i, e
        "k1ll mys3lf": "kill myself", "su1c1de": "suicide", "p!lls": "pills", "0verdose": "overdose",
        "$elf harm": "self harm", "\u201cI\u2019m done\u201d": "\"I'm done\"", "no\u00a0more": "no more",
    }
    for raw, plain in cases.items():
        assert normalize(raw).text == plain, raw


def test_numbers_and_ordinary_words_stay_as_written():
    for text in ("50mg of sertraline", "24/7 b4 x2 3rd 5mins", "help!", "Call 988 now", "covid19 in 2021",
                 "pay $40 by Friday", "Тот самый день"):      # a whole Cyrillic phrase is not obfuscation
        assert normalize(text).text == text


def test_letter_runs_are_read_both_ways():
    assert [v.text for v in variants("killllll myself")] == ["kill myself", "kil myself"]
    assert [v.text for v in variants("i want to diiiie")] == ["i want to diie", "i want to die"]
    assert len(variants("I will see you tomorrow")) == 1


def test_spans_point_into_the_original_text():
    raw = "Tonight I will k\u200bill my\u00adself with the p\u200bills"
    result = evaluate(raw)
    assert result.severity == "crisis" and result.hits
    for hit in result.hits:
        if hit.end > hit.start:
            assert raw[hit.start:hit.end] == hit.text
            assert normalize(hit.text).text.strip() != ""


@pytest.mark.parametrize("mark", ["\u200b", "\u00ad", "\u2060\u200d", "\ufeff"],
                         ids=["zwsp", "soft-hyphen", "word-joiner+zwj", "bom"])
def test_every_must_catch_crisis_triages_exactly_as_the_original_with_invisible_characters(mark):
    assert len(CRISES) > 100
    changed = [t for t in CRISES if _verdict(_inside_words(t, mark)) != _verdict(t)]
    assert not changed, changed[:3]


def test_the_triage_service_serves_the_same_answer_for_an_invisible_variant(settings):
    service = TriageService.from_settings(settings, None, model_name=None)
    plain, hidden = service.triage(BASE), service.triage(_inside_words(BASE, "\u200b"))
    assert hidden.severity == plain.severity == "crisis"
    assert hidden.risk_flags == plain.risk_flags and hidden.floor.rules == plain.floor.rules
    assert hidden.resources == plain.resources
