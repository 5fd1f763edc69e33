"""run(TrainConfig) -> TrainResult: LoRA/QLoRA supervised fine-tuning with TRL, resumable, with a manifest."""
from __future__ import annotations

import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tasks
from core import manifest
from core.errors import ConfigError, ToolkitError
from core.manifest import sha256
from core.settings import Settings
from training.config import TrainConfig, build_bnb_config, build_lora_config, build_sft_config, to_dict
from training.data import load_split, read_jsonl, system_prompt, to_examples
from training.quiet import quiet


class TrainingFailed(ToolkitError):
    code, exit_code = "training_failed", 1


@dataclass
class TrainResult:
    run_dir: Path
    adapter_dir: Path
    base_dir: Path
    skipped: bool = False
    metrics: dict[str, Any] = field(default_factory=dict)


def run_dir_for(cfg: TrainConfig, settings: Settings) -> Path:
    return settings.runs_dir / (cfg.run_name or f"{cfg.task}-{cfg.preset}")


def run(cfg: TrainConfig, settings: Settings | None = None, *, force: bool = False,
        show_progress: bool = True, console=None, callbacks: list | None = None, report=None) -> TrainResult:
    """Fine-tune cfg.base_model on the prepared data; skipped when inputs+config+versions are unchanged."""
    settings = settings or Settings.from_env()
    device = _check_device(cfg)
    run_dir = run_dir_for(cfg, settings)
    data_dir = Path(cfg.data_dir) if cfg.data_dir else settings.data_dir / "prepared" / cfg.task
    inputs = {str(p): sha256(p) for p in _input_files(cfg, data_dir)}    # hashed once, before training
    key = manifest.fingerprint(inputs, to_dict(cfg), manifest.versions(manifest.TRAINING_LIBRARIES))
    done = None if force else manifest.unchanged(run_dir / "manifest.json", key)
    if done:
        return TrainResult(run_dir, run_dir / "adapter", Path(done["base_dir"]), True, done["metrics"])
    if force:  # a forced run starts from step 0, not from the last checkpoint
        shutil.rmtree(run_dir / "checkpoints", ignore_errors=True)
    from training.base import resolve_base

    quiet()                                   # before the base model is loaded (its loading bars too)
    base_dir = resolve_base(cfg.base_model, settings.models_dir)
    train_ex, val_ex = _examples(cfg, data_dir)
    progress = _progress(cfg, show_progress, console, report)
    return _train(cfg, device, run_dir, base_dir, train_ex, val_ex, key, inputs, [progress, *(callbacks or [])])


def _progress(cfg: TrainConfig, enabled: bool, console, report=None):
    from training.progress import RichProgress

    return RichProgress(f"{cfg.task} ({cfg.preset})", console=console, enabled=enabled, report=report)


def _check_device(cfg: TrainConfig) -> str:
    import torch

    has_cuda = torch.cuda.is_available()
    if cfg.device == "cuda" and not has_cuda:
        raise ConfigError("This preset needs a CUDA GPU, but none is available.",
                          hint="use `--preset cpu-lora` on this machine (or install the CUDA build of torch)")
    if cfg.load_in_4bit:
        try:
            import bitsandbytes  # noqa: F401
        except ImportError:
            raise ConfigError("QLoRA needs bitsandbytes, which is not installed.",
                              hint="pip install -r requirements-train.txt on the GPU machine") from None
    return "cuda" if cfg.device == "cuda" or (cfg.device == "auto" and has_cuda) else "cpu"


def _mix_in(cfg: TrainConfig) -> str | None:
    """The task whose train split is mixed into this run (chat_fraction of it), if any."""
    return tasks.get(cfg.task).mix_in if cfg.chat_fraction > 0 else None


def _input_files(cfg: TrainConfig, data_dir: Path) -> list[Path]:
    files = [data_dir / "train.jsonl", data_dir / "val.jsonl"]
    mix = _mix_in(cfg)
    if mix:
        files.append(data_dir.parent / mix / "train.jsonl")
    for path in files:
        if not path.is_file():
            raise ConfigError(f"Prepared data file {path} is missing.",
                              hint="run `python main.py data prepare` first (or `python main.py build`)")
    return files


def _examples(cfg: TrainConfig, data_dir: Path) -> tuple[list[dict], list[dict]]:
    system = system_prompt(cfg.model_name)
    train = load_split(data_dir, cfg.task, "train", limit=cfg.max_train_records, seed=cfg.seed)
    val = load_split(data_dir, cfg.task, "val", limit=cfg.max_val_records, seed=cfg.seed)
    train_ex = to_examples(cfg.task, train, system, f"{cfg.task}/train.jsonl")
    mix = _mix_in(cfg)
    if mix:
        mixed = read_jsonl(data_dir.parent / mix / "train.jsonl")
        k = min(len(mixed), round(cfg.chat_fraction * len(train)))
        train_ex += to_examples(mix, random.Random(cfg.seed).sample(mixed, k), system, f"{mix}/train.jsonl")
        random.Random(cfg.seed).shuffle(train_ex)
    return train_ex, to_examples(cfg.task, val, system, f"{cfg.task}/val.jsonl")


