"""Retrieval fallback: BM25 (bm25s, offline) over the vetted resource library in backend/safety/library.yaml."""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import ConfigError
from core.schemas import ConcernType

LIBRARY_FILE = Path(__file__).resolve().parent.parent / "safety" / "library.yaml"


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    url: Optional[str] = None


class LibraryEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    concern: ConcernType
    text: str = Field(min_length=10, max_length=400)
    source: Source


class Library:
    """A few dozen vetted entries and a BM25 index over title + text (built on first search)."""

    def __init__(self, entries: list[LibraryEntry]):
        if not entries:
            raise ConfigError("The resource library is empty.")
        self.entries = entries
        self._index = None
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: Path = LIBRARY_FILE) -> "Library":
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            entries = [LibraryEntry.model_validate(item) for item in raw]
        except (OSError, yaml.YAMLError, TypeError) as exc:
            raise ConfigError(f"Cannot read the resource library {path.name}: {exc}") from None
        except ValidationError as exc:
            raise ConfigError(f"Resource library {path.name} is malformed: {exc.errors()[0]['msg']}") from None
        if len({e.id for e in entries}) != len(entries):
            raise ConfigError(f"Resource library {path.name} has duplicate ids.")
        return cls(entries)

    def _retriever(self):
        import bm25s

        with self._lock:
            if self._index is None:
                corpus = [f"{e.title} {e.concern.replace('_', ' ')} {e.text}" for e in self.entries]
                retriever = bm25s.BM25()
                retriever.index(bm25s.tokenize(corpus, stopwords="en", show_progress=False), show_progress=False)
                self._index = retriever
        return self._index

    def search(self, query: str, k: int = 3) -> list[LibraryEntry]:
        """Up to k entries sharing words with `query`, best first (none if nothing matches)."""
        import bm25s

        k = max(1, min(k, len(self.entries)))
        tokens = bm25s.tokenize([query], stopwords="en", show_progress=False)
        docs, scores = self._retriever().retrieve(tokens, k=k, show_progress=False)
        return [self.entries[int(d)] for d, s in zip(docs[0], scores[0]) if s > 0]


@lru_cache(maxsize=1)
def default_library() -> Library:
    return Library.load()
