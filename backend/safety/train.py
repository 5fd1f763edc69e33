"""Training the semantic layer (`main.py safety train`): corpus, leave-one-source-out CV, thresholds, model file.

Deterministic: fixed row order, lbfgs, no sampling. Thresholds come from the out-of-source predictions of the
leave-one-source-out runs (each source scored by a model that never saw it), recall first within a stated
false-alarm budget, and are written to the model file and to its manifest with the per-source metrics.
Training data: backend/safety/data/ (our written sets, clinical notes and messages by a separate author, real
posts; see its NOTICE) and the shipped triage set. The evaluation-only sets under tests/data/ are never read.
"""
from __future__ import annotations

import gzip
import itertools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import numpy as np
import scipy.sparse as sp

from backend.safety import semantic
from core import manifest
from core.schemas import severity_rank

DATA = Path(__file__).resolve().parent / "data"
TRIAGE_SET = Path(__file__).resolve().parents[2] / "training_data" / "datasets" / "triage.jsonl"
# file -> (source, label field); a source is one author or one world, the unit held out in cross-validation
WRITTEN = {"must_catch.jsonl": ("rule_author", "expect"), "near_misses.jsonl": ("rule_author", "expect"),
           "floor_holdout.jsonl": ("author_2", "label"), "floor_holdout2.jsonl": ("author_3", "label"),
           "notes.jsonl": ("notes_author", "label"), "messages.jsonl": ("messages_author", "label"),
           "notes2.jsonl": ("notes_author_2", "label"), "messages2.jsonl": ("messages_author_2", "label"),
           "lookalikes.jsonl": ("lookalike_author", "label"), "messages3.jsonl": ("messages_author_3", "label"),
           "messages4.jsonl": ("messages_author_4", "label"),
           "notes3.jsonl": ("notes_author_3", "label"), "notes4.jsonl": ("notes_author_4", "label")}
# multi-visit patients files (one labelled note per visit) -> source
PATIENTS = {f"patients_{x}.jsonl": f"patients_author_{x}" for x in "abcdef"}
# sources of clinical notes: weighted up in training (`note_weight`) and the ground the note thresholds are chosen on
NOTES = ("notes_author", "notes_author_2", "notes_author_3", "notes_author_4", *PATIENTS.values())
POSTS = DATA / "posts.jsonl.gz"
WEAK = {  # subreddit-derived label -> (crisis, risk, concern, weight): at-risk posts say nothing about imminence;
    # distress and help-seeking posts (depression, anxiety, CounselChat questions) are concerns, everyday ones not
    "at_risk": (None, 1, 1, 1.0), "distress": (0, 0, 1, 0.3), "everyday": (0, 0, 0, 1.0), "help": (0, 0, 1, 0.5)}
LABELLED = ("rule_author", "author_2", "author_3", "notes_author", "messages_author", "notes_author_2",
            "messages_author_2", "lookalike_author", "triage_set", "messages_author_3", "messages_author_4",
            "notes_author_3", "notes_author_4", *PATIENTS.values())
# Written by authors who never saw the rules: the only sources on which the whole floor's rates are honest, so
# the thresholds are chosen on them (the rules were tuned on the others). The look-alike author's set is left out
# of calibration on purpose: it is nearly all keyword look-alikes, far from the mix a practice receives.
# The multi-visit patients are left out too: written to the session-summary rubric (a recent attempt's follow-up is
# high), the other layers already call 15% of their non-crisis notes a crisis at any semantic threshold, so they would
# only push the crisis threshold up and cost messages their recall; the note reading's thresholds are chosen on them.
CALIBRATION = ("notes_author", "messages_author", "notes_author_2", "messages_author_2", "messages_author_3",
               "messages_author_4")


@dataclass(frozen=True)
class Example:
    text: str
    source: str
    crisis: Optional[int]         # 1 crisis, 0 not, None unknown (left out of that head)
    risk: Optional[int]           # 1 high or crisis, 0 not
    concern: Optional[int]        # 1 moderate or above, 0 low
    weight: float = 1.0

    @property
    def level(self) -> Optional[int]:
        """The labelled severity rank (0 low .. 3 crisis), when all three heads are labelled."""
        if None in (self.crisis, self.risk, self.concern):
            return None
        return 3 if self.crisis else 2 if self.risk else 1 if self.concern else 0


