"""Quantization: size ratio and perplexity delta vs f16 for each quant type, measured in one run.

Input: a trained run's f16 GGUF (--run NAME, default the newest export) or, without one, the embedded
SmolLM2 dequantized and converted to f16. Perplexity is scored on the run's validation text.
Usage: python -m benchmarks.quantize [--run triage-cpu-lora] [--quants q4_0 q4_k_m q5_k_m q8_0]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.settings import Settings  # noqa: E402

FALLBACK_TEXTS = ["Client reports low mood and poor sleep for three weeks; agreed to a sleep diary.",
                  "I have been anxious before every meeting at work and I can't stop worrying at night."]


def source(settings: Settings, run: str | None) -> tuple[Path, list[str]]:
    from convert.pipeline import validation_texts

    exports = sorted(settings.runs_dir.glob(f"{run or '*'}/export/manifest.json"), key=lambda p: p.stat().st_mtime)
    if exports:
        body = json.loads(exports[-1].read_text())
        trained = json.loads((exports[-1].parent.parent / "manifest.json").read_text())
        return exports[-1].parent / body["f16"], validation_texts(trained)
    from convert.gguf import hf_to_gguf
    from training.base import resolve_base

    base = resolve_base("smollm2:135m", settings.models_dir)
    out = Path(tempfile.mkdtemp(prefix="bench-quant-")) / "smollm2-f16.gguf"
    return hf_to_gguf(base, out), FALLBACK_TEXTS * 8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run")
    parser.add_argument("--quants", nargs="+", default=["q4_0", "q4_k_m", "q5_k_m", "q8_0"])
    a = parser.parse_args()
    from convert.quantize import quantize
    from convert.verify import perplexity

    settings = Settings.from_env()
    f16, texts = source(settings, a.run)
    base_ppl = perplexity(f16, texts)
    print(f"{f16.name}: {f16.stat().st_size / 1e6:.1f} MB, perplexity {base_ppl:.3f} on {len(texts)} texts")
    print(f"{'quant':8} {'MB':>7} {'size/f16':>9} {'ppl':>9} {'delta %':>8}  fallback")
    with tempfile.TemporaryDirectory() as tmp:
        for quant in a.quants:
            out = Path(tmp) / f"{quant}.gguf"
            info = quantize(f16, out, quant)
            ppl = perplexity(out, texts)
            ratio = out.stat().st_size / f16.stat().st_size
            note = f"{info['fallback']['tensors']} tensors -> {info['tensor_types']}" if info["fallback"]["tensors"] else ""
            print(f"{quant:8} {out.stat().st_size / 1e6:7.1f} {ratio:9.3f} {ppl:9.3f} {100 * (ppl / base_ppl - 1):+8.2f}  {note}")


if __name__ == "__main__":
    main()
