"""Paired bootstrap: confidence intervals for candidate-minus-baseline metric differences on the same items."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Callable, Sequence

import numpy as np

Aggregate = Callable[[Sequence[Any]], "float | None"]


@dataclass
class Comparison:
    """One metric, baseline vs candidate: the observed difference, its 95% interval and a plain verdict."""

    metric: str
    baseline: float | None
    candidate: float | None
    diff: float | None
    low: float | None
    high: float | None
    higher_is_better: bool
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def verdict(low: float | None, high: float | None, higher_is_better: bool) -> str:
    """'better' / 'worse' when the interval excludes 0, else 'no significant difference'."""
    if low is None or high is None:
        return "not measurable"
    if low > 0 or high < 0:
        improved = (low > 0) == higher_is_better
        return "better" if improved else "worse"
    return "no significant difference"


def paired_bootstrap(baseline: Sequence[Any], candidate: Sequence[Any], aggregate: Aggregate, *,
                     metric: str = "metric", higher_is_better: bool = True, n_resamples: int = 1000,
                     seed: int = 0, confidence: float = 0.95) -> Comparison:
    """Resample item indices with replacement (the same indices for both systems) and recompute
    `aggregate` on each side; the interval is the percentile range of the differences."""
    if len(baseline) != len(candidate):
        raise ValueError("paired bootstrap needs the same items for both systems")
    base, cand = aggregate(baseline), aggregate(candidate)
    diff = None if base is None or cand is None else cand - base
    rng = np.random.default_rng(seed)
    n = len(baseline)
    diffs = []
    for _ in range(n_resamples if n else 0):
        idx = rng.integers(0, n, n)
        a, b = aggregate([baseline[i] for i in idx]), aggregate([candidate[i] for i in idx])
        if a is not None and b is not None:
            diffs.append(b - a)
    low = high = None
    if diffs and diff is not None:
        tail = (1 - confidence) / 2 * 100
        low, high = (float(v) for v in np.percentile(diffs, [tail, 100 - tail]))
    return Comparison(metric, base, cand, diff, low, high, higher_is_better, verdict(low, high, higher_is_better))


def interval(items: Sequence[Any], aggregate: Aggregate, *, n_resamples: int = 1000, seed: int = 0,
             confidence: float = 0.95) -> tuple[float | None, float | None]:
    """The percentile bootstrap interval of `aggregate` over one system's items (resampled with replacement)."""
    rng = np.random.default_rng(seed)
    n = len(items)
    values = [v for v in (aggregate([items[i] for i in rng.integers(0, n, n)]) for _ in range(n_resamples if n else 0))
              if v is not None]
    if not values:
        return None, None
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)
