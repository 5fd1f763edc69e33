"""Register verified GGUFs: keep each as a version, serve it from <home>/modelfiles/<name>.Modelfile, create it in Ollama."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core import manifest
from core.embedded import EMBEDDED_ALIASES
from core.errors import NotFound
from core.modelfile import Modelfile, parse_file
from core.settings import Settings
from modelfiles import versions
from modelfiles.render import base_license, chat_template_of, gguf_metadata, render_modelfile, shipped


@dataclass
class RegisterConfig:
    runs: tuple[str, ...] = ()        # run names/folders; empty: the newest verified export per model
    ollama: bool = True               # also create the models in Ollama when it answers
    keep: int = 3                     # promoted versions kept per model (older ones are pruned)


@dataclass
class RegisterResult:
    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    registry_file: Path | None = None


def exports(settings: Settings, runs: tuple[str, ...] = ()) -> dict[str, Path]:
    """model name -> export folder: the given runs, else the newest complete export of each model."""
    folders = [export_of(r, settings) for r in runs] if runs else sorted(settings.runs_dir.glob("*/export"))
    chosen: dict[str, tuple[str, Path]] = {}
    for folder in folders:
        body = manifest.read(folder / "manifest.json")
        if not body or body.get("status") != "complete":
            continue
        name, stamp = body["model_name"], body.get("written_at", "")
        if runs or name not in chosen or stamp > chosen[name][0]:
            chosen[name] = (stamp, folder)
    if not chosen:
        raise NotFound("No converted and verified model to register.",
                       hint="run `python main.py convert RUN` (or `python main.py build`) first")
    return {name: folder for name, (_, folder) in chosen.items()}


def export_of(run: str, settings: Settings) -> Path:
    path = Path(run).expanduser()
    folder = path if path.is_dir() else settings.runs_dir / run
    folder = folder if folder.name == "export" else folder / "export"
    if not (folder / "manifest.json").is_file():
        raise NotFound(f"Run '{run}' has no verified export ({folder}).", hint=f"run `python main.py convert {run}`")
    return folder


def modelfile_for(name: str, export: Path) -> tuple[Modelfile, dict[str, Any]]:
    """The Modelfile for one export (FROM = absolute path of its primary GGUF) and its manifest."""
    body = manifest.read(export / "manifest.json") or {}
    gguf = (export / body["primary"]).resolve()
    if not gguf.is_file():
        raise NotFound(f"{gguf} is missing; the export is incomplete.", hint="re-run `python main.py convert`")
    merged = export / "merged"
    template = chat_template_of(merged) if merged.is_dir() else chat_template_of(gguf)

    fallback = shipped(name).license if body.get("base_model") in EMBEDDED_ALIASES else \
        (gguf_metadata(gguf).get("general.license") or "")
    license_text = base_license(Path(body["base_dir"]) if body.get("base_dir") else None, fallback)
    return render_modelfile(name, gguf, chat_template=template, license_text=license_text), body


def run(cfg: RegisterConfig, settings: Settings | None = None, *, log=print) -> RegisterResult:
    """Register every found export (an admin's explicit act: no gate), each as a new kept version."""
    settings = settings or Settings.from_env()
    found = exports(settings, cfg.runs)
    planned = {name: modelfile_for(name, folder) for name, folder in found.items()}  # all or nothing
    result = RegisterResult(registry_file=settings.registry_dir / "registry.json")
    for name, (mf, body) in planned.items():
        result.models[name] = promote(name, found[name], settings, mf=mf, body=body, ollama=cfg.ollama, keep=cfg.keep,
                                      promotion={"how": "register", "reason": "registered by hand"}, log=log)
    return result


def promote(name: str, export: Path, settings: Settings, *, promotion: dict[str, Any], evaluation: dict | None = None,
            ollama: bool = True, keep: int = 3, mf: Modelfile | None = None, body: dict | None = None,
            log=print) -> dict[str, Any]:
    """Keep `export` as the next version of `name`, serve it (running servers swap on their next request),
    create it in Ollama when asked, prune old versions, and record it in registry.json."""
    if mf is None or body is None:
        mf, body = modelfile_for(name, export)
    folder = versions.store(settings, name, mf, body, evaluation=evaluation,
                            promotion={**promotion, "run": export.parent.name})
    path = versions.serve(settings, name, folder)
    served = parse_file(path)
    entry = {**_entry(name, served, body, export, path), "version": folder.name, "promotion": promotion}
    if ollama:
        entry["ollama"] = create_in_ollama(name, served, settings)
        if entry["ollama"].get("error"):
            log(f"[yellow]Ollama: {entry['ollama']['error']}[/yellow]")
    pruned = versions.prune(settings, name, keep)
    if pruned:
        log(f"{name}: pruned old versions {', '.join(pruned)} (keep {keep})")
    registry_file = settings.registry_dir / "registry.json"
    registry = manifest.read(registry_file) or {}
    registry[name] = entry
    manifest.write_json(registry_file, registry)
    log(f"registered {name} {folder.name} -> {served.from_}")
    return entry


def registered_unchanged(settings: Settings, runs: tuple[str, ...]) -> bool:
    """True when registry.json already points each run's model at that run's current export."""
    registry = manifest.read(settings.registry_dir / "registry.json") or {}
    for run_name in runs:
        body = manifest.read(export_of(run_name, settings) / "manifest.json") or {}
        entry = registry.get(body.get("model_name"), {})
        if (entry.get("export_fingerprint") != body.get("fingerprint") or not Path(entry.get("gguf", "")).is_file()
                or not Path(entry.get("modelfile", "")).is_file()):
            return False
    return True


def _entry(name: str, mf: Modelfile, body: dict[str, Any], export: Path, path: Path) -> dict[str, Any]:
    primary = body["files"][next(k for k, v in body["files"].items() if v.get("file") == body["primary"])]
    return {
        "name": name, "modelfile": str(path), "gguf": mf.from_, "bytes": Path(mf.from_).stat().st_size,
        "quant": primary.get("quant"), "run": export.parent.name, "task": body.get("task"),
        "base_model": body.get("base_model"), "export_fingerprint": body.get("fingerprint"),
        "verify": primary.get("verify"), "lora_gguf": str(export / body["lora"]) if body.get("lora") else None,
        "registered_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def create_in_ollama(name: str, mf: Modelfile, settings: Settings) -> dict[str, Any]:
    """Upload the GGUF as a blob and create `name` from it; {"created": False, ...} when Ollama is away."""
    import httpx
    import ollama

    client = ollama.Client(host=settings.ollama_host, timeout=settings.ollama_timeout_s)
    try:
        httpx.get(f"{settings.ollama_host}/api/version", timeout=1.0).raise_for_status()
    except httpx.HTTPError:
        return {"created": False, "reason": f"Ollama does not answer at {settings.ollama_host}"}
    gguf = Path(mf.from_)
    try:
        digest = client.create_blob(gguf)
        params = {k: v for k, v in mf.parameters.items()}
        response = client.create(model=name, files={gguf.name: digest}, template=mf.template, system=mf.system,
                                 parameters=params, license=mf.license, stream=False)
    except (ollama.ResponseError, httpx.HTTPError, OSError) as exc:
        return {"created": False, "error": f"could not create '{name}' in Ollama: {exc}"}
    return {"created": True, "host": settings.ollama_host, "digest": digest,
            "status": getattr(response, "status", None)}


def ollama_create_command(name: str, settings: Settings) -> str:
    """The equivalent manual command (also shown in the README)."""
    return f"ollama create {name} -f {settings.registry_dir / (name + '.Modelfile')}"


def rollback(name: str, settings: Settings, version: str | None = None, *, ollama: bool = True) -> dict[str, Any]:
    """Serve an earlier kept version of `name` at once (and re-create it in Ollama when it answers)."""
    folder = versions.rollback(settings, name, version)
    served = parse_file(settings.registry_dir / f"{name}.Modelfile")
    registry_file = settings.registry_dir / "registry.json"
    registry = manifest.read(registry_file) or {}
    kept = manifest.read(folder / "manifest.json") or {}
    export = kept.get("export") or {}
    entry = {**registry.get(name, {}), "name": name, "gguf": served.from_, "version": folder.name,
             "modelfile": str(settings.registry_dir / f"{name}.Modelfile"),
             "export_fingerprint": export.get("fingerprint"), "run": (kept.get("promotion") or {}).get("run"),
             "rolled_back_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    if ollama:
        entry["ollama"] = create_in_ollama(name, served, settings)
    registry[name] = entry
    manifest.write_json(registry_file, registry)
    return entry
