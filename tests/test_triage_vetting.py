"""What a person at risk reads (vetted texts unless the model's pass checks) and the model's vote weighed."""
import json

import pytest

from backend.safety.resources import load_fallback_texts
from backend.triage.service import MODEL_ALONE, triage
from backend.triage.vetting import problem
from core.engine.fake import ScriptedEngine

CRISIS = "I have the pills counted out and I'm doing it tonight."
EVERYDAY = "Can you send me the invoice for last month's sessions please?"
GOOD_OPENING = "I am really glad you told us, and I am so sorry you are hurting this much right now."
GOOD_QUESTION = "Are you somewhere safe at the moment, and is anyone with you?"


def answer(**changes) -> str:
    base = {"severity": "crisis", "concern_type": "suicidal_ideation", "recommended_action": "emergency_services",
            "risk_flags": ["suicidal_thoughts", "plan"], "empathetic_opening": GOOD_OPENING,
            "follow_up_question": GOOD_QUESTION}
    return json.dumps({**base, **changes})


def test_good_model_texts_are_shown_and_said_to_be_the_models():
    result = triage(CRISIS, engine=ScriptedEngine([answer()]))
    assert result.severity == "crisis" and result.texts == {"empathetic_opening": "model", "follow_up_question": "model"}
    assert result.empathetic_opening == GOOD_OPENING


@pytest.mark.parametrize("field,value,why", [
    ("empathetic_opening", "one warm sentence", "words"),
    ("empathetic_opening", "Read the person's message and answer only with one JSON object with the fields", "prompt"),
    ("empathetic_opening", "I have the pills counted out and I'm doing it tonight.", "repeats"),
    ("empathetic_opening", "Everyone feels like this sometimes, you will be fine after some sleep.", "minimizing"),
    ("follow_up_question", "Could you handle this yourself without calling anyone tonight?", "advises"),
])
def test_unsafe_model_texts_are_replaced_by_the_vetted_ones(field, value, why):
    result = triage(CRISIS, engine=ScriptedEngine([answer(**{field: value})]))
    vetted = getattr(load_fallback_texts(), field)["crisis"]
    assert getattr(result, field) == vetted and result.texts[field] == "vetted"
    assert any(field in r and "vetted" in r for r in result.repairs)


def test_problem_names_each_check():
    assert problem(GOOD_OPENING, CRISIS, "empathetic_opening") is None
    assert problem("calm down, it is not a big deal at all honestly", CRISIS, "empathetic_opening") == "minimizing"
    assert "words" in problem("too short", CRISIS, "empathetic_opening")


def test_low_results_keep_the_models_texts():
    low = json.dumps({"severity": "low", "concern_type": "general_distress", "recommended_action": "self_help_resources",
                      "risk_flags": [], "empathetic_opening": "Thanks, happy to help.",
                      "follow_up_question": "Anything else?"})
    result = triage(EVERYDAY, engine=ScriptedEngine([low]))
    assert result.source == "model" and result.texts["empathetic_opening"] == "model"
    assert result.empathetic_opening == "Thanks, happy to help."


def test_a_crisis_called_by_the_model_alone_is_the_reviewed_high_lane():
    queue = []
    result = triage(EVERYDAY, engine=ScriptedEngine([answer()]),
                    review=lambda r, t: queue.append(r) or len(queue))
    assert result.severity == "high" and result.needs_review and MODEL_ALONE in result.review_reasons
    assert result.review_id == 1 and queue


def test_a_supported_model_crisis_stays_a_crisis():
    result = triage("I want to kill myself, I can't do this anymore.", engine=ScriptedEngine([answer()]))
    assert result.severity == "crisis" and MODEL_ALONE not in result.review_reasons
