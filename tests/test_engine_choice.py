"""ENGINES: one table picks the runtime for the registry and for eval's bare weights (Ollama faked over HTTP)."""
import json

import pytest

from core.engine import ollama as ollama_mod
from core.engine.base import ModelSpec
from core.engine.choice import ENGINES, choose
from core.engine.ollama import OllamaEngine
from core.engine.registry import ModelRegistry
from core.errors import ConfigError, ModelNotFound
from evaluation import evaluate, runners
from tests.fake_ollama import FakeOllama
from tests.test_eval_runners import TRIAGE_ITEMS, assessment, write_jsonl

LOCAL = ModelSpec(name="local", source="x.gguf", gguf_path=None, ollama_name="local")
DOWN = "http://127.0.0.1:9"


@pytest.fixture(autouse=True)
def _fresh_tags_cache():
    ollama_mod._TAGS_CACHE.clear()
    yield
    ollama_mod._TAGS_CACHE.clear()


def test_auto_takes_the_first_engine_that_can_serve(settings, embedded_gguf):
    with_weights = ModelSpec(name="triage", source="x", gguf_path=embedded_gguf, ollama_name="triage")
    with FakeOllama(["triage"]) as fake:
        auto = settings.with_(engine="auto", ollama_host=fake.host)
        assert choose(with_weights, auto).key == "ollama"
        assert choose(LOCAL, auto).key == "llamacpp"               # Ollama lacks it, and it has no GGUF: last
    assert choose(with_weights, settings.with_(engine="auto", ollama_host=DOWN)).label == "llama.cpp"
    assert [kind.key for kind in ENGINES] == ["ollama", "llamacpp"]


def test_a_forced_engine_is_used_without_asking_ollama_and_unknown_is_a_config_error(settings):
    forced = settings.with_(engine="ollama", ollama_host=DOWN)
    assert choose(LOCAL, forced).label == "ollama" and choose(LOCAL, settings).label == "llama.cpp"
    assert ollama_mod._TAGS_CACHE == {}                             # never probed
    with pytest.raises(ConfigError, match="Unknown engine"):
        choose(LOCAL, settings.with_(engine="tensorflow"))


def test_describe_plans_with_the_same_table(settings):
    with FakeOllama(["therapy-assistant"]) as fake:
        rows = {r["name"]: r for r in ModelRegistry(settings.with_(engine="auto", ollama_host=fake.host)).describe()}
    assert rows["therapy-assistant"]["engine"] == "ollama" and rows["triage"]["engine"] == "llama.cpp"


def test_open_engine_serves_a_name_only_ollama_has_with_the_task_prompt(settings):
    with FakeOllama(["my-triage"]) as fake:
        auto = settings.with_(engine="auto", ollama_host=fake.host)
        registry = ModelRegistry(auto)
        engine = runners.open_engine(registry, "my-triage", "triage", auto)
        assert isinstance(engine, OllamaEngine) and engine.model_name == "my-triage"
        assert engine.spec.system == registry.resolve("triage").system and engine.spec.gguf_path is None
        with pytest.raises(ModelNotFound, match="Unknown model 'nobody-has-it'"):
            runners.open_engine(registry, "nobody-has-it", "triage", auto)


def test_eval_runs_against_an_ollama_served_model(settings, tmp_path):
    def answer(req):
        text = next(m["content"] for m in req["messages"] if m["role"] == "user")
        return json.loads(assessment("crisis", "suicidal_ideation", "emergency_services", ["goodbye_message"])
                          if "goodbye" in text else assessment("moderate", "burnout"))

    data = write_jsonl(tmp_path / "triage.jsonl", TRIAGE_ITEMS)
    with FakeOllama(["my-triage"], lambda req: json.dumps(answer(req))) as fake:
        auto = settings.with_(engine="auto", ollama_host=fake.host)
        config = evaluate.EvalConfig(task="triage", model="my-triage", data=str(data), limit=2, n_resamples=50,
                                     out_dir=str(tmp_path / "run"))
        outcome = evaluate.run(config, settings=auto, registry=ModelRegistry(auto))
        chats = [req for path, req in fake.requests if path == "/api/chat"]
    result = outcome.result
    assert result["served_by"]["candidate"]["engine"] == "ollama" and result["data"]["n_items"] == 2
    assert result["metrics"]["candidate"]["schema_validity"] == 1.0 and result["errors"]["candidate"] == 0
    assert len(chats) == 2 and all(req["model"] == "my-triage" and req["format"] for req in chats)
