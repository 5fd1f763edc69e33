"""Stage manifests: a fingerprint of inputs+config+versions, written atomically as manifest.json."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

LIBRARIES = ("torch", "transformers", "peft", "trl", "llama-cpp-python", "gguf")


def versions(names: tuple[str, ...] = LIBRARIES) -> dict[str, str | None]:
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
    """Write manifest.json atomically (temp file + rename), stamped with the time."""
    body = {**body, "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    write_json(path, body)
    return body


def write_json(path: Path, body: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(body, fh, indent=2, default=str)
        fh.write("\n")
    os.replace(tmp, path)
