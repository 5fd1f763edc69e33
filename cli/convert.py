"""CLI: `convert RUN` — merge, GGUF, quantize, export the LoRA GGUF and verify a training run."""
from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

console = Console()


@click.command()
@click.argument("run_name", metavar="RUN")
@click.option("--quant", "quants", multiple=True, default=("q4_k_m",), show_default=True,
              help="q4_k_m, q5_k_m, q8_0, q4_0 or f16; repeat for several (the first is registered).")
@click.option("--no-lora", is_flag=True, help="Skip the LoRA-only GGUF.")
@click.option("--no-verify", is_flag=True, help="Skip loading, smoke prompts and perplexity.")
@click.option("--force", is_flag=True, help="Convert even when the run and settings are unchanged.")
def convert(run_name, quants, no_lora, no_verify, force) -> None:
    """Merge RUN's adapter, convert to GGUF with llama.cpp's converter, quantize and verify."""
    from convert.pipeline import ConvertConfig, run

    cfg = ConvertConfig(run=run_name, quants=tuple(quants), lora_gguf=not no_lora, verify=not no_verify)
    result = run(cfg, force=force, log=console.print)
    show(result)


def show(result) -> None:
    table = Table(title=f"{result.model_name} ({'unchanged, skipped' if result.skipped else 'converted'})")
    for column in ("file", "MB", "x f16", "perplexity", "delta %", "smoke json/valid", "note"):
        table.add_column(column)
    for key, entry in result.report.get("files", {}).items():
        v = entry.get("verify", {})
        smoke = v.get("smoke")
        table.add_row(entry.get("file", key), _mb(result.export_dir / entry.get("file", "")),
                      str(v.get("size_ratio_vs_f16", "")), str(v.get("perplexity", v.get("perplexity_base_plus_lora", ""))),
                      str(v.get("perplexity_delta_pct", "")),
                      f"{smoke['json_ok']}/{smoke['schema_ok']} of {smoke['prompts']}" if smoke else "",
                      (entry.get("fallback") or {}).get("note") or "")
    console.print(table)
    console.print(f"registered file: {result.primary}\nnext: python main.py register")


def _mb(path) -> str:
    return f"{path.stat().st_size / 1e6:.1f}" if path.is_file() else "-"
