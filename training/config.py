"""Training configuration: dataclasses, presets, file/CLI loading and pure builders for PEFT/TRL/bitsandbytes."""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import tasks
from core.embedded import BASE_NAME
from core.errors import ConfigError

ALL_PROJECTIONS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass
class LoraSettings:
    r: int = 8
    alpha: int = 16
    dropout: float = 0.05
    target_modules: tuple[str, ...] = ALL_PROJECTIONS


@dataclass
class TrainConfig:
    """One fine-tuning run. Paths left empty default under the settings' home."""

    task: str = "triage"                      # triage | summarize | chat
    preset: str = "cpu-lora"
    base_model: str = BASE_NAME               # embedded alias, an HF model folder, or a .gguf file
    data_dir: str = ""                        # default <home>/data/prepared/<task>
    run_name: str = ""                        # default <task>-<preset>; output <home>/runs/<run_name>
    device: str = "cpu"                       # cpu | cuda | auto
    load_in_4bit: bool = False                # QLoRA (needs CUDA + bitsandbytes)
    double_quant: bool = False
    compute_dtype: str = "float32"            # float32 | bfloat16
    lora: LoraSettings = field(default_factory=LoraSettings)
    learning_rate: float = 2e-4
    lr_scheduler: str = "cosine"
    warmup_ratio: float = 0.03
    epochs: int = 3
    max_steps: int = 0                        # > 0 caps the optimizer steps (epochs cap them too)
    batch_size: int = 2
    grad_accum: int = 1
    max_length: int = 1024
    gradient_checkpointing: bool = False
    packing: bool = False
    length_grouped: bool = True               # batch examples of similar length: fewer pad tokens computed
    seed: int = 42
    max_train_records: int = 0                # 0: all
    max_val_records: int = 64
    chat_fraction: float = 0.0                # share of chat records mixed into a summarize run
    resume: bool = True                       # continue from the last checkpoint when one exists
    logging_steps: int = 5
    evals_per_epoch: int = 1                  # validation loss (and a checkpoint) this many times per epoch

    @property
    def model_name(self) -> str:
        """The registry name this run trains (the task's model)."""
        return tasks.get(self.task).model_name


PRESETS: dict[str, dict[str, Any]] = {
    # The original triage model card's QLoRA recipe.
    "gpu-qlora": dict(
        device="cuda", load_in_4bit=True, double_quant=True, compute_dtype="bfloat16",
        lora=dict(r=16, alpha=32, dropout=0.05), learning_rate=2e-4, lr_scheduler="cosine",
        warmup_ratio=0.03, epochs=3, max_steps=0, batch_size=2, grad_accum=8, max_length=1024,
        gradient_checkpointing=True, packing=False,
    ),
    # fp32 LoRA on the embedded SmolLM2-135M: two full epochs over the shipped triage set (~73k tokens
    # each) took 1,490 s (110 tok/s) on 2 CPU cores. A 40-step cap (under one epoch) did not beat the base.
    "cpu-lora": dict(
        device="cpu", load_in_4bit=False, double_quant=False, compute_dtype="float32",
        lora=dict(r=16, alpha=32, dropout=0.05), learning_rate=1e-3, lr_scheduler="cosine",
        warmup_ratio=0.03, epochs=2, max_steps=0, batch_size=4, grad_accum=1, max_length=512,
        gradient_checkpointing=False, packing=False, max_train_records=0, evals_per_epoch=2,
    ),
}


def preset(name: str, **overrides: Any) -> TrainConfig:
    """A TrainConfig from a named preset plus overrides (dotted keys or nested dicts)."""
    if name not in PRESETS:
        raise ConfigError(f"Unknown preset '{name}'.", hint=f"choose one of: {', '.join(PRESETS)}")
    cfg = _apply(TrainConfig(preset=name), PRESETS[name])
    return _validate(_apply(cfg, overrides))


def load_file(path: str | Path) -> dict[str, Any]:
    """Read a TOML, YAML or JSON config file into a dict (a `preset` key picks the starting preset)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"Cannot read training config {path}: {exc.strerror}") from None
    try:
        if path.suffix == ".toml":
            import tomllib

            data = tomllib.loads(text)
        elif path.suffix in {".yaml", ".yml"}:
            import yaml

            data = yaml.safe_load(text) or {}
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            raise ConfigError(f"Training config {path} must be .toml, .yaml, .yml or .json")
    except ConfigError:
        raise
    except Exception as exc:  # tomllib/yaml/json each raise their own error type
        raise ConfigError(f"Training config {path} is not valid {path.suffix[1:]}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"Training config {path} must hold a table/mapping at the top level")
    return data


def parse_overrides(pairs: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """`key=value` strings (dotted keys for nesting, JSON values where they parse) into a dict."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"Override {pair!r} must look like key=value (e.g. lora.r=16)")
        try:
            value: Any = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        out[key.strip()] = value
    return out


def load(path: str | Path | None = None, *, preset_name: str | None = None,
         overrides: dict[str, Any] | None = None) -> TrainConfig:
    """Preset <- config file <- overrides, in that order."""
    data = load_file(path) if path else {}
    name = preset_name or data.pop("preset", None) or "cpu-lora"
    data.pop("preset", None)
    return preset(name, **{**data, **(overrides or {})})


