"""Merge a LoRA adapter into its base model and write the HF checkpoint (atomically)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from core.errors import ConfigError


def merge(base_dir: Path, adapter_dir: Path, out_dir: Path) -> Path:
    """base + adapter -> merged fp32 safetensors + tokenizer at out_dir."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from training.quiet import quiet

    quiet()                                   # no loading/writing bars or deprecation warnings in the build log
    if not (adapter_dir / "adapter_config.json").is_file():
        raise ConfigError(f"No trained adapter at {adapter_dir}.", hint="run `python main.py train` first")
    if not (base_dir / "config.json").is_file():
        raise ConfigError(f"The base model folder {base_dir} is gone.",
                          hint="re-run `python main.py train` (it re-creates the base checkpoint)")
    base = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32)
    merged = PeftModel.from_pretrained(base, adapter_dir).merge_and_unload()
    tokenizer = AutoTokenizer.from_pretrained(adapter_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".merged-", dir=out_dir.parent))
    try:
        merged.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        shutil.rmtree(out_dir, ignore_errors=True)
        tmp.rename(out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir
