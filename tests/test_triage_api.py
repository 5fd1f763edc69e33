"""POST /triage: auth, input limits, engine-down answers, and crisis results in the review queue."""
import json

import pytest

from backend import create_app
from core.engine.fake import ScriptedEngine
from core.errors import EngineUnavailable, ModelNotFound


class Models:
    """A registry-like collaborator: `get("triage")` returns the engine, or raises what it was given."""

    def __init__(self, engine):
        self.engine = engine

    def get(self, name):
        if isinstance(self.engine, Exception):
            raise self.engine
        return self.engine


LOW = json.dumps({"severity": "low", "concern_type": "burnout", "recommended_action": "self_help_resources",
                  "risk_flags": ["work_stress"], "empathetic_opening": "That sounds exhausting to carry.",
                  "follow_up_question": "How are you sleeping?"})


def make_client(settings, engine):
    app = create_app({"SETTINGS": settings, "MODELS": Models(engine), "TESTING": True})
    from backend.auth import create_user
    from backend.store import get_store

    with app.app_context():
        with get_store().session() as db:
            tokens = {role: create_user(db, f"t-{role}", role)[1] for role in ("clinician", "service", "admin")}
    return app, app.test_client(), {r: {"Authorization": f"Bearer {t}"} for r, t in tokens.items()}


@pytest.fixture
def down(settings):
    return make_client(settings, ScriptedEngine([EngineUnavailable("engine stopped")]))


def test_needs_a_clinician_or_service_token(settings):
    app, client, auth = make_client(settings, ScriptedEngine([LOW]))
    assert client.post("/triage", json={"text": "hi there"}).status_code == 401
    assert client.post("/triage", json={"text": "hi there"}, headers=auth["service"]).status_code == 200
    reply = client.post("/triage", json={"text": "Work is draining me."}, headers=auth["clinician"])
    body = reply.get_json()
    assert reply.status_code == 200 and body["severity"] == "low" and body["source"] == "model"
    assert body["engine"] == "scripted" and body["needs_review"] is False


@pytest.mark.parametrize("payload,status", [
    ({"text": ""}, 400), ({"text": "   "}, 400), ({"text": 12}, 422), ({"text": None}, 422),
    ({"text": "hello", "severity": "low"}, 422), ({}, 422), ({"text": "x" * 8001}, 413),
    ({"text": "hello", "patient_id": "7"}, 422),
])
def test_bad_bodies_are_clear_4xx(down, payload, status):
    _, client, auth = down
    reply = client.post("/triage", json=payload, headers=auth["clinician"])
    assert reply.status_code == status and "error" in reply.get_json()


def test_not_json_is_400(down):
    _, client, auth = down
    reply = client.post("/triage", data="text=hi", headers=auth["clinician"])
    assert reply.status_code == 400


def test_engine_down_still_answers_and_queues_crises_with_resources(down):
    app, client, auth = down
    text = "I wrote letters to my family and I'm going to jump off the bridge tonight."
    reply = client.post("/triage", json={"text": text}, headers=auth["clinician"])
    body = reply.get_json()
    assert reply.status_code == 200 and body["needs_review"] and body["source"] == "floor"
    assert body["severity"] == "crisis" and body["engine_error"] == "engine_unavailable"
    contacts = [r["contact"] for r in body["resources"]]
    assert "Call or text 988" in contacts and "Text HOME to 741741" in contacts
    assert any("911" in c for c in contacts) and any("988lifeline.org" in c for c in contacts)
    from backend.store import get_store, list_review_items

    with app.app_context():
        with get_store().session() as db:
            items = list_review_items(db)
            assert [i.id for i in items] == [body["review_id"]]
            assert items[0].severity == "crisis" and items[0].kind == "triage"
            assert items[0].payload["result"]["resources"] == body["resources"]


def test_unregistered_model_answers_from_the_floor(settings):
    _, client, auth = make_client(settings, ModelNotFound("no triage model"))
    body = client.post("/triage", json={"text": "I feel a bit low today."}, headers=auth["clinician"]).get_json()
    assert body["source"] == "floor" and body["needs_review"] and body["engine_error"] == "model_not_found"


def test_non_crisis_results_are_not_queued_and_unknown_patients_404(settings):
    app, client, auth = make_client(settings, ScriptedEngine([LOW]))
    assert client.post("/triage", json={"text": "Work is draining me."}, headers=auth["clinician"]).status_code == 200
    reply = client.post("/triage", json={"text": "Work is draining me.", "patient_id": 999},
                        headers=auth["clinician"])
    assert reply.status_code == 404
    from backend.store import get_store, list_review_items

    with app.app_context():
        with get_store().session() as db:
            assert list_review_items(db) == []
