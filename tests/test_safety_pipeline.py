"""The floor as a pipeline of named layers: order from data, ablation by configuration, the three lanes."""
import pytest

from backend.safety import floor, pipeline
from backend.safety.pipeline import Pipeline
from core.errors import ConfigError
from core.schemas import severity_rank

MESSAGES = [  # written for this file
    "I am going to hang myself tonight, the rope is in the garage.",
    "I took the whole bottle of my pills twenty minutes ago.",
    "Can I move my Thursday appointment to the afternoon?",
    "Work was long but the breathing exercises helped this week.",
    "My brother says he wants to kill himself and he has been giving his things away.",
    "If I ever lost my job I think I would want to die.",
    "Denies suicidal ideation, self-harm, or substance misuse.",
]


def test_the_layers_come_from_the_data_file_in_order():
    result = floor.evaluate(MESSAGES[0])
    assert result.layers == ["explicit", "signals", "semantic", "frames", "lanes"]
    assert [n for n, _ in pipeline.default_pipeline().layers()] == result.layers


def test_an_ablation_is_a_configuration():
    without = floor.evaluate(MESSAGES[0], pipeline=Pipeline(without=("semantic",)))
    assert "semantic" not in without.layers and without.scores == {}
    assert set(pipeline.ablations()) == {"all", "-signals", "-semantic", "-frames"}


@pytest.mark.parametrize("text", MESSAGES)
def test_no_layer_ever_lowers_what_the_others_found(text):
    full = floor.evaluate(text)
    for name in ("signals", "semantic"):
        part = floor.evaluate(text, pipeline=Pipeline(without=(name,)))
        assert severity_rank(full.severity) >= severity_rank(part.severity), name


def test_explicit_statements_are_crises_and_everyday_messages_are_not():
    assert floor.evaluate(MESSAGES[0]).lane == "crisis" and floor.evaluate(MESSAGES[1]).severity == "crisis"
    for text in MESSAGES[2:4]:
        result = floor.evaluate(text)
        assert result.severity == "low" and result.lane == "none" and not result.needs_review


def test_risk_under_a_report_or_a_hypothetical_is_the_review_lane():
    for text in MESSAGES[4:6]:
        result = floor.evaluate(text)
        assert severity_rank(result.severity) >= severity_rank("high"), text
        assert result.lane in ("possible_risk", "crisis"), text
        if result.lane == "possible_risk":
            assert result.needs_review and result.review_reason == "possible risk, not confirmed"


def test_a_clinical_denial_list_is_not_a_crisis():
    result = floor.evaluate(MESSAGES[6])
    assert result.severity != "crisis" and result.lane != "crisis"


def test_the_semantic_layer_reports_its_scores_and_evidence_span():
    result = floor.evaluate(MESSAGES[0])
    assert set(result.scores) == {"crisis", "risk", "whole_crisis", "whole_risk", "whole_concern"}
    assert all(0.0 <= v <= 1.0 for v in result.scores.values())
    for hit in result.hits:
        assert MESSAGES[0][hit.start:hit.end] == hit.text


def test_a_bad_pipeline_file_is_a_config_error(tmp_path):
    (tmp_path / "p.yaml").write_text("layers: [normalize, explicit, telepathy]\n")
    with pytest.raises(ConfigError, match="telepathy"):
        pipeline._configured(tmp_path / "p.yaml")
    (tmp_path / "q.yaml").write_text("layers: [explicit]\n")
    with pytest.raises(ConfigError, match="normalize"):
        pipeline._configured(tmp_path / "q.yaml")
    (tmp_path / "r.yaml").write_text(": not yaml : [\n")
    with pytest.raises(ConfigError):
        pipeline._configured(tmp_path / "r.yaml")
