"""OllamaEngine against a fake Ollama HTTP server, plus one test against a real Ollama when it answers."""
import json
import os

import httpx
import pytest

from core.engine import ollama as ollama_mod
from core.engine.base import GenerationOptions
from core.engine.ollama import OllamaEngine, ollama_models
from core.engine.registry import ModelRegistry
from core.errors import ContextOverflow, EngineUnavailable, ModelNotFound
from core.schemas import TriageAssessment, json_schema
from tests.fake_ollama import FakeOllama

VALID = {"severity": "low", "concern_type": "anxiety", "recommended_action": "self_help_resources",
         "risk_flags": ["anxiety_symptoms"], "empathetic_opening": "Exams can feel like a lot at once.",
         "follow_up_question": "What usually helps you unwind?"}


@pytest.fixture(autouse=True)
def _fresh_tags_cache():
    ollama_mod._TAGS_CACHE.clear()
    yield
    ollama_mod._TAGS_CACHE.clear()


def answer(req):
    return json.dumps(VALID) if req.get("format") else "Hello from the fake."


def test_generate_passes_num_ctx_format_and_system(settings):
    with FakeOllama(["triage"], answer) as fake:
        registry = ModelRegistry(settings.with_(engine="ollama", ollama_host=fake.host))
        engine = registry.get("triage")
        assert isinstance(engine, OllamaEngine)
        reply = engine.generate([{"role": "user", "content": "exams next week"}],
                                schema=json_schema(TriageAssessment))
        TriageAssessment.model_validate_json(reply.text)
        path, req = fake.requests[-1]
        assert path == "/api/chat" and req["stream"] is False
        assert req["options"]["num_ctx"] == 4096 and req["options"]["temperature"] == 0
        assert req["format"]["properties"]["severity"]["enum"] == ["low", "moderate", "high", "crisis"]
        assert req["messages"][0]["role"] == "system" and "triage" in req["messages"][0]["content"]
        assert reply.engine == "ollama" and reply.tokens_in == 42


def test_auto_uses_ollama_only_when_it_has_the_model(settings):
    with FakeOllama(["therapy-assistant"]) as fake:
        registry = ModelRegistry(settings.with_(engine="auto", ollama_host=fake.host))
        assert registry.get("therapy-assistant").name == "ollama"
        assert registry.get("triage").name == "llama.cpp"


def test_auto_without_ollama_is_embedded_and_quiet(settings):
    registry = ModelRegistry(settings.with_(engine="auto", ollama_host="http://127.0.0.1:9"))
    assert registry.get("triage").name == "llama.cpp"
    assert ollama_models("http://127.0.0.1:9") == set()


def test_stream(settings):
    with FakeOllama(["therapy-assistant"]) as fake:
        engine = ModelRegistry(settings.with_(engine="ollama", ollama_host=fake.host)).get("therapy-assistant")
        assert "".join(engine.stream([{"role": "user", "content": "hi"}])).split() == ["Hello", "from", "the", "fake."]


def test_unknown_model_is_model_not_found(settings):
    with FakeOllama(["other"]) as fake:
        engine = ModelRegistry(settings.with_(engine="ollama", ollama_host=fake.host)).get("triage")
        with pytest.raises(ModelNotFound, match="no model 'triage'"):
            engine.generate([{"role": "user", "content": "hi"}])


def test_unreachable_ollama_is_engine_unavailable(settings):
    engine = ModelRegistry(settings.with_(engine="ollama", ollama_host="http://127.0.0.1:9")).get("triage")
    with pytest.raises(EngineUnavailable):
        engine.generate([{"role": "user", "content": "hi"}])


def test_prompt_longer_than_num_ctx_is_refused_before_sending(settings):
    with FakeOllama(["triage"]) as fake:
        engine = ModelRegistry(settings.with_(engine="ollama", ollama_host=fake.host)).get("triage")
        with pytest.raises(ContextOverflow):
            engine.generate([{"role": "user", "content": "word " * 6000}])
        assert not [r for r in fake.requests if r[0] == "/api/chat"]


def test_truncation_reported_by_ollama_is_an_error(settings):
    with FakeOllama(["triage"], prompt_eval_count=lambda req: req["options"]["num_ctx"]) as fake:
        engine = ModelRegistry(settings.with_(engine="ollama", ollama_host=fake.host)).get("triage")
        with pytest.raises(ContextOverflow, match="truncated"):
            engine.generate([{"role": "user", "content": "hi"}])


def test_token_count_uses_local_vocabulary(settings):
    with FakeOllama(["triage"]) as fake:
        engine = ModelRegistry(settings.with_(engine="ollama", ollama_host=fake.host)).get("triage")
        assert engine.count_tokens("hello") == 1


def _real_ollama() -> str | None:
    host = os.environ.get("OLLAMA_HOST")
    if not host:
        return None
    host = host if host.startswith("http") else f"http://{host}"
    try:
        httpx.get(f"{host}/api/tags", timeout=1).raise_for_status()
        return host
    except httpx.HTTPError:
        return None


@pytest.mark.ollama
@pytest.mark.skipif(_real_ollama() is None, reason="no Ollama answers at OLLAMA_HOST")
def test_real_ollama_chat(settings):
    host = _real_ollama()
    names = ollama_models(host)
    model = next((n for n in ("therapy-assistant", "smollm2:135m") if n in names), None)
    if model is None:
        pytest.skip("real Ollama has neither therapy-assistant nor smollm2:135m")
    registry = ModelRegistry(settings.with_(engine="ollama", ollama_host=host))
    reply = registry.get(model).generate([{"role": "user", "content": "Say hi."}],
                                         options=GenerationOptions(max_tokens=16))
    assert reply.text and reply.engine == "ollama"
