"""Paired bootstrap (determinism, verdicts) and label mapping onto our severities."""
import json

import pytest

from core.errors import BadRequest, NotFound
from core.settings import Settings
from evaluation import bootstrap, data, labels, metrics

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures" / "eval"


def test_bootstrap_is_deterministic_with_a_seed():
    base = [1, 0, 1, 0, 1, 0, 0, 1, 0, 0]
    cand = [1, 1, 1, 0, 1, 1, 0, 1, 1, 0]
    run = lambda seed: bootstrap.paired_bootstrap(base, cand, metrics.mean, seed=seed, n_resamples=300)  # noqa: E731
    first, again = run(7), run(7)
    assert first == again
    assert first.diff == pytest.approx(0.3)            # 7/10 - 4/10
    assert first.low <= first.diff <= first.high
    scores_a = [0.11, 0.52, 0.37, 0.94, 0.25, 0.68, 0.03, 0.81]
    scores_b = [0.21, 0.49, 0.58, 0.97, 0.33, 0.61, 0.29, 0.85]
    cont = lambda seed: bootstrap.paired_bootstrap(scores_a, scores_b, metrics.mean, seed=seed)  # noqa: E731
    assert cont(1) == cont(1) and (cont(1).low, cont(1).high) != (cont(2).low, cont(2).high)


def test_bootstrap_verdicts():
    base, better = [0] * 20, [1] * 20
    assert bootstrap.paired_bootstrap(base, better, metrics.mean).verdict == "better"
    assert bootstrap.paired_bootstrap(better, base, metrics.mean).verdict == "worse"
    # lower is better (latency): a drop is an improvement
    slow, fast = [200.0] * 10, [100.0] * 10
    comp = bootstrap.paired_bootstrap(slow, fast, metrics.mean, higher_is_better=False)
    assert comp.diff == -100 and comp.verdict == "better"
    same = [0, 1] * 10
    assert bootstrap.paired_bootstrap(same, same, metrics.mean).verdict == "no significant difference"
    assert bootstrap.paired_bootstrap([None], [None], metrics.mean).verdict == "not measurable"
    with pytest.raises(ValueError):
        bootstrap.paired_bootstrap([1], [1, 2], metrics.mean)


def test_verdict_boundaries():
    assert bootstrap.verdict(0.01, 0.2, True) == "better"
    assert bootstrap.verdict(-0.2, -0.01, True) == "worse"
    assert bootstrap.verdict(-0.1, 0.1, True) == "no significant difference"
    assert bootstrap.verdict(0.0, 0.1, True) == "no significant difference"


def test_five_level_scale_maps_onto_our_severities():
    settings = Settings(home=FIXTURES)
    _, items = data.load_items("triage", settings, FIXTURES / "cssrs_five_level.csv",
                               FIXTURES / "cssrs_label_map.yaml")
    assert [(i["id"], i["label"]["severity"]) for i in items] == [
        ("p1", "low"), ("p2", "moderate"), ("p3", "high"), ("p4", "crisis"), ("p5", "crisis")]   # p6 skipped
    assert items[0]["label"]["concern_type"] == "suicidal_ideation"
    assert items[0]["text"].startswith("I had a good week") and items[0]["source"] == "cssrs_five_level"


def test_unmapped_labels_are_a_clear_error(tmp_path):
    label_map = labels.LabelMap.from_dict({"columns": {"text": "post", "severity": "risk_label"},
                                           "severity": {"Supportive": "low"}})
    rows = [{"post": "fine", "risk_label": "Supportive"}, {"post": "x", "risk_label": "Attempt"}]
    with pytest.raises(BadRequest, match="labels without a mapping: Attempt"):
        labels.apply(rows, label_map, "triage", "t")


