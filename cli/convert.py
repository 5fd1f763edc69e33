"""CLI `convert RUN`: merge, GGUF, quantize, export the LoRA GGUF and verify a training run."""
from __future__ import annotations

from pathlib import Path

import click

from cli.common import console, print_table
from convert.pipeline import ConvertConfig, run

COLUMNS = ["file", "MB", "x f16", "perplexity", "delta %", "smoke json/valid", "note"]


@click.command()
@click.argument("run_name", metavar="RUN")
@click.option("--quant", "quants", multiple=True, default=("q4_k_m",), show_default=True,
              help="q4_k_m, q5_k_m, q8_0, q4_0 or f16; repeat for several (the first is registered).")
@click.option("--no-lora", is_flag=True, help="Skip the LoRA-only GGUF.")
@click.option("--no-verify", is_flag=True, help="Skip loading, smoke prompts and perplexity.")
@click.option("--force", is_flag=True, help="Convert even when the run and settings are unchanged.")
def convert(run_name, quants, no_lora, no_verify, force) -> None:
    """Merge RUN's adapter, convert to GGUF with llama.cpp's converter, quantize and verify."""
    cfg = ConvertConfig(run=run_name, quants=tuple(quants), lora_gguf=not no_lora, verify=not no_verify)
    result = run(cfg, force=force, log=console.print)
    rows = [_cells(key, entry, result.export_dir) for key, entry in result.report.get("files", {}).items()]
    print_table(f"{result.model_name} ({'unchanged, skipped' if result.skipped else 'converted'})", COLUMNS, rows)
    console.print(f"registered file: {result.primary}\nnext: python main.py register")


def _cells(key: str, entry: dict, export_dir: Path) -> list[str]:
    """One exported file's row: size, ratio to f16, perplexity and its change, smoke results, fallback note."""
    v = entry.get("verify", {})
    smoke = v.get("smoke")
    return [entry.get("file", key), _mb(export_dir / entry.get("file", "")),
            str(v.get("size_ratio_vs_f16", "")), str(v.get("perplexity", v.get("perplexity_base_plus_lora", ""))),
            str(v.get("perplexity_delta_pct", "")),
            f"{smoke['json_ok']}/{smoke['schema_ok']} of {smoke['prompts']}" if smoke else "",
            (entry.get("fallback") or {}).get("note") or ""]


def _mb(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f}" if path.is_file() else "-"
