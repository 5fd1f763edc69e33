"""Training runs on a tiny real Llama: trains, writes adapter + manifest, skips unchanged, resumes, fails clearly."""
from __future__ import annotations

import json

import pytest
from transformers import TrainerCallback

from core.errors import ConfigError, ModelNotFound, ValidationFailed
from tests.training_fixtures import (
    chat_records,
    prepare_home,
    summarize_records,
    tiny_llama_dir,
    triage_records,
    write_jsonl,
)
from training.config import preset
from training.data import to_examples
from training.train import TrainingFailed, run


@pytest.fixture(scope="module")
def tiny(pytestconfig):
    return tiny_llama_dir(pytestconfig)


def tiny_cfg(tiny, **kw):
    base = dict(task="chat", base_model=str(tiny), batch_size=2, epochs=2, max_steps=0, max_length=128,
                logging_steps=1, evals_per_epoch=1)
    return preset("cpu-lora", **{**base, **kw})


class StopAt(TrainerCallback):
    """Simulates Ctrl-C at a given step."""

    def __init__(self, step: int):
        self.step = step

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step == self.step:
            raise KeyboardInterrupt


def test_train_writes_adapter_and_manifest_then_skips(tiny, settings):
    prepare_home(settings.home, "chat")
    result = run(tiny_cfg(tiny), settings, show_progress=False)
    m = result.metrics
    assert not result.skipped and m["steps"] == 12 and m["val_loss_history"] and m["tokens_per_s"] > 0
    assert m["best_checkpoint"].startswith("checkpoint-") and m["val_loss"] > 0
    assert (result.adapter_dir / "adapter_model.safetensors").is_file()
    body = json.loads((result.run_dir / "manifest.json").read_text())
    assert body["status"] == "complete" and body["versions"]["trl"] and len(body["inputs"]) == 2
    again = run(tiny_cfg(tiny), settings, show_progress=False)
    assert again.skipped and again.metrics == json.loads(json.dumps(m))


def test_interrupted_run_resumes_from_last_checkpoint(tiny, settings):
    prepare_home(settings.home, "chat")
    with pytest.raises(TrainingFailed, match="interrupted at step 8") as info:
        run(tiny_cfg(tiny), settings, show_progress=False, callbacks=[StopAt(8)])
    assert "resume" in info.value.hint
    run_dir = settings.runs_dir / "chat-cpu-lora"
    assert not (run_dir / "manifest.json").exists() and not (run_dir / "adapter").exists()
    result = run(tiny_cfg(tiny), settings, show_progress=False)
    assert result.metrics["resumed_from"] == "checkpoint-6" and result.metrics["steps"] == 12


def test_completion_is_the_pydantic_json_and_system_is_the_modelfiles():
    from core.engine.registry import ModelRegistry
    from core.schemas import SessionSummary

    system = ModelRegistry().resolve("therapy-assistant").system
    ex = to_examples("summarize", summarize_records(1), system, "t")[0]
    assert ex["prompt"][0] == {"role": "system", "content": system}
    SessionSummary.model_validate_json(ex["completion"][0]["content"])
    assert ex["prompt"][1]["content"].startswith("Summarize this therapy session")


def test_triage_examples_use_the_served_prompt():
    prompt = pytest.importorskip("core.prompts")
    ex = to_examples("triage", triage_records(1), "SYS", "t")[0]
    assert ex["prompt"][1:] == prompt.build_messages(triage_records(1)[0]["text"])
    assert json.loads(ex["completion"][0]["content"])["severity"] == "crisis"


def test_wrong_data_format_names_the_record(tiny, settings):
    folder = prepare_home(settings.home, "summarize")
    rows = summarize_records(3)
    del rows[1]["summary_html"]
    write_jsonl(folder / "train.jsonl", rows)
    with pytest.raises(ValidationFailed, match="record s1 has no field 'summary_html'"):
        run(tiny_cfg(tiny, task="summarize"), settings, show_progress=False)
    write_jsonl(folder / "train.jsonl", chat_records(2))
    with pytest.raises(ValidationFailed, match="record c0"):
        run(tiny_cfg(tiny, task="summarize"), settings, show_progress=False)


def test_missing_data_and_base_model_are_clear(tiny, settings):
    with pytest.raises(ConfigError, match="data prepare"):
        run(tiny_cfg(tiny), settings)
    prepare_home(settings.home, "chat")
    with pytest.raises(ModelNotFound, match="nothing is downloaded"):
        run(tiny_cfg(tiny, base_model="/nonexistent/model"), settings)


def test_cuda_without_gpu_is_a_clear_error(tiny, settings):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    prepare_home(settings.home, "chat")
    with pytest.raises(ConfigError, match="cpu-lora"):
        run(preset("gpu-qlora", task="chat", base_model=str(tiny)), settings)
