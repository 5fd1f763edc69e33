"""`build` end to end on a tiny real Llama: prepare shipped data -> train both -> convert+verify -> gate -> promote."""
from __future__ import annotations

import pytest

from tests.training_fixtures import require_llama_tools, tiny_llama_dir


@pytest.mark.slow
def test_build_end_to_end_then_everything_is_skipped(pytestconfig, settings):
    require_llama_tools()
    from core.engine.registry import ModelRegistry
    from modelfiles import versions
    from pipeline.build import BuildConfig, run
    from pipeline.gate import GateConfig

    tiny = tiny_llama_dir(pytestconfig)
    # A random 2-layer model is no better than the embedded base: the gate evaluates it (4 test items per
    # model) and the promotion is forced, which the version records.
    cfg = BuildConfig(overrides={"base_model": str(tiny), "max_steps": 2, "batch_size": 2, "max_val_records": 8},
                      ollama=False, gate=GateConfig(limit=4, n_resamples=50), force_promote=True)
    promoted: list[tuple[str, str]] = []
    first = run(cfg, settings, log=lambda s: None, on_promote=lambda m, e: promoted.append((m, e["version"])))
    assert promoted == [("triage", "v1"), ("therapy-assistant", "v1")]      # told as each one lands
    stages = {s["stage"]: s for s in first.stages}
    assert [s["skipped"] for s in first.stages] == [False] * len(first.stages)
    assert stages["train triage"]["steps"] == 2 and set(first.registered) == {"triage", "therapy-assistant"}
    registry = ModelRegistry(settings)
    for name in ("triage", "therapy-assistant"):
        spec = registry.resolve(name)
        assert spec.gguf_path.name == f"{name}-q4_k_m.gguf" and spec.system
        assert registry.served()[name]["version"] == "v1"
        (kept,) = versions.history(settings, name)
        assert kept["how"] in {"gate", "forced"} and kept["run"] == stages[f"train {name}"]["run"]
        assert (settings.models_dir / name / "v1" / "eval.json").is_file()
    again = run(cfg, settings, log=lambda s: None)
    assert all(s["skipped"] for s in again.stages)
