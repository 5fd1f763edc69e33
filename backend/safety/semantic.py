"""The semantic layer: a three-head classifier (crisis; at risk, high or crisis; concern, moderate or above) over a
message and its sentence windows. The floor reads the crisis and at-risk heads at their best window; a session
note's reading (backend/summarize/evidence.py) reads all three on the whole note.

Features are TF-IDF-weighted hashed character and word n-grams (stateless HashingVectorizer, the IDF and weights
in `semantic_model.npz`), scored on the whole message and on every window of a few sentences; the highest window
wins, so one crisis sentence inside a long note is not diluted. Why n-grams and not sentence embeddings: measured
leave-one-source-out on the training sources (backend/safety/train.py, README "Safety net"), they beat both
all-MiniLM-L6-v2 embeddings (which also cost ~260 ms per 2,000 characters on one core, past the floor's 50 ms)
and MiniLM static token vectors. The model file is written by `main.py safety train`; its manifest next to it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

from backend.safety.scope import mask_denials
from core.errors import ConfigError

MODEL_FILE = Path(__file__).resolve().parent / "semantic_model.npz"
HEADS = ("crisis", "risk", "concern")
WINDOW_SENTENCES = 2
# The crisis head is heard only where the at-risk head gives at least this: a crisis is a risk, and alone the crisis
# head hears single words of a short text ("Standing at the edge of the pool", "Client denies current self-harm").
CRISIS_NEEDS_RISK = 0.4
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
BLOCKS = (  # the feature blocks: stateless, so only these settings and the fitted IDF are stored
    {"analyzer": "char_wb", "ngram_range": (2, 5), "n_features": 2 ** 18, "denials": True},
    {"analyzer": "word", "ngram_range": (1, 2), "n_features": 2 ** 18, "negation": True, "denials": True},
)
# Clinical denials ("Denies SI, HI, plan or intent") are blanked before hashing (backend/safety/scope.py), so a
# denial list reads as nothing, not as its risk words; what follows a "but"/"reports" is kept.
# NegEx-style scope: the words after a negation cue, up to a clause break, are read as negated ("denies SI, HI"
# gives the features neg_si and neg_hi, not si and hi), so a denial list and a statement look different.
_NEG_CUE = re.compile(r"\b(?:no|not|never|denie[sd]|deny|denying|without|negative for|neither|nor|free of|"
                      r"absence of|ruled out|n't)\b|n't\b", re.IGNORECASE)
_NEG_END = re.compile(r"[.;:!?\n]|\b(?:but|however|although|though|except|reports|endorses|admits)\b", re.IGNORECASE)
_WORD = re.compile(r"\b\w\w+\b")
NEG_WORDS = 8


def negation_marked(text: str) -> str:
    """`text` with every word inside a negation scope prefixed `neg_`."""
    out, pos = [], 0
    for cue in _NEG_CUE.finditer(text):
        if cue.start() < pos:
            continue
        end = _NEG_END.search(text, cue.end())
        stop = end.start() if end else len(text)
        out.append(text[pos:cue.end()])
        words = 0
        def mark(m: re.Match[str]) -> str:
            nonlocal words
            words += 1
            return "neg_" + m.group(0) if words <= NEG_WORDS else m.group(0)
        out.append(_WORD.sub(mark, text[cue.end():stop]))
        pos = stop
    out.append(text[pos:])
    return "".join(out)


def vectorizers(blocks=BLOCKS) -> list[HashingVectorizer]:
    return [HashingVectorizer(analyzer=b["analyzer"], ngram_range=tuple(b["ngram_range"]),
                              n_features=b["n_features"], alternate_sign=False, norm=None, lowercase=True)
            for b in blocks]


def counts(vecs: list[HashingVectorizer], texts: list[str], blocks=BLOCKS) -> list[sp.csr_matrix]:
    """Raw hashed counts per block (training fits the IDF on these)."""
    texts = [mask_denials(t) for t in texts] if any(b.get("denials") for b in blocks) else texts
    marked = [negation_marked(t) for t in texts] if any(b.get("negation") for b in blocks) else texts
    return [v.transform(marked if b.get("negation") else texts).tocsr() for v, b in zip(vecs, blocks)]


def weigh(blocks: list[sp.csr_matrix], idfs: list[np.ndarray]) -> sp.csr_matrix:
    """Sublinear tf x idf, l2-normalised per block, blocks side by side (TfidfTransformer's arithmetic)."""
    out = []
    for m, idf in zip(blocks, idfs):
        m = m.astype(np.float64)
        m.data = (1.0 + np.log(m.data)) * idf[m.indices]
        out.append(normalize(m))
    return sp.hstack(out, format="csr")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank sentence (or line) of `text`."""
    cuts = [0] + [m.end() for m in _SENTENCE.finditer(text)] + [len(text)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


def membership(n: int) -> sp.csr_matrix:
    """Windows x sentences: row 0 the whole text, then every run of WINDOW_SENTENCES consecutive sentences."""
    runs = [range(i, min(i + WINDOW_SENTENCES, n)) for i in range(max(1, n - WINDOW_SENTENCES + 1))]
    rows = [range(n), *runs]
    data = [(r, c) for r, cols in enumerate(rows) for c in cols]
    return sp.csr_matrix((np.ones(len(data)), ([r for r, _ in data], [c for _, c in data])), shape=(len(rows), n))


def windows(text: str) -> list[tuple[int, int]]:
    """(start, end) of the whole text and of every run of WINDOW_SENTENCES consecutive sentences."""
    spans = sentences(text)
    if len(spans) <= 1:
        return [(0, len(text))]
    return [(0, len(text))] + [(spans[i][0], spans[min(i + WINDOW_SENTENCES, len(spans)) - 1][1])
                               for i in range(max(1, len(spans) - WINDOW_SENTENCES + 1))]


@dataclass(frozen=True)
class Scores:
    """Each head's probability at its best window and that window's span, and each head on the whole text."""

    crisis: float
    risk: float
    crisis_span: tuple[int, int]
    risk_span: tuple[int, int]
    whole: tuple[float, ...] = ()       # (crisis, risk, concern) on the whole text, no window


class SemanticModel:
    """The shipped classifier, loaded from a non-pickle .npz. Build once, score many messages."""

    def __init__(self, path: Path = MODEL_FILE):
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                idfs = [z[f"idf{i}"] for i in range(len(meta["blocks"]))]
                coef, intercept = z["coef"], z["intercept"]
        except (OSError, KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"Cannot load the floor's semantic model {Path(path).name}: {exc}",
                              hint="rebuild it with: main.py safety train") from None
        self._set(meta, idfs, coef, intercept)

    @classmethod
    def from_arrays(cls, meta: dict, idfs: list[np.ndarray], coef: np.ndarray, intercept: np.ndarray) -> "SemanticModel":
        """A model from fitted arrays (training's cross-validation folds), without a file."""
        model = cls.__new__(cls)
        model._set(meta, idfs, coef, intercept)
        return model

    def _set(self, meta: dict, idfs: list[np.ndarray], coef: np.ndarray, intercept: np.ndarray) -> None:
        self.meta = meta
        self.idfs = [np.asarray(i, dtype=np.float64) for i in idfs]
        self.coef = np.asarray(coef, dtype=np.float64)                      # (heads, features)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.coef_t = np.ascontiguousarray(self.coef.T)             # scipy copies a transposed view every call
        self.vectorizers = vectorizers(meta["blocks"])
        self.thresholds: dict[str, float] = {k: float(v) for k, v in meta["thresholds"].items()}
        self.note_thresholds: dict[str, float] = {k: float(v) for k, v in meta.get("note_thresholds", {}).items()}

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """(n, heads) probabilities for whole texts, the arithmetic training used."""
        if not texts:
            return np.zeros((0, len(HEADS)))
        return self._logistic(counts(self.vectorizers, texts, self.meta["blocks"]))

    def _logistic(self, blocks: list[sp.csr_matrix]) -> np.ndarray:
        x = weigh(blocks, self.idfs)
        return 1.0 / (1.0 + np.exp(-(x @ self.coef_t + self.intercept)))

    def score(self, text: str) -> Scores:
        """Each head at its best window. Every sentence is hashed once; a window's counts are its sentences'
        counts summed (membership matrix), so a 2,000-character note costs one pass, not one per window.
        A text that a clinical denial leaves almost empty scores 0 (`too_little_left`)."""
        if too_little_left(text):
            return Scores(crisis=0.0, risk=0.0, crisis_span=(0, 0), risk_span=(0, 0), whole=(0.0,) * len(HEADS))
        spans = sentences(text)
        if len(spans) <= 1:
            p, spans = self.probabilities([text]), [(0, len(text))]
        else:
            per_sentence = counts(self.vectorizers, [text[a:b] for a, b in spans], self.meta["blocks"])
            member = membership(len(spans))
            p = self._logistic([(member @ block).tocsr() for block in per_sentence])
            spans = windows(text)
        best = p.argmax(axis=0)                     # row 0 is the whole text (membership, windows)
        return Scores(crisis=float(p[best[0], 0]), risk=float(p[best[1], 1]),
                      crisis_span=spans[best[0]], risk_span=spans[best[1]], whole=tuple(float(v) for v in p[0]))


MIN_WORDS_LEFT = 3


def too_little_left(text: str) -> bool:
    """A denial blanked nearly everything ("Client denies current self-harm" leaves "Client"): what is left is too
    short to read, and l2-normalised n-grams of one word score like the strongest evidence."""
    masked = mask_denials(text)
    return masked != text and len(_WORD.findall(masked)) < MIN_WORDS_LEFT


def heard_crisis(crisis, risk):
    """The crisis head's score where the at-risk head confirms it (at least `CRISIS_NEEDS_RISK`), else 0."""
    return np.where(np.asarray(risk) >= CRISIS_NEEDS_RISK, crisis, 0.0)


def note_ranks(whole, t: dict[str, float], floor=None) -> np.ndarray:
    """Severity ranks (0 low .. 3 crisis) that whole-note head scores (n, heads) give at note thresholds `t`.
    The crisis head counts only where the floor's rank (`floor`, n) is at least high: alone it hears single words
    in a short note ("Client is calm." scores near the threshold, calm resolve being a crisis sign in messages)."""
    whole = np.atleast_2d(np.asarray(whole, dtype=np.float64))
    out = np.zeros(len(whole), dtype=int)
    out[whole[:, 2] >= t["concern"]] = 1
    out[whole[:, 1] >= t["risk"]] = 2
    crisis = whole[:, 0] >= t["crisis"]
    out[crisis if floor is None else crisis & (np.asarray(floor) >= 2)] = 3
    return out


@lru_cache(maxsize=1)
def default_model() -> SemanticModel:
    """The shipped model, loaded once per process."""
    return SemanticModel()
