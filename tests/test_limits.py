"""Rate limits: a burst over the per-token or per-address limit gets 429 with Retry-After in the one error shape;
normal use never meets them; /health is never limited; the limits are settings."""
from __future__ import annotations

import pytest

from backend import create_app
from backend.auth import create_user
from backend.store import get_store
from core.errors import ConfigError


def _app(settings, registry, **limits):
    app = create_app({"SETTINGS": settings.with_(**limits), "MODELS": registry, "TESTING": True})
    with app.app_context(), get_store().session() as db:
        tokens = [create_user(db, f"lim-{i}", "clinician")[1] for i in range(2)]
    return app, [{"Authorization": f"Bearer {t}"} for t in tokens]


def _assert_429(response) -> None:
    assert response.status_code == 429
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["code"] == "rate_limited" and body["error"]["message"]
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_burst_on_one_token_gets_429_and_other_tokens_do_not(settings, registry):
    app, (first, second) = _app(settings, registry, rate_limit_token="5/minute", rate_limit_address="")
    client = app.test_client()
    statuses = [client.get("/models", headers=first).status_code for _ in range(5)]
    assert statuses == [200] * 5
    _assert_429(client.get("/models", headers=first))
    _assert_429(client.post("/patients", json={"display_name": "Refused"}, headers=first))
    assert client.get("/models", headers=second).status_code == 200
    assert client.get("/health").status_code == 200


def test_a_burst_from_one_address_gets_429_whatever_the_token(settings, registry):
    app, (first, _) = _app(settings, registry, rate_limit_token="", rate_limit_address="4/minute")
    flood = app.test_client()
    other = app.test_client()
    env = {"REMOTE_ADDR": "127.0.0.9"}
    for i in range(4):
        assert flood.get("/models", headers={"Authorization": f"Bearer garbage-{i}"},
                         environ_base=env).status_code == 401
    _assert_429(flood.get("/models", headers={"Authorization": "Bearer garbage-x"}, environ_base=env))
    _assert_429(flood.get("/models", headers=first, environ_base=env))
    assert other.get("/models", headers=first, environ_base={"REMOTE_ADDR": "127.0.0.10"}).status_code == 200
    for _ in range(10):
        assert flood.get("/health", environ_base=env).status_code == 200


def test_normal_use_never_meets_the_default_limits(settings, registry):
    app, (clinician, _) = _app(settings, registry)
    client = app.test_client()
    patient = client.post("/patients", json={"display_name": "Busy Day"}, headers=clinician).json["id"]
    statuses = set()
    for day in range(1, 29):                      # a busy clinician's day of notes, reads and lists, quickly
        statuses.add(client.post(f"/patients/{patient}/sessions", headers=clinician,
                                 json={"date": f"2026-02-{day:02d}", "text": f"Visit {day}."}).status_code)
        statuses.add(client.get(f"/patients/{patient}", headers=clinician).status_code)
        statuses.add(client.get(f"/patients/{patient}/sessions", headers=clinician).status_code)
    assert statuses == {200, 201}


@pytest.mark.parametrize("changes", [{"rate_limit_token": "lots"}, {"rate_limit_storage": "nosuch://x"}])
def test_bad_limit_settings_are_config_errors(settings, registry, changes):
    with pytest.raises(ConfigError):
        create_app({"SETTINGS": settings.with_(**changes), "MODELS": registry, "TESTING": True})


def test_limits_come_from_the_environment():
    from core.settings import Settings

    read = Settings.from_env({"THERAPY_RATE_LIMIT_TOKEN": "2/second", "THERAPY_RATE_LIMIT_STORAGE": "redis://r:6379"})
    assert (read.rate_limit_token, read.rate_limit_storage) == ("2/second", "redis://r:6379")
