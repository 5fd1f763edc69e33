"""The floor's learned layer: a hashed n-gram logistic regression that lifts a FloorResult one step, never lowers it."""
# Trained by scripts/train_floor_model.py on must_catch, near_misses, floor_holdout, floor_holdout2 and the triage
# set (never on floor_holdout3+). Out-of-fold (stratified 5-fold x3 repeats, seed 0; the script prints these and
# the artifact's meta["metrics"] holds them with the training files' sha256):
#   AUC 0.902; threshold 0.616466 (<= 3% false crisis) -> crisis recall 49.4%, false crisis 2.9% of non-crisis
#   (2.1% of low/moderate, 5.7% of high). Each independent held-out file left out of training in turn, same
#   threshold: floor_holdout recall 64.4% / false crisis 2.5%, floor_holdout2 recall 79.7% / false crisis 6.7%.
# Why a lift and not a free-standing vote: alone at that threshold the classifier marked about 1 in 10 of the tests'
# hand-written everyday near-misses ("everything's ready for tonight's party") as crises. So it only escalates risk
# the phrase rules and signals already found: high -> crisis (imminence), moderate -> high. From "low" it does nothing.
from __future__ import annotations

import json
import time
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

from backend.safety.types import FloorResult, Hit, normalise
from core.errors import ConfigError

MODEL_FILE = Path(__file__).resolve().parent / "crisis_model.npz"
CATEGORY = "learned"
LIFT = {"moderate": "high", "high": "crisis"}


def hashers(blocks: list[dict]) -> list[HashingVectorizer]:
    """One stateless HashingVectorizer per feature block (char_wb and word n-grams), from the artifact's settings."""
    return [HashingVectorizer(**{**b, "ngram_range": tuple(b["ngram_range"])}) for b in blocks]


def features(vectorizers: list[HashingVectorizer], idfs: list[np.ndarray], texts: list[str]) -> sp.csr_matrix:
    """Per block: hashed counts x idf, l2-normalised (TfidfTransformer's arithmetic); blocks side by side."""
    out = []
    for vectorizer, idf in zip(vectorizers, idfs):
        counts = vectorizer.transform([normalise(t) for t in texts]).tocsr()
        counts.data *= idf[counts.indices]
        out.append(normalize(counts))
    return sp.hstack(out, format="csr")


class CrisisModel:
    """The shipped classifier, loaded from a non-pickle .npz. Build once, score many messages."""

    def __init__(self, path: Path = MODEL_FILE):
        try:
            with np.load(path, allow_pickle=False) as z:
                self.meta = json.loads(str(z["meta"]))
                self.idfs = [z[f"idf{i}"].astype(np.float64) for i in range(len(self.meta["blocks"]))]
                self.coef = z["coef"].astype(np.float64)
                self.intercept = float(z["intercept"])
            self.vectorizers = hashers(self.meta["blocks"])
            self.name, self.threshold = str(self.meta["name"]), float(self.meta["threshold"])
        except (OSError, KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"Cannot load the floor's classifier {Path(path).name}: {exc}") from None
        if self.coef.shape != (sum(len(i) for i in self.idfs),):
            raise ConfigError("The floor's classifier weights do not match its feature settings.")

    def score(self, text: str) -> float:
        """The probability that one message is a crisis."""
        return float(expit(features(self.vectorizers, self.idfs, [text]) @ self.coef + self.intercept)[0])


@lru_cache(maxsize=1)
def default_model() -> CrisisModel:
    """The shipped classifier, loaded once per process."""
    return CrisisModel()


def merge(result: FloorResult, text: str, model: CrisisModel | None = None) -> FloorResult:
    """The floor's result lifted one step (LIFT) when the classifier's score reaches its threshold; never lowered."""
    target = LIFT.get(result.severity)
    if target is None:
        return result
    start, model = time.perf_counter(), model or default_model()
    score = model.score(text)
    latency = round(result.latency_ms + (time.perf_counter() - start) * 1000, 3)
    if score < model.threshold:
        return result.model_copy(update={"latency_ms": latency})
    hit = _hit(result, target, model.name, score)
    return result.model_copy(update={
        "severity": target, "rules": list(dict.fromkeys(result.rules + [hit.rule])),
        "hits": result.hits + [hit],            # last, so a phrase or signal span stays the first evidence
        "action": result.action or ("emergency_services" if target == "crisis" else None),
        "flags": list(dict.fromkeys(result.flags + [hit.flag])), "latency_ms": latency})


def _hit(result: FloorResult, severity: str, name: str, score: float) -> Hit:
    """The lift as a Hit: the flag and concern of the floor's own strongest finding, the score, and no span or text."""
    top = next((h for h in result.hits if h.severity == result.severity and h.modifier != "negated"), None)
    flag = top.flag if top else "acute_danger"
    concern = result.concern or (top.concern if top else "general_distress")
    return Hit(rule=f"{CATEGORY}:{name}", category=CATEGORY, flag=flag, concern=concern, severity=severity,
               start=0, end=0, text="", score=round(score, 4))


__all__ = ["CrisisModel", "LIFT", "default_model", "features", "hashers", "merge"]
