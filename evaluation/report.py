"""Evaluation report: metrics.json, report.md, report.html with matplotlib plots, and the terminal table."""
from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

MS_SUFFIXES = ("_ms",)          # metrics shown as whole milliseconds


def fmt(value: Any, metric: str = "") -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.0f}" if metric.endswith(MS_SUFFIXES) else f"{value:.3f}"
    return str(value)


def fmt_diff(comp: dict[str, Any]) -> str:
    if comp["diff"] is None:
        return "n/a"
    ms = comp["metric"].endswith(MS_SUFFIXES)
    f = (lambda v: f"{v:+.0f}") if ms else (lambda v: f"{v:+.3f}")  # noqa: E731
    interval = "" if comp["low"] is None else f" [{f(comp['low'])}, {f(comp['high'])}]"
    return f(comp["diff"]) + interval


def display(name: str | None) -> str:
    """A model name, or a GGUF path shortened to its file name."""
    return Path(name).name if name and name.lower().endswith(".gguf") else str(name)


def table_rows(result: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the summary table (shared by the terminal, Markdown and HTML)."""
    cand = result["metrics"]["candidate"]
    if not result.get("comparisons"):
        return ["metric", "value"], [[name, fmt(value, name)] for name, value in cand.items()]
    header = ["metric", "baseline", "candidate", "diff [95% CI]", "verdict"]
    rows = [[c["metric"], fmt(c["baseline"], c["metric"]), fmt(c["candidate"], c["metric"]), fmt_diff(c),
             c["verdict"]] for c in result["comparisons"]]
    return header, rows


def print_table(result: dict[str, Any], console: Any = None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    header, rows = table_rows(result)
    models = result["models"]
    title = f"eval {result['task']}: {display(models['candidate'])}" + (
        f" vs {display(models['baseline'])}" if models.get("baseline") else "")
    table = Table(title=title + f" ({result['data']['n_items']} items)")
    for name in header:
        table.add_column(name, justify="left" if name in ("metric", "verdict") else "right")
    styles = {"better": "green", "worse": "red"}
    for row in rows:
        table.add_row(*row, style=styles.get(row[-1]) if len(row) == 5 else None)
    console.print(table)
    for note in result.get("notes", []):
        console.print(f"[yellow]note:[/yellow] {note}")


# --- plots ------------------------------------------------------------------------------------------
def plots(result: dict[str, Any], rows: dict[str, list[dict[str, Any]]], folder: Path) -> list[Path]:
    """PNG files: confusion matrices and per-class bars (triage) and the latency histogram (all tasks)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    for system, details in (result.get("details") or {}).items():
        for key in ("confusion", "confusion_with_floor"):
            written.append(_confusion_png(plt, details, key, system, folder / f"{key}_{system}.png"))
    if result.get("details"):
        written.append(_per_class_png(plt, result["details"], folder / "per_class.png"))
    written.append(_latency_png(plt, rows, folder / "latency.png"))
    return written


def _confusion_png(plt: Any, details: dict[str, Any], key: str, system: str, path: Path) -> Path:
    matrix = details[key]
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(details["columns"])), details["columns"], rotation=30)
    ax.set_yticks(range(len(details["labels"])), details["labels"])
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            ax.text(j, i, str(count), ha="center", va="center")
    ax.set_xlabel("predicted" + (" (with rule floor)" if key.endswith("floor") else ""))
    ax.set_ylabel("label")
    ax.set_title(f"{system}: severity confusion")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def _per_class_png(plt: Any, details: dict[str, dict[str, Any]], path: Path) -> Path:
    labels = next(iter(details.values()))["labels"]
    bars = [(f"{system} {stat}", [(d["per_class"][c][stat] or 0.0) for c in labels])
            for system, d in details.items() for stat in ("precision", "recall")]
    fig, ax = plt.subplots(figsize=(7, 4))
    width = 0.8 / len(bars)
    for k, (name, values) in enumerate(bars):
        ax.bar([i + k * width for i in range(len(labels))], values, width, label=name)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(labels))], labels)
    ax.set_ylim(0, 1.05)
    ax.set_title("per-class precision / recall")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def _latency_png(plt: Any, rows: dict[str, list[dict[str, Any]]], path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for system, items in rows.items():
        values = [r["latency_ms"] for r in items if r.get("latency_ms") is not None]
        if values:
            ax.hist(values, bins=min(20, max(3, len(values))), alpha=0.6, label=system)
    ax.set_xlabel("latency (ms)")
    ax.set_ylabel("items")
    ax.set_title("latency")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


# --- files ------------------------------------------------------------------------------------------
def write(result: dict[str, Any], rows: dict[str, list[dict[str, Any]]], folder: Path,
          examples: list[dict[str, Any]] | None = None) -> dict[str, Path]:
    """Write metrics.json, report.md, report.html and the plots into `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    images = plots(result, rows, folder)
    paths = {"metrics": folder / "metrics.json", "markdown": folder / "report.md", "html": folder / "report.html"}
    paths["metrics"].write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    paths["markdown"].write_text(_markdown(result, images, examples), encoding="utf-8")
    paths["html"].write_text(_html(result, images, examples), encoding="utf-8")
    return paths


def _markdown(result: dict[str, Any], images: list[Path], examples: list[dict[str, Any]] | None) -> str:
    header, rows = table_rows(result)
    lines = [f"# Evaluation: {result['task']}", "", *_facts(result), "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines += ["", *[f"- note: {n}" for n in result.get("notes", [])], ""]
    lines += [f"![{p.stem}]({p.name})" for p in images]
    if examples:
        lines += ["", "## Examples (contain clinical text)", ""]
        for ex in examples:
            lines += [f"### {ex['id']}", "```json", json.dumps(ex, indent=2, ensure_ascii=False), "```", ""]
    return "\n".join(lines) + "\n"


def _facts(result: dict[str, Any]) -> list[str]:
    models, data = result["models"], result["data"]
    served = result.get("served_by") or {}
    facts = [f"- {role}: `{models[role]}`" + (f" ({served[role]['engine']}, prompt {served[role]['prompt_sha256']})"
                                              if role in served else "")
             for role in ("candidate", "baseline") if models.get(role)]
    facts += [f"- data: `{data['path']}` ({data['n_items']} items, sha256 {data['sha256'][:12]})",
              f"- created: {result['created']}"]
    if result.get("comparisons"):
        facts.append(f"- paired bootstrap: {result['bootstrap']['n_resamples']} resamples, seed "
                     f"{result['bootstrap']['seed']}, 95% intervals of candidate minus baseline")
    return facts


def _html(result: dict[str, Any], images: list[Path], examples: list[dict[str, Any]] | None) -> str:
    esc = lambda s: html.escape(str(s))  # noqa: E731
    header, rows = table_rows(result)
    colors = {"better": "#d4f7d4", "worse": "#f7d4d4"}
    body = [f"<h1>Evaluation: {esc(result['task'])}</h1>", "<ul>"]
    body += [f"<li>{esc(f[2:])}</li>" for f in _facts(result)] + ["</ul>", "<table border=1 cellpadding=4>"]
    body.append("<tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>")
    for row in rows:
        style = f" style='background:{colors[row[-1]]}'" if row[-1] in colors else ""
        body.append(f"<tr{style}>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
    body.append("</table>")
    body += [f"<p><i>note: {esc(n)}</i></p>" for n in result.get("notes", [])]
    for p in images:
        data = base64.b64encode(p.read_bytes()).decode()
        body.append(f"<figure><img alt='{esc(p.stem)}' src='data:image/png;base64,{data}'></figure>")
    if examples:
        body.append("<h2>Examples (contain clinical text)</h2>")
        body += [f"<pre>{esc(json.dumps(ex, indent=2, ensure_ascii=False))}</pre>" for ex in examples]
    return ("<!doctype html><html><head><meta charset='utf-8'><title>Evaluation report</title></head><body>"
            + "\n".join(body) + "</body></html>\n")
