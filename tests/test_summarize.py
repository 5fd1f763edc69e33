"""Session summaries: format, word limit, sanitizer, risk floor, chunking, progression, cache; one real model run.
(Faithfulness to the note and grounded risk text: tests/test_summarize_faithful.py.)"""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from backend import store
from backend.safety.floor import evaluate
from backend.summarize.patient import NoSessions, summarize_patient
from backend.summarize.progression import Visit, progression_html, risk_trend
from backend.summarize.service import sanitize, summarize_session, trim_to_limit
from core.engine.fake import ScriptedEngine
from core.schemas import SUMMARY_MAX_WORDS, SessionSummary, severity_rank, visible_words

CALM = {"chief_complaint": "work stress", "symptoms": "poor sleep and worry", "risk": "low",
        "risk_note": "no safety concerns", "plan": "sleep diary"}
CRISIS_NOTE = "Client says \"I want to kill myself\" and has been saving up pills. Safety plan made."


def reply(**changes) -> str:
    return json.dumps({**CALM, **changes})


def echo_engine(context_length: int = 4096) -> ScriptedEngine:
    """Summarizes by echoing the first words of the notes it was given (so tests can see what it read)."""
    def answer(messages, schema):
        notes = messages[-1]["content"].split('"""')[1].split()
        return reply(chief_complaint=" ".join(notes[:6]) or "empty")
    return ScriptedEngine(answer, context_length=context_length)


def tags(fragment: str) -> set[str]:
    return {t.lower() for t in re.findall(r"</?\s*([A-Za-z0-9]+)", fragment)}


def assert_practice_format(summary_html: str) -> None:
    assert summary_html.startswith("<b>Chief Complaint:</b> ")
    assert "<b>Risk:</b> " in summary_html
    assert tags(summary_html) <= {"b", "br"}
    assert visible_words(summary_html) < 50


# --- one session -----------------------------------------------------------------------------
CALM_NOTE = "Client reports work stress. Poor sleep and worry most nights. Plan: sleep diary."


def test_summary_has_the_practice_format():
    result = summarize_session(ScriptedEngine([reply()]), CALM_NOTE, "2026-01-05")
    assert_practice_format(result.summary_html)
    # no risk statement, and the trained reading of the whole note hears distress (worry, poor sleep most nights)
    assert result.summary_html == ("<b>Chief Complaint:</b> work stress<br><b>Symptoms:</b> poor sleep and worry"
                                   "<br><b>Risk:</b> moderate - read from the note as a whole<br><b>Plan:</b> sleep diary")
    assert result.replaced == []


def test_markup_from_notes_or_model_never_comes_back_as_markup():
    evil = reply(chief_complaint='<script>alert(1)</script> <img src=x onerror=alert(2)>',
                 plan='<b onclick="x()">bold</b> <a href="javascript:x">link</a>')
    result = summarize_session(ScriptedEngine([evil]), "Client reports <script>alert(3)</script> stress at work. "
                                                       'Plan: <b onclick="x()">sleep diary</b>.')
    assert {"chief_complaint", "plan"} <= set(result.replaced)     # the model's markup is not in the note
    assert "<script" not in result.summary_html and "<img" not in result.summary_html
    assert "&lt;script&gt;" in result.summary_html
    assert tags(result.summary_html) <= {"b", "br"}
    assert "onclick" not in sanitize('<b onclick="x()">hi</b><i>x</i><br>')


def test_long_fields_are_trimmed_deterministically_under_the_limit():
    words = " ".join(f"word{i}" for i in range(40))
    long = SessionSummary.model_validate({**CALM, "chief_complaint": words[:160], "symptoms": words[:160],
                                          "plan": words[:160], "risk_note": words[:120]})
    first, trimmed = trim_to_limit(long)
    again, _ = trim_to_limit(long)
    assert trimmed and first == again
    assert visible_words(first.to_html()) <= SUMMARY_MAX_WORDS
    assert first.plan.endswith("…")


@pytest.mark.parametrize("note", [CRISIS_NOTE, "Client feels like a burden to everyone.", "Client is calm."])
def test_risk_below_the_floor_always_reaches_a_human(note):
    """The level is the note's own reading; where the floor says more (high or crisis), the session is queued."""
    result = summarize_session(ScriptedEngine([reply(risk="low")]), note)
    floor = evaluate(note).severity
    assert severity_rank(result.risk) >= severity_rank(floor) or result.needs_review
    assert result.floor_risk == floor and result.model_risk == "low"
    assert f"<b>Risk:</b> {result.risk}" in result.summary_html


