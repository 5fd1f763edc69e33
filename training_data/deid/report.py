"""What a scrub run replaced: counts by identifier kind and recognizer, and a sample of spans by id (never text)."""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from training_data.deid.spans import Span

SAMPLE = 25


@dataclass
class Report:
    by_kind: Counter[str] = field(default_factory=Counter)
    by_recognizer: Counter[str] = field(default_factory=Counter)
    texts: int = 0
    texts_changed: int = 0
    sample: list[dict[str, Any]] = field(default_factory=list)
    _seen: int = 0
    _rng: random.Random = field(default_factory=lambda: random.Random(0))

    def add(self, row_id: str, field_name: str, spans: list[Span]) -> None:
        self.texts += 1
        self.texts_changed += bool(spans)
        for span in spans:
            self.by_kind[span.label] += 1
            self.by_recognizer[span.source or "?"] += 1
            self._keep({"row": row_id, "field": field_name, "kind": span.label, "recognizer": span.source,
                        "start": span.start, "length": span.end - span.start})

    def _keep(self, item: dict[str, Any]) -> None:
        """Reservoir sample: every span equally likely to be shown, whatever the run's size."""
        self._seen += 1
        if len(self.sample) < SAMPLE:
            self.sample.append(item)
        elif (slot := self._rng.randrange(self._seen)) < SAMPLE:
            self.sample[slot] = item

    def as_dict(self) -> dict[str, Any]:
        return {"identifiers": sum(self.by_kind.values()), "by_kind": dict(sorted(self.by_kind.items())),
                "by_recognizer": dict(sorted(self.by_recognizer.items())), "texts": self.texts,
                "texts_changed": self.texts_changed,
                "sample": sorted(self.sample, key=lambda s: (s["row"], s["field"], s["start"]))}
