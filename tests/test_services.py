"""TriageService and Summarizer: built once, the served result next to the model's own answer."""
import json

from backend.safety.resources import load_resources
from backend.summarize.service import Summarizer, summarize_session
from backend.triage.retrieval import default_library
from backend.triage.service import TriageConfig, TriageService, triage
from core.engine.fake import ScriptedEngine
from core.errors import ModelNotFound
from core.schemas import SessionSummary
from evaluation import runners
from tests.test_triage import ANXIOUS, CRISIS, answer


class Models:
    """A registry-like collaborator: `get(name)` returns the engine, or raises what it was given."""

    def __init__(self, engine):
        self.engine, self.asked = engine, []

    def get(self, name):
        self.asked.append(name)
        if isinstance(self.engine, Exception):
            raise self.engine
        return self.engine


def test_the_service_serves_what_triage_serves_and_keeps_the_model_answer(settings):
    service = TriageService.from_settings(settings, Models(ScriptedEngine([answer()])))
    outcome = service.assess(ANXIOUS)
    expected = triage(ANXIOUS, engine=ScriptedEngine([answer()]), config=TriageConfig.from_settings(settings))
    drop = {"latency_ms"}
    assert outcome.result.model_dump(exclude=drop) == expected.model_dump(exclude=drop)
    assert outcome.assessment.model_dump() == json.loads(answer()) and outcome.raw == answer()
    assert service.models.asked == ["triage"]


def test_a_floor_answer_has_no_model_assessment_but_keeps_the_raw_reply(settings):
    bad = answer(severity="severe")
    outcome = TriageService.from_settings(settings, engine=ScriptedEngine(["{not json", bad])).assess(CRISIS)
    assert outcome.result.source == "floor" and outcome.assessment is None and outcome.raw == bad
    down = TriageService.from_settings(settings, Models(ModelNotFound("no triage model"))).assess(ANXIOUS)
    assert down.result.engine_error == "model_not_found" and down.assessment is None and down.raw is None
    floor_only = TriageService.from_settings(settings, model_name=None).assess(ANXIOUS)
    assert floor_only.result.engine_error == "engine_unavailable" and floor_only.result.attempts == 0


def test_crises_go_to_the_review_writer_with_the_patient(settings):
    written = []
    writer = lambda result, text, patient_id: written.append((result.severity, text, patient_id)) or 41  # noqa: E731
    service = TriageService.from_settings(settings, engine=ScriptedEngine([answer()]), review=writer)
    assert service.triage(CRISIS, patient_id=7).review_id == 41 and service.triage(ANXIOUS).review_id is None
    assert written == [("crisis", CRISIS, 7)]


def test_raw_is_the_last_reply_even_when_the_re_asked_answer_is_dropped(settings):
    invalid = answer(follow_up_question="no question mark")
    service = TriageService(config=TriageConfig(logprob_threshold=0.0), resources=load_resources(),
                            library=default_library(), engine=ScriptedEngine([answer(), invalid]))
    outcome = service.assess("I get panic attacks, my heart races and I can't breathe.")
    assert outcome.result.retrieval and outcome.result.source == "model"
    assert outcome.assessment.model_dump() == json.loads(answer()) and outcome.raw == invalid


SUMMARY = SessionSummary(chief_complaint="low mood", symptoms="poor sleep", risk="low",
                         risk_note="no ideation reported", plan="weekly CBT").model_dump_json()
GOODBYES = "Client disclosed she wrote goodbye letters and gave away her things."


def test_the_summarizer_serves_what_summarize_session_serves(settings):
    summarizer = Summarizer(Models(ScriptedEngine([SUMMARY])))
    outcome = summarizer.summarize(GOODBYES, "2026-01-05")
    assert outcome.served == summarize_session(ScriptedEngine([SUMMARY]), GOODBYES, "2026-01-05")
    assert outcome.model.risk == "low" and outcome.model.risk_note == "no ideation reported"
    assert outcome.served.risk == "crisis"
    assert outcome.served.summary["risk_note"] == "wrote goodbye letters; gave away her things"   # quoted evidence
    assert summarizer.models.asked == ["therapy-assistant"]


def test_eval_scores_the_summary_the_api_serves_risk_note_included():
    rows = runners.summary_rows([{"id": "s", "session": GOODBYES, "risk": "crisis"}], ScriptedEngine([SUMMARY]))
    served = summarize_session(ScriptedEngine([SUMMARY]), GOODBYES)
    assert rows[0]["output"] == served.summary_html and "crisis - wrote goodbye letters" in rows[0]["output"]
    assert (rows[0]["model_risk"], rows[0]["risk"]) == ("low", "crisis")
