"""Training config: presets, file/CLI loading, validation and the pure PEFT/TRL/bitsandbytes builders (no GPU)."""
from __future__ import annotations

import pytest

from core.errors import ConfigError
from training.config import (
    ALL_PROJECTIONS,
    build_bnb_config,
    build_lora_config,
    build_sft_config,
    load,
    parse_overrides,
    preset,
    sft_kwargs,
    total_steps,
)


def test_gpu_qlora_is_the_model_card_recipe():
    cfg = preset("gpu-qlora")
    kw = sft_kwargs(cfg, "/out", n_train=1000)
    assert (cfg.lora.r, cfg.lora.alpha, cfg.lora.dropout) == (16, 32, 0.05)
    assert cfg.lora.target_modules == ALL_PROJECTIONS
    assert kw["learning_rate"] == 2e-4 and kw["lr_scheduler_type"] == "cosine" and kw["num_train_epochs"] == 3
    assert kw["per_device_train_batch_size"] == 2 and kw["gradient_accumulation_steps"] == 8
    assert kw["max_length"] == 1024 and kw["activation_checkpointing"] and not kw["packing"]
    assert kw["bf16"] and not kw["use_cpu"] and kw["completion_only_loss"]
    assert kw["train_sampling_strategy"] == "group_by_length"          # fewer pad tokens per batch
    assert sft_kwargs(preset("gpu-qlora", packing=True), "/out", 1000)["train_sampling_strategy"] == "random"
    steps = total_steps(cfg, 1000)[1]                     # 63 per epoch x 3
    assert steps == 189 and kw["warmup_steps"] == round(0.03 * steps)


def test_bnb_config_is_nf4_double_quant_bf16():
    import torch

    bnb = build_bnb_config(preset("gpu-qlora"))
    assert bnb.load_in_4bit and bnb.bnb_4bit_quant_type == "nf4" and bnb.bnb_4bit_use_double_quant
    assert bnb.bnb_4bit_compute_dtype == torch.bfloat16
    assert build_bnb_config(preset("cpu-lora")) is None


def test_lora_config_targets_all_projections():
    lora = build_lora_config(preset("cpu-lora", **{"lora.r": 4}))
    assert lora.r == 4 and set(lora.target_modules) == set(ALL_PROJECTIONS) and lora.task_type == "CAUSAL_LM"


def test_cpu_sft_config_builds_and_evaluates_each_epoch():
    cfg = preset("cpu-lora")
    args = build_sft_config(cfg, "/tmp/out", n_train=80)   # 20 steps per epoch, 2 epochs
    assert args.use_cpu and not args.bf16 and args.max_steps == 40
    assert args.eval_steps == 10 and args.save_steps == 10 and args.load_best_model_at_end
    assert args.metric_for_best_model == "eval_loss" and args.seed == 42


def test_max_steps_caps_the_run():
    assert total_steps(preset("cpu-lora", max_steps=7, epochs=5), 400) == (100, 7)


def test_config_files_and_overrides(tmp_path):
    (tmp_path / "a.toml").write_text('preset = "cpu-lora"\nlearning_rate = 1e-4\n[lora]\nr = 4\n')
    (tmp_path / "b.yaml").write_text("lora:\n  alpha: 64\nmax_length: 256\n")
    (tmp_path / "c.json").write_text('{"epochs": 5}')
    assert load(tmp_path / "a.toml").lora.r == 4
    cfg = load(tmp_path / "b.yaml", overrides=parse_overrides(["lora.r=2", "lora.target_modules=q_proj,v_proj"]))
    assert (cfg.lora.alpha, cfg.lora.r, cfg.max_length) == (64, 2, 256)
    assert cfg.lora.target_modules == ("q_proj", "v_proj")
    assert load(tmp_path / "c.json").epochs == 5


@pytest.mark.parametrize("bad, message", [
    ({"nope": 1}, "Unknown training setting"), ({"epochs": "many"}, "must be int"),
    ({"task": "poetry"}, "task must be one of"), ({"load_in_4bit": True}, "needs device=cuda"),
    ({"lora.r": 0}, "lora.r"),
])
def test_bad_settings_are_clear_errors(bad, message):
    with pytest.raises(ConfigError, match=message):
        preset("cpu-lora", **bad)


def test_bad_files_and_pairs(tmp_path):
    (tmp_path / "x.toml").write_text("lora = [")
    with pytest.raises(ConfigError, match="not valid toml"):
        load(tmp_path / "x.toml")
    with pytest.raises(ConfigError, match="key=value"):
        parse_overrides(["lora.r"])
    with pytest.raises(ConfigError, match="Unknown preset"):
        preset("tpu")
