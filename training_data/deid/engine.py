"""The de-identification engine: run every recognizer, resolve overlaps, replace spans with numbered placeholders."""
from __future__ import annotations

import re
from collections import Counter

from training_data.deid import names, patterns
from training_data.deid.spans import ENTITIES, PLACEHOLDER, PRIORITY, Span, placeholder

_TRAILING_CODE = re.compile(r",?\s*(?:[A-Z]{2}\s+)?(?:\d{4,6}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b")
_LEADING_CODE = re.compile(r"\b\d{4,5}\s+$")


def candidates(text: str, *, lexicons: bool = True, ner: bool = True, ner_found: list[Span] | None = None) -> list[Span]:
    """Every recognizer's spans, overlapping, placeholders excluded."""
    spans = patterns.pattern_spans(text) + patterns.phone_spans(text)
    if lexicons:
        spans += names.lexicon_spans(text)
    if ner:
        from training_data.deid.ner import ner_spans

        spans += ner_found if ner_found is not None else ner_spans(text)
    return _outside_placeholders(text, spans)


def resolve(text: str, spans: list[Span]) -> list[Span]:
    """Non-overlapping spans sorted by start: the higher-priority kind wins, then the longer span."""
    chosen: list[Span] = []
    for span in sorted(spans, key=_rank):
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    chosen += _leftovers(text, spans, chosen)
    spans = sorted((_extend_name(text, _extend_location(text, s, chosen), chosen) for s in chosen), key=lambda s: s.start)
    return _merge_locations(text, spans)


def _leftovers(text: str, spans: list[Span], chosen: list[Span]) -> list[Span]:
    """The part of a losing span that sticks out of the winners ("Toronto ON M4V" won over the postcode "M4V 1S7":
    "1S7" is still removed, as the postcode's kind)."""
    out: list[Span] = []
    for span in spans:
        if span in chosen:
            continue
        free = [p for p in range(span.start, span.end) if not any(c.start <= p < c.end for c in chosen + out)]
        if len(free) == span.end - span.start or not free:
            continue                                   # untouched spans lost to nothing; covered ones are done
        start, end = free[0], free[-1] + 1
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not text[end - 1].isalnum():
            end -= 1
        piece = text[start:end]
        if sum(c.isalnum() for c in piece) >= 2 and end - start == len([p for p in free if start <= p < end]) \
                and (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            out.append(Span(start, end, span.label, span.source))
    return out


_SURNAME = re.compile(r" (?:(?:van der|van den|van de|van|von|de la|de los|del|della|de|di|da|dos|das|du|le|bin|binti|"
                      r"bint|ibn|ap|ab|ben|al|el)\s+)?(?:(?:al|el)-)?(?:[A-Z][a-zà-öø-ÿ]+(?:[-'’][A-Z][a-zà-öø-ÿ]+)?)"
                      r"(?=[\s,.;:!?)]|$)")


def _extend_name(text: str, span: Span, chosen: list[Span]) -> Span:
    """A capitalized word right after a name is its surname, even an ordinary word ("Sunny Park", "Tom Black"),
    with its particle ("Lotte van der Meer", "Khalid bin Rashid al-Mansouri")."""
    for i in range(3):
        longer = _extend_once(text, span, chosen, particle_only=i > 0)
        if longer is span:
            return span
        span = longer
    return span


def _extend_once(text: str, span: Span, chosen: list[Span], particle_only: bool = False) -> Span:
    if span.label != "NAME":
        return span
    after = _SURNAME.match(text, span.end)
    word = after.group().strip() if after else ""
    if not after or word in names.NOT_NAMES or word in names.TITLES or names.not_identifier(word) \
            or (particle_only and " " not in word and "-" not in word[:4]):
        return span
    if any(c.start < after.end() and c.end > span.end for c in chosen if c is not span):
        return span
    return Span(span.start, after.end(), span.label, span.source)


def _rank(span: Span) -> tuple[int, int, int, int]:
    tier = PRIORITY[ENTITIES[0]] if span.label in ENTITIES else PRIORITY[span.label]
    return tier, -(span.end - span.start), PRIORITY[span.label], span.start


_PARTICLES = re.compile(r"\s+(?:(?:van|von|der|den|de|del|della|la|le|da|di|dos|das|du|bin|binti|bint|ibn|ap|ab|ben|y)\s+)*")


def _merge_locations(text: str, spans: list[Span]) -> list[Span]:
    """'12 Elm Street, Springfield, IL 62704' is one address, not four places; 'Khalid' 'bin' 'Rashid al-Mansouri'
    is one name."""
    merged: list[Span] = []
    for span in spans:
        last = merged[-1] if merged else None
        gap = text[last.end:span.start] if last else ""
        if last and last.label == span.label == "LOCATION" and re.fullmatch(r"[,\s]*", gap) or (
                last and last.label == "NAME" and span.label in ENTITIES and gap.strip() and _PARTICLES.fullmatch(gap)):
            merged[-1] = Span(last.start, span.end, last.label, last.source)
        else:
            merged.append(span)
    return merged


_CITY_BEFORE = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?,? $")


def _extend_location(text: str, span: Span, chosen: list[Span]) -> Span:
    """A postcode right after or before a place ("Leeds LS6 2AB", "10115 Berlin") belongs to it, and so does the
    town named right before a postcode ("Bath BA1 1LZ", "Mystic CT 06355"), whatever word the town is."""
    if span.label != "LOCATION":
        return span
    start, end = span.start, span.end
    city = _CITY_BEFORE.search(text[max(0, start - 30):start]) if span.source == "postcode" else None
    if city and not any(c.end > start - len(city.group()) and c.start < start for c in chosen if c is not span):
        start -= len(city.group())
    after = _TRAILING_CODE.match(text, end)
    if after and not any(c.start < after.end() and c.end > end for c in chosen if c is not span):
        end = after.end()
    before = _LEADING_CODE.search(text[max(0, start - 8):start])
    if before and not any(c.end > start - len(before.group()) and c.start < start for c in chosen if c is not span):
        start -= len(before.group())
    return Span(start, end, span.label, span.source) if (start, end) != (span.start, span.end) else span


def propagate(text: str, spans: list[Span]) -> list[Span]:
    """An identifier found once is found everywhere in the text ("Sunny, Sunny Park", "Ninety-eight!")."""
    taken = [(s.start, s.end) for s in spans]
    extra = []
    for surface, label in {(text[s.start:s.end], s.label) for s in spans if s.label in _PROPAGATED}:
        if len(surface) < 3 or not any(c.isalpha() for c in surface):
            continue
        flags = re.I if label == "AGE" or not surface[:1].isupper() else 0
        for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text, flags):
            if not any(m.start() < e and s < m.end() for s, e in taken):
                span = _extend_name(text, Span(m.start(), m.end(), label, "repeated"), spans + extra)
                extra.append(span)
                taken.append((span.start, span.end))
    return sorted(spans + extra, key=lambda s: s.start)