def test_model_risk_is_recorded_but_the_level_comes_from_the_note():
    result = summarize_session(ScriptedEngine([reply(risk="high", risk_note="passive ideation")]), "Client is calm.")
    assert (result.model_risk, result.risk) == ("high", "low")
    assert "passive ideation" not in result.summary_html


def test_note_longer_than_the_context_is_summarized_in_chunks():
    engine = echo_engine(context_length=900)
    sentences = [f"Sentence {i} about the week and how it went for the client." for i in range(120)]
    result = summarize_session(engine, " ".join(sentences), "2026-03-01")
    assert result.chunks > 1
    prompts = [call[0][-1]["content"] for call in engine.calls]
    assert sum("part 1 of" in p for p in prompts) == 1
    assert len(engine.calls) == result.chunks + 1                     # chunks, then one reduce call
    for i in (0, 60, 119):                                            # every part of the note was read
        assert any(f"Sentence {i} " in p for p in prompts[:-1])
    assert_practice_format(result.summary_html)


def test_invalid_model_output_is_retried_then_reported():
    from core.errors import EngineError

    assert summarize_session(ScriptedEngine(["{not json", reply()]), "Client is calm.").risk == "low"
    with pytest.raises(EngineError):
        summarize_session(ScriptedEngine(["{not json"]), "Client is calm.")


# --- a patient's history ----------------------------------------------------------------------
@pytest.fixture
def db(settings):
    with store.open_store(settings).session() as session:
        yield session


def add_patient(db, notes: list[str]) -> tuple[int, list[int]]:
    patient = store.create_patient(db, "Test Person")
    ids = [store.add_session(db, patient.id, date_=date(2026, 1, 1 + i), text=n, author="t").id
           for i, n in enumerate(notes)]
    db.commit()
    return patient.id, ids


def test_cache_reuses_unchanged_sessions_and_refresh_regenerates(db):
    engine = ScriptedEngine([reply()])
    patient_id, ids = add_patient(db, ["Client reports stress.", "Client reports less stress."])
    first = summarize_patient(db, engine, patient_id, actor="t")
    assert len(engine.calls) == 2 and not any(s["cached"] for s in first["sessions"])
    second = summarize_patient(db, engine, patient_id, actor="t")
    assert len(engine.calls) == 2 and all(s["cached"] for s in second["sessions"])
    assert [s["summary_html"] for s in second["sessions"]] == [s["summary_html"] for s in first["sessions"]]
    store.add_session(db, patient_id, date_=date(2026, 2, 1), text="A new visit.", author="t")
    db.commit()
    third = summarize_patient(db, engine, patient_id, actor="t")
    assert len(engine.calls) == 3 and third["sessions_covered"] == 3
    summarize_patient(db, engine, patient_id, actor="t", refresh=True)
    assert len(engine.calls) == 6


def test_crisis_summary_needs_review_and_is_queued(db):
    patient_id, ids = add_patient(db, ["Client reports stress.", CRISIS_NOTE])
    result = summarize_patient(db, ScriptedEngine([reply(risk="low")]), patient_id, actor="t")
    assert result["needs_review"] and result["risk"] == "crisis"
    items = store.list_review_items(db)
    assert [(i.session_id, i.severity, i.kind) for i in items] == [(ids[1], "crisis", "session_summary")]
    assert CRISIS_NOTE not in json.dumps(items[0].payload)
    summarize_patient(db, ScriptedEngine([reply()]), patient_id, actor="t")     # cached: not queued twice
    assert len(store.list_review_items(db)) == 1


def test_long_history_covers_every_session(db):
    engine = echo_engine(context_length=700)
    notes = [f"Visit {i}: " + "client talked about the week at length. " * 20 for i in range(12)]
    patient_id, ids = add_patient(db, notes)
    result = summarize_patient(db, engine, patient_id, actor="t")
    assert result["sessions_covered"] == 12
    assert [s["session_id"] for s in result["sessions"]] == ids
    assert all(f"Visit {i}:" in s["summary_html"] for i, s in enumerate(result["sessions"]))
    subset = summarize_patient(db, engine, patient_id, actor="t", session_ids=ids[3:5])
    assert subset["sessions_covered"] == 2


