"""Training throughput: our trainer (training.train.run) vs a bare TRL SFTTrainer, fairly: same settings, same run.

Both train the same base model with the same LoRA settings, learning rate, schedule, seed, batch and fp32 on
the same prepared examples, alternating rounds. The bare trainer is what someone would write by hand on a CPU:
SFTConfig with bf16 and gradient checkpointing turned off (TRL's GPU-minded defaults), nothing else of ours.
Both are measured by the same callback (training tokens per second of step time; tokens are the non-pad tokens
the model learns from) and by wall time for the same steps, with the validation loss each reaches.
Prints tokens/s, wall time, val loss and the ratios ours/bare (goal >= 1.3). Ours differs from bare in two
ways: the loss projects only the completion tokens onto the vocabulary (training.loss) and batches are
length-grouped; `--ungrouped` adds an arm of ours without length grouping, which sees bare's batches and so
reaches bare's validation loss, isolating the loss's share of the speed-up.
Usage: python -m benchmarks.train [--steps 24] [--rounds 2] [--task triage] [--base-model smollm2:135m] [--ungrouped]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.settings import Settings  # noqa: E402


def ours(cfg, settings) -> dict:
    from training.train import run

    m = run(cfg, settings, force=True, show_progress=False).metrics
    return {"tokens_per_s": m["tokens_per_s"], "wall_s": m["wall_s"], "val_loss": m["val_loss"]}


def bare(cfg, settings) -> dict:
    """The textbook TRL recipe on a CPU: SFTTrainer + LoraConfig, fp32, no gradient checkpointing, the same
    learning rate, schedule, warmup, batch, max length and seed; nothing of ours but the examples and the meter."""
    import time

    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    from training.base import resolve_base
    from training.progress import RichProgress
    from training.train import _examples

    base = resolve_base(cfg.base_model, settings.models_dir)
    train_ex, val_ex = _examples(cfg, settings.data_dir / "prepared" / cfg.task)
    meter = RichProgress(enabled=False)
    args = SFTConfig(output_dir=tempfile.mkdtemp(), max_steps=cfg.max_steps, per_device_train_batch_size=cfg.batch_size,
                     per_device_eval_batch_size=cfg.batch_size, gradient_accumulation_steps=cfg.grad_accum,
                     learning_rate=cfg.learning_rate, lr_scheduler_type=cfg.lr_scheduler,
                     warmup_steps=max(0, round(cfg.warmup_ratio * cfg.max_steps)), max_length=cfg.max_length,
                     use_cpu=cfg.device == "cpu", bf16=False, fp16=False, gradient_checkpointing=False,
                     logging_steps=cfg.logging_steps, save_strategy="no", eval_strategy="no", report_to=[],
                     disable_tqdm=True, seed=cfg.seed, data_seed=cfg.seed, dataloader_num_workers=0)
    lora = LoraConfig(r=cfg.lora.r, lora_alpha=cfg.lora.alpha, lora_dropout=cfg.lora.dropout,
                      target_modules=list(cfg.lora.target_modules), task_type="CAUSAL_LM")
    tokenizer = AutoTokenizer.from_pretrained(base)
    trainer = SFTTrainer(model=AutoModelForCausalLM.from_pretrained(base), args=args,
                         train_dataset=Dataset.from_list(train_ex), eval_dataset=Dataset.from_list(val_ex),
                         processing_class=tokenizer, peft_config=lora, callbacks=[meter])
    started = time.perf_counter()
    trainer.train()
    wall = time.perf_counter() - started
    return {"tokens_per_s": meter.tokens_per_s, "wall_s": wall, "val_loss": trainer.evaluate()["eval_loss"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--task", default="triage")
    parser.add_argument("--base-model", default="smollm2:135m")
    parser.add_argument("--ungrouped", action="store_true", help="also run ours without length-grouped batches")
    parser.add_argument("--home", help="home with prepared data (default: a temp home prepared from shipped data)")
    a = parser.parse_args()
    from training.config import preset

    settings = Settings.from_env(home=a.home or tempfile.mkdtemp(prefix="bench-train-"))
    if not a.home:
        from training_data.prepare import PrepareConfig, run

        run(PrepareConfig(task=a.task, home=settings.home))
    cfg = preset("cpu-lora", task=a.task, base_model=a.base_model, max_steps=a.steps, logging_steps=1,
                 evals_per_epoch=1, max_val_records=32, run_name="bench-train")
    arms = {"ours": lambda: ours(cfg, settings), "bare": lambda: bare(cfg, settings)}
    if a.ungrouped:
        arms["ours ungrouped"] = lambda: ours(replace(cfg, length_grouped=False), settings)
    results: dict[str, list[dict]] = {name: [] for name in arms}
    for i in range(a.rounds):
        order = list(arms) if i % 2 == 0 else list(reversed(arms))
        for name in order:
            results[name].append(arms[name]())
            r = results[name][-1]
            print(f"round {i + 1} {name}: {r['tokens_per_s']:.1f} tokens/s, {r['wall_s']:.1f} s, "
                  f"val loss {r['val_loss']:.4f}", flush=True)
    med = {name: {k: statistics.median(r[k] for r in runs) for k in ("tokens_per_s", "wall_s", "val_loss")}
           for name, runs in results.items()}
    o, b = med["ours"], med["bare"]
    print(f"tokens/s ours {o['tokens_per_s']:.1f}  bare TRL {b['tokens_per_s']:.1f}  "
          f"ratio ours/bare {o['tokens_per_s'] / b['tokens_per_s']:.3f}  (goal >= 1.3)")
    print(f"wall time for {a.steps} steps: ours {o['wall_s']:.1f} s  bare {b['wall_s']:.1f} s  "
          f"speed-up {b['wall_s'] / o['wall_s']:.3f}x; val loss reached: ours {o['val_loss']:.4f}  bare {b['val_loss']:.4f}")
    if a.ungrouped:
        u = med["ours ungrouped"]
        print(f"ours without length grouping: {u['tokens_per_s']:.1f} tokens/s, ratio {u['tokens_per_s'] / b['tokens_per_s']:.3f}, "
              f"{u['wall_s']:.1f} s (speed-up {b['wall_s'] / u['wall_s']:.3f}x), val loss {u['val_loss']:.4f}")
    print(f"({a.rounds} alternating rounds, batch {cfg.batch_size}, max_length {cfg.max_length}, fp32 both, "
          f"length-grouped batches ours)")


if __name__ == "__main__":
    main()
