"""Access control: bearer tokens, roles, deny by default, revocation; denied attempts are audited."""
from __future__ import annotations

import pytest
from flask import jsonify

from backend import audit, auth, store


@pytest.fixture
def token(app):
    """`token("clinician")` -> a fresh token of that role."""
    made: dict[str, str] = {}

    def make(role: str, name: str | None = None) -> str:
        key = name or role
        if key not in made:
            with app.app_context(), store.get_store().session() as db:
                made[key] = auth.create_user(db, name or f"user-{role}", role)[1]
        return made[key]
    return make


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def audit_rows(app) -> list[dict]:
    with app.app_context(), store.get_store().session() as db:
        return [audit.as_dict(r) for r in audit.rows(db, limit=1000)]


def test_health_is_public_and_unknown_urls_are_plain_404(client):
    assert client.get("/health").status_code == 200
    assert client.get("/no-such-thing").status_code == 404
    assert client.delete("/health").status_code == 405


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer"}, {"Authorization": "Bearer tt_wrong"},
                                     {"Authorization": "Basic dXNlcjpwYXNz"}])
def test_missing_or_invalid_token_is_401_with_no_data(client, app, headers):
    from backend import denials

    response = client.get("/patients/1", headers=headers)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    with app.app_context(), store.get_store().session() as db:
        assert denials.pending(db) == 1                  # counted, written to the trail when its window closes


def test_roles_per_endpoint(client, token):
    clinician, service, admin = token("clinician"), token("service"), token("admin")
    assert client.get("/models", headers=bearer(service)).status_code == 200
    assert client.get("/models", headers=bearer(admin)).status_code == 200
    assert client.post("/chat", json={}, headers=bearer(service)).status_code == 403
    created = client.post("/patients", json={"display_name": "Role Test"}, headers=bearer(clinician))
    assert created.status_code == 201
    patient_id = created.json["id"]
    for headers in (bearer(service), bearer(admin)):
        assert client.get(f"/patients/{patient_id}", headers=headers).status_code == 403
        assert client.get(f"/patients/{patient_id}/sessions", headers=headers).status_code == 403
        assert client.get("/review-queue", headers=headers).status_code == 403
    assert client.get(f"/patients/{patient_id}", headers=bearer(clinician)).status_code == 200


def test_wrong_role_is_403_audited_and_reveals_nothing(client, app, token):
    clinician, service = token("clinician"), token("service")
    patient_id = client.post("/patients", json={"display_name": "Secret Name"}, headers=bearer(clinician)).json["id"]
    response = client.get(f"/patients/{patient_id}", headers=bearer(service))
    assert response.status_code == 403 and b"Secret Name" not in response.data
    last = audit_rows(app)[-1]
    assert (last["actor"], last["action"], last["outcome"], last["patient_id"]) == \
        ("user-service", "practice.get_patient", "forbidden", patient_id)


def test_unmarked_views_are_admin_only(settings, registry):
    from backend import create_app

    app = create_app({"SETTINGS": settings, "MODELS": registry, "TESTING": True})
    app.add_url_rule("/unmarked", "unmarked", lambda: jsonify({"secret": True}))
    with app.app_context(), store.get_store().session() as db:
        admin = auth.create_user(db, "root", "admin")[1]
        clinician = auth.create_user(db, "doc", "clinician")[1]
    client = app.test_client()
    assert client.get("/unmarked").status_code == 401
    assert client.get("/unmarked", headers=bearer(clinician)).status_code == 403
    assert client.get("/unmarked", headers=bearer(admin)).status_code == 200


def test_revoked_tokens_and_users_stop_working(client, app, token):
    clinician = token("clinician")
    assert client.get("/models", headers=bearer(clinician)).status_code == 200
    with app.app_context(), store.get_store().session() as db:
        assert auth.revoke(db, "user-clinician") == 1
    assert client.get("/models", headers=bearer(clinician)).status_code == 401


def test_tokens_are_random_and_unique(app):
    with app.app_context(), store.get_store().session() as db:
        tokens = [auth.create_user(db, f"u{i}", "service")[1] for i in range(5)]
    assert len(set(tokens)) == 5 and all(len(t) > 40 for t in tokens)


def test_bad_user_input_is_rejected(app):
    from core.errors import BadRequest, Conflict

    with app.app_context(), store.get_store().session() as db:
        auth.create_user(db, "dup", "clinician")
        with pytest.raises(Conflict):
            auth.create_user(db, "dup", "clinician")
        with pytest.raises(BadRequest):
            auth.create_user(db, "has space", "clinician")
        with pytest.raises(BadRequest):
            auth.create_user(db, "ok-name", "superuser")
    with pytest.raises(ValueError):
        auth.roles("superuser")


def test_users_cli_add_list_revoke(cli):
    added = cli("users", "add", "dr-cli", "--role", "clinician")
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]
    assert token.startswith("tt_")
    listed = cli("users", "list")
    assert "dr-cli" in listed.stdout and token not in listed.stdout
    assert cli("users", "add", "dr-cli", "--role", "clinician").returncode == 1
    assert cli("users", "add", "x", "--role", "superuser").returncode == 2
    revoked = cli("users", "revoke", "dr-cli")
    assert revoked.returncode == 0 and "Revoked 1" in revoked.stdout
    assert cli("users", "revoke", "nobody").returncode == 1