def test_label_map_validation(tmp_path):
    with pytest.raises(BadRequest, match="unknown severities: severe"):
        labels.LabelMap.from_dict({"severity": {"5": "severe"}})
    with pytest.raises(BadRequest, match="unknown keys"):
        labels.LabelMap.from_dict({"colums": {}})
    bad = tmp_path / "map.json"
    bad.write_text("{not json")
    with pytest.raises(BadRequest, match="not valid json"):
        labels.load_label_map(bad)
    numeric = labels.LabelMap.from_dict({"severity": {1: "low", 5: "crisis"}})
    assert numeric.map_severity(5.0) == "crisis" and numeric.map_severity("1") == "low"
    assert labels.LabelMap().map_severity("High") == "high"          # our own labels pass without a map


def test_label_map_for_summaries_and_chat():
    chat_map = labels.LabelMap.from_dict({"columns": {"prompt": "questionText", "reply": "answerText",
                                                       "topic": "topics", "id": "questionID"}})
    rows = [{"questionID": "7", "questionText": "How do I sleep?", "answerText": "Try a routine.", "topics": "sleep"}]
    assert labels.apply(rows, chat_map, "chat", "cc") == [{
        "id": "7", "messages": [{"role": "user", "content": "How do I sleep?"},
                                {"role": "assistant", "content": "Try a routine."}],
        "source": "cc", "topic": "sleep"}]
    summ_map = labels.LabelMap.from_dict({"columns": {"session": "notes", "summary_html": "ref", "risk": "r"},
                                          "severity": {"none": "low"}})
    [rec] = labels.apply([{"notes": "n", "ref": "<b>Plan:</b> x", "r": "None"}], summ_map, "summarize", "s")
    assert rec["risk"] == "low" and rec["summary_html"] == "<b>Plan:</b> x"
    with pytest.raises(BadRequest, match="no 'notes' column"):
        labels.apply([{"other": 1}], summ_map, "summarize", "s")


def test_prepared_split_is_the_default_and_missing_data_is_a_clear_error(tmp_path):
    settings = Settings(home=tmp_path)
    with pytest.raises(NotFound, match="no evaluation data"):
        data.load_items("triage", settings)
    split = data.default_path(settings, "triage")
    split.parent.mkdir(parents=True)
    label = {"severity": "low", "concern_type": "anxiety"}
    split.write_text("\n".join(json.dumps({"id": f"t{i}", "text": "hello", "label": label, "source": "syn"})
                               for i in range(5)))
    path, items = data.load_items("triage", settings, limit=3)
    ids = [i["id"] for i in items]
    assert path == split and len(set(ids)) == 3 and set(ids) <= {f"t{i}" for i in range(5)}
    assert [i["id"] for i in data.load_items("triage", settings, limit=3)[1]] == ids     # seeded, repeatable
    with pytest.raises(BadRequest, match="holds no summarize items"):
        data.load_items("summarize", settings, split)


def test_shipped_flat_shapes_are_read():
    flat = {"id": "s1", "text": "t", "severity": "high", "concern_type": "grief", "tags": [], "synthetic": True}
    assert data.normalise("triage", flat, 0, "x")["label"] == {"severity": "high", "concern_type": "grief"}
    summary = {"id": "u1", "session": "notes", "kind": "notes", "summary": "<b>Plan:</b> x", "risk": "low"}
    assert data.normalise("summarize", summary, 0, "x")["summary_html"] == "<b>Plan:</b> x"


def test_the_shipped_example_label_map_loads():
    from evaluation.labels import load_label_map

    shipped = load_label_map(FIXTURES.parent.parent.parent / "evaluation" / "label_maps" / "cssrs_five_level.yaml")
    assert shipped.map_severity("Behavior") == "crisis" and shipped.columns["text"] == "Post"


def test_limit_spreads_the_sample_over_labels():
    from evaluation.data import sample

    items = [{"id": f"{sev}-{i}", "label": {"severity": sev}} for sev in ("crisis", "high", "low", "moderate")
             for i in range(10)]
    picked = sample("triage", items, 8)
    assert sorted(i["label"]["severity"] for i in picked) == ["crisis"] * 2 + ["high"] * 2 + ["low"] * 2 + ["moderate"] * 2
    assert [i["id"] for i in sample("triage", items, 8)] == [i["id"] for i in picked]   # deterministic
    assert len(sample("triage", items[:3], 8)) == 3