@dataclass(frozen=True)
class TrainConfig:
    out: Path = semantic.MODEL_FILE
    c: float = 4.0                          # inverse L2 strength of both logistic heads
    crisis_budget: float = 0.09             # most false crises (share of non-crises) the whole floor may make ...
    review_budget: float = 0.20             # ... and most low/moderate messages it may raise to high or review
    note_weight: float = 3.0                # clinical notes count this many times a message (a note reads unlike one)
    note_crisis_recall: float = 0.97        # recall first: the note reading keeps this share of crisis notes at crisis


@dataclass
class TrainResult:
    path: Path
    manifest: Path
    thresholds: dict[str, float]
    sources: dict[str, dict] = field(default_factory=dict)
    seconds: float = 0.0
    note_thresholds: dict[str, float] = field(default_factory=dict)
    notes: dict[str, dict] = field(default_factory=dict)


# --- corpus --------------------------------------------------------------------------------
def _severity_example(text: str, label: str, source: str) -> Example:
    if label in ("crisis", "not_crisis"):                  # must_catch / near_misses say only this much
        crisis = int(label == "crisis")
        return Example(text, source, crisis, crisis, 1 if crisis else None)
    return Example(text, source, int(label == "crisis"), int(label in ("high", "crisis")), int(label != "low"))


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
    for name, source in PATIENTS.items():
        if (data / name).is_file():
            rows += [_severity_example(v["text"], v["risk"], source) for r in _jsonl(data / name) for v in r["visits"]]
    rows += [_severity_example(r["text"], r["severity"], "triage_set") for r in _jsonl(triage_set)]
    for r in _jsonl(data / POSTS.name):
        crisis, risk, concern, weight = WEAK[r["weak"]]
        rows.append(Example(r["text"], r["source"], crisis, risk, concern, weight))
    return rows


def input_files(data: Path = DATA, triage_set: Path = TRIAGE_SET) -> list[Path]:
    return sorted([p for p in data.glob("*.jsonl*")]) + [triage_set]


# --- fitting -------------------------------------------------------------------------------
def fit_idf(blocks: list[sp.csr_matrix]) -> list[np.ndarray]:
    """Smoothed IDF per block (TfidfTransformer's formula)."""
    n = blocks[0].shape[0]
    return [np.log((1.0 + n) / (1.0 + np.bincount(b.indices, minlength=b.shape[1]))) + 1.0 for b in blocks]


def fit_heads(examples: list[Example], config: TrainConfig) -> dict[str, np.ndarray]:
    """IDF, coefficients and intercepts of every head, fitted on `examples` (notes weighted `note_weight`)."""
    from sklearn.linear_model import LogisticRegression

    raw = semantic.counts(semantic.vectorizers(), [e.text for e in examples])
    idfs = fit_idf(raw)
    x = semantic.weigh(raw, idfs)
    weights = np.array([e.weight * (config.note_weight if e.source in NOTES else 1.0) for e in examples])
    coef, intercept = [], []
    for head in semantic.HEADS:
        keep = np.array([getattr(e, head) is not None for e in examples])
        y = np.array([getattr(e, head) or 0 for e in examples])[keep]
        w = weights[keep]
        clf = LogisticRegression(C=config.c, max_iter=3000, class_weight="balanced")
        clf.fit(x[keep], y, sample_weight=w)
        coef.append(clf.coef_[0])
        intercept.append(clf.intercept_[0])
    return {"idf": idfs, "coef": np.stack(coef), "intercept": np.array(intercept)}


def _model(params: dict, thresholds: dict[str, float], meta: dict) -> semantic.SemanticModel:
    return semantic.SemanticModel.from_arrays({"blocks": [dict(b) for b in semantic.BLOCKS], "thresholds": thresholds,
                                               **meta}, params["idf"], params["coef"], params["intercept"])


