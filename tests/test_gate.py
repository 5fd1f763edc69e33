"""The promotion gate: real A/B evaluations (scripted engines at the model boundary) decide by the rules."""
from __future__ import annotations

import json

import pytest

from core.engine.fake import ScriptedEngine
from pipeline import gate
from tests.test_eval_runners import Models, assessment, user_text
from tests.training_fixtures import write_jsonl

LABELS = {  # text -> (severity, concern): 8 of each severity, so a paired bootstrap can tell a bad model
    **{f"I keep thinking about ending my life, item {i}.": ("crisis", "suicidal_ideation") for i in range(8)},
    **{f"Since the breakup I have been hopeless for weeks, item {i}.": ("high", "depression") for i in range(8)},
    **{f"Work stress keeps me awake most nights, item {i}.": ("moderate", "burnout") for i in range(8)},
    **{f"I felt a little flat this weekend, item {i}.": ("low", "depression") for i in range(8)},
}


@pytest.fixture
def data(tmp_path):
    rows = [{"id": f"g{i}", "text": text, "label": {"severity": sev, "concern_type": concern}}
            for i, (text, (sev, concern)) in enumerate(LABELS.items())]
    return str(write_jsonl(tmp_path / "test.jsonl", rows))


def right(messages, schema):
    text = user_text(messages)
    severity, concern = next(label for key, label in LABELS.items() if key in text)
    return assessment(severity, concern)


def compare(settings, data, candidate, *, baseline=right, tmp_path):
    models = Models(settings, triage=ScriptedEngine(baseline), candidate=ScriptedEngine(candidate))
    return gate.compare("triage", "candidate", settings, gate.GateConfig(limit=None, n_resamples=300),
                        registry=models, data=data, out_dir=tmp_path / "gate",
                        verify={"perplexity_delta_pct": 2.5})


def test_an_equal_candidate_is_promoted(settings, data, tmp_path):
    decision = compare(settings, data, right, tmp_path=tmp_path)
    assert decision.promote and decision.reasons == []
    assert {c["metric"] for c in decision.checks} == {"schema_validity", "crisis_recall_with_floor",
                                                      "severity_macro_f1", "perplexity_delta_pct"}
    assert (tmp_path / "gate" / "report.md").is_file()


def test_a_worse_candidate_is_kept_with_the_reason(settings, data, tmp_path):
    decision = compare(settings, data, lambda m, s: assessment("low", "depression"), tmp_path=tmp_path)
    assert not decision.promote
    assert any("severity_macro_f1" in r and "significantly worse" in r for r in decision.reasons)
    assert json.dumps(decision.to_dict())                           # what the build stores with the candidate


def test_one_invalid_answer_blocks_promotion(settings, data, tmp_path):
    def sometimes_broken(messages, schema):
        return "{not json" if "item 3." in user_text(messages) else right(messages, schema)

    decision = compare(settings, data, sometimes_broken, tmp_path=tmp_path)
    assert not decision.promote and any("schema_validity" in r and "must be 100%" in r for r in decision.reasons)


def test_rules_on_figures():
    result = {"metrics": {"candidate": {"schema_validity": 1.0, "crisis_recall_with_floor": 0.9,
                                        "severity_macro_f1": 0.5},
                          "baseline": {"schema_validity": 1.0, "crisis_recall_with_floor": 1.0,
                                       "severity_macro_f1": 0.5}},
              "comparisons": [{"metric": "severity_macro_f1", "verdict": "no significant difference"}]}
    decision = gate.decide("triage", result, {"perplexity_delta_pct": 14.0})
    assert [c["metric"] for c in decision.checks if not c["ok"]] == ["crisis_recall_with_floor",
                                                                     "perplexity_delta_pct"]
    assert "lower than the served model's 1.000" in decision.summary


# --- the practice's own reviews ----------------------------------------------------------------------
REVIEWED = {**{f"I have not left my room in days and stopped eating, note {i}.": "high" for i in range(12)},
            **{f"Slept fine and enjoyed a walk with my sister Ana Ruiz, note {i}.": "low" for i in range(12)}}


def judged(messages, schema):
    text = user_text(messages)
    return assessment("high", "depression") if "stopped eating" in text else assessment("low", "general_distress")


def test_practice_reviews_are_split_de_identified_and_weighed_by_the_gate(settings, tmp_path):
    from backend import store
    from pipeline import feedback

    with store.open_store(settings).session() as db:
        for text, severity in REVIEWED.items():
            item_id = store.queries.add_review_item(db, kind="triage", severity="moderate", reason="test",
                                                    payload={"text": text})
            store.queries.resolve_review_item(db, item_id, by="dr", note="seen")
            store.queries.get_review_item(db, item_id).clinician_severity = severity
            db.commit()
    split = feedback.write_split(settings)
    again = feedback.write_split(settings)
    assert split.n_train + split.n_test == len(REVIEWED) and 0 < split.n_test < len(REVIEWED)
    assert split.test.read_text() == again.test.read_text()                   # an item never changes side
    rows = [json.loads(line) for path in (split.train, split.test) for line in path.read_text().splitlines()]
    assert not any("Ana Ruiz" in r["text"] for r in rows)                     # de-identified
    everything = write_jsonl(tmp_path / "reviews.jsonl", rows)
    models = Models(settings, triage=ScriptedEngine(judged),
                    candidate=ScriptedEngine(lambda m, s: assessment("low", "general_distress")))
    own = gate.compare("triage", "candidate", settings, gate.GateConfig(limit=None, n_resamples=300),
                       registry=models, data=str(everything), out_dir=tmp_path / "own",
                       verify={"perplexity_delta_pct": 2.5})
    decision = gate.both(gate.Decision(promote=True), own, "practice reviews")
    assert not decision.promote
    assert decision.reasons and all(r.startswith("practice reviews: ") for r in decision.reasons)
    assert any("severity_macro_f1" in r for r in decision.reasons)