def test_unknown_patient_sessions_and_empty_history(db):
    from core.errors import NotFound

    engine = ScriptedEngine([reply()])
    with pytest.raises(NotFound):
        summarize_patient(db, engine, 999, actor="t")
    patient_id, ids = add_patient(db, ["Client reports stress."])
    with pytest.raises(NotFound):
        summarize_patient(db, engine, patient_id, actor="t", session_ids=[ids[0], 424242])
    empty = store.create_patient(db, "Nobody Yet").id
    db.commit()
    with pytest.raises(NoSessions):
        summarize_patient(db, engine, empty, actor="t")


def test_progression_cites_sessions_and_trend(db):
    patient_id, ids = add_patient(db, ["Client reports stress, coping well.", 'Client said: "I feel like a burden."',
                                       CRISIS_NOTE])
    result = summarize_patient(db, ScriptedEngine([reply()]), patient_id, actor="t")
    html = result["progression_html"]
    assert (f"<b>Risk trend:</b> escalating: low (2026-01-01) [#{ids[0]}] → moderate (2026-01-02) [#{ids[1]}] → "
            f"crisis (2026-01-03) [#{ids[2]}]") in html
    assert f"<b>Peak risk:</b> crisis on 2026-01-03 [#{ids[2]}]" in html
    assert f"<b>Latest risk:</b> crisis on 2026-01-03 [#{ids[2]}]" in html
    for session_id in ids:
        assert f"#{session_id}" in html
    assert "suicidal thoughts [#%d]" % ids[2] in html
    assert result["trend"] == "escalating"
    assert tags(html) <= {"b", "br"}


def test_risk_trend_words():
    from backend.summarize.service import SessionResult

    def visits(*risks):
        return [Visit(i, f"2026-01-0{i + 1}", SessionResult(summary=CALM, summary_html="", risk=r, model_risk=r,
                                                            floor_risk="low")) for i, r in enumerate(risks)]
    assert risk_trend(visits("low", "high")) == "escalating"
    assert risk_trend(visits("low", "high", "high", "crisis")) == "escalating"
    assert risk_trend(visits("low", "high", "moderate", "crisis")) == "fluctuating"    # a dip goes both ways
    assert risk_trend(visits("high", "moderate")) == "improving"
    assert risk_trend(visits("crisis", "high", "moderate", "low")) == "improving"
    assert risk_trend(visits("low", "low")) == "stable"
    assert risk_trend(visits("low",)) == "stable"
    assert risk_trend(visits("moderate", "high", "moderate")) == "fluctuating"        # up and back down
    assert risk_trend(visits("low", "crisis", "low")) == "fluctuating"
    assert risk_trend(visits("low", "crisis", "low", "moderate")) == "fluctuating"    # up, then 3 levels down
    assert "[#1]" in progression_html(visits("low", "high"))
    assert "<b>Risk trend:</b> fluctuating, overall up: low" in progression_html(visits("low", "crisis", "moderate"))


# --- the real embedded model -------------------------------------------------------------------
def test_real_model_summary_is_valid_and_respects_the_floor(registry):
    engine = registry.get("therapy-assistant")
    note = ("Client reports panic attacks on the commute and poor sleep. Said: \"I have been thinking about "
            "ending my life.\" Safety plan made, crisis line given.")
    result = summarize_session(engine, note, "2026-02-17")
    assert_practice_format(result.summary_html)
    # thoughts of ending one's life without a plan, means or time are high (the floor's convention)
    assert result.risk in ("high", "crisis") and result.floor_risk in ("high", "crisis")
    assert result.risk == max(result.risk, result.floor_risk, key=["low", "moderate", "high", "crisis"].index)
    assert SessionSummary.model_validate(result.summary)


def test_concurrent_requests_for_one_patient_generate_once(settings, db):
    import threading
    import time

    def slow(messages, schema):
        time.sleep(0.2)
        return reply()
    engine = ScriptedEngine(slow)
    patient_id, ids = add_patient(db, ["Client reports stress.", "Client reports less stress."])
    opened = store.open_store(settings)
    results: list[dict] = []

    def call():
        with opened.session() as own:
            results.append(summarize_patient(own, engine, patient_id, actor="t"))
    threads = [threading.Thread(target=call) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(engine.calls) == 2 and len(results) == 3
    assert sorted(sum(s["cached"] for s in r["sessions"]) for r in results) == [0, 2, 2]
