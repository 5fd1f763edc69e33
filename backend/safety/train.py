"""Training the semantic layer (`main.py safety train`): corpus, leave-one-source-out CV, thresholds, model file.

Deterministic: fixed row order, lbfgs, no sampling. Thresholds come from the out-of-source predictions of the
leave-one-source-out runs (each source scored by a model that never saw it), recall first within a stated
false-alarm budget, and are written to the model file and to its manifest with the per-source metrics.
Training data: backend/safety/data/ (our written sets, clinical notes and messages by a separate author, real
posts; see its NOTICE) and the shipped triage set. The evaluation-only sets under tests/data/ are never read.
"""
from __future__ import annotations

import gzip
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np
import scipy.sparse as sp

from backend.safety import semantic
from core import manifest

DATA = Path(__file__).resolve().parent / "data"
TRIAGE_SET = Path(__file__).resolve().parents[2] / "training_data" / "datasets" / "triage.jsonl"
# file -> (source, label field); a source is one author or one world, the unit held out in cross-validation
WRITTEN = {"must_catch.jsonl": ("rule_author", "expect"), "near_misses.jsonl": ("rule_author", "expect"),
           "floor_holdout.jsonl": ("author_2", "label"), "floor_holdout2.jsonl": ("author_3", "label"),
           "notes.jsonl": ("notes_author", "label"), "messages.jsonl": ("messages_author", "label"),
           "notes2.jsonl": ("notes_author_2", "label"), "messages2.jsonl": ("messages_author_2", "label"),
           "lookalikes.jsonl": ("lookalike_author", "label")}
POSTS = DATA / "posts.jsonl.gz"
WEAK = {  # subreddit-derived label -> (crisis, risk, weight): at-risk posts say nothing about imminence
    "at_risk": (None, 1, 1.0), "distress": (0, 0, 0.3), "everyday": (0, 0, 1.0), "help": (0, 0, 0.5)}
LABELLED = ("rule_author", "author_2", "author_3", "notes_author", "messages_author", "notes_author_2",
            "messages_author_2", "lookalike_author", "triage_set")
# Written by authors who never saw the rules: the only sources on which the whole floor's rates are honest, so
# the thresholds are chosen on them (the rules were tuned on the others). The look-alike author's set is left out
# of calibration on purpose: it is nearly all keyword look-alikes, far from the mix a practice receives.
CALIBRATION = ("notes_author", "messages_author", "notes_author_2", "messages_author_2")


@dataclass(frozen=True)
class Example:
    text: str
    source: str
    crisis: Optional[int]         # 1 crisis, 0 not, None unknown (left out of that head)
    risk: Optional[int]           # 1 high or crisis, 0 not
    weight: float = 1.0


@dataclass(frozen=True)
class TrainConfig:
    out: Path = semantic.MODEL_FILE
    c: float = 4.0                          # inverse L2 strength of both logistic heads
    crisis_budget: float = 0.09             # most false crises (share of non-crises) the whole floor may make ...
    review_budget: float = 0.20             # ... and most low/moderate messages it may raise to high or review


@dataclass
class TrainResult:
    path: Path
    manifest: Path
    thresholds: dict[str, float]
    sources: dict[str, dict] = field(default_factory=dict)
    seconds: float = 0.0


# --- corpus --------------------------------------------------------------------------------
def _severity_example(text: str, label: str, source: str) -> Example:
    if label in ("crisis", "not_crisis"):                  # must_catch / near_misses say only this much
        return Example(text, source, int(label == "crisis"), 1 if label == "crisis" else 0)
    return Example(text, source, int(label == "crisis"), int(label in ("high", "crisis")))


def _jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def corpus(data: Path = DATA, triage_set: Path = TRIAGE_SET) -> list[Example]:
    """Every training example, in a fixed order."""
    rows = []
    for name, (source, key) in WRITTEN.items():
        if (data / name).is_file():
            rows += [_severity_example(r["text"], r[key], source) for r in _jsonl(data / name)]
    rows += [_severity_example(r["text"], r["severity"], "triage_set") for r in _jsonl(triage_set)]
    for r in _jsonl(data / POSTS.name):
        crisis, risk, weight = WEAK[r["weak"]]
        rows.append(Example(r["text"], r["source"], crisis, risk, weight))
    return rows


