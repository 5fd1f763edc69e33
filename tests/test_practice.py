"""Practice routes and CLI twins: patients, sessions, /summarize-sessions, review queue, errors, demo."""
from __future__ import annotations

import json

import pytest

from backend import auth, store
from core.engine.fake import ScriptedEngine
from core.errors import EngineUnavailable

SUMMARY = json.dumps({"chief_complaint": "work stress", "symptoms": "poor sleep", "risk": "low",
                      "risk_note": "no concerns", "plan": "sleep diary"})
CRISIS_NOTE = "Client said \"I want to kill myself\" and has been saving up pills."


class OneModel:
    """A registry-shaped holder for one engine, as create_app accepts for MODELS."""

    def __init__(self, engine):
        self.engine = engine

    def get(self, name):
        return self.engine

    def names(self):
        return ["therapy-assistant"]


@pytest.fixture
def engine():
    return ScriptedEngine([SUMMARY])


@pytest.fixture
def app(settings, engine):
    from backend import create_app

    return create_app({"SETTINGS": settings, "MODELS": OneModel(engine), "TESTING": True})


@pytest.fixture
def headers(app):
    with app.app_context(), store.get_store().session() as db:
        clinician = auth.create_user(db, "dr-test", "clinician")[1]
        service = auth.create_user(db, "frontend", "service")[1]
    return {"clinician": {"Authorization": f"Bearer {clinician}"},
            "service": {"Authorization": f"Bearer {service}"}}


@pytest.fixture
def patient(client, app, headers):
    """A patient of dr-test's, with two sessions, the front end on its care team; returns (id, [session ids])."""
    h = headers["clinician"]
    patient_id = client.post("/patients", json={"display_name": "Pat Example"}, headers=h).json["id"]
    ids = [client.post(f"/patients/{patient_id}/sessions", json={"date": d, "text": t}, headers=h).json["id"]
           for d, t in (("2026-01-05", "Client reports stress at work."), ("2026-01-19", CRISIS_NOTE))]
    assign(app, patient_id, "frontend")
    return patient_id, ids


def assign(app, patient_id: int, user: str) -> None:
    with app.app_context(), store.get_store().session() as db:
        store.queries.assign(db, patient_id, auth.find_user(db, user).id)
        db.commit()


def session_count(app) -> int:
    with app.app_context(), store.get_store().session() as db:
        return db.query(store.TherapySession).count()


def test_patient_and_session_routes(client, headers, patient):
    patient_id, ids = patient
    h = headers["clinician"]
    got = client.get(f"/patients/{patient_id}", headers=h).json
    assert got["display_name"] == "Pat Example" and got["session_count"] == 2
    assert "text" not in got["sessions"][0]
    sessions = client.get(f"/patients/{patient_id}/sessions", headers=h).json["sessions"]
    assert [s["id"] for s in sessions] == ids and sessions[1]["text"] == CRISIS_NOTE
    assert sessions[0]["author"] == "dr-test" and sessions[0]["kind"] == "notes"
    assert got["care_team"] == ["dr-test", "frontend"]


def test_a_session_author_is_the_tokens_user_never_the_clients(client, app, headers, patient):
    patient_id, _ = patient
    sent = client.post(f"/patients/{patient_id}/sessions", json={"date": "2026-02-01", "text": "x", "author": "dr-x"},
                       headers=headers["clinician"])
    assert sent.status_code == 422 and session_count(app) == 2
    sessions = client.get(f"/patients/{patient_id}/sessions", headers=headers["clinician"]).json["sessions"]
    assert {s["author"] for s in sessions} == {"dr-test"}


