"""Per-field support of a SessionSummary against its note; an unsupported field becomes the best note extract."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz

from backend.summarize import denials, evidence, extract
from core.schemas import SessionSummary

CHECKED = ("chief_complaint", "symptoms", "plan")       # risk and risk_note are composed from evidence instead
NOT_DOCUMENTED = "not documented in note"
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
_NUMBER = re.compile(r"\d+(?:[.,:/-]\d+)*%?")
STOPWORDS = frozenset("""
a an the and or but nor of to in on at by for with from as into onto over under about after before since until
than then so if while also very more most less least much many some any each every all both few other such own same
is are was were be been being am has have had having do does did doing can could will would shall should may might must
it its this that these those there here he she they them his her hers their theirs him i me my we us our you your
who whom whose which what when where why how not no never per via up down out off again further once just only
client clients patient patients pt reports reported reporting report states stated says said notes noted session
sessions today presents presented presenting describes described mentions mentioned feels feeling felt
""".split())
DRUGS = frozenset("""
sertraline fluoxetine paroxetine citalopram escitalopram fluvoxamine venlafaxine desvenlafaxine duloxetine bupropion
mirtazapine trazodone amitriptyline nortriptyline imipramine clomipramine lithium lamotrigine valproate divalproex
carbamazepine oxcarbazepine topiramate quetiapine olanzapine risperidone aripiprazole ziprasidone lurasidone
haloperidol clozapine paliperidone lorazepam diazepam alprazolam clonazepam temazepam zolpidem zopiclone buspirone
hydroxyzine propranolol prazosin clonidine guanfacine gabapentin pregabalin methylphenidate amphetamine
lisdexamfetamine atomoxetine naltrexone buprenorphine methadone disulfiram acamprosate varenicline melatonin ketamine
esketamine prozac zoloft paxil celexa lexapro effexor cymbalta wellbutrin remeron desyrel seroquel zyprexa risperdal
abilify haldol ativan valium xanax klonopin ambien buspar adderall ritalin concerta vyvanse strattera suboxone
antabuse oxycodone hydrocodone fentanyl tramadol ssri ssris snri antidepressant antidepressants antipsychotic
benzodiazepine benzodiazepines
""".split())


def stem(word: str) -> str:
    """A crude English stem: case, possessive and common suffixes folded ("sleeping", "sleeps" -> "sleep")."""
    w = word.lower().replace("\u2019", "'").removesuffix("'s").strip("'-")
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: len(w) - len(suffix)] + repl
    return w


def content_words(text: str) -> list[re.Match[str]]:
    """The words of `text` that carry content (not stopwords; abbreviations like SI kept)."""
    return [m for m in _WORD.finditer(text) if m.group().lower() not in STOPWORDS and (len(m.group()) > 2
                                                                                    or m.group().isupper())]


def _polarities(text: str) -> list[tuple[str, str]]:
    """(stem, "neg"|"pos") for each content word: "neg" inside a denial ("denies SI", "SI denied")."""
    scopes = denials.scopes(text)
    return [(stem(m.group()), "neg" if denials.denied(scopes, m.start(), m.end())
             or denials.denied_after(text, m.end()) else "pos") for m in content_words(text)]


def numbers(text: str) -> list[str]:
    return [m.group().rstrip("%") for m in _NUMBER.finditer(text)]


def has_number(text: str, number: str) -> bool:
    return bool(re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", text))


@dataclass
class Note:
    """One note, indexed once for checking many fields against it."""

    text: str
    stems: dict[str, set[str]] = field(default_factory=dict)      # stem -> polarities it has in the note

    def __post_init__(self) -> None:
        for s, polarity in _polarities(self.text):
            self.stems.setdefault(s, set()).add(polarity)

    @cached_property
    def risk(self) -> tuple[set[str], set[str]]:
        found = evidence.mentions(self.text)
        return set(evidence.asserted(found)), set(evidence.denied_keys(found))

    @cached_property
    def clause_stems(self) -> list[set[str]]:
        return [{stem(m.group()) for m in content_words(c.text)} for c in extract.clauses(self.text)]

    def polarity(self, word_stem: str) -> set[str] | None:
        """The polarities of a stem in the note (a near spelling counts), None when the note lacks it."""
        if word_stem in self.stems:
            return self.stems[word_stem]
        if len(word_stem) >= 5:
            near = [s for s in self.stems if len(s) >= 4 and (fuzz.ratio(word_stem, s) >= 88
                                                           or s.startswith(word_stem) or word_stem.startswith(s))]
            if near:
                return set().union(*(self.stems[s] for s in near))
        return None


# --- one field -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    kind: str               # invented | unsupported | negation_flip | unsupported_risk | recombined
    what: str               # the word, number or concept (never shown with the note)


def problems(value: str, note: Note) -> list[Problem]:
    """Why `value` is not supported by the note: every number, drug and content word must occur in the note
    with the same polarity (denied stays denied), every risk concept the value asserts must be asserted by
    the note, and content words must come from the same clauses rather than recombined across the note."""
    found = [Problem("invented", n) for n in numbers(value) if not has_number(note.text, n)]
    for word_stem, polarity in _polarities(value):
        seen = note.polarity(word_stem)
        if seen is None:
            found.append(Problem("invented" if word_stem in DRUGS else "unsupported", word_stem))
        elif polarity not in seen:
            found.append(Problem("negation_flip", word_stem))
    mentions = evidence.mentions(value)
    note_yes, note_no = note.risk
    for key in evidence.asserted(mentions):
        if key not in note_yes:
            found.append(Problem("negation_flip" if key in note_no else "unsupported_risk", key))
    for key in evidence.denied_keys(mentions):
        if key in note_yes:
            found.append(Problem("negation_flip", key))
    return found or _recombined(value, note)


def _recombined(value: str, note: Note) -> list[Problem]:
    """Adjacent content words that never share a clause of the note (a claim stitched from two sentences)."""
    stems = [stem(m.group()) for m in content_words(value)]
    pairs = list(zip(stems, stems[1:]))
    if len(stems) < 4:
        return []
    apart = [f"{a} {b}" for a, b in pairs if not any(a in c and b in c for c in note.clause_stems)]
    return [Problem("recombined", p) for p in apart] if len(apart) * 2 > len(pairs) else []


def supported(value: str, note: Note) -> bool:
    return not problems(value, note)


# --- the whole summary -----------------------------------------------------------------------------
DRAFT_MATCH = 50            # below this token-set similarity the draft does not steer the choice of extract


def enforce(summary: SessionSummary, text: str, max_chars: dict[str, int]) -> tuple[SessionSummary, list[str]]:
    """`summary` with every checked field the note does not support (or that repeats an earlier field, or a
    plan that is no plan) replaced by the best supported extract of the note; and the replaced fields."""
    note = Note(text)
    values: dict[str, str] = {}
    replaced: list[str] = []
    for name in CHECKED:
        value = getattr(summary, name)
        if not _keeps(name, value, note, list(values.values())):
            value = best_extract(name, value, note, list(values.values()), max_chars.get(name, 80))
            replaced.append(name)
        values[name] = value
    return summary.model_copy(update=values), replaced


def _same(a: str, b: str) -> bool:
    return NOT_DOCUMENTED not in (a, b) and fuzz.token_set_ratio(a.lower(), b.lower()) >= 90


def _keeps(name: str, value: str, note: Note, used: list[str]) -> bool:
    if any(_same(value, u) for u in used) or (name == "plan" and not extract.is_plan(value)):
        return False
    return supported(value, note)


def best_extract(name: str, draft: str, note: Note, used: list[str], max_chars: int) -> str:
    """The candidate clause of the note for field `name` closest to the model's draft (note order when the
    draft resembles none), trimmed to `max_chars`; NOT_DOCUMENTED when no candidate is left."""
    options = list(dict.fromkeys(extract.compact(c.text, max_chars) for c in extract.candidates(note.text, name)))
    options = [o for o in options if o and not any(_same(o, u) for u in used)]

    def score(pair: tuple[int, str]) -> tuple[float, int]:
        similarity = fuzz.token_set_ratio(draft.lower(), pair[1].lower())
        return (-(similarity if similarity >= DRAFT_MATCH else 0), pair[0])
    ranked = [o for _, o in sorted(enumerate(options), key=score)]
    return next((o for o in ranked if supported(o, note)), NOT_DOCUMENTED)
