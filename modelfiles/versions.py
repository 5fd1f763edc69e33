"""Promoted model versions under <home>/models/<name>/<version>/ (GGUF, Modelfile, manifest, eval): serve, roll back, prune."""
from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core import manifest
from core.errors import BadRequest, NotFound
from core.model_names import VERSION, version_of
from core.modelfile import Modelfile, parse, parse_file, render
from core.settings import Settings


def model_dir(settings: Settings, name: str) -> Path:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", name) or name == "base":
        raise BadRequest(f"'{name}' is not a model name.")
    return settings.models_dir / name


def versions(settings: Settings, name: str) -> list[Path]:
    """The version folders of `name`, oldest first."""
    root = model_dir(settings, name)
    found = [p for p in root.iterdir() if p.is_dir() and VERSION.match(p.name)] if root.is_dir() else []
    return sorted(found, key=lambda p: int(VERSION.match(p.name).group(1)))


def store(settings: Settings, name: str, mf: Modelfile, body: dict[str, Any], *,
          evaluation: dict[str, Any] | None = None, promotion: dict[str, Any] | None = None) -> Path:
    """Keep `mf`'s GGUF with its Modelfile, manifest and eval report as the next version; returns its folder."""
    existing = versions(settings, name)
    number = int(VERSION.match(existing[-1].name).group(1)) + 1 if existing else 1
    final = model_dir(settings, name) / f"v{number}"
    work = Path(tempfile.mkdtemp(prefix=f".v{number}-", dir=_made(final.parent)))
    source = Path(mf.from_)
    gguf = work / source.name
    _link_or_copy(source, gguf)
    kept = dataclasses.replace(mf, from_=str(final / source.name))
    (work / f"{name}.Modelfile").write_text(render(kept), encoding="utf-8")
    info = {"name": name, "version": final.name, "stored_at": _now(), "source_gguf": str(source),
            "bytes": gguf.stat().st_size, "promotion": promotion or {}, "export": body}
    manifest.write_json(work / "manifest.json", info)
    if evaluation is not None:
        manifest.write_json(work / "eval.json", evaluation)
    os.replace(work, final)
    return final


def serve(settings: Settings, name: str, version: Path) -> Path:
    """Point the registry at `version` (one atomic file write: running servers pick it up on their next request)."""
    text = (version / f"{name}.Modelfile").read_text(encoding="utf-8")
    parse(text, source=str(version))
    target = settings.registry_dir / f"{name}.Modelfile"
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}-", dir=_made(target.parent))
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, target)
    return target


def current(settings: Settings, name: str) -> str | None:
    """The version the registry serves for `name`, or None (the shipped Modelfile, or an unversioned file)."""
    path = settings.registry_dir / f"{name}.Modelfile"
    if not path.is_file():
        return None
    return version_of(settings.models_dir, name, Path(parse_file(path).from_))


def history(settings: Settings, name: str) -> list[dict[str, Any]]:
    """One row per kept version, oldest first, with what its promotion recorded."""
    served = current(settings, name)
    rows = []
    for folder in versions(settings, name):
        info = manifest.read(folder / "manifest.json") or {}
        promotion = info.get("promotion", {})
        rows.append({"version": folder.name, "current": folder.name == served, "stored_at": info.get("stored_at"),
                     "run": (info.get("export") or {}).get("run") or promotion.get("run"),
                     "how": promotion.get("how"), "reason": promotion.get("reason"), "bytes": info.get("bytes"),
                     "path": str(folder)})
    return rows


def rollback(settings: Settings, name: str, version: str | None = None) -> Path:
    """Serve `version`, or the one before the current; returns its folder."""
    kept = versions(settings, name)
    if not kept:
        raise NotFound(f"No kept versions of '{name}'.", hint="versions are kept when a build promotes a model")
    if version is None:
        served = current(settings, name)
        names = [p.name for p in kept]
        if served not in names or names.index(served) == 0:
            raise NotFound(f"'{name}' has no version before {served or 'the served one'}.",
                           hint=f"name one: {', '.join(names)}")
        chosen = kept[names.index(served) - 1]
    else:
        chosen = next((p for p in kept if p.name == version), None)
        if chosen is None:
            raise NotFound(f"'{name}' has no version {version}.", hint=f"kept: {', '.join(p.name for p in kept)}")
    serve(settings, name, chosen)
    return chosen


def prune(settings: Settings, name: str, keep: int) -> list[str]:
    """Delete all but the newest `keep` versions (never the served one); returns the deleted names."""
    if keep < 1:
        raise BadRequest("keep must be at least 1")
    served = current(settings, name)
    old = [p for p in versions(settings, name)[:-keep] if p.name != served]
    for folder in old:
        shutil.rmtree(folder)
    return [p.name for p in old]


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _made(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