def test_summarize_sessions_answer(client, headers, patient, engine):
    patient_id, ids = patient
    response = client.post("/summarize-sessions", json={"patient_id": patient_id}, headers=headers["service"])
    assert response.status_code == 200
    body = response.json
    assert {"patient_id", "sessions", "progression_html", "risk", "needs_review", "sessions_covered", "model",
            "generated_at"} <= set(body)
    assert [s["session_id"] for s in body["sessions"]] == ids
    assert {"session_id", "date", "summary_html", "risk"} <= set(body["sessions"][0])
    assert body["sessions"][1]["risk"] == "crisis" and body["risk"] == "crisis" and body["needs_review"]
    assert body["sessions_covered"] == 2 and body["model"] == "therapy-assistant"
    again = client.post("/summarize-sessions", json={"patient_id": patient_id, "session_ids": [ids[0]]},
                        headers=headers["service"]).json
    assert again["sessions_covered"] == 1 and again["sessions"][0]["cached"] and len(engine.calls) == 2
    client.post("/summarize-sessions", json={"patient_id": patient_id, "refresh": True}, headers=headers["service"])
    assert len(engine.calls) == 4


def test_review_queue_routes(client, headers, patient):
    patient_id, ids = patient
    h = headers["clinician"]
    client.post("/summarize-sessions", json={"patient_id": patient_id}, headers=h)
    items = client.get("/review-queue", headers=h).json["items"]
    assert [(i["session_id"], i["severity"]) for i in items] == [(ids[1], "crisis")]
    resolved = client.post(f"/review-queue/{items[0]['id']}/resolve", json={"note": "called client"}, headers=h)
    assert resolved.status_code == 200 and resolved.json["status"] == "resolved"
    assert client.post(f"/review-queue/{items[0]['id']}/resolve", headers=h).status_code == 409
    assert client.post("/review-queue/999/resolve", headers=h).status_code == 404
    assert client.get("/review-queue", headers=h).json["items"] == []
    assert len(client.get("/review-queue?status=all", headers=h).json["items"]) == 1
    assert client.get("/review-queue?status=bogus", headers=h).status_code == 400


@pytest.mark.parametrize("body,status", [
    ({"patient_id": 999}, 404),
    ({"patient_id": "1"}, 422),
    ({"patient_id": 1, "refresh": "yes"}, 422),
    ({"patient_id": 1, "session_ids": ["a"]}, 422),
    ({"patient_id": 1, "extra": True}, 422),
    ({}, 422),
    ([1, 2], 400),
])
def test_summarize_body_errors(client, headers, patient, body, status):
    response = client.post("/summarize-sessions", json=body, headers=headers["service"])
    assert response.status_code == status
    assert set(response.json["error"]) >= {"code", "message"}


def test_summarize_error_cases(client, headers, patient):
    patient_id, ids = patient
    h = headers["clinician"]
    bad_json = client.post("/summarize-sessions", data="{", headers={**h, "Content-Type": "application/json"})
    assert bad_json.status_code == 400
    assert client.post("/summarize-sessions", data="patient_id=1", headers=h).status_code == 400
    other = client.post("/patients", json={"display_name": "No Visits"}, headers=h).json["id"]
    assert client.post("/summarize-sessions", json={"patient_id": other}, headers=headers["service"]).status_code == 404
    empty = client.post("/summarize-sessions", json={"patient_id": other}, headers=h)
    assert empty.status_code == 409 and empty.json["error"]["code"] == "no_sessions"
    foreign = client.post("/summarize-sessions", json={"patient_id": other, "session_ids": ids}, headers=h)
    assert foreign.status_code == 404
    assert client.post("/summarize-sessions", json={"patient_id": patient_id}).status_code == 401


@pytest.mark.parametrize("body", [
    {"date": "2026-02-30", "text": "x"}, {"date": "05/01/2026", "text": "x"}, {"date": "2026-01-01", "text": "  "},
    {"date": "2026-01-01", "text": "x", "kind": "email"}, {"date": "2026-01-01"}, {"text": "x"},
    {"date": "2026-01-01", "text": "x", "surprise": 1}, {"date": 20260101, "text": "x"},
])
def test_bad_session_bodies_write_nothing(client, app, headers, patient, body):
    patient_id, _ = patient
    response = client.post(f"/patients/{patient_id}/sessions", json=body, headers=headers["clinician"])
    assert response.status_code in (400, 422)
    assert session_count(app) == 2