def _apply(cfg: Any, values: dict[str, Any]) -> Any:
    known = {f.name: f for f in fields(cfg)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        head, _, rest = key.partition(".")
        if head not in known:
            raise ConfigError(f"Unknown training setting '{key}'.", hint=f"known: {', '.join(sorted(known))}")
        current = changes.get(head, getattr(cfg, head))
        if is_dataclass(current):
            sub = {rest: value} if rest else value
            if not isinstance(sub, dict):
                raise ConfigError(f"Setting '{head}' takes a table of values, e.g. {head}.r=8")
            changes[head] = _apply(current, sub)
        elif rest:
            raise ConfigError(f"Setting '{head}' has no sub-setting '{rest}'")
        else:
            changes[head] = _coerce(key, current, value)
    return replace(cfg, **changes)


def _coerce(key: str, current: Any, value: Any) -> Any:
    try:
        if isinstance(current, bool):
            return value if isinstance(value, bool) else str(value).lower() in {"1", "true", "yes", "on"}
        if isinstance(current, tuple):
            return tuple(value.split(",")) if isinstance(value, str) else tuple(value)
        return type(current)(value)
    except (TypeError, ValueError):
        raise ConfigError(f"Setting '{key}' must be {type(current).__name__}, got {value!r}") from None


def _validate(cfg: TrainConfig) -> TrainConfig:
    problems = []
    if cfg.task not in tasks.TASKS:
        problems.append(f"task must be one of {', '.join(tasks.names())}")
    if cfg.device not in {"cpu", "cuda", "auto"}:
        problems.append("device must be cpu, cuda or auto")
    if cfg.compute_dtype not in {"float32", "bfloat16", "float16"}:
        problems.append("compute_dtype must be float32, bfloat16 or float16")
    if cfg.load_in_4bit and cfg.device == "cpu":
        problems.append("load_in_4bit (QLoRA) needs device=cuda; use the cpu-lora preset on a CPU")
    for name in ("epochs", "batch_size", "grad_accum", "max_length", "evals_per_epoch"):
        if getattr(cfg, name) < 1:
            problems.append(f"{name} must be >= 1")
    if cfg.lora.r < 1 or not cfg.lora.target_modules:
        problems.append("lora.r must be >= 1 and lora.target_modules non-empty")
    if not 0 <= cfg.chat_fraction <= 1:
        problems.append("chat_fraction must be between 0 and 1")
    if problems:
        raise ConfigError("Invalid training config: " + "; ".join(problems))
    return cfg


def to_dict(cfg: TrainConfig) -> dict[str, Any]:
    data = asdict(cfg)
    data["lora"]["target_modules"] = list(cfg.lora.target_modules)
    return data


# --- pure builders (no GPU needed) -------------------------------------------------------------
def build_lora_config(cfg: TrainConfig):
    from peft import LoraConfig

    return LoraConfig(r=cfg.lora.r, lora_alpha=cfg.lora.alpha, lora_dropout=cfg.lora.dropout,
                      target_modules=list(cfg.lora.target_modules), bias="none", task_type="CAUSAL_LM")


def build_bnb_config(cfg: TrainConfig):
    """4-bit NF4 quantization for QLoRA, or None for plain LoRA."""
    if not cfg.load_in_4bit:
        return None
    import torch
    from transformers import BitsAndBytesConfig

    return BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4",
                              bnb_4bit_use_double_quant=cfg.double_quant,
                              bnb_4bit_compute_dtype=getattr(torch, cfg.compute_dtype))


def total_steps(cfg: TrainConfig, n_train: int) -> tuple[int, int]:
    """(optimizer steps per epoch, total optimizer steps) for n_train examples."""
    per_epoch = max(1, math.ceil(n_train / (cfg.batch_size * cfg.grad_accum)))
    total = per_epoch * cfg.epochs
    return per_epoch, min(total, cfg.max_steps) if cfg.max_steps > 0 else total  # max_steps only caps


def sft_kwargs(cfg: TrainConfig, output_dir: str | Path, n_train: int) -> dict[str, Any]:
    """SFTConfig arguments: loss on the completion only, eval + checkpoint once per epoch, best by val loss."""
    per_epoch, steps = total_steps(cfg, n_train)
    eval_every = max(1, math.ceil(min(per_epoch, steps) / cfg.evals_per_epoch))
    on_cpu = cfg.device == "cpu"
    return dict(
        output_dir=str(output_dir), seed=cfg.seed, data_seed=cfg.seed,
        learning_rate=cfg.learning_rate, lr_scheduler_type=cfg.lr_scheduler,
        warmup_steps=max(0, round(cfg.warmup_ratio * steps)),
        num_train_epochs=cfg.epochs, max_steps=steps,
        per_device_train_batch_size=cfg.batch_size, per_device_eval_batch_size=cfg.batch_size,
        gradient_accumulation_steps=cfg.grad_accum, max_length=cfg.max_length, packing=cfg.packing,
        train_sampling_strategy="group_by_length" if cfg.length_grouped and not cfg.packing else "random",
        completion_only_loss=True, activation_checkpointing=cfg.gradient_checkpointing,
        bf16=cfg.compute_dtype == "bfloat16" and not on_cpu, fp16=cfg.compute_dtype == "float16" and not on_cpu,
        use_cpu=on_cpu, eval_strategy="steps", eval_steps=eval_every, save_strategy="steps",
        save_steps=eval_every, save_total_limit=2, load_best_model_at_end=True,
        metric_for_best_model="eval_loss", greater_is_better=False, logging_steps=cfg.logging_steps,
        report_to=[], disable_tqdm=True, dataloader_num_workers=0,
        optim="paged_adamw_8bit" if cfg.load_in_4bit else "adamw_torch",
    )


def build_sft_config(cfg: TrainConfig, output_dir: str | Path, n_train: int):
    from trl import SFTConfig

    return SFTConfig(**sft_kwargs(cfg, output_dir, n_train))