def out_of_source(examples: list[Example], config: TrainConfig, progress=None) -> tuple[np.ndarray, np.ndarray]:
    """(n, heads) scores at the best window and on the whole text, each source's rows scored by a model trained
    on all the other sources."""
    scores, whole = np.zeros((len(examples), 2)), np.zeros((len(examples), len(semantic.HEADS)))
    sources = sorted({e.source for e in examples})
    for i, source in enumerate(sources):
        model = _model(fit_heads([e for e in examples if e.source != source], config), {}, {})
        for j, e in enumerate(examples):
            if e.source == source:
                s = model.score(e.text)
                scores[j], whole[j] = (s.crisis, s.risk), s.whole
        if progress:
            progress(i + 1, len(sources), source)
    return scores, whole


# --- thresholds and metrics ----------------------------------------------------------------
def floor_without_semantic(examples: list[Example]) -> list[str]:
    """The severity every other layer of the floor gives each calibration example (what the semantic lanes add
    to); the other examples are not used for thresholds and are not evaluated."""
    from backend.safety.floor import evaluate
    from backend.safety.pipeline import Pipeline

    rules_only = Pipeline(without=("semantic",))
    calibrate = any(e.source in CALIBRATION for e in examples)
    return [evaluate(e.text, pipeline=rules_only).severity if e.source in CALIBRATION + NOTES or not calibrate
            else "low" for e in examples]


def _combined(base: np.ndarray, scores: np.ndarray, t_crisis: float, t_review: float) -> np.ndarray:
    """Severity ranks after the semantic lanes: crisis past t_crisis, at least high past t_review."""
    out, crisis = base.copy(), semantic.heard_crisis(scores[:, 0], scores[:, 1])
    out[crisis >= t_crisis] = 3
    review = (np.maximum(crisis, scores[:, 1]) >= t_review) & (out < 2)
    out[review] = 2
    return out


def choose_thresholds(examples: list[Example], scores: np.ndarray, base: list[str],
                      config: TrainConfig) -> dict[str, float]:
    """Recall first within the stated budgets, for the whole floor on the calibration sources: the lowest crisis
    threshold whose false crises stay within `crisis_budget`, then the lowest review threshold whose false highs
    (low/moderate raised) stay within `review_budget`. Scores are out-of-source, so each is an honest guess."""
    rows = [i for i, e in enumerate(examples) if e.source in CALIBRATION] or list(range(len(examples)))
    s = scores[rows]
    ranks = np.array([severity_rank(base[i]) for i in rows])
    not_crisis = np.array([examples[i].crisis == 0 for i in rows])
    calm = np.array([examples[i].risk == 0 for i in rows])
    grid = np.unique(np.round(np.r_[s[:, 0], s[:, 1], 1.0], 4))
    t_crisis = next((t for t in grid if (_combined(ranks, s, t, 2.0)[not_crisis] == 3).mean() <= config.crisis_budget),
                    grid[-1])                                           # budget unmet by the other layers: 1.0
    t_review = next((t for t in grid if t <= t_crisis and (_combined(ranks, s, t_crisis, t)[calm] >= 2).mean()
                     <= config.review_budget), t_crisis) if calm.any() else t_crisis   # budget unmet: review = crisis
    return {"crisis": float(t_crisis), "review": float(min(t_review, t_crisis))}


NOTE_GRID = np.round(np.arange(0.2, 0.851, 0.05), 2)


def note_rule_ranks(examples: list[Example], rules: Optional[Callable[[str], int]] = None) -> np.ndarray:
    """The rule reading's severity rank of every labelled note (0 elsewhere, and everywhere without `rules`),
    read once for choosing the note thresholds and for reporting them."""
    return np.array([rules(e.text) if rules and e.source in NOTES and e.level is not None else 0 for e in examples])


def _note_reading(rule_ranks: np.ndarray, whole: np.ndarray, floor: np.ndarray, t: dict[str, float]) -> np.ndarray:
    """A note's level as serving reads it: the higher of its rules and the three heads at thresholds `t`."""
    return np.maximum(rule_ranks, semantic.note_ranks(whole, t, floor))


