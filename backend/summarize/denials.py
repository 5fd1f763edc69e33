"""Denial scopes of a clinical text: the spans a negation covers ("Denies SI, HI or self-harm", "no appetite change")."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Cues that deny a whole list up to the end of the clause ("denies SI, HI, self-harm or substance misuse").
LONG_CUES = (r"denies|denied|denying|deny|negative for|neg for|(?:0|zero) (?:urges|episodes|thoughts) (?:for|of|to)|no evidence of|no history of|no current|no recent|"
             r"no reported|no signs? of|free (?:of|from)|rules? out|ruled out|not endorsing|does not endorse|"
             r"did not endorse|did not report|does not report|not reporting|absence of|without any")
# Cues that deny the few words after them, up to a comma ("no appetite change, tearful most days").
SHORT_CUES = (r"no|not|without|never|nor|none|no longer|doesn't|does not|didn't|did not|isn't|is not|wasn't|"
              r"was not|won't|will not|cannot|can't|could not|couldn't|unable to|n't")
_LONG = re.compile(rf"\b(?:{LONG_CUES})\b", re.I)
_SHORT = re.compile(rf"(?:\b(?:{SHORT_CUES})\b|(?<=[a-z])n't\b)", re.I)
# Where a denial stops: clause punctuation, a contrast, or the note turning to what the client does report.
_END = re.compile(r"[.;:!?\n]|\b(?:but|however|although|though|yet|except|apart from|while|whereas|other than|"
                  r"reports?|reported|endorses|endorsed|admits|admitted|describes|described|states|stated|"
                  r"acknowledges|acknowledged|discloses|disclosed|says|said|notes|noted|presents|appears)\b", re.I)
_COMMA = re.compile(r",|\band\b(?= (?:is|was|has|feels|reports))", re.I)
LONG_WORDS, SHORT_WORDS = 16, 6
# A denial after the thing denied: "SI/HI denied", "suicidal ideation: negative", "HI - none".
# A resolution after it counts the same: "thoughts of suicide have gone", "SI 'stopped after the ED'", "SI 0/5".
_AFTER = re.compile(r"(?:\s*(?:/|,|and|or)\s*[A-Za-z][A-Za-z-]*){0,3}\)?\s*[:\-\u2013(]?\s*['\"\u2018\u201c]?"
                    r"(?:is |was |were |are |both |have |has |had )?(?:now |since |all |completely |pretty much )?"
                    r"(?:denied|negative|neg|absent|none|nil|not present|not endorsed|not reported|ruled out|resolved|"
                    r"gone|stopped|ceased|subsided|remitted|lifted|(?:scored|score|=)\s*0|0\s*/\s*\d+|0 out of)\b"
                    r"(?!\s*(?:up|higher|worse|back|on|into|from|her|him|me|them|you)\b)", re.I)


@dataclass(frozen=True)
class Scope:
    """A negation cue and the span it covers (cue excluded), as offsets into the text."""

    cue_start: int
    start: int
    end: int

    def covers(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


def _limit(text: str, start: int, stop: int, words: int) -> int:
    """The offset after at most `words` words from `start` (never past `stop`)."""
    for n, m in enumerate(re.finditer(r"\S+", text[start:stop])):
        if n + 1 == words:
            return start + m.end()
    return stop


# A short list after a short cue is denied whole: "No SI, HI or SIB reported".
_ITEM = r"[\w/'-]+(?:\s+[\w/'-]+){0,2}"
_LIST = re.compile(rf"\s*{_ITEM}(?:\s*,\s*{_ITEM})*,?\s+(?:or|and|nor)\s+{_ITEM}\s*")


def _scope(text: str, cue: re.Match[str], long: bool) -> Scope:
    start = cue.end()
    end_match = _END.search(text, start)
    stop = end_match.start() if end_match else len(text)
    if not long and _LIST.fullmatch(text, start, stop):
        long = True
    if not long:
        comma = _COMMA.search(text, start, stop)
        stop = comma.start() if comma else stop
    return Scope(cue.start(), start, _limit(text, start, stop, LONG_WORDS if long else SHORT_WORDS))


def scopes(text: str) -> list[Scope]:
    """Every denial scope of `text`, in order (a long cue's scope wins over short cues inside it)."""
    long = [_scope(text, m, True) for m in _LONG.finditer(text)]
    short = [_scope(text, m, False) for m in _SHORT.finditer(text)
             if not any(s.cue_start <= m.start() < s.end for s in long)]
    return sorted(long + short, key=lambda s: s.start)


def denied(spans: list[Scope], start: int, end: int) -> bool:
    """Whether the span [start, end) lies inside one of the denial scopes."""
    return any(s.covers(start, end) for s in spans)


def denied_after(text: str, end: int) -> bool:
    """Whether a denial follows the span ending at `end` ("SI/HI denied", "self-harm: none")."""
    return bool(_AFTER.match(text, end))
