"""Model registry: name resolution, overrides written by `register`, errors."""

import pytest

from core.embedded import embedded_gguf_path
from core.engine.registry import ModelRegistry
from core.errors import ConfigError, ModelNotFound


def test_shipped_names_resolve_to_embedded_gguf(registry):
    assert {"triage", "therapy-assistant"} <= set(registry.names())
    spec = registry.resolve("triage")
    assert spec.gguf_path == embedded_gguf_path()
    assert spec.system and spec.num_ctx == 4096 and spec.parameters["temperature"] == 0


def test_registered_modelfile_overrides_shipped(settings, embedded_gguf):
    settings.registry_dir.mkdir(parents=True)
    (settings.registry_dir / "triage.Modelfile").write_text(f"FROM {embedded_gguf}\nSYSTEM trained\n")
    spec = ModelRegistry(settings).resolve("triage")
    assert spec.system == "trained" and spec.gguf_path == embedded_gguf


def test_relative_from_is_relative_to_the_modelfile(settings, embedded_gguf):
    folder = settings.registry_dir
    folder.mkdir(parents=True)
    (folder / "weights.gguf").symlink_to(embedded_gguf)
    (folder / "custom.Modelfile").write_text("FROM ./weights.gguf\n")
    assert ModelRegistry(settings).resolve("custom").gguf_path == folder / "weights.gguf"


def test_unknown_name_lists_known_names(registry):
    with pytest.raises(ModelNotFound) as err:
        registry.resolve("no-such-model")
    assert "triage" in err.value.hint


def test_missing_gguf_path(registry, tmp_path):
    with pytest.raises(ModelNotFound, match="GGUF file not found"):
        registry.resolve(str(tmp_path / "missing.gguf"))


def test_modelfile_pointing_at_missing_gguf(settings):
    settings.registry_dir.mkdir(parents=True)
    (settings.registry_dir / "broken.Modelfile").write_text("FROM /nowhere/model.gguf\n")
    rows = {r["name"]: r for r in ModelRegistry(settings).describe()}
    assert rows["broken"]["ok"] is False and "not found" in rows["broken"]["error"]


def test_ollama_only_model_cannot_load_embedded(settings):
    settings.registry_dir.mkdir(parents=True)
    (settings.registry_dir / "remote.Modelfile").write_text("FROM llama3.2:1b\n")
    registry = ModelRegistry(settings)
    assert registry.resolve("remote").gguf_path is None
    with pytest.raises(ModelNotFound, match="only Ollama"):
        registry.get("remote")


def test_unknown_engine_setting(settings):
    with pytest.raises(ConfigError, match="Unknown engine"):
        ModelRegistry(settings.with_(engine="tensorflow")).get("triage")


def test_engine_is_reused_per_name(registry):
    assert registry.get("triage") is registry.get("triage")