def choose_note_thresholds(examples: list[Example], whole: np.ndarray, floor: np.ndarray, rule_ranks: np.ndarray,
                           config: TrainConfig = TrainConfig()) -> dict[str, float]:
    """The whole-note thresholds (crisis, risk, concern) at which a note's reading, the higher of its rule
    reading (`rule_ranks`, from `note_rule_ranks`) and the three heads' level, agrees most often with the labelled
    level on the note sources, among those that keep `note_crisis_recall` of the crisis notes at crisis (recall
    first; none does: all are candidates); ties go to the higher thresholds (fewer notes raised). Out-of-source
    scores; `floor` is the whole floor's out-of-source rank of each example (the crisis head's guard)."""
    rows = [i for i, e in enumerate(examples) if e.source in NOTES and e.level is not None]
    if not rows:
        return {}
    y, base, p, f = np.array([examples[i].level for i in rows]), rule_ranks[rows], whole[rows], floor[rows]
    best, chosen, crisis = (False, -1.0), None, y == 3
    for t in itertools.product(NOTE_GRID, repeat=3):
        t = dict(zip(semantic.HEADS, t))
        read = _note_reading(base, p, f, t)
        kept = not crisis.any() or float((read[crisis] == 3).mean()) >= config.note_crisis_recall
        score = (kept, float((read == y).mean()))
        if score >= best:
            best, chosen = score, t
    return {k: float(v) for k, v in chosen.items()}


def note_metrics(examples: list[Example], whole: np.ndarray, floor: np.ndarray, t: dict[str, float],
                 rule_ranks: np.ndarray) -> dict[str, dict]:
    """Per note source: exact and within-one agreement of the note reading (rules, then with the heads)."""
    out = {}
    for source in NOTES:
        rows = [i for i, e in enumerate(examples) if e.source == source and e.level is not None]
        if not rows:
            continue
        y, base = np.array([examples[i].level for i in rows]), rule_ranks[rows]
        read = _note_reading(base, whole[rows], floor[rows], t) if t else base
        out[source] = {"n": len(rows), "rules_exact": round(float((base == y).mean()), 4),
                       "exact": round(float((read == y).mean()), 4),
                       "within_one": round(float((abs(read - y) <= 1).mean()), 4),
                       "crisis_recall": round(float((read[y == 3] == 3).mean()), 4) if (y == 3).any() else None,
                       "over": round(float((read > y).mean()), 4), "under": round(float((read < y).mean()), 4)}
    return out


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
        crisis_call = semantic.heard_crisis(s[:, 0], s[:, 1]) >= thresholds["crisis"]
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


def run(config: TrainConfig = TrainConfig(), progress=None, note_rules: Optional[Callable[[str], int]] = None) -> TrainResult:
    """Cross-validate by source, choose thresholds, fit on everything, write the model file and its manifest.
    `note_rules` is the session-note reading the heads are combined with (backend/summarize/evidence.py's
    rule reading, passed in by the CLI so safety never imports the summarizer)."""
    started = time.perf_counter()
    examples = corpus()
    scores, whole = out_of_source(examples, config, progress)
    base = floor_without_semantic(examples)
    thresholds = choose_thresholds(examples, scores, base, config)
    metrics = source_metrics(examples, scores, thresholds)
    floor = _combined(np.array([severity_rank(b) for b in base]), scores, thresholds["crisis"], thresholds["review"])
    rule_ranks = note_rule_ranks(examples, note_rules)
    note_thresholds = choose_note_thresholds(examples, whole, floor, rule_ranks, config)
    notes = note_metrics(examples, whole, floor, note_thresholds, rule_ranks)
    params = fit_heads(examples, config)
    meta = {"name": "semantic-ngram-3head", "trained_on": sorted({e.source for e in examples}),
            "examples": len(examples), "note_thresholds": note_thresholds}
    save(config.out, params, thresholds, meta)
    manifest_file = config.out.with_suffix(".manifest.json")
    manifest.write_json(manifest_file, {
        "stage": "safety-train", "model": config.out.name, "sha256": manifest.sha256(config.out),
        "inputs": {p.name: manifest.sha256(p) for p in input_files()}, "config": {
            k: v for k, v in vars(config).items() if k != "out"},
        "thresholds": thresholds, "note_thresholds": note_thresholds, "leave_one_source_out": metrics,
        "note_reading_out_of_source": notes, "examples": len(examples)})
    return TrainResult(config.out, manifest_file, thresholds, metrics, round(time.perf_counter() - started, 1),
                       note_thresholds, notes)
