"""The floor's semantic layer: the shipped model and its manifest, windows, negation marks, training pieces."""
import json
import logging
from pathlib import Path

import numpy as np
import pytest

from backend.safety import floor, semantic, train
from core import manifest
from core.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
CALM = "We talked about her new job and the weekend with her sister. Sleep is better since the new routine. "


def test_the_shipped_model_is_the_one_its_manifest_describes():
    model = semantic.default_model()
    body = json.loads(semantic.MODEL_FILE.with_suffix(".manifest.json").read_text(encoding="utf-8"))
    assert body["sha256"] == manifest.sha256(semantic.MODEL_FILE)
    assert body["thresholds"] == model.thresholds and 0.0 < model.thresholds["review"] <= model.thresholds["crisis"] < 1
    assert set(body["leave_one_source_out"]) == set(model.meta["trained_on"])
    assert semantic.MODEL_FILE.stat().st_size < 8_000_000


def test_training_never_reads_the_evaluation_sets():
    names = {p.name for p in train.input_files()}
    held_out = {p.name for p in (ROOT / "tests" / "data").glob("*.jsonl")}
    assert names and not names & held_out
    assert all("tests" not in p.parts for p in train.input_files())


def test_scores_are_deterministic_and_bounded():
    fresh = semantic.SemanticModel()
    for text in ("I want to end it all tonight", "Can I reschedule?", CALM):
        a, b = semantic.default_model().score(text), fresh.score(text)
        assert a == b and 0.0 <= a.crisis <= 1.0 and 0.0 <= a.risk <= 1.0


def test_one_crisis_sentence_in_a_long_note_is_found_in_its_window():
    sentence = "Tonight I am going to take all the pills I saved, I have written my goodbye letters."
    note = CALM * 6 + sentence + " " + CALM * 6
    s = semantic.default_model().score(note)
    start, end = s.crisis_span
    assert sentence[:20] in note[start:end] and end - start < len(note) / 2
    assert s.crisis >= semantic.default_model().score(CALM * 12).crisis


def test_windows_cover_the_text_and_runs_of_sentences():
    text = "One. Two! Three? Four."
    spans = semantic.windows(text)
    assert spans[0] == (0, len(text)) and len(spans) == 4
    assert semantic.windows("no sentence break here") == [(0, 22)]


def test_negation_scope_marks_words_until_a_clause_break():
    marked = semantic.negation_marked("Denies SI, HI. Reports low mood but no plan; wants to live.")
    assert "neg_SI" in marked and "neg_HI" in marked and "neg_low" not in marked
    assert "no neg_plan" in marked and "neg_wants" not in marked


def test_a_bad_model_file_is_a_config_error(tmp_path):
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match="safety train"):
        semantic.SemanticModel(tmp_path / "bad.npz")


def test_fitting_is_deterministic_on_a_small_corpus():
    examples = [e for i, e in enumerate(train.corpus()) if i % 25 == 0]
    a, b = train.fit_heads(examples, train.TrainConfig()), train.fit_heads(examples, train.TrainConfig())
    assert np.array_equal(a["coef"], b["coef"]) and np.array_equal(a["intercept"], b["intercept"])


def test_thresholds_put_recall_first_within_the_false_alarm_budgets():
    ex = [train.Example("x", "notes_author", int(i < 50), int(i < 80), int(i < 120)) for i in range(200)]
    rng = np.random.default_rng(0)
    scores = np.c_[np.r_[rng.uniform(0.6, 1, 50), rng.uniform(0, 0.7, 150)],
                   np.r_[rng.uniform(0.5, 1, 80), rng.uniform(0, 0.6, 120)]]
    base = ["crisis"] * 10 + ["low"] * 190                      # what the other layers found
    config = train.TrainConfig(crisis_budget=0.05, review_budget=0.10)
    t = train.choose_thresholds(ex, scores, base, config)
    ranks = train._combined(np.array([3] * 10 + [0] * 190), scores, t["crisis"], t["review"])
    assert (ranks[50:] == 3).mean() <= 0.05 and (ranks[80:] >= 2).mean() <= 0.10 and t["review"] <= t["crisis"]
    looser = train.choose_thresholds(ex, scores, base, train.TrainConfig(crisis_budget=0.2, review_budget=0.3))
    assert looser["crisis"] <= t["crisis"] and looser["review"] <= t["review"]      # a bigger budget buys recall
    metrics = train.source_metrics(ex, scores, t)["notes_author"]
    assert metrics["n"] == 200 and set(metrics) >= {"crisis_recall", "false_crisis", "at_risk_recall"}


def test_never_logs_the_message(caplog):
    secret = "zebra-quartz-0193 I have the tablets and tonight is the night"
    with caplog.at_level(logging.DEBUG):
        floor.evaluate(secret)
    assert "zebra" not in caplog.text


def test_denials_are_blanked_for_the_classifier_but_what_follows_is_kept():
    from backend.safety.scope import mask_denials

    assert mask_denials("Denies SI, HI, self-harm, or substance misuse.").strip() == "."
    kept = mask_denials("Denies SI but reports cutting her arms last night.")
    assert "cutting her arms" in kept and "SI" not in kept
    assert "want to die" in mask_denials("I have no plan, I just want to die")
    text = "No SI/HI. Mood low."
    assert len(mask_denials(text)) == len(text) and mask_denials(text).endswith("Mood low.")


def test_the_note_reading_heads_and_their_crisis_guard():
    t = {"crisis": 0.3, "risk": 0.6, "concern": 0.5}
    scores = [[0.1, 0.1, 0.2], [0.1, 0.2, 0.7], [0.2, 0.8, 0.9], [0.5, 0.9, 0.9], [0.5, 0.2, 0.3]]
    assert list(semantic.note_ranks(scores, t)) == [0, 1, 2, 3, 3]
    assert list(semantic.note_ranks(scores, t, floor=[0, 0, 0, 2, 1])) == [0, 1, 2, 3, 0]   # crisis head needs floor >= high
    model = semantic.default_model()
    assert semantic.HEADS == ("crisis", "risk", "concern") and model.coef.shape[0] == 3
    assert set(model.note_thresholds) == set(semantic.HEADS)
    manifest = json.loads(semantic.MODEL_FILE.with_suffix(".manifest.json").read_text())
    assert manifest["note_thresholds"] == model.note_thresholds
    assert {"patients_author_a", "notes_author"} <= set(manifest["note_reading_out_of_source"])


def test_note_thresholds_put_crisis_recall_first():
    ex = [train.Example("x", "patients_author_a", int(i < 20), int(i < 50), int(i < 80)) for i in range(100)]
    rng = np.random.default_rng(1)
    whole = np.c_[np.r_[rng.uniform(0.2, 1, 20), rng.uniform(0, 0.5, 80)], rng.uniform(0, 1, 100), rng.uniform(0, 1, 100)]
    floor = np.full(100, 2)
    t = train.choose_note_thresholds(ex, whole, floor, train.note_rule_ranks(ex),
                                     train.TrainConfig(note_crisis_recall=1.0))
    read = semantic.note_ranks(whole, t, floor)
    assert (read[:20] == 3).all()