def input_files(data: Path = DATA, triage_set: Path = TRIAGE_SET) -> list[Path]:
    return sorted([p for p in data.glob("*.jsonl*")]) + [triage_set]


# --- fitting -------------------------------------------------------------------------------
def fit_idf(blocks: list[sp.csr_matrix]) -> list[np.ndarray]:
    """Smoothed IDF per block (TfidfTransformer's formula)."""
    n = blocks[0].shape[0]
    return [np.log((1.0 + n) / (1.0 + np.bincount(b.indices, minlength=b.shape[1]))) + 1.0 for b in blocks]


def fit_heads(examples: list[Example], config: TrainConfig) -> dict[str, np.ndarray]:
    """IDF, coefficients and intercepts of both heads, fitted on `examples`."""
    from sklearn.linear_model import LogisticRegression

    raw = semantic.counts(semantic.vectorizers(), [e.text for e in examples])
    idfs = fit_idf(raw)
    x = semantic.weigh(raw, idfs)
    coef, intercept = [], []
    for head in semantic.HEADS:
        keep = np.array([getattr(e, head) is not None for e in examples])
        y = np.array([getattr(e, head) or 0 for e in examples])[keep]
        w = np.array([e.weight for e in examples])[keep]
        clf = LogisticRegression(C=config.c, max_iter=3000, class_weight="balanced")
        clf.fit(x[keep], y, sample_weight=w)
        coef.append(clf.coef_[0])
        intercept.append(clf.intercept_[0])
    return {"idf": idfs, "coef": np.stack(coef), "intercept": np.array(intercept)}


def _model(params: dict, thresholds: dict[str, float], meta: dict) -> semantic.SemanticModel:
    return semantic.SemanticModel.from_arrays({"blocks": [dict(b) for b in semantic.BLOCKS], "thresholds": thresholds,
                                               **meta}, params["idf"], params["coef"], params["intercept"])


def out_of_source(examples: list[Example], config: TrainConfig, progress=None) -> np.ndarray:
    """(n, heads) scores, each source's rows scored by a model trained on all the other sources."""
    scores = np.zeros((len(examples), len(semantic.HEADS)))
    sources = sorted({e.source for e in examples})
    for i, source in enumerate(sources):
        model = _model(fit_heads([e for e in examples if e.source != source], config), {}, {})
        for j, e in enumerate(examples):
            if e.source == source:
                s = model.score(e.text)
                scores[j] = (s.crisis, s.risk)
        if progress:
            progress(i + 1, len(sources), source)
    return scores


# --- thresholds and metrics ----------------------------------------------------------------
def floor_without_semantic(examples: list[Example]) -> list[str]:
    """The severity every other layer of the floor gives each calibration example (what the semantic lanes add
    to); the other examples are not used for thresholds and are not evaluated."""
    from backend.safety.floor import evaluate
    from backend.safety.pipeline import Pipeline

    rules_only = Pipeline(without=("semantic",))
    calibrate = any(e.source in CALIBRATION for e in examples)
    return [evaluate(e.text, pipeline=rules_only).severity if e.source in CALIBRATION or not calibrate else "low"
            for e in examples]


def _combined(base: np.ndarray, scores: np.ndarray, t_crisis: float, t_review: float) -> np.ndarray:
    """Severity ranks after the semantic lanes: crisis past t_crisis, at least high past t_review."""
    out = base.copy()
    out[scores[:, 0] >= t_crisis] = 3
    review = (np.maximum(scores[:, 0], scores[:, 1]) >= t_review) & (out < 2)
    out[review] = 2
    return out


