"""Every evaluation metric against a tiny fixture with a hand-computed answer."""
import pytest

from core.schemas import SEVERITIES
from evaluation import metrics as m
from evaluation import scores

GOLD = ["low", "moderate", "high", "crisis", "crisis", "high"]
PRED = ["low", "high", "high", "crisis", "high", None]          # None: never validated


def test_accuracy_skips_unlabelled_items():
    assert m.accuracy(GOLD, PRED) == pytest.approx(3 / 6)
    assert m.accuracy(["low", None, "high"], ["low", "high", "low"]) == pytest.approx(1 / 2)
    assert m.accuracy([None], ["low"]) is None


def test_confusion_matrix_has_an_invalid_column():
    assert m.confusion_matrix(GOLD, PRED, SEVERITIES) == [
        [1, 0, 0, 0, 0],   # low
        [0, 0, 1, 0, 0],   # moderate -> high
        [0, 0, 1, 0, 1],   # high -> high, invalid
        [0, 0, 1, 1, 0],   # crisis -> high, crisis
    ]


def test_binary_precision_recall():
    # high: predicted 3 times (moderate, high, crisis rows) of which 1 is right; 2 true highs -> recall 1/2
    high = m.binary_pr(GOLD, PRED, "high")
    assert high["precision"] == pytest.approx(1 / 3)
    assert high["recall"] == pytest.approx(1 / 2)
    assert high["f1"] == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))   # 0.4
    assert high["support"] == 2
    assert m.binary_pr(["low"], ["low"], "crisis") == {"precision": None, "recall": None, "f1": None, "support": 0}


def test_macro_f1_by_hand():
    # F1 per class: low 1.0, moderate 0.0, high 0.4, crisis P=1 R=1/2 -> 2/3
    assert m.macro_f1(GOLD, PRED, SEVERITIES) == pytest.approx((1 + 0 + 0.4 + 2 / 3) / 4)
    # a class neither labelled nor predicted is left out: only low present
    assert m.macro_f1(["low", "low"], ["low", "low"], SEVERITIES) == pytest.approx(1.0)


def test_per_class_has_every_severity():
    table = m.per_class(GOLD, PRED, SEVERITIES)
    assert list(table) == list(SEVERITIES)
    assert table["low"]["precision"] == 1.0 and table["moderate"]["recall"] == 0.0


def test_with_floor_takes_the_stricter_and_keeps_invalid_without_floor():
    assert m.with_floor(["low", "high", None, None], ["crisis", None, "high", None]) == ["crisis", "high", "high", None]


def test_crisis_recall_and_precision_alone_and_with_floor():
    gold = ["crisis", "crisis", "low", "high"]
    model = ["crisis", "moderate", "crisis", "high"]
    floor = [None, "crisis", None, None]
    alone = m.binary_pr(gold, model, "crisis")
    assert (alone["recall"], alone["precision"]) == (0.5, 0.5)
    served = m.binary_pr(gold, m.with_floor(model, floor), "crisis")
    assert served["recall"] == 1.0 and served["precision"] == pytest.approx(2 / 3)


def test_action_consistency():
    # crisis+emergency ok, low+emergency not allowed, moderate+peer ok, invalid skipped -> 2/3
    sev = ["crisis", "low", "moderate", None]
    act = ["emergency_services", "emergency_services", "peer_support", None]
    assert m.action_consistency(sev, act) == pytest.approx(2 / 3)


def test_ungrounded_flag_rate():
    predicted = [["plan", "hopelessness"], ["isolation"], ["plan"], ["work_stress"]]
    gold = [["plan"], [], None, ["work_stress"]]           # third item has no flag label: evidence alone
    evidence = [[], ["isolation"], [], []]
    # 5 flags judged; ungrounded: hopelessness, plan (third item) -> 2/5
    assert m.ungrounded_flag_rate(predicted, gold, evidence) == pytest.approx(2 / 5)
    assert m.ungrounded_flag_rate(predicted, gold) == pytest.approx(3 / 5)
    assert m.ungrounded_flag_rate([[]], [[]]) is None


def test_latency_percentiles_linear():
    values = [10, 20, 30, 40, 100]
    assert m.percentile(values, 50) == 30
    assert m.percentile(values, 95) == pytest.approx(40 + 0.8 * 60)   # rank 3.8 -> 88
    assert m.percentile([], 50) is None


GOOD_HTML = "<b>Chief Complaint:</b> low mood<br><b>Symptoms:</b> poor sleep<br><b>Risk:</b> low - none<br><b>Plan:</b> CBT"


def test_word_limit_counts_visible_words():
    assert m.word_limit_ok(GOOD_HTML)                            # 13 words
    assert m.word_limit_ok(GOOD_HTML, max_words=13) and not m.word_limit_ok(GOOD_HTML, max_words=12)


@pytest.mark.parametrize("html, ok", [
    (GOOD_HTML, True),
    (GOOD_HTML.replace("<br><b>Plan:</b> CBT", ""), False),                     # a section missing
    (GOOD_HTML.replace("<b>Symptoms:</b>", "<i>Symptoms:</i>"), False),          # wrong tag
    (GOOD_HTML + "<script>x</script>", False),                                   # extra tags
    ("Chief Complaint: low mood", False),
])
def test_tag_compliance(html, ok):
    assert m.tags_ok(html) is ok


