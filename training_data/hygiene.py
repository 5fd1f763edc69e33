"""Data hygiene: near-duplicate removal (rapidfuzz), stratified split, length stats."""
from __future__ import annotations

import random
import statistics
from collections import defaultdict
from typing import Any, Callable, Iterable

Row = dict[str, Any]
SPLITS = ("train", "val", "test")


def near_duplicates(texts: list[str], threshold: float = 85.0, edge: int = 150) -> dict[int, tuple[int, float]]:
    """{index: (kept index, score)} for every text > `threshold`% similar (fuzz.ratio) to an earlier one.

    Blocking keeps it fast: candidate pairs come from one `cdist` over each text's first and last
    `edge` characters (cutoff 60), and only those pairs are compared in full.
    """
    import numpy as np
    from rapidfuzz import fuzz, process

    if len(texts) < 2:
        return {}
    keys = [t[:edge] + t[-edge:] if len(t) > 2 * edge else t for t in texts]
    scores = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=60, workers=-1, dtype=np.uint8)
    first, second = np.nonzero(np.triu(scores, 1))
    dropped: dict[int, tuple[int, float]] = {}
    for i, j in sorted(zip(first.tolist(), second.tolist())):
        if i in dropped or j in dropped:
            continue
        score = fuzz.ratio(texts[i], texts[j], score_cutoff=threshold)
        if score > threshold:
            dropped[j] = (i, round(score, 1))
    return dropped


def stratified_split(rows: list[Row], key: Callable[[Row], str], seed: int,
                     fractions: tuple[float, float] = (0.1, 0.1)) -> dict[str, list[Row]]:
    """80/10/10 (by default) within every stratum, shuffled with a fixed seed; small strata fill train first."""
    strata: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        strata[str(key(row))].append(row)
    rng = random.Random(seed)
    out: dict[str, list[Row]] = {s: [] for s in SPLITS}
    for name in sorted(strata):
        group = sorted(strata[name], key=lambda r: r["id"])
        rng.shuffle(group)
        n_val, n_test = (int(round(len(group) * f)) for f in fractions)
        out["test"] += group[:n_test]
        out["val"] += group[n_test:n_test + n_val]
        out["train"] += group[n_test + n_val:]
    return out


def length_stats(lengths: Iterable[int]) -> dict[str, float]:
    values = sorted(lengths)
    if not values:
        return {"n": 0}
    return {"n": len(values), "min": values[0], "mean": round(statistics.fmean(values), 1),
            "median": statistics.median(values), "p95": values[min(len(values) - 1, int(len(values) * 0.95))],
            "max": values[-1]}
