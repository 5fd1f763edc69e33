"""ENGINES: one table picks the runtime for the registry and for eval's bare weights (Ollama faked over HTTP)."""
import pytest

from core.engine import ollama as ollama_mod
from core.engine.base import ModelSpec
from core.engine.choice import ENGINES, choose
from core.engine.registry import ModelRegistry
from core.errors import ConfigError
from tests.fake_ollama import FakeOllama

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
