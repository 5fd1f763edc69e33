"""Base models: resolve a name, HF folder or GGUF to a local HF checkpoint (dequantizing a GGUF once)."""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from core.embedded import EMBEDDED_ALIASES, embedded_gguf_path
from core.errors import ConfigError, ModelNotFound


def resolve_base(base_model: str, models_dir: Path) -> Path:
    """A folder with config.json + weights + tokenizer for `base_model`, created on first use."""
    if base_model in EMBEDDED_ALIASES:
        return dequantize_gguf(embedded_gguf_path(), models_dir / "base" / "smollm2-135m-instruct")
    path = Path(base_model).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelNotFound(f"Base model folder {path} has no config.json.",
                                hint="point base_model at a Hugging Face model folder, a .gguf file or smollm2:135m")
        return path
    if path.suffix == ".gguf" and path.is_file():
        return dequantize_gguf(path, models_dir / "base" / path.stem.lower())
    raise ModelNotFound(f"Base model '{base_model}' not found (no such folder or .gguf file).",
                        hint="use smollm2:135m (embedded), a local Hugging Face folder or a .gguf path; "
                             "nothing is downloaded from model hubs")


def dequantize_gguf(gguf_path: Path, out_dir: Path) -> Path:
    """Dequantize a GGUF into an fp32 HF checkpoint at out_dir (atomic; reused when present)."""
    if (out_dir / "config.json").is_file():
        return out_dir
    from transformers import AutoModelForCausalLM, AutoTokenizer

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        folder, name = str(gguf_path.parent), gguf_path.name
        try:
            tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
            model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name)
        except (ValueError, OSError, KeyError) as exc:
            raise ConfigError(f"Cannot dequantize {gguf_path.name}: {exc}",
                              hint="this GGUF architecture may not be supported by transformers; "
                                   "use a Hugging Face model folder as base_model") from None
        model.hf_quantizer = None  # the weights are already plain floats; only the marker remains
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        _drop_quantization_config(tmp / "config.json")
        (tmp / "SOURCE.json").write_text(json.dumps({"gguf": str(gguf_path), "dequantized": True}))
        tmp.rename(out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def _drop_quantization_config(config_path: Path) -> None:
    """The Trainer refuses a model marked GGUF-quantized; the saved weights are plain floats."""
    config = json.loads(config_path.read_text())
    config.pop("quantization_config", None)
    config_path.write_text(json.dumps(config, indent=2))
