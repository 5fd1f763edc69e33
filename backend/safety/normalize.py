"""Normalisation before any safety layer reads a message, with a map from every output character back to the input.

What it undoes (obfuscation and copy-paste noise that would switch a word-level rule off):
- compatibility forms (NFKD: full-width letters, ligatures, super/subscripts) and combining marks (accents, Zalgo);
- format and control characters (Unicode Cc/Cf: zero-width space/joiners, BOM, soft hyphen, bidi controls, tags)
  and variation selectors; odd spaces become a plain space, line/paragraph separators a newline;
- curly quotes become straight ones;
- Cyrillic/Greek look-alike letters inside a word that also has Latin letters (`kіll` with a Cyrillic i);
- leetspeak digits and symbols between letters (`k1ll`, `su1cide`, `p!lls`) or opening a word (`0verdose`, `$elf`);
- runs of three or more of one letter (`killllll`, `diiiie`): see `variants`.

Spans found in the output map back with `Normalized.span`, so what a person is shown points into what they wrote.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from backend.safety.types import QUOTES

_QUOTES = {**QUOTES, "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'", "\u201e": '"', "\u2033": '"'}
_KEEP_CONTROLS = {"\n", "\t", "\r"}
# Cyrillic and Greek letters that look like Latin ones (lower case; upper case is lowered first).
_LOOKALIKES = {**dict(zip("асеорхуіјѕԁһӏԛԝкмтвн", "aceopxyijsdhlqwkmtbh")),     # Cyrillic
               **dict(zip("νοαιρτχ", "voaiptx"))}                                 # Greek
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "!": "i"}
_LEET_OPENING = {"0", "@", "$"}        # may start a word (`0verdose`, `$elf`); other digits there are numbers


@dataclass(frozen=True)
class Normalized:
    """The normalised text and, per character, the index of the input character it came from."""

    text: str
    origin: tuple[int, ...]
    source_length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The input span [start, end) that the output span [start, end) came from."""
        if start >= end or not self.origin:
            point = self.origin[start] if start < len(self.origin) else self.source_length
            return point, point
        return self.origin[start], self.origin[min(end, len(self.origin)) - 1] + 1


def _chars(text: str) -> tuple[list[str], list[int]]:
    """Per input character: its compatibility decomposition without marks, invisible characters dropped."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in _fold_char(char):
            out.append(piece)
            origin.append(index)
    return out, origin


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _KEEP_CONTROLS:
        return char
    if char in _QUOTES:
        return _QUOTES[char]
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Cs", "Co", "Cn") or _is_variation_selector(char):
        return ""
    if category == "Zs":
        return " "
    if category in ("Zl", "Zp"):
        return "\n"
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in ("Mn", "Me", "Cf"))
    if kept and not kept.isascii():             # a letter of another script keeps its marks (й, ё)
        return unicodedata.normalize("NFKC", char)
    return "".join(_QUOTES.get(c, c) for c in kept)


def _is_variation_selector(char: str) -> bool:
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or 0x180B <= code <= 0x180D


def _words(chars: list[str]) -> list[tuple[int, int]]:
    """[start, end) of each run of non-space characters."""
    spans, start = [], None
    for i, char in enumerate(chars + [" "]):
        if char.isspace():
            if start is not None:
                spans.append((start, i))
            start = None
        elif start is None:
            start = i
    return spans


def _fold_word(chars: list[str], start: int, end: int) -> None:
    """Look-alikes and leetspeak, in place, inside one word that has Latin letters."""
    word = chars[start:end]
    if not any("a" <= c.lower() <= "z" for c in word):
        return
    for i in range(start, end):
        lower = chars[i].lower()
        if lower in _LOOKALIKES:
            chars[i] = _LOOKALIKES[lower] if chars[i] == lower else _LOOKALIKES[lower].upper()
    for i in range(start, end):
        if chars[i] in _LEET and _leet_position(chars, i, start, end):
            chars[i] = _LEET[chars[i]]


def _leet_position(chars: list[str], i: int, start: int, end: int) -> bool:
    """Between two letters, or opening a word of letters (`0verdose`); never in plain numbers (`50mg`)."""
    before = chars[i - 1].isalpha() if i > start else False
    after = i + 1 < end and (chars[i + 1].isalpha() or (chars[i + 1] in _LEET and i + 2 < end and chars[i + 2].isalpha()))
    if before and after:
        return True
    return i == start and chars[i] in _LEET_OPENING and after and _letters_after(chars, i, end) >= 3


def _letters_after(chars: list[str], i: int, end: int) -> int:
    n = 0
    for c in chars[i + 1:end]:
        if not c.isalpha():
            break
        n += 1
    return n


def _collapse(chars: list[str], origin: list[int], keep: int) -> tuple[str, tuple[int, ...]]:
    """Runs of three or more of one letter (any case) cut to their first `keep` letters."""
    out: list[str] = []
    kept: list[int] = []
    i = 0
    while i < len(chars):
        j = i + 1
        while j < len(chars) and chars[i].isalpha() and chars[j].lower() == chars[i].lower():
            j += 1
        take = keep if j - i >= 3 else j - i
        out += chars[i:i + take]
        kept += origin[i:i + take]
        i = j
    return "".join(out), tuple(kept)


# Plain ASCII without control characters, backticks, leetspeak candidates or letter runs needs no work at all.
_PLAIN = re.compile(r"[\x20-\x5f\x61-\x7e\n\t\r]*")
_MAYBE_FOLDED = re.compile(r"[A-Za-z][0-9@$!][A-Za-z0-9@$!]|(?<!\S)[0@$][A-Za-z]|([A-Za-z])\1\1", re.IGNORECASE)


def variants(text: str) -> list[Normalized]:
    """The normalised message. A run of 3+ of one letter is ambiguous (`killll` means `kill`, `diiie` means
    `die`), so then two readings come back, the run cut to two letters and to one; callers take the more
    severe result."""
    if _PLAIN.fullmatch(text) and not _MAYBE_FOLDED.search(text):
        return [Normalized(text, tuple(range(len(text))), len(text))]
    chars, origin = _chars(text)
    for start, end in _words(chars):
        _fold_word(chars, start, end)
    two = Normalized(*_collapse(chars, origin, 2), len(text))
    if len(two.text) == len(chars):                 # no run of 3+ letters: one reading
        return [two]
    return [two, Normalized(*_collapse(chars, origin, 1), len(text))]


def normalize(text: str) -> Normalized:
    """The primary normalised reading of `text` (runs of 3+ letters cut to two)."""
    return variants(text)[0]
