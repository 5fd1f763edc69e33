"""Quantize a GGUF with llama.cpp (llama_model_quantize), stating the k-quant fallback for odd shapes."""
from __future__ import annotations

import os
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from core.errors import BadRequest, ToolkitError

QUANTS = {"q4_k_m": "LLAMA_FTYPE_MOSTLY_Q4_K_M", "q5_k_m": "LLAMA_FTYPE_MOSTLY_Q5_K_M",
          "q8_0": "LLAMA_FTYPE_MOSTLY_Q8_0", "q4_0": "LLAMA_FTYPE_MOSTLY_Q4_0", "f16": "LLAMA_FTYPE_MOSTLY_F16"}
K_BLOCK = 256  # k-quants pack rows in super-blocks of 256 values
# What llama.cpp stores instead when a row is not a multiple of 256 (llama-quant.cpp's fallback table).
K_FALLBACK = {"Q2_K": "Q4_0", "Q3_K": "Q4_0", "Q4_K": "Q5_0", "Q5_K": "Q5_1", "Q6_K": "Q8_0"}


class QuantizeFailed(ToolkitError):
    code, exit_code = "quantize_failed", 1


def check_quant(name: str) -> str:
    key = name.lower()
    if key not in QUANTS:
        raise BadRequest(f"Unknown quantization '{name}'.", hint=f"choose from: {', '.join(QUANTS)}")
    return key


def k_quant_fallback(gguf_path: Path, quant: str) -> dict[str, object]:
    """Which 2-D tensors cannot take a k-quant (row length % 256 != 0), stated before quantizing."""
    from gguf import GGUFReader

    if "_k" not in quant:
        return {"tensors": 0, "row_sizes": [], "note": None}
    odd = [t for t in GGUFReader(str(gguf_path)).tensors
           if len(t.shape) >= 2 and int(t.shape[0]) % K_BLOCK != 0]
    sizes = sorted({int(t.shape[0]) for t in odd})
    note = (f"{len(odd)} tensors have rows of {sizes} values (not a multiple of {K_BLOCK}); llama.cpp stores "
            "them as Q5_0/Q5_1/Q8_0 instead of the k-quant" if odd else None)
    return {"tensors": len(odd), "row_sizes": sizes, "note": note}


def tensor_types(gguf_path: Path) -> dict[str, int]:
    """How many tensors the GGUF stores in each type (shows the fallback actually taken)."""
    from gguf import GGUFReader

    return dict(Counter(t.tensor_type.name for t in GGUFReader(str(gguf_path)).tensors))


def quantize(src: Path, out_path: Path, quant: str, *, threads: int = 0) -> dict[str, object]:
    """src (f16/f32 GGUF) -> out_path in `quant`; returns the fallback statement and tensor-type counts."""
    import llama_cpp

    quant = check_quant(quant)
    fallback = k_quant_fallback(src, quant)
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = getattr(llama_cpp, QUANTS[quant])
    params.nthread = threads or os.cpu_count() or 1
    tmp = out_path.with_name(f".{out_path.name}.part")
    try:
        with native_stderr_to(out_path.parent / "convert.log"):
            code = llama_cpp.llama_model_quantize(str(src).encode(), str(tmp).encode(), params)
        if code != 0 or not tmp.is_file():
            raise QuantizeFailed(f"llama.cpp could not quantize {src.name} to {quant} (code {code}).",
                                 hint="try --quant q8_0, which every tensor shape supports")
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return {"quant": quant, "fallback": fallback, "tensor_types": tensor_types(out_path)}


@contextmanager
def native_stderr_to(log_path: Path):
    """llama.cpp prints per-tensor progress straight to fd 2; keep it in the export's log instead."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log_path, "ab") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