def _fit(examples: list[dict], tokenizer, max_length: int, split: str) -> tuple[list[dict], int]:
    """Drop examples longer than max_length (truncation would cut the answer), reporting how many."""
    kept = [ex for ex in examples
            if len(tokenizer.apply_chat_template(ex["prompt"] + ex["completion"], tokenize=True, return_dict=False)) <= max_length]
    if not kept:
        raise ConfigError(f"Every {split} example is longer than max_length={max_length} tokens.",
                          hint="raise max_length (e.g. --set max_length=1024)")
    return kept, len(examples) - len(kept)


def _load_model(cfg: TrainConfig, base_dir: Path, device: str):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base_dir)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    kwargs: dict[str, Any] = {"dtype": torch.float32 if device == "cpu" else getattr(torch, cfg.compute_dtype)}
    bnb = build_bnb_config(cfg)
    if bnb is not None:
        kwargs.update(quantization_config=bnb, device_map={"": 0})
    try:
        model = AutoModelForCausalLM.from_pretrained(base_dir, **kwargs)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"Cannot load the base model from {base_dir}: {exc}",
                          hint="check base_model; delete the folder to re-create a dequantized copy") from None
    if bnb is not None:
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=cfg.gradient_checkpointing)
    return model, tokenizer


def _train(cfg, device, run_dir, base_dir, train_ex, val_ex, key, inputs, callbacks) -> TrainResult:
    from datasets import Dataset
    from transformers import PrinterCallback, set_seed
    from transformers.trainer_utils import get_last_checkpoint

    from training.loss import CompletionSFTTrainer

    quiet()
    set_seed(cfg.seed)
    model, tokenizer = _load_model(cfg, base_dir, device)
    train_ex, dropped = _fit(train_ex, tokenizer, cfg.max_length, "train")
    val_ex, val_dropped = _fit(val_ex, tokenizer, cfg.max_length, "val")
    ckpt_dir = run_dir / "checkpoints"
    _reset_if_config_changed(run_dir, key)
    progress = callbacks[0]
    trainer = CompletionSFTTrainer(model=model, args=build_sft_config(cfg, ckpt_dir, len(train_ex)),
                                   train_dataset=Dataset.from_list(train_ex), eval_dataset=Dataset.from_list(val_ex),
                                   processing_class=tokenizer, peft_config=build_lora_config(cfg), callbacks=callbacks)
    trainer.remove_callback(PrinterCallback)
    resume = get_last_checkpoint(str(ckpt_dir)) if cfg.resume and ckpt_dir.is_dir() else None
    started = time.perf_counter()
    out = _guarded_train(trainer, resume, ckpt_dir)
    wall = time.perf_counter() - started
    history = [round(h["eval_loss"], 4) for h in trainer.state.log_history if "eval_loss" in h]
    final = trainer.evaluate()
    adapter_dir = _save_adapter(trainer, tokenizer, run_dir)
    metrics = _metrics(trainer, out, final, progress, wall, len(train_ex), len(val_ex), dropped + val_dropped)
    metrics["val_loss_history"] = history
    metrics["resumed_from"] = Path(resume).name if resume else None
    manifest.write(run_dir / "manifest.json", {
        "stage": "train", "status": "complete", "fingerprint": key, "task": cfg.task,
        "model_name": cfg.model_name, "base_model": cfg.base_model, "base_dir": str(base_dir),
        "adapter_dir": str(adapter_dir), "inputs": inputs,
        "config": to_dict(cfg), "versions": manifest.versions(manifest.TRAINING_LIBRARIES), "device": device, "metrics": metrics,
    })
    return TrainResult(run_dir, adapter_dir, base_dir, False, metrics)


def _reset_if_config_changed(run_dir: Path, key: str) -> None:
    """Checkpoints from a different config or data must not be resumed: start that run afresh."""
    marker = run_dir / "fingerprint.txt"
    if marker.is_file() and marker.read_text().strip() != key:
        shutil.rmtree(run_dir / "checkpoints", ignore_errors=True)
    run_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text(key)


def _guarded_train(trainer, resume: str | None, ckpt_dir: Path):
    import torch

    try:
        return trainer.train(resume_from_checkpoint=resume)
    except KeyboardInterrupt:
        raise TrainingFailed(f"Training was interrupted at step {trainer.state.global_step}; "
                             "nothing was registered.",
                             hint=f"run the same command again to resume from the last checkpoint in {ckpt_dir}") from None
    except (torch.OutOfMemoryError, MemoryError) as exc:
        raise TrainingFailed(f"Out of memory while training ({type(exc).__name__}).",
                             hint="lower batch_size or max_length (e.g. --set batch_size=1 --set max_length=512), "
                                  "or enable gradient_checkpointing") from None


def _save_adapter(trainer, tokenizer, run_dir: Path) -> Path:
    """Write the best adapter to run_dir/adapter via a temp folder and a rename."""
    final, tmp = run_dir / "adapter", run_dir / ".adapter-tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    trainer.model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)
    return final


def _metrics(trainer, out, final, progress, wall, n_train, n_val, dropped) -> dict[str, Any]:
    return {
        "steps": trainer.state.global_step, "train_loss": round(out.training_loss, 4),
        "val_loss": round(final["eval_loss"], 4),
        "best_checkpoint": Path(trainer.state.best_model_checkpoint).name if trainer.state.best_model_checkpoint else None,
        "train_examples": n_train, "val_examples": n_val, "dropped_too_long": dropped,
        "tokens_per_s": round(progress.tokens_per_s, 1), "wall_s": round(wall, 1),
    }