def test_a_new_token_never_silently_reactivates_a_revoked_user(cli):
    assert cli("users", "add", "dr-gone", "--role", "clinician").returncode == 0
    assert cli("users", "revoke", "dr-gone").returncode == 0
    refused = cli("users", "token", "dr-gone")
    assert refused.returncode == 2 and "reactivate" in refused.stderr and "tt_" not in refused.stdout
    assert cli("users", "reactivate", "dr-gone").returncode == 0
    again = cli("users", "token", "dr-gone")
    assert again.returncode == 0 and again.stdout.strip().startswith("tt_")


def test_a_preflight_is_not_an_access(client, app):
    before = len(audit_rows(app))
    response = client.open("/patients/1", method="OPTIONS")
    assert response.status_code == 200 and not response.get_data()
    assert len(audit_rows(app)) == before


# --- token expiry ------------------------------------------------------------------------------
def test_expired_tokens_get_the_one_401(client, app, token):
    from datetime import timedelta

    from sqlalchemy import update

    clinician = token("clinician")
    assert client.get("/models", headers=bearer(clinician)).status_code == 200
    with app.app_context(), store.get_store().transaction() as db:
        db.execute(update(store.Token).values(expires_at=store.utcnow() - timedelta(seconds=1)))
    response = client.get("/models", headers=bearer(clinician))
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
    with app.app_context(), store.get_store().session() as db:
        assert auth.user_summary(auth.find_user(db, "user-clinician"))["live_tokens"] == 0


def test_tokens_expire_after_the_configured_days(app):
    from datetime import timedelta

    with app.app_context(), store.get_store().session() as db:
        user, _ = auth.create_user(db, "short", "service", days=3)
        expires = auth.aware(user.tokens[0].expires_at)
        assert timedelta(days=3) - timedelta(minutes=1) < expires - store.utcnow() <= timedelta(days=3)
        auth.issue_token(db, user)
        db.commit()
        longest = auth.user_summary(user)["expires_at"]
        assert longest == max(auth.aware(t.expires_at) for t in user.tokens).isoformat()
        with pytest.raises(Exception):
            auth.issue_token(db, user, days=0)


def test_users_list_shows_last_use_and_expiry(cli):
    assert cli("users", "add", "dr-days", "--role", "clinician", "--days", "7").returncode == 0
    listed = cli("users", "list", env={"COLUMNS": "200"})
    assert "expires" in listed.stdout and "never" in listed.stdout and "UTC" in listed.stdout
    assert cli("users", "token", "dr-days", "--days", "0").returncode == 2


# --- counted unauthenticated denials -------------------------------------------------------------
def test_an_unauthenticated_flood_is_one_counted_row_per_source_and_window(client, app):
    import time

    from backend import denials

    for _ in range(30):
        assert client.get("/patients/1").status_code == 401
    for _ in range(5):
        client.post("/triage", json={"patient_id": 1}, headers={"Authorization": "Bearer tt_bad"},
                    environ_base={"REMOTE_ADDR": "10.0.0.9"})
    # nothing is written per request; a window the clock closed mid-test is written by the next denial
    early = sum(r["detail"]["count"] for r in audit_rows(app) if r["actor"] == "anonymous")
    with app.app_context(), store.get_store().session() as db:
        assert denials.pending(db) + early == 35
        assert denials.flush(db, window_s=60, now=time.time() + 61) >= 1
        assert denials.pending(db) == 0
        assert audit.verify(db).ok
    rows = [r for r in audit_rows(app) if r["actor"] == "anonymous"]
    per_source: dict[str, int] = {}
    for row in rows:
        assert (row["action"], row["outcome"], row["patient_id"]) == ("auth.denied", "unauthenticated", None)
        per_source[row["detail"]["source"]] = per_source.get(row["detail"]["source"], 0) + row["detail"]["count"]
    assert per_source == {"127.0.0.1": 30, "10.0.0.9": 5} and len(rows) <= 4     # 2 sources (a window edge: 4)


def test_a_closed_window_is_written_by_the_next_denial(settings):
    from backend import denials

    with store.open_store(settings).session() as db:
        for offset in (0, 1, 2):
            denials.count(db, "10.1.1.1", window_s=60, now=6000 + offset)
        assert denials.pending(db) == 3 and not audit.rows(db)
        denials.count(db, "10.2.2.2", window_s=60, now=6061)
        rows = [audit.as_dict(r) for r in audit.rows(db)]
        assert [(r["detail"]["source"], r["detail"]["count"], r["detail"]["window_s"]) for r in rows] == \
            [("10.1.1.1", 3, 60)]
        assert rows[0]["detail"]["window_start"].startswith("1970-01-01T01:40:00")
        assert denials.pending(db) == 1
