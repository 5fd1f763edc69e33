"""HF checkpoint -> GGUF, and LoRA adapter -> LoRA GGUF, with llama.cpp's own converter scripts."""
from __future__ import annotations

import os
from pathlib import Path

from convert.tools import run_script


def hf_to_gguf(hf_dir: Path, out_path: Path, *, outtype: str = "f16") -> Path:
    """Write out_path via a temp name; a failed conversion leaves nothing behind."""
    tmp = out_path.with_name(f".{out_path.name}.part")
    try:
        log = run_script("convert_hf_to_gguf.py", [str(hf_dir), "--outfile", str(tmp), "--outtype", outtype],
                         what=f"Converting {hf_dir.name} to GGUF")
        _write_log(out_path, log)
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return out_path


def lora_to_gguf(adapter_dir: Path, base_dir: Path, out_path: Path, *, outtype: str = "f16") -> Path:
    """The adapter alone as a LoRA GGUF (for a Modelfile ADAPTER line); --base keeps it offline."""
    tmp = out_path.with_name(f".{out_path.name}.part")
    try:
        log = run_script("convert_lora_to_gguf.py",
                         [str(adapter_dir), "--base", str(base_dir), "--outfile", str(tmp), "--outtype", outtype],
                         what="Exporting the LoRA adapter to GGUF")
        _write_log(out_path, log)
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return out_path


def _write_log(out_path: Path, log: str) -> None:
    with (out_path.parent / "convert.log").open("a", encoding="utf-8") as fh:
        fh.write(f"--- {out_path.name}\n{log[-20000:]}\n")