_PROPAGATED = {"NAME", "ORGANIZATION", "LOCATION", "AGE", "USERNAME"}


def find_pii(text: str, *, lexicons: bool = True, ner: bool = True) -> list[Span]:
    """Non-overlapping identifier spans, sorted by start. lexicons/ner=False: patterns and phones only (baselines)."""
    return _find(text, lexicons=lexicons, ner=ner)


def find_many(texts: list[str]) -> list[list[Span]]:
    """find_pii for many texts, with the NER model run in batches (several times faster)."""
    from training_data.deid.ner import ner_spans_many

    return [_find(text, ner_found=found) for text, found in zip(texts, ner_spans_many(texts))]


def _find(text: str, **options) -> list[Span]:
    if not text or not text.strip():
        return []
    return propagate(text, resolve(text, candidates(text, **options)))


def _outside_placeholders(text: str, spans: list[Span]) -> list[Span]:
    taken = [m.span() for m in PLACEHOLDER.finditer(text)] if "[" in text else []
    return [s for s in spans if s.end > s.start and not any(s.start < e and s.end > b for b, e in taken)]


class Pseudonyms:
    """Numbered placeholders for one document: the same identifier keeps its number ([NAME_1] stays one person)."""

    def __init__(self) -> None:
        self.numbers: dict[tuple[str, str], int] = {}
        self.per_kind: Counter[str] = Counter()

    def placeholder(self, label: str, surface: str) -> str:
        key = (label, _identity(surface))
        number = self.numbers.get(key) or self._same_person(key)
        if number is None:
            self.per_kind[label] += 1
            number = self.per_kind[label]
        self.numbers.setdefault(key, number)
        return placeholder(label, number)

    def _same_person(self, key: tuple[str, str]) -> int | None:
        """'Sarah' after 'Sarah Johnson' (or the reverse) is the same name."""
        if key[0] != "NAME":
            return None
        words = set(key[1].split())
        return next((n for (label, ident), n in self.numbers.items() if label == "NAME" and words & set(ident.split())),
                    None)


def _identity(surface: str) -> str:
    return re.sub(r"['’]s$|\W+", " ", surface.casefold()).strip()


def replace(text: str, spans: list[Span], pseudonyms: Pseudonyms | None = None) -> str:
    """Replace spans with numbered placeholders (pass one Pseudonyms for all the texts of one document)."""
    pseudonyms = pseudonyms or Pseudonyms()
    out, pos = [], 0
    for span in spans:
        out += [text[pos:span.start], pseudonyms.placeholder(span.label, text[span.start:span.end])]
        pos = span.end
    return "".join(out + [text[pos:]])


def scrub(text: str) -> str:
    """Replace every identifier with its numbered placeholder; idempotent."""
    return replace(text, find_pii(text)) if text else text
