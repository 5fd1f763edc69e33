"""Least privilege, role x route x own/other patient: care teams, the same 404 for absent and not-yours, the admin
surface, THERAPY_ACCESS=practice, and every /triage audited."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from backend import audit, auth, create_app, store
from core.engine.fake import ScriptedEngine

TRIAGE = {"concern_type": "stress", "risk_flags": [], "severity": "low", "recommended_action": "self_care_resources",
          "empathetic_opening": "That sounds like a lot.", "follow_up_question": "What has helped before?"}
SUMMARY = {"chief_complaint": "work stress", "symptoms": "poor sleep", "risk": "low", "risk_note": "no concerns",
           "plan": "sleep diary"}
CALLERS = ("anonymous", "admin", "dr-a", "svc-a")
ABSENT = 999


def _answer(messages, schema) -> str:
    return json.dumps(TRIAGE if "severity" in (schema or {}).get("properties", {}) else SUMMARY)


class Models:
    def __init__(self):
        self.engine = ScriptedEngine(_answer)

    def get(self, name):
        return self.engine

    def names(self):
        return ["therapy-assistant", "triage"]


@dataclass
class Practice:
    """dr-a's patient `own` (svc-a on its team), dr-b's patient `other`, a session and an open review item each."""

    client: object
    app: object
    tokens: dict[str, str]
    own: int = 0
    other: int = 0
    items: dict[int, list[int]] = field(default_factory=dict)

    def headers(self, caller: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[caller]}"} if caller in self.tokens else {}

    def review_item(self, patient_id: int | None) -> int:
        with self.app.app_context(), store.get_store().session() as db:
            return store.add_review_item(db, kind="summary", severity="high", reason="test", payload={},
                                         patient_id=patient_id)


def make_practice(settings, **changes) -> Practice:
    app = create_app({"SETTINGS": settings.with_(**changes), "MODELS": Models(), "TESTING": True})
    with app.app_context(), store.get_store().session() as db:
        tokens = {name: auth.create_user(db, name, role)[1]
                  for name, role in (("admin", "admin"), ("dr-a", "clinician"), ("dr-b", "clinician"),
                                     ("svc-a", "service"), ("svc-b", "service"))}
    practice = Practice(app.test_client(), app, tokens)
    for attr, doctor in (("own", "dr-a"), ("other", "dr-b")):
        patient_id = practice.client.post("/patients", json={"display_name": f"Patient of {doctor}"},
                                          headers=practice.headers(doctor)).json["id"]
        practice.client.post(f"/patients/{patient_id}/sessions", json={"date": "2026-01-05", "text": "Stress."},
                             headers=practice.headers(doctor))
        setattr(practice, attr, patient_id)
    assert practice.client.post(f"/admin/patients/{practice.own}/clinicians", json={"user": "svc-a"},
                                headers=practice.headers("admin")).status_code == 201
    return practice


@pytest.fixture
def practice(settings) -> Practice:
    return make_practice(settings)


def call(practice: Practice, route: str, caller: str, patient_id: int):
    client, headers = practice.client, practice.headers(caller)
    if route == "patient":
        return client.get(f"/patients/{patient_id}", headers=headers)
    if route == "sessions":
        return client.get(f"/patients/{patient_id}/sessions", headers=headers)
    if route == "add_session":
        return client.post(f"/patients/{patient_id}/sessions", json={"date": "2026-02-01", "text": "x"},
                           headers=headers)
    if route == "summarize":
        return client.post("/summarize-sessions", json={"patient_id": patient_id}, headers=headers)
    if route == "triage":
        return client.post("/triage", json={"text": "Work is hard.", "patient_id": patient_id}, headers=headers)
    if route == "resolve":
        item = 99999 if patient_id == ABSENT else practice.review_item(patient_id)
        return client.post(f"/review-queue/{item}/resolve", headers=headers)
    if route == "care_team":
        return client.get(f"/admin/patients/{patient_id}/clinicians", headers=headers)
    raise AssertionError(route)


# Which roles each route admits (others: 403 from the role alone), and the status for the caller's own patient.
ROUTES = {"patient": (("clinician",), 200), "sessions": (("clinician",), 200), "add_session": (("clinician",), 201),
          "summarize": (("clinician", "service"), 200), "triage": (("clinician", "service"), 200),
          "resolve": (("clinician",), 200), "care_team": (("admin",), 200)}
ROLE = {"anonymous": None, "admin": "admin", "dr-a": "clinician", "svc-a": "service"}


def expected(route: str, caller: str, whose: str) -> int:
    admitted, ok = ROUTES[route]
    if ROLE[caller] is None:
        return 401
    if ROLE[caller] not in admitted:
        return 403
    if ROLE[caller] == "admin":                    # admins manage every patient's team, but not absent ones
        return 404 if whose == "absent" else ok
    return ok if whose == "own" else 404


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_access_matrix(practice, route):
    for caller in CALLERS:
        for whose in ("own", "other", "absent"):
            patient_id = {"own": practice.own, "other": practice.other, "absent": ABSENT}[whose]
            response = call(practice, route, caller, patient_id)
            assert response.status_code == expected(route, caller, whose), (route, caller, whose, response.json)
            if response.status_code == 404 and route not in ("resolve", "care_team"):
                # not-yours and absent answer alike: nothing tells them apart
                assert response.json == {"error": {"code": "not_found", "message": f"No patient with id {patient_id}."}}
            if response.status_code >= 400:
                assert b"Patient of" not in response.data


def test_not_yours_and_absent_review_items_answer_alike(practice):
    theirs, gone = practice.review_item(practice.other), 12345
    answers = [practice.client.post(f"/review-queue/{i}/resolve", headers=practice.headers("dr-a"))
               for i in (theirs, gone)]
    assert [a.status_code for a in answers] == [404, 404]
    assert [a.json["error"]["message"] for a in answers] == [f"No review item with id {theirs}.",
                                                             f"No review item with id {gone}."]


def test_the_review_queue_shows_only_the_callers_patients_and_unrouted_items(practice):
    mine, theirs, unrouted = (practice.review_item(p) for p in (practice.own, practice.other, None))
    listed = practice.client.get("/review-queue", headers=practice.headers("dr-a")).json["items"]
    assert [i["id"] for i in listed] == [mine, unrouted]
    other = practice.client.get("/review-queue", headers=practice.headers("dr-b")).json["items"]
    assert [i["id"] for i in other] == [theirs, unrouted]


def test_practice_mode_lets_every_clinician_and_service_see_every_patient(settings):
    practice = make_practice(settings, access="practice")
    for route in ("patient", "summarize", "triage", "resolve"):
        assert call(practice, route, "dr-a", practice.other).status_code == 200, route
        assert call(practice, route, "dr-a", ABSENT).status_code == 404, route
    assert call(practice, "summarize", "svc-a", practice.other).status_code == 200
    assert call(practice, "patient", "admin", practice.other).status_code == 403
    items = [practice.review_item(p) for p in (practice.own, practice.other)]
    listed = practice.client.get("/review-queue", headers=practice.headers("dr-b")).json["items"]
    assert [i["id"] for i in listed] == items


def test_an_unknown_access_mode_refuses_to_start(settings):
    from core.errors import ConfigError

    with pytest.raises(ConfigError):
        create_app({"SETTINGS": settings.with_(access="everyone"), "MODELS": Models(), "TESTING": True})


def test_admin_surface_users_and_care_teams(practice):
    client, admin = practice.client, practice.headers("admin")
    users = {u["name"]: u for u in client.get("/admin/users", headers=admin).json["users"]}
    assert set(users) == {"admin", "dr-a", "dr-b", "svc-a", "svc-b"} and users["dr-a"]["live_tokens"] == 1
    assert users["dr-a"]["last_used_at"] and users["dr-a"]["expires_at"] and "token" not in users["dr-a"]
    made = client.post("/admin/users", json={"name": "dr-c", "role": "clinician", "days": 7}, headers=admin)
    assert made.status_code == 201 and made.json["token"].startswith("tt_")
    assert client.post("/admin/users", json={"name": "dr-c", "role": "clinician"}, headers=admin).status_code == 409
    assert client.post("/admin/users", json={"name": "x", "role": "root"}, headers=admin).status_code == 422
    dr_c = {"Authorization": f"Bearer {made.json['token']}"}
    assert client.get(f"/patients/{practice.own}", headers=dr_c).status_code == 404
    team = client.post(f"/admin/patients/{practice.own}/clinicians", json={"user": "dr-c"}, headers=admin)
    assert team.status_code == 201 and [m["name"] for m in team.json["care_team"]] == ["dr-a", "svc-a", "dr-c"]
    again = client.post(f"/admin/patients/{practice.own}/clinicians", json={"user": "dr-c"}, headers=admin)
    assert again.status_code == 200 and again.json["assigned"] is False
    assert client.get(f"/patients/{practice.own}", headers=dr_c).status_code == 200
    gone = client.delete(f"/admin/patients/{practice.own}/clinicians/{made.json['id']}", headers=admin)
    assert gone.status_code == 200 and gone.json["unassigned"] is True
    assert client.get(f"/patients/{practice.own}", headers=dr_c).status_code == 404
    for body, status in (({"user": "admin"}, 400), ({"user": "nobody"}, 404), ({"user": 3}, 422)):
        assert client.post(f"/admin/patients/{practice.own}/clinicians", json=body, headers=admin).status_code == status
    revoked = client.post(f"/admin/users/{made.json['id']}/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.json["active"] is False
    assert client.get("/models", headers=dr_c).status_code == 401
    for caller in ("dr-a", "svc-a"):
        assert client.get("/admin/users", headers=practice.headers(caller)).status_code == 403


def test_every_triage_is_audited_naming_only_patients_the_caller_may_see(practice):
    client, doctor = practice.client, practice.headers("dr-a")
    assert client.post("/triage", json={"text": "Work is hard."}, headers=doctor).status_code == 200
    assert client.post("/triage", json={"text": "Work is hard.", "patient_id": practice.own},
                       headers=doctor).status_code == 200
    assert client.post("/triage", json={"text": "Work is hard.", "patient_id": practice.other},
                       headers=doctor).status_code == 404
    assert client.post("/triage", json={"text": 5}, headers=doctor).status_code == 422
    with practice.app.app_context(), store.get_store().session() as db:
        rows = [audit.as_dict(r) for r in audit.rows(db, limit=4, actor="dr-a")]
    assert [(r["action"], r["outcome"], r["patient_id"]) for r in rows] == [
        ("triage", "ok", None), ("triage", "ok", practice.own), ("triage", "not_found", None),
        ("triage", "validation_error", None)]
    assert "Work is hard" not in repr(rows)


def test_a_summary_denied_for_a_body_patient_names_no_patient(practice):
    response = practice.client.post("/summarize-sessions", json={"patient_id": practice.other},
                                    headers=practice.headers("svc-a"))
    assert response.status_code == 404
    with practice.app.app_context(), store.get_store().session() as db:
        last = audit.as_dict(audit.rows(db, limit=1)[0])
    assert (last["actor"], last["outcome"], last["patient_id"]) == ("svc-a", "not_found", None)


def test_cli_assign_and_unassign(cli):
    assert cli("users", "add", "dr-cli", "--role", "clinician").returncode == 0
    assert cli("users", "add", "root", "--role", "admin").returncode == 0
    assert cli("patients", "add", "Cli Patient", "--assign", "dr-cli").returncode == 0
    assert "dr-cli" in cli("patients", "list").stdout
    assert "already" in cli("patients", "assign", "1", "dr-cli").stdout
    assert cli("patients", "assign", "1", "root").returncode == 2
    assert cli("patients", "assign", "9", "dr-cli").returncode == 1
    removed = cli("patients", "unassign", "1", "dr-cli")
    assert removed.returncode == 0 and "no longer" in removed.stdout
    assert "dr-cli" not in cli("patients", "list").stdout.split("Cli Patient")[1]
