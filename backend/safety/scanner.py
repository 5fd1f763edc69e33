"""Fast matching of many word-anchored patterns: each is tried only at words that can start it."""
from __future__ import annotations

import re

_META = set("\\()[].|^$")
_QUANT = set("?*+{")
_WORD_START = re.compile(r"\b\w")


def _leading_words(pattern: str) -> list[str] | None:
    """The literal prefixes a pattern's match must start with (for `\\b(?:a|b)...` or `\\bword...`), else None."""
    branches = _split_top(pattern)
    if len(branches) > 1:
        found = [_branch_words(branch) for branch in branches]
        return None if any(f is None for f in found) else [w for f in found for w in f]  # type: ignore[union-attr]
    return _branch_words(pattern)


def _branch_words(pattern: str) -> list[str] | None:
    if not pattern.startswith("\\b"):
        return None
    body = pattern[2:]
    if body.startswith("(?:"):
        depth, end = 0, None
        for i, ch in enumerate(body):
            if ch == "\\":
                continue
            if ch == "(" and (i == 0 or body[i - 1] != "\\"):
                depth += 1
            elif ch == ")" and body[i - 1] != "\\":
                depth -= 1
                if depth == 0:
                    end = i
                    break
        if end is None or body[end + 1:end + 2] in _QUANT:
            return None
        alternatives = _split_top(body[3:end])
    else:
        alternatives = [body]
    prefixes = [_literal_prefix(alt) for alt in alternatives]
    return None if not all(prefixes) else prefixes  # type: ignore[return-value]


def _split_top(group: str) -> list[str]:
    parts, depth, current, escaped = [], 0, "", False
    for ch in group:
        if escaped:
            current, escaped = current + ch, False
            continue
        if ch == "\\":
            current, escaped = current + ch, True
            continue
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return parts + [current]


def _literal_prefix(alt: str) -> str:
    out = ""
    for i, ch in enumerate(alt):
        if ch in _META or not (ch.isalnum() or ch == "'"):
            break
        if alt[i + 1:i + 2] and alt[i + 1] in _QUANT:
            break
        out += ch
    return out.lower() if out and out[0].isalnum() else ""


class Scanner:
    """Finds matches of many `\\b`-anchored patterns by trying each only at words that can start it."""

    def __init__(self, patterns: list[re.Pattern[str]]):
        self.by_prefix: dict[str, list[int]] = {}
        self.always: list[int] = []
        self.patterns = patterns
        for index, pattern in enumerate(patterns):
            prefixes = _leading_words(pattern.pattern)
            if prefixes is None:
                self.always.append(index)
                continue
            for prefix in {p[:3] for p in prefixes}:
                self.by_prefix.setdefault(prefix, []).append(index)
        self.lengths = sorted({len(k) for k in self.by_prefix})

    def matches(self, text: str) -> list[tuple[int, re.Match[str]]]:
        """(pattern index, match) for every match starting at a word (plus full scans of the rest)."""
        lowered = text.lower() if len(text.lower()) == len(text) else text
        found: dict[tuple[int, int], re.Match[str]] = {}
        for word in _WORD_START.finditer(lowered):
            pos = word.start()
            for n in self.lengths:
                for index in self.by_prefix.get(lowered[pos:pos + n], ()):
                    m = self.patterns[index].match(text, pos)
                    if m:
                        found.setdefault((index, m.start()), m)
        for index in self.always:
            for m in self.patterns[index].finditer(text):
                found.setdefault((index, m.start()), m)
        return [(index, m) for (index, _), m in sorted(found.items(), key=lambda kv: kv[0][1])]
