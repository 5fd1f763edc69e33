"""`build` end to end on a tiny real Llama: prepare shipped data -> train both -> convert+verify -> register."""
from __future__ import annotations

import pytest

from tests.training_fixtures import require_llama_tools, tiny_llama_dir


@pytest.mark.slow
def test_build_end_to_end_then_everything_is_skipped(pytestconfig, settings):
    require_llama_tools()
    from core.engine.registry import ModelRegistry
    from pipeline.build import BuildConfig, run

    tiny = tiny_llama_dir(pytestconfig)
    cfg = BuildConfig(overrides={"base_model": str(tiny), "max_steps": 2, "batch_size": 2, "max_val_records": 8},
                      ollama=False)
    first = run(cfg, settings, log=lambda s: None)
    stages = {s["stage"]: s for s in first.stages}
    assert [s["skipped"] for s in first.stages] == [False] * len(first.stages)
    assert stages["train triage"]["steps"] == 2 and set(first.registered) == {"triage", "therapy-assistant"}
    registry = ModelRegistry(settings)
    for name in ("triage", "therapy-assistant"):
        spec = registry.resolve(name)
        assert spec.gguf_path.name == f"{name}-q4_k_m.gguf" and spec.system
    again = run(cfg, settings, log=lambda s: None)
    assert all(s["skipped"] for s in again.stages)
