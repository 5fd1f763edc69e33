"""Train the crisis floor's learned layer, write backend/safety/crisis_model.npz; deterministic, prints CV metrics."""
# Usage: .venv/bin/python scripts/train_floor_model.py [--check]   (--check: retrain and compare, write nothing)
# Never add floor_holdout3.jsonl (or later held-out sets) to SOURCES: they are the blind measurement.
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import sklearn
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import RepeatedStratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.safety.learned import MODEL_FILE, features, hashers  # noqa: E402

# (file, label field): must_catch says "crisis", near_misses "not_crisis", the others a severity.
SOURCES = (("tests/data/must_catch.jsonl", "expect"), ("tests/data/near_misses.jsonl", "expect"),
           ("tests/data/floor_holdout.jsonl", "label"), ("tests/data/floor_holdout2.jsonl", "label"),
           ("training_data/datasets/triage.jsonl", "severity"))
HELD_OUT_SOURCES = ("tests/data/floor_holdout.jsonl", "tests/data/floor_holdout2.jsonl")
BLOCKS = [dict(analyzer="char_wb", ngram_range=[2, 5], n_features=2 ** 18, alternate_sign=False, norm=None),
          dict(analyzer="word", ngram_range=[1, 2], n_features=2 ** 18, alternate_sign=False, norm=None,
               token_pattern=r"(?u)\b\w[\w']*\b")]
NAME, C, SEED, FOLDS, REPEATS, MAX_FALSE = "crisis_classifier", 3.0, 0, 5, 3, 0.03


def load() -> tuple[list[str], np.ndarray, np.ndarray, dict[str, str]]:
    """Texts, labels (crisis/high/moderate/low/not_crisis), source files and each file's sha256; duplicates once."""
    texts, labels, origins, seen, hashes = [], [], [], set(), {}
    for name, field in SOURCES:
        raw = (ROOT / name).read_bytes()
        hashes[name] = hashlib.sha256(raw).hexdigest()
        for row in (json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()):
            key = " ".join(row["text"].lower().split())
            if key not in seen:
                seen.add(key)
                texts.append(row["text"])
                labels.append(row[field])
                origins.append(name)
    return texts, np.array(labels), np.array(origins), hashes


def fit(texts: list[str], crisis: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, float]:
    """idf per block (rounded to float32, as shipped), then a liblinear logistic regression: (idfs, coef, intercept)."""
    vectorizers = hashers(BLOCKS)
    idfs = [TfidfTransformer().fit(v.transform(texts)).idf_.astype(np.float32).astype(np.float64) for v in vectorizers]
    model = LogisticRegression(C=C, solver="liblinear", random_state=SEED)
    model.fit(features(vectorizers, idfs, texts), crisis)
    return idfs, model.coef_[0].astype(np.float32), float(np.float32(model.intercept_[0]))


def predict(fitted: tuple[list[np.ndarray], np.ndarray, float], texts: list[str]) -> np.ndarray:
    """Crisis probabilities, computed as backend.safety.learned does."""
    idfs, coef, intercept = fitted
    return expit(features(hashers(BLOCKS), idfs, texts) @ coef.astype(np.float64) + intercept)


def out_of_fold(texts: list[str], labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pooled out-of-fold probabilities over the repeats: (row index of each score, scores)."""
    strata = np.where(np.isin(labels, ("crisis", "high")), labels, "other")
    folds = RepeatedStratifiedKFold(n_splits=FOLDS, n_repeats=REPEATS, random_state=SEED)
    rows, scores = [], []
    for train, test in folds.split(texts, strata):
        rows.append(test)
        scores.append(predict(fit([texts[i] for i in train], labels[train] == "crisis"), [texts[i] for i in test]))
    return np.concatenate(rows), np.concatenate(scores)


def threshold(crisis: np.ndarray, p: np.ndarray) -> float:
    """The lowest cut whose out-of-fold false-crisis rate on non-crisis messages is <= MAX_FALSE (most recall)."""
    fpr, _, cuts = roc_curve(crisis, p)
    return float(cuts[fpr <= MAX_FALSE][-1])


def metrics(labels: np.ndarray, p: np.ndarray, cut: float) -> dict:
    rate = lambda mask: round(float(np.mean(p[mask] >= cut)), 4)  # noqa: E731
    return {"auc": round(float(roc_auc_score(labels == "crisis", p)), 4), "crisis_recall": rate(labels == "crisis"),
            "false_crisis_non_crisis": rate(labels != "crisis"), "false_crisis_high": rate(labels == "high"),
            "false_crisis_low_moderate": rate(np.isin(labels, ("low", "moderate", "not_crisis"))),
            "n": {k: int(np.sum(labels == k)) for k in ("crisis", "high", "moderate", "low", "not_crisis")}}


def source_held_out(texts: list[str], labels: np.ndarray, origins: np.ndarray, cut: float) -> dict:
    """Each independently written held-out file left out of training in turn, scored at the CV threshold."""
    out = {}
    for name in HELD_OUT_SOURCES:
        train, test = np.flatnonzero(origins != name), np.flatnonzero(origins == name)
        p = predict(fit([texts[i] for i in train], labels[train] == "crisis"), [texts[i] for i in test])
        out[Path(name).stem] = {k: v for k, v in metrics(labels[test], p, cut).items() if k != "n"}
    return out


def train() -> tuple[dict, dict[str, np.ndarray]]:
    """Everything the artifact holds: (meta, arrays)."""
    texts, labels, origins, hashes = load()
    rows, p = out_of_fold(texts, labels)
    cut = threshold(labels[rows] == "crisis", p)
    oof = metrics(labels[rows], p, cut)
    oof["n"] = {k: n // REPEATS for k, n in oof["n"].items()}
    idfs, coef, intercept = fit(texts, labels == "crisis")
    meta = {"name": NAME, "threshold": round(cut, 6), "blocks": BLOCKS, "data": hashes, "C": C, "seed": SEED,
            "sklearn": sklearn.__version__,
            "cv": f"RepeatedStratifiedKFold({FOLDS}x{REPEATS}), pooled out-of-fold, max false crisis {MAX_FALSE}",
            "metrics": {"out_of_fold": oof, "source_held_out": source_held_out(texts, labels, origins, cut)}}
    arrays = {f"idf{i}": idf.astype(np.float32) for i, idf in enumerate(idfs)}
    return meta, arrays | {"coef": coef, "intercept": np.float32(intercept)}


def same_as_shipped(meta: dict, arrays: dict[str, np.ndarray]) -> bool:
    with np.load(MODEL_FILE, allow_pickle=False) as z:
        return json.loads(str(z["meta"])) == meta and all(np.array_equal(z[k], v) for k, v in arrays.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="retrain and compare with the shipped artifact only")
    args = parser.parse_args()
    meta, arrays = train()
    print(json.dumps({k: meta[k] for k in ("name", "threshold", "metrics")}, indent=2))
    if args.check:
        same = same_as_shipped(meta, arrays)
        print("shipped artifact is up to date" if same else "shipped artifact differs: retrain")
        return 0 if same else 1
    np.savez_compressed(MODEL_FILE, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)
    print(f"wrote {MODEL_FILE.relative_to(ROOT)} ({MODEL_FILE.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
