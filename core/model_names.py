"""The registry names of the two shipped models, and where their kept versions live (core/schemas needs a name)."""
from __future__ import annotations

import re
from pathlib import Path

TRIAGE_MODEL = "triage"
ASSISTANT_MODEL = "therapy-assistant"


VERSION = re.compile(r"^v(\d+)$")           # a kept version's folder name: v1, v2, ...


def version_of(models_dir: Path, name: str, gguf: Path | None) -> str | None:
    """The kept version ("v3") whose folder, <models_dir>/<name>/<version>/, holds `gguf`; None otherwise."""
    if gguf is None:
        return None
    folder = Path(gguf).parent
    return folder.name if folder.parent == models_dir / name and VERSION.match(folder.name) else None
