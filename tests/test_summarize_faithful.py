"""Summaries a clinician can sign: every field supported by its note, risk from grounded evidence, the trend right."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from backend import store
from backend.safety.floor import evaluate
from backend.safety.pipeline import Pipeline
from backend.summarize import denials, evidence, faithful
from backend.summarize.patient import summarize_patient
from backend.summarize.progression import Visit, progression_html
from backend.summarize.service import SessionResult, summarize_session
from core.engine.fake import ScriptedEngine
from core.errors import BadRequest
from core.schemas import SessionSummary, severity_rank
from evaluation import faithfulness, patients, runners, scores

DEV_PATIENTS = Path(__file__).parent / "data" / "summary_dev_patients.jsonl"
ESCALATING = [
    ("Intake. Client is a 44-year-old man referred by his GP for stress after a restructuring at work. Sleeping "
     "about 6 hours, appetite normal. Drinks socially, 2-3 beers at weekends. Denies suicidal ideation, self-harm, "
     "or substance misuse. Plan: weekly CBT, sleep hygiene handout."),
    ("Client was laid off from his warehouse job two weeks ago. Reports low mood most days and drinking more (4-5 "
     "beers nightly). Denies suicidal thoughts. Plan: continue weekly, reassess mood next session."),
    ("Client reports daily thoughts of ending his life since last week. He said he checked on his father's handgun "
     "in the garage. Cannot commit to safety beyond the weekend. Plan: same-day psychiatric evaluation, means "
     "restriction discussed with sister."),
]


def reply(**fields) -> str:
    base = {"chief_complaint": "work stress", "symptoms": "low mood", "risk": "low", "risk_note": "no concerns",
            "plan": "weekly sessions"}
    return json.dumps({**base, **fields})


@pytest.fixture
def db(settings):
    with store.open_store(settings).session() as session:
        yield session


def add_patient(db, notes: list[str]) -> tuple[int, list[int]]:
    patient = store.create_patient(db, "Test Person")
    ids = [store.add_session(db, patient.id, date_=date(2026, 1, 5 + 2 * i), text=n, author="t").id
           for i, n in enumerate(notes)]
    db.commit()
    return patient.id, ids


def assert_faithful(summary: dict, note: str, must_not_say: list[str] = ()) -> None:
    checks = faithfulness.summary_checks(summary, note, list(must_not_say))
    assert not [name for name, c in checks.items() if c["unsupported"]], checks


# --- the issue's three-visit patient, on the real embedded model ------------------------------------
def test_escalating_patient_on_the_real_model_has_the_right_trend_and_no_invented_claim(db, registry):
    patient_id, ids = add_patient(db, ESCALATING)
    result = summarize_patient(db, registry.get("therapy-assistant"), patient_id, actor="t")
    assert [s["risk"] for s in result["sessions"]] == ["low", "moderate", "crisis"]
    assert result["trend"] == "escalating"
    html = result["progression_html"]
    assert "<b>Risk trend:</b> escalating: low" in html and f"<b>Peak risk:</b> crisis on 2026-01-09 [#{ids[2]}]" in html
    assert "suicidal thoughts" in html.split("Worsened")[1].split("<br>")[0]
    assert "Improved" not in html                          # nothing was asserted earlier and is gone now
    for session, note in zip(result["sessions"], ESCALATING):
        assert_faithful(SessionSummary.from_html(session["summary_html"]).model_dump(), note, ["suicidal ideation present", "SI present", "suicidal thoughts and behaviors"])
    first, second, third = (s["summary_html"] for s in result["sessions"])
    assert "<b>Risk:</b> low - denies SI/self-harm/substance misuse" in first
    assert "denies SI" in second and "crisis" not in first
    assert "thoughts of ending his life" in third and "handgun" in third


def test_a_floor_misreading_a_denial_list_is_discounted_but_still_reviewed():
    note = ESCALATING[0]                       # the floor this was written against read "self-harm" as asserted
    result = summarize_session(ScriptedEngine([reply(risk="crisis", risk_note="raised: self harm")]), note)
    assert result.risk == "low" and result.summary["risk_note"] == "denies SI/self-harm/substance misuse"
    if result.floor_risk != "low":
        assert result.discounted and result.needs_review                 # a human still sees the floor's reading
    assert "self harm" not in result.summary_html


# --- fields the note does not support are replaced ----------------------------------------------------
def test_a_denied_symptom_in_a_field_is_replaced_by_a_note_extract():
    result = summarize_session(ScriptedEngine([reply(symptoms="suicidal thoughts and low mood")]), ESCALATING[1])
    assert "symptoms" in result.replaced
    assert "suicidal" not in result.summary["symptoms"]
    assert result.summary["symptoms"] == "low mood most days and drinking more (4-5 beers nightly)"
    assert_faithful(result.summary, ESCALATING[1])


def test_the_issues_visit_two_answer_is_rewritten_from_the_note():
    answer = reply(chief_complaint="Suffering from a mental health crisis, including suicidal thoughts and behaviors",
                   risk="low", risk_note="I am not sure what is going on but I do",
                   plan="continue weekly, reassess mood next session. I have a plan")
    result = summarize_session(ScriptedEngine([answer]), ESCALATING[1])
    assert result.replaced == ["chief_complaint", "plan"]
    assert result.summary["chief_complaint"] == "Client was laid off from his warehouse job two weeks ago"
    assert result.summary["plan"] == "continue weekly, reassess mood next session"
    assert result.risk == "moderate" and "not sure" not in result.summary_html
    assert_faithful(result.summary, ESCALATING[1])


@pytest.mark.parametrize("invented", ["sertraline for low mood", "3.5% of patients reported low mood",
                                      "low mood since 2019", "low mood per Dr Jones"])
def test_invented_drugs_numbers_dates_and_names_are_replaced(invented):
    answer = reply(chief_complaint="laid off from his warehouse job", symptoms=invented, plan="continue weekly")
    result = summarize_session(ScriptedEngine([answer]), ESCALATING[1])
    assert result.replaced == ["symptoms"] and invented not in result.summary_html
    assert_faithful(result.summary, ESCALATING[1])


def test_a_plan_repeating_the_complaint_is_replaced_by_the_notes_plan():
    answer = reply(chief_complaint="daily thoughts of ending his life", symptoms="daily thoughts of ending his life",
                   plan="daily thoughts of ending his life")
    result = summarize_session(ScriptedEngine([answer]), ESCALATING[2])
    assert result.summary["chief_complaint"] == "daily thoughts of ending his life"
    assert result.summary["plan"].startswith("same-day psychiatric evaluation")
    assert {"symptoms", "plan"} <= set(result.replaced)


def test_a_supported_field_is_kept_and_nothing_is_marked_replaced():
    answer = reply(chief_complaint="laid off from his warehouse job", symptoms="low mood, drinking more",
                   plan="continue weekly, reassess mood")
    result = summarize_session(ScriptedEngine([answer]), ESCALATING[1])
    assert result.replaced == [] and result.summary["symptoms"] == "low mood, drinking more"


def test_every_chunk_summary_is_checked_before_the_reduce_call():
    def answer(messages, schema):
        return reply(chief_complaint="sertraline 900 mg daily", symptoms="suicidal ideation")
    engine = ScriptedEngine(answer, context_length=900)
    note = " ".join(f"Client reports low mood in week {i} and poor sleep. Denies suicidal ideation." for i in range(60))
    result = summarize_session(engine, note, "2026-03-01")
    assert result.chunks > 1
    reduce_prompt = engine.calls[-1][0][-1]["content"]
    assert "sertraline" not in reduce_prompt and "suicidal ideation;" not in reduce_prompt
    assert "sertraline" not in result.summary_html and "suicidal ideation" not in result.summary["symptoms"]


# --- denials and risk evidence --------------------------------------------------------------------------
@pytest.mark.parametrize("note, asserted, denied", [
    ("Pt denies SI but cut her arm last night.", ["self_harm_behavior"], ["suicidal_thoughts"]),
    ("SI/HI denied. Mood euthymic.", [], ["suicidal_thoughts", "harm_to_others"]),
    ("Said hi to the receptionist; no HI.", [], ["harm_to_others"]),
    ("No safety commitment beyond tonight.", ["no_safety"], []),
    ("Her brother attempted suicide in 2019. Denies any SI of her own.", [], ["suicidal_thoughts"]),
    ("Denies suicidal ideation, self-harm, or substance misuse.", [],
     ["suicidal_thoughts", "self_harm_behavior", "substance_use"]),
])
def test_the_denial_detector_reads_clinical_denials(note, asserted, denied):
    found = evidence.mentions(note)
    assert evidence.asserted(found) == asserted and evidence.denied_keys(found) == denied


def test_denial_scopes_stop_at_a_contrast_or_what_the_client_reports():
    text = "Denies SI, reports cutting last week"
    [scope] = denials.scopes(text)
    assert text[scope.start:scope.end].strip(" ,") == "SI"


def test_risk_text_quotes_the_note_and_states_denials_as_denials():
    third = evidence.assess(ESCALATING[2], evaluate(ESCALATING[2]))
    assert third.risk == "crisis"
    assert third.risk_note.startswith("daily thoughts of ending his life")
    assert "checked on his father's handgun" in third.risk_note and "Cannot commit to safety" in third.risk_note
    mixed = evidence.assess("Pt denies SI but cut her arm last night.", evaluate("x"))
    assert mixed.risk_note == "cut her arm last night; denies SI" and mixed.risk == "high"


def read(text: str) -> evidence.RiskEvidence:
    return evidence.assess(text, evaluate(text))


RULES_ONLY = Pipeline(without=("semantic",))     # the floor without its trained layer: no trained note reading


def rules(text: str) -> evidence.RiskEvidence:
    """The note's rule reading alone (concepts, ratings, denials, the floor's rules): an ablation, no patching."""
    return evidence.assess(text, evaluate(text, pipeline=RULES_ONLY))


def test_the_note_reading_follows_the_clinicians_rubric():
    assert rules("Passive SI: 'wouldn't mind not waking up.' Denies active SI, plan, intent.").risk == "moderate"
    assert rules("Endorses thoughts of suicide most days, no plan or intent.").risk == "high"
    assert rules("Owns a handgun, locked in a safe. Denies SI/HI.").risk == "low"      # means alone, no ideation
    assert rules("Urges to cut twice this week, resisted; used ice.").risk == "moderate"
    assert rules("Drinking 6-8 beers a night since the divorce. Denies SI.").risk == "moderate"
    assert rules("Took about 20 tablets of her sertraline last night. Vomited.").risk == "crisis"
    assert rules("Reports SI with a plan. Police called; transported to the ED for evaluation.").risk == "crisis"
    assert rules("Active SI most days; keeps a handgun at home. Denies plan or intent.").risk == "high"
    assert rules("Reports active SI, thinking about ending it with her stockpiled pills.").risk == "crisis"   # preparation
    assert rules("Strong urges to cut her thighs after the fight; used ice instead. Denies SI.").risk == "moderate"
    assert rules("Not safe to go home. Walked with client and wife to the crisis stabilization unit.").risk == "crisis"
    assert rules("EPDS = 5; item 10 (thoughts of self-harm) scored 0. Denies SI/HI.").risk == "low"
    for passive in ("Some nights I wish I could just disappear for a while.", "Says it would be easier not to be "
                    "here.", "Still voices a wish to 'not be around' on bad days.", "Once thought it'd be nice to "
                    "just not exist."):
        assert rules(f"{passive} Denies thoughts of killing herself, no plan.").risk == "moderate", passive
    assert rules("Still planning to finish it properly and has more pills at home.").risk == "crisis"
    assert rules("Took an overdose of sleeping tablets after his brother died in 1988; nothing since.").risk == "low"


def test_a_clinicians_own_rating_of_current_risk_sets_the_level_and_is_quoted():
    rated = rules("Hx of OD 2019, none since. Denies SI, HI. A: Bipolar II, remission. Low acute risk; chronic "
                 "risk elevated given past attempt.")
    assert rated.risk == "low" and rated.rated.phrase == "Low acute risk" and rated.risk_note.startswith("Low acute risk")
    assert rules("Active SI, no plan. A: High risk - SI plus firearm access.").risk == "high"
    assert rules("High risk of relapse discussed. Mood euthymic. Denies SI.").rated is None
    assert rules("Risk assessed as moderate. Took 30 pills of acetaminophen last night.").risk == "crisis"


def floor_only(text: str) -> evidence.RiskEvidence:
    """The note read with the whole floor but without the trained note reading (its scores dropped)."""
    result = evaluate(text)
    return evidence.assess(text, result.model_copy(update={"scores": {}}))


def test_a_floor_crisis_on_words_we_do_not_read_raises_the_level_unless_rated_or_plan_and_intent_denied():
    base = "She drove to the bridge last night and stood at the railing for an hour, ready to go over."
    assert evaluate(base).severity == "crisis" and floor_only(base).risk == "crisis"   # no concept of ours: the floor's
    for note in (f"{base} Denies plan or intent.", f"{base} A: Moderate risk."):
        assert floor_only(note).risk != "crisis"
        served = summarize_session(ScriptedEngine([reply()]), note)
        assert served.floor_risk == "crisis" and served.needs_review                 # a human still sees it
    known = "Reports active SI most days; keeps a handgun in the nightstand."         # read by us: SI + means is high
    assert rules(known).risk == "high" and summarize_session(ScriptedEngine([reply()]), known).needs_review


def test_history_denials_and_others_risk_are_not_read_as_current():
    assert rules("Two prior suicide attempts (2015, 2018). Denies SI.").risk == "low"
    no = rules("No prior attempts. She denied thoughts of suicide.")
    assert no.risk == "low" and set(no.denied) >= {"suicide_attempt", "suicidal_thoughts"}
    listed = rules("Session on sleep hygiene. No SI, HI or SIB reported.")
    assert listed.risk == "low" and "harm_to_others" in listed.denied and not listed.asserted
    other = rules("Pt reports her coworker attempted suicide last month. Pt denies any SI of her own.")
    assert other.risk == "low"


def test_denials_are_stated_only_in_the_notes_own_words():
    note = "Denies wish to die. No prior attempts."
    found = rules(note)
    claimed = faithfulness.field_check("risk_note", found.risk_note, note, [])
    assert found.risk == "low" and not claimed["flip"] and "denies" in found.risk_note


def test_a_cached_result_from_before_faithfulness_still_loads():
    old = {"summary": {"chief_complaint": "x"}, "summary_html": "", "risk": "low", "model_risk": "low",
           "floor_risk": "low", "floor_flags": [], "chunks": 1, "trimmed": False, "gone_field": 1}
    result = SessionResult.from_dict(old)
    assert result.replaced == [] and result.evidence == [] and not result.needs_review


def test_progression_lists_only_grounded_items_never_denied_ones():
    notes = ["Reports low mood most days. Denies SI or self-harm.", "Client reports low mood, hopeless, denies SI.",
             "Mood better. Denies low mood or hopelessness. Denies SI."]
    visits = [Visit(i + 1, f"2026-02-0{i + 1}", summarize_session(ScriptedEngine([reply()]), n))
              for i, n in enumerate(notes)]
    html = progression_html(visits)
    assert "suicidal" not in html and "self-harm" not in html
    assert "low mood (last noted [#2], denied [#3])" in html and "hopelessness (last noted [#2], denied [#3])" in html
    assert "Risk trend:</b> improving" in html


# --- evaluation: the figures the issue asks for ----------------------------------------------------------
def test_patients_file_loads_and_a_malformed_line_is_named(tmp_path):
    loaded = patients.load(DEV_PATIENTS)
    assert len(loaded) >= 6 and all(len(p.visits) >= 3 for p in loaded)
    assert {p.trend for p in loaded} == {"escalating", "improving", "stable", "fluctuating"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(DEV_PATIENTS.read_text().splitlines()[0] + "\n{\"patient\": \"x\"}\n")
    with pytest.raises(BadRequest, match="line 2"):
        patients.load(bad)
    _, items = patients.load_items(DEV_PATIENTS, limit=4)
    assert len({i["patient"] for i in items}) == 4


def test_eval_on_the_dev_patients_with_a_lying_model_finds_no_flip_in_what_is_served():
    """A model that asserts suicidal ideation, invents a drug and a number: the served summaries carry none of it."""
    lying = reply(chief_complaint="suicidal ideation and self-harm", symptoms="sertraline 50 mg, 3.5% relapse",
                  risk="low", plan="I have a plan to end my life")
    _, items = patients.load_items(DEV_PATIENTS)
    rows = runners.run_items(items, runners.summary_scorer(ScriptedEngine([lying])))
    runners.add_trends(rows)
    table = scores.scalars("summarize", rows)
    assert table["negation_flips"] == 0 and table["unsupported_claim_rate"] <= 0.02
    assert table["invented_entity_field_rate"] == 0 and table["replaced_field_rate"] > 0.5
    assert table["crisis_never_below"] == 1.0 and table["risk_within_one"] >= 0.85
    assert table["trend_accuracy"] is not None and table["trend_accuracy"] >= 0.7


def test_the_eval_checks_catch_a_flip_and_an_invention_in_raw_text():
    note = ESCALATING[1]
    flipped = faithfulness.field_check("symptoms", "suicidal thoughts, low mood", note, [])
    assert flipped["flip"] and flipped["unsupported"]
    invented = faithfulness.field_check("plan", "start sertraline 50 mg", note, [])
    assert invented["unsupported"] and "50" in invented["invented"]
    said = faithfulness.field_check("chief_complaint", "low mood", note, ["low mood"])
    assert said["flip"]
    denied_ok = faithfulness.field_check("risk_note", "low mood most days; denies SI", note, ["suicidal"])
    assert not denied_ok["unsupported"]
    wrong_denial = faithfulness.field_check("risk_note", "denies HI", note, [])
    assert wrong_denial["flip"]
    assert faithful.supported("low mood most days", faithful.Note(note))


class OneModel:
    def __init__(self, engine):
        self.engine = engine

    def get(self, name):
        return self.engine


def test_eval_stage_takes_a_patients_file_and_reports_the_figures(settings, tmp_path):
    from evaluation import evaluate

    config = evaluate.EvalConfig(task="summarize", model="therapy-assistant", patients=str(DEV_PATIENTS), limit=2,
                                 embeddings=False, n_resamples=100, out_dir=str(tmp_path / "eval"))
    outcome = evaluate.run(config, settings=settings, registry=OneModel(ScriptedEngine([reply()])))
    metrics = outcome.result["metrics"]["candidate"]
    assert outcome.result["data"]["n_items"] == 6 and metrics["trend_accuracy"] is not None
    assert metrics["negation_flips"] == 0 and metrics["unsupported_symptoms"] is not None
    rows = [json.loads(line) for line in (tmp_path / "eval" / "items.jsonl").read_text().splitlines()]
    assert all("output" not in r for r in rows) and {r["patient"] for r in rows} and all("trend" in r for r in rows)


# --- the trained reading of the whole note ---------------------------------------------------------
def test_the_trained_reading_hears_what_no_concept_lists_and_says_so_in_the_risk_text():
    distress = ("Tearful for most of the hour. Since the redundancy nothing feels worth the effort; she has stopped "
                "answering friends and barely leaves the flat. Sleeping three or four hours. Denies SI.")
    ruled, served = rules(distress), read(distress)
    assert ruled.risk == "low" and served.risk == "moderate" and served.read_whole == "moderate"
    assert served.risk_note.startswith(evidence.WHOLE_NOTE) and "denies SI" in served.risk_note
    assert not faithfulness.field_check("risk_note", served.risk_note, distress, [])["flip"]


def test_the_trained_reading_only_raises_and_its_crisis_head_needs_the_floor():
    for note in ("Routine review. Mood good, working full time, sleeping well. Denies SI/HI. Continue monthly.",
                 "Reports thoughts of suicide most days this month. Husband keeps a shotgun in the garage. No plan or "
                 "intent; agreed to a safety plan.",
                 "Client has given her dog to a neighbour, written to each of her children and set aside the tablets "
                 "for Sunday, when the house will be empty. Calm today."):
        assert severity_rank(read(note).risk) >= severity_rank(rules(note).risk), note
    calm = "Client is calm."                # "calm" is a crisis sign in messages (calm resolve), not in a note
    assert evaluate(calm).severity == "low" and read(calm).risk == "low"


def test_a_risk_that_has_gone_or_scores_zero_is_not_current():
    for note in ("Thoughts of suicide have gone since the move.", "Says the suicidal thoughts 'stopped after the ED'.",
                 "Diary card: SI 0/5 all week."):
        assert [m.polarity for m in evidence.mentions(note) if m.key == "suicidal_thoughts"] == ["denied"], note
    for note in ("SI has gone up this week.", "Suicidal thoughts stopped her from sleeping."):
        assert "suicidal_thoughts" in evidence.asserted(evidence.mentions(note)), note


def test_a_past_time_named_after_the_mention_makes_it_history():
    for note in ("She took an overdose of paracetamol in 1989 during her first marriage; none since she remarried.",
                 "Disclosed cutting her arms between ages 14 and 16, stopped after school counselling.",
                 "When I asked whether he had thoughts of suicide, he laughed it off."):
        assert rules(note).risk == "low", note
    assert rules("Reports suicidal thoughts most days since the layoff in 2024.").risk == "high"
