"""`build` end to end on a tiny real Llama: prepare shipped data -> train both -> convert+verify -> register."""
from __future__ import annotations

import pytest

from tests.training_fixtures import tiny_llama_dir


@pytest.mark.slow
def test_build_end_to_end_then_everything_is_skipped(pytestconfig, settings):
    pytest.importorskip("llama_cpp")
    from backend.engine.registry import ModelRegistry
    from convert.tools import ToolsUnavailable, llama_tools
    from pipeline.build import BuildConfig, run

    try:
        llama_tools(download=False)
    except ToolsUnavailable:
        pytest.skip("llama.cpp converter not set up (scripts/fetch_llama_tools.sh)")
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