def choose_thresholds(examples: list[Example], scores: np.ndarray, base: list[str],
                      config: TrainConfig) -> dict[str, float]:
    """Recall first within the stated budgets, for the whole floor on the calibration sources: the lowest crisis
    threshold whose false crises stay within `crisis_budget`, then the lowest review threshold whose false highs
    (low/moderate raised) stay within `review_budget`. Scores are out-of-source, so each is an honest guess."""
    from core.schemas import severity_rank

    rows = [i for i, e in enumerate(examples) if e.source in CALIBRATION] or list(range(len(examples)))
    s = scores[rows]
    ranks = np.array([severity_rank(base[i]) for i in rows])
    not_crisis = np.array([examples[i].crisis == 0 for i in rows])
    calm = np.array([examples[i].risk == 0 for i in rows])
    grid = np.unique(np.round(np.r_[s[:, 0], s[:, 1], 1.0], 4))
    t_crisis = next(t for t in grid if (_combined(ranks, s, t, 2.0)[not_crisis] == 3).mean() <= config.crisis_budget)
    t_review = next(t for t in grid if t <= t_crisis and (_combined(ranks, s, t_crisis, t)[calm] >= 2).mean()
                    <= config.review_budget) if calm.any() else t_crisis
    return {"crisis": float(t_crisis), "review": float(min(t_review, t_crisis))}


def _auc(pos: np.ndarray, neg: np.ndarray) -> Optional[float]:
    if not len(pos) or not len(neg):
        return None
    from sklearn.metrics import roc_auc_score

    return round(float(roc_auc_score(np.r_[np.ones(len(pos)), np.zeros(len(neg))], np.r_[pos, neg])), 4)


def source_metrics(examples: list[Example], scores: np.ndarray, thresholds: dict[str, float]) -> dict[str, dict]:
    """Per held-out source: crisis recall / false crisis at the crisis lane, at-risk recall / false alarm at
    either lane, and each head's AUC."""
    out = {}
    for source in sorted({e.source for e in examples}):
        rows = [i for i, e in enumerate(examples) if e.source == source]
        s = scores[rows]
        crisis_call = s[:, 0] >= thresholds["crisis"]
        flagged = crisis_call | (s[:, 1] >= thresholds["review"])
        c = np.array([examples[i].crisis for i in rows], dtype=object)
        r = np.array([examples[i].risk for i in rows], dtype=object)
        m = {"n": len(rows)}
        if (c == 1).any():
            m["crisis_recall"] = round(float(crisis_call[c == 1].mean()), 4)
        if (c == 0).any():
            m["false_crisis"] = round(float(crisis_call[c == 0].mean()), 4)
        if (r == 1).any():
            m["at_risk_recall"] = round(float(flagged[r == 1].mean()), 4)
        if (r == 0).any():
            m["false_alarm"] = round(float(flagged[r == 0].mean()), 4)
        m["crisis_auc"] = _auc(s[c == 1, 0], s[c == 0, 0])
        m["risk_auc"] = _auc(s[r == 1, 1], s[r == 0, 1])
        out[source] = m
    return out


# --- the stage -----------------------------------------------------------------------------
def save(path: Path, params: dict, thresholds: dict[str, float], meta: dict) -> None:
    full = {"blocks": [dict(b, ngram_range=list(b["ngram_range"])) for b in semantic.BLOCKS],
            "thresholds": thresholds, **meta}
    arrays = {f"idf{i}": idf.astype(np.float32) for i, idf in enumerate(params["idf"])}
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        np.savez_compressed(fh, meta=np.array(json.dumps(full, sort_keys=True)),
                            coef=params["coef"].astype(np.float32),
                            intercept=params["intercept"].astype(np.float32), **arrays)


def run(config: TrainConfig = TrainConfig(), progress=None) -> TrainResult:
    """Cross-validate by source, choose thresholds, fit on everything, write the model file and its manifest."""
    started = time.perf_counter()
    examples = corpus()
    scores = out_of_source(examples, config, progress)
    thresholds = choose_thresholds(examples, scores, floor_without_semantic(examples), config)
    metrics = source_metrics(examples, scores, thresholds)
    params = fit_heads(examples, config)
    meta = {"name": "semantic-ngram-2head", "trained_on": sorted({e.source for e in examples}),
            "examples": len(examples)}
    save(config.out, params, thresholds, meta)
    manifest_file = config.out.with_suffix(".manifest.json")
    manifest.write_json(manifest_file, {
        "stage": "safety-train", "model": config.out.name, "sha256": manifest.sha256(config.out),
        "inputs": {p.name: manifest.sha256(p) for p in input_files()}, "config": {
            k: v for k, v in vars(config).items() if k != "out"},
        "thresholds": thresholds, "leave_one_source_out": metrics, "examples": len(examples)})
    return TrainResult(config.out, manifest_file, thresholds, metrics, round(time.perf_counter() - started, 1))