def test_unknown_patient_is_404(client, headers):
    h = headers["clinician"]
    assert client.get("/patients/77", headers=h).status_code == 404
    assert client.get("/patients/77/sessions", headers=h).status_code == 404
    assert client.post("/patients/77/sessions", json={"date": "2026-01-01", "text": "x"}, headers=h).status_code == 404
    assert client.post("/patients", json={"display_name": ""}, headers=h).status_code == 422


def test_engine_failure_writes_nothing_and_is_audited(settings, client, app, headers, patient, engine):
    from backend import audit

    patient_id, _ = patient
    engine._replies = [EngineUnavailable("engine is down")]
    response = client.post("/summarize-sessions", json={"patient_id": patient_id}, headers=headers["service"])
    assert response.status_code == 503
    with app.app_context(), store.get_store().session() as db:
        assert db.query(store.SummaryCache).count() == 0 and db.query(store.ReviewItem).count() == 0
        last = audit.as_dict(audit.rows(db, limit=1)[0])
        assert (last["action"], last["outcome"], last["patient_id"]) == ("summarize", "engine_unavailable", patient_id)
        assert audit.verify(db).ok
    assert session_count(app) == 2


# --- demo --------------------------------------------------------------------------------------
def test_demo_practice_is_separate_and_its_curl_example_works(settings, engine):
    from backend import create_app
    from backend.demo import DEMO_PATIENTS, prepare_demo

    info = prepare_demo(settings)
    again = prepare_demo(settings)
    assert info.created and not again.created and again.patients == len(DEMO_PATIENTS)
    assert info.settings.db_url.endswith("/demo.db") and info.tokens["demo-clinician"] != again.tokens["demo-clinician"]
    assert info.password == again.password        # a second `demo` does not sign the browser out
    production = store.open_store(settings)
    with production.session() as db:
        assert db.query(store.Patient).count() == 0 and db.query(store.User).count() == 0
    assert all("FICTIONAL" in name for name, _ in DEMO_PATIENTS)
    client = create_app({"SETTINGS": info.settings, "MODELS": OneModel(engine), "TESTING": True}).test_client()
    response = client.post("/summarize-sessions", json={"patient_id": 1},
                           headers={"Authorization": f"Bearer {info.tokens['demo-clinician']}"})
    body = response.json
    assert response.status_code == 200 and body["sessions_covered"] == len(DEMO_PATIENTS[0][1])
    assert [s["risk"] for s in body["sessions"]] == ["low", "moderate", "high", "crisis"]
    assert body["needs_review"] and "escalating" in body["progression_html"] and body["trend"] == "escalating"


# --- CLI twins (the real embedded model for `summarize`) ----------------------------------------------
def add_cli_session(cli, tmp_path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Client reports exam stress and poor sleep. No safety concerns. Plan: sleep diary.")
    assert "Added patient 1" in cli("patients", "add", "Cli Person").stdout
    added = cli("sessions", "add", "1", "--file", str(note), "--date", "2026-03-02")
    assert added.returncode == 0 and "Added session 1" in added.stdout
    assert cli("sessions", "add", "1", "--file", str(note), "--date", "March 2").returncode == 2
    assert cli("sessions", "add", "5", "--file", str(note), "--date", "2026-03-02").returncode == 1
    assert cli("sessions", "add", "1", "--file", str(tmp_path / "missing.txt"), "--date", "2026-03-02").returncode == 2
    assert "Cli Person" in cli("patients", "list").stdout


def test_cli_patients_and_sessions(cli, tmp_path):
    add_cli_session(cli, tmp_path)
    listed = cli("sessions", "list", "1", "--text")
    assert listed.returncode == 0 and "exam stress" in listed.stdout


@pytest.mark.slow
def test_cli_summarize_with_the_embedded_model(cli, tmp_path):
    add_cli_session(cli, tmp_path)
    result = cli("summarize", "1", "--json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["sessions_covered"] == 1 and body["sessions"][0]["summary_html"].startswith("<b>Chief Complaint:</b>")
    assert cli("summarize", "9").returncode == 1