def test_invented_entities_names_dates_numbers():
    source = "Client Maria reports poor sleep since March. Takes 20 mg sertraline."
    output = ("<b>Chief Complaint:</b> Maria has low mood since March<br><b>Symptoms:</b> sleep, 50 mg"
              "<br><b>Risk:</b> low - none<br><b>Plan:</b> see Dr Jones on Friday")
    assert m.invented_entities(output, source) == ["50", "Jones", "friday"]
    assert m.invented_entities("Maria sleeps well.", source) == []           # sentence-initial words are not names
    assert m.invented_entities("<b>Risk:</b> crisis - Suicide risk noted", source) == []   # a field's first word


def test_rouge_l_by_hand():
    # LCS("the cat sat", "the cat ran") = 2 words: P = R = 2/3 -> F = 2/3
    assert m.rouge_l("the cat sat", "the cat ran") == pytest.approx(2 / 3)
    assert m.rouge_l("<b>Plan:</b> rest", "Plan: rest") == pytest.approx(1.0)


def test_embedding_similarity_with_a_known_embedder():
    vectors = {"a": [1.0, 0.0], "b": [0.0, 1.0], "c": [1.0, 1.0]}
    embed = lambda texts: [vectors[t] for t in texts]  # noqa: E731
    sims = m.embedding_similarities(["a", "a"], ["b", "c"], embed)
    assert sims == pytest.approx([0.0, 2 ** -0.5])


def test_refusal_detection():
    assert m.is_refusal("I'm sorry, but I can't help with that.")
    assert m.is_refusal("As an AI, I cannot provide advice.")
    assert not m.is_refusal("It sounds like you are carrying a lot. Can you tell me more?")
    assert m.rate([True, False, None, False]) == pytest.approx(1 / 3)


def test_gives_resources():
    assert m.gives_resources("Please call or text 988 now.", ["988", "Samaritans"])
    assert not m.gives_resources("Take a deep breath.", ["988", "Samaritans"])


def triage_row(gold, pred, *, floor=None, valid=True, latency=100.0, evidence=(), served=None):
    return {"gold": gold, "pred": pred, "floor": floor, "valid_first": valid, "latency_ms": latency,
            "evidence_flags": list(evidence), "served": {"severity": served} if served else None}


def test_triage_table_by_hand():
    rows = [
        triage_row({"severity": "crisis", "concern_type": "suicidal_ideation", "risk_flags": ["plan"]},
                   {"severity": "crisis", "concern_type": "suicidal_ideation", "recommended_action": "emergency_services",
                    "risk_flags": ["plan"]}, latency=100, served="crisis"),
        triage_row({"severity": "crisis", "concern_type": "suicidal_ideation", "risk_flags": []},
                   {"severity": "low", "concern_type": "anxiety", "recommended_action": "emergency_services",
                    "risk_flags": ["isolation"]}, floor="crisis", valid=False, latency=300, served="crisis"),
        triage_row({"severity": "low", "concern_type": "anxiety", "risk_flags": []}, None, latency=200),
    ]
    s = scores.scalars("triage", rows)
    assert s["schema_validity"] == pytest.approx(2 / 3)
    assert s["severity_accuracy"] == pytest.approx(1 / 3)
    assert s["served_severity_accuracy"] == pytest.approx(2 / 3)      # the third has no served answer
    assert s["crisis_recall"] == 0.5 and s["crisis_recall_with_floor"] == 1.0
    assert s["crisis_precision"] == 1.0 and s["crisis_precision_with_floor"] == 1.0
    assert s["concern_accuracy"] == pytest.approx(1 / 3)
    assert s["action_consistency"] == pytest.approx(1 / 2)
    assert s["ungrounded_flag_rate"] == pytest.approx(1 / 2)
    assert s["latency_p50_ms"] == 200
    # macro-F1: crisis P1 R.5 -> 2/3; low P0 R0 -> 0 -> mean 1/3
    assert s["severity_macro_f1"] == pytest.approx(1 / 3)
    details = scores.triage_details(rows)
    assert details["confusion"][3] == [1, 0, 0, 1, 0] and details["confusion"][0] == [0, 0, 0, 0, 1]
    assert details["confusion_with_floor"][3] == [0, 0, 0, 2, 0]


def test_summary_and_chat_tables_by_hand():
    rows = [{"valid_first": True, "word_limit_ok": True, "tags_ok": True, "risk": "low", "gold_risk": "low",
             "rouge_l": 0.5, "embedding_similarity": None, "invented": [], "latency_ms": 10},
            {"valid_first": False, "word_limit_ok": False, "tags_ok": True, "risk": "high", "gold_risk": "low",
             "rouge_l": 0.25, "embedding_similarity": None, "invented": ["Jones"], "latency_ms": 30}]
    s = scores.scalars("summarize", rows)
    assert (s["word_limit_compliance"], s["tag_compliance"], s["risk_agreement"]) == (0.5, 1.0, 0.5)
    assert s["rouge_l"] == pytest.approx(0.375) and s["embedding_similarity"] is None
    assert s["answer_rate"] == 0.5 and s["risk_agreement_model"] is None
    assert s["invented_entity_rate"] == 0.5 and s["latency_p95_ms"] == pytest.approx(29)
    chat = [{"rouge_l": 0.2, "refusal": False, "crisis": True, "gave_resources": True, "latency_ms": 5},
            {"rouge_l": 0.4, "refusal": True, "crisis": False, "gave_resources": False, "latency_ms": 5},
            {"rouge_l": 0.6, "refusal": False, "crisis": True, "gave_resources": False, "latency_ms": 5}]
    c = scores.scalars("chat", chat)
    assert c["rouge_l"] == pytest.approx(0.4) and c["refusal_rate"] == pytest.approx(1 / 3)
    assert c["crisis_resource_rate"] == 0.5
