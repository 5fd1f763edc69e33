"""Training throughput: our trainer (training.train.run) vs a bare TRL SFTTrainer, same settings, same run.

Both train the same base model with the same LoRA/SFT settings on the same prepared examples, alternating
rounds, and are measured by the same callback (training tokens per second of step time, evaluation excluded).
Prints tokens/s for each and the ratio ours/bare (goal >= 1.0).
Usage: python -m benchmarks.train [--steps 8] [--rounds 2] [--task triage] [--base-model smollm2:135m]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.settings import Settings  # noqa: E402


def ours(cfg, settings) -> float:
    from training.train import run

    return run(cfg, settings, force=True, show_progress=False).metrics["tokens_per_s"]


def bare(cfg, settings) -> float:
    """The textbook TRL recipe: SFTTrainer + LoraConfig, nothing of ours but the examples and the meter.
    SFTConfig's own defaults stay (bf16 autocast and gradient checkpointing, slow on a CPU: about one step
    per 100 s here against about 10 s for ours)."""
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    from training.base import resolve_base
    from training.progress import RichProgress
    from training.train import _examples

    base = resolve_base(cfg.base_model, settings.models_dir)
    train_ex, _ = _examples(cfg, settings.data_dir / "prepared" / cfg.task)
    meter = RichProgress(enabled=False)
    args = SFTConfig(output_dir=tempfile.mkdtemp(), max_steps=cfg.max_steps, per_device_train_batch_size=cfg.batch_size,
                     gradient_accumulation_steps=cfg.grad_accum, learning_rate=cfg.learning_rate,
                     max_length=cfg.max_length, use_cpu=cfg.device == "cpu", logging_steps=cfg.logging_steps,
                     save_strategy="no", report_to=[], disable_tqdm=True, seed=cfg.seed)
    lora = LoraConfig(r=cfg.lora.r, lora_alpha=cfg.lora.alpha, lora_dropout=cfg.lora.dropout,
                      target_modules=list(cfg.lora.target_modules), task_type="CAUSAL_LM")
    trainer = SFTTrainer(model=AutoModelForCausalLM.from_pretrained(base), args=args,
                         train_dataset=Dataset.from_list(train_ex), processing_class=AutoTokenizer.from_pretrained(base),
                         peft_config=lora, callbacks=[meter])
    trainer.train()
    return meter.tokens_per_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--task", default="triage")
    parser.add_argument("--base-model", default="smollm2:135m")
    parser.add_argument("--home", help="home with prepared data (default: a temp home prepared from shipped data)")
    a = parser.parse_args()
    from training.config import preset

    settings = Settings.from_env(home=a.home or tempfile.mkdtemp(prefix="bench-train-"))
    if not a.home:
        from training_data.prepare import PrepareConfig, run

        run(PrepareConfig(task=a.task, home=settings.home))
    cfg = preset("cpu-lora", task=a.task, base_model=a.base_model, max_steps=a.steps, logging_steps=1,
                 run_name="bench-train")
    results: dict[str, list[float]] = {"ours": [], "bare": []}
    for i in range(a.rounds):
        for name, fn in (("ours", ours), ("bare", bare)):
            results[name].append(fn(cfg, settings))
            print(f"round {i + 1} {name}: {results[name][-1]:.1f} tokens/s", flush=True)
    o, b = statistics.median(results["ours"]), statistics.median(results["bare"])
    print(f"tokens/s ours {o:.1f}  bare TRL {b:.1f}  ratio ours/bare {o / b:.3f}  (goal >= 1.0; "
          f"{a.rounds} alternating rounds of {a.steps} steps, batch {cfg.batch_size}, max_length {cfg.max_length})")


if __name__ == "__main__":
    main()
