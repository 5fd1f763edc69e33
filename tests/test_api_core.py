"""Core HTTP routes: /health, /models, /chat and the one JSON error shape."""
import json

import pytest


def error_of(response):
    body = response.get_json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    return body["error"]


def test_health(client):
    body = client.get("/health").get_json()
    assert body["status"] == "ok" and "triage" in body["models"] and body["version"]


def test_models(client, auth):
    rows = client.get("/models", headers=auth("clinician")).get_json()["models"]
    assert {r["name"] for r in rows} >= {"triage", "therapy-assistant"}
    assert all(r["ok"] and r["size_bytes"] > 1_000_000 for r in rows if r["name"] in {"triage", "therapy-assistant"})


def test_chat_answers_from_embedded_model(client, auth):
    response = client.post("/chat", headers=auth("clinician"), json={
        "model": "therapy-assistant", "messages": [{"role": "user", "content": "Say hello."}],
        "options": {"max_tokens": 16, "temperature": 0}})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["message"]["role"] == "assistant" and body["message"]["content"]
    assert body["engine"] == "llama.cpp" and body["usage"]["tokens_out"] > 0


@pytest.mark.parametrize("kwargs, status, code", [
    ({"data": "{not json", "content_type": "application/json"}, 400, "bad_request"),
    ({"data": "hello", "content_type": "text/plain"}, 400, "bad_request"),
    ({"json": []}, 400, "bad_request"),
    ({"json": {"messages": []}}, 422, "validation_error"),
    ({"json": {"messages": [{"role": "robot", "content": "x"}]}}, 422, "validation_error"),
    ({"json": {"messages": [{"role": "user", "content": 5}]}}, 422, "validation_error"),
    ({"json": {"messages": [{"role": "user", "content": "x"}], "surprise": 1}}, 422, "validation_error"),
    ({"json": {"messages": [{"role": "user", "content": "x"}], "options": {"max_tokens": -1}}}, 422,
     "validation_error"),
    ({"json": {"model": "nope", "messages": [{"role": "user", "content": "x"}]}}, 404, "model_not_found"),
])
def test_chat_bad_input(client, auth, kwargs, status, code):
    response = client.post("/chat", headers=auth("clinician"), **kwargs)
    assert response.status_code == status
    assert error_of(response)["code"] == code


def test_oversized_body_is_413(client, auth, settings):
    big = json.dumps({"messages": [{"role": "user", "content": "x" * (settings.max_body_bytes + 10)}]})
    response = client.post("/chat", headers=auth("clinician"), data=big, content_type="application/json")
    assert response.status_code == 413 and error_of(response)["code"] == "payload_too_large"


def test_context_overflow_is_422(client, auth):
    response = client.post("/chat", headers=auth("clinician"),
                           json={"messages": [{"role": "user", "content": "feel " * 6000}]})
    assert response.status_code == 422 and error_of(response)["code"] == "context_overflow"


def test_unknown_route_and_method(client):
    assert error_of(client.get("/nope"))["code"] == "not_found"
    response = client.get("/chat")
    assert response.status_code in (401, 405)


def test_models_and_chat_need_a_token(client):
    assert error_of(client.get("/models"))["code"] == "unauthorized"
    response = client.post("/chat", json={"messages": [{"role": "user", "content": "hi"}]},
                           headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401


def test_service_role_may_not_chat(client, auth):
    response = client.post("/chat", headers=auth("service"), json={"messages": [{"role": "user", "content": "hi"}]})
    assert response.status_code == 403 and error_of(response)["code"] == "forbidden"


def test_chat_carries_the_crisis_floor_and_resources(client, auth):
    calm = client.post("/chat", headers=auth("clinician"), json={
        "messages": [{"role": "user", "content": "What is a good breathing exercise?"}], "options": {"max_tokens": 8}})
    assert calm.get_json()["safety"] == {"severity": "low", "lane": "none", "needs_review": False, "rules": [],
                                         "resources": []}
    crisis = client.post("/chat", headers=auth("clinician"), json={
        "messages": [{"role": "user", "content": "I have the pills ready and I am going to kill myself tonight."}],
        "options": {"max_tokens": 8}}).get_json()["safety"]
    assert crisis["severity"] == "crisis" and crisis["rules"]
    assert any("988" in r["contact"] for r in crisis["resources"])
