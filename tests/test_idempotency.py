"""Idempotency-Key on creates: a retry replays the first answer, another body with the same key is 422, keys are
per user, failures are not kept, keys expire after 24 hours, and concurrent retries create once."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import update

from backend import auth, store
from backend.store.models import IdempotencyKey, Patient, TherapySession, utcnow


@pytest.fixture
def tokens(app):
    with app.app_context(), store.get_store().session() as db:
        return {name: {"Authorization": f"Bearer {auth.create_user(db, name, 'clinician')[1]}"}
                for name in ("dr-a", "dr-b")}


def count(app, model) -> int:
    with app.app_context(), store.get_store().session() as db:
        return db.query(model).count()


def post_patient(client, headers, key, name="Pat Retry"):
    return client.post("/patients", json={"display_name": name}, headers={**headers, "Idempotency-Key": key})


def test_a_retried_create_replays_the_first_answer(client, app, tokens):
    first = post_patient(client, tokens["dr-a"], "k-1")
    again = post_patient(client, tokens["dr-a"], "k-1")
    assert first.status_code == again.status_code == 201 and first.json == again.json
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert count(app, Patient) == 1
    patient_id = first.json["id"]
    body = {"date": "2026-01-05", "text": "Client reports stress."}
    sessions = [client.post(f"/patients/{patient_id}/sessions", json=body,
                            headers={**tokens["dr-a"], "Idempotency-Key": "s-1"}) for _ in range(3)]
    assert {s.status_code for s in sessions} == {201} and len({s.json["id"] for s in sessions}) == 1
    assert count(app, TherapySession) == 1
    with app.app_context(), store.get_store().session() as db:
        from backend import audit
        rows = [audit.as_dict(r) for r in audit.rows(db, limit=3)]
    assert [(r["action"], r["outcome"], r["patient_id"]) for r in rows] == [
        ("session.create", "ok", patient_id), ("session.create", "replayed", patient_id),
        ("session.create", "replayed", patient_id)]


def test_the_same_key_with_another_body_or_route_is_422(client, app, tokens):
    assert post_patient(client, tokens["dr-a"], "k-2").status_code == 201
    other = post_patient(client, tokens["dr-a"], "k-2", name="Someone Else")
    assert other.status_code == 422 and other.json["error"]["code"] == "validation_error"
    patient_id = count(app, Patient)
    session = client.post(f"/patients/{patient_id}/sessions", json={"date": "2026-01-05", "text": "x"},
                          headers={**tokens["dr-a"], "Idempotency-Key": "k-2"})
    assert session.status_code == 422 and count(app, TherapySession) == 0
    assert count(app, Patient) == 1


def test_keys_are_per_user_and_failures_are_not_kept(client, app, tokens):
    assert post_patient(client, tokens["dr-a"], "shared").status_code == 201
    assert post_patient(client, tokens["dr-b"], "shared").status_code == 201
    assert count(app, Patient) == 2
    bad = client.post("/patients", json={"display_name": ""}, headers={**tokens["dr-a"], "Idempotency-Key": "k-3"})
    assert bad.status_code == 422
    assert post_patient(client, tokens["dr-a"], "k-3").status_code == 201 and count(app, Patient) == 3


@pytest.mark.parametrize("key", ["", "has space", "x" * 201, "naïve"])
def test_malformed_keys_are_400(client, tokens, key):
    response = post_patient(client, tokens["dr-a"], key)
    assert response.status_code == 400 and response.json["error"]["code"] == "bad_request"


def test_keys_expire_after_a_day(client, app, tokens):
    assert post_patient(client, tokens["dr-a"], "k-4").status_code == 201
    with app.app_context(), store.get_store().transaction() as db:
        db.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=25)))
    again = post_patient(client, tokens["dr-a"], "k-4")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers and count(app, Patient) == 2
    with app.app_context(), store.get_store().session() as db:
        assert db.query(IdempotencyKey).count() == 1          # the expired key was purged


def test_a_replay_does_not_outlive_access_to_the_patient(client, app, tokens):
    patient_id = post_patient(client, tokens["dr-a"], "k-5").json["id"]
    with app.app_context(), store.get_store().session() as db:
        store.queries.unassign(db, patient_id, auth.find_user(db, "dr-a").id)
        db.commit()
    response = post_patient(client, tokens["dr-a"], "k-5")
    assert response.status_code == 404 and b"Pat Retry" not in response.data


def test_concurrent_retries_create_once(app, tokens):
    barrier, answers = threading.Barrier(4), []

    def send() -> None:
        client = app.test_client()
        barrier.wait()
        answers.append(post_patient(client, tokens["dr-a"], "k-race"))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [a.status_code for a in answers] == [201] * 4
    assert len({a.json["id"] for a in answers}) == 1 and count(app, Patient) == 1
