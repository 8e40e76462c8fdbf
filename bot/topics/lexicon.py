"""Find names in running text: tokenizing, a phrase lexicon, and the longest-match scan.

Text is split into word tokens (letters only: hyphens, apostrophes and digits separate words,
so "Korea-Japan" is two tokens and "Japan's" is "Japan" + "s"); dotted abbreviations are
closed up first ("U.S." -> "US").  A phrase is a tuple of lowercase tokens.  At each position
the scan takes the longest phrase in the lexicon that matches there, so "North Korea" is one
mention of KP and never also a mention of "Korea".

Each phrase carries a case rule, taken from how it is written in the data:
``exact``   all capitals ("US", "DPRK"): matches only the same capitals (so "us" is not US);
``proper``  capitalized ("Japan", "Lee Jae Myung"): the first word must be capitalized in
            the text (so "turkey" and "china" the dishes are not countries);
``any``     lowercase ("comfort women"): any case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

CaseRule = Literal["exact", "proper", "any"]

_DOTTED = re.compile(r"\b((?:[A-Za-z]\.){2,})")
_WORD = re.compile(r"[^\W\d_]+")


def _close_dots(match: re.Match[str]) -> str:
    return match.group(1).replace(".", "")


def tokenize(text: str) -> list[str]:
    """Word tokens of ``text``, case kept ("U.S.-Japan" -> ["US", "Japan"])."""
    return _WORD.findall(_DOTTED.sub(_close_dots, text))


def case_rule(term: str) -> CaseRule:
    """How a term as written must match: see the module docstring."""
    letters = [c for c in term if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return "exact"
    if term[:1].isupper():
        return "proper"
    return "any"


@dataclass(frozen=True, slots=True)
class Entry:
    """What a phrase stands for.

    ``counts``: entities the mention counts for (an ISO alpha-2 code, or several for a term
    shared by a relationship, plus ``topic:<slug>``).  ``exact``: for the ``exact`` rule, the
    tokens as they must appear.
    """

    counts: tuple[str, ...]
    rule: CaseRule
    exact: tuple[str, ...] = ()

    def accepts(self, tokens: Sequence[str]) -> bool:
        if self.rule == "exact":
            return tuple(tokens) == self.exact
        if self.rule == "proper":
            return tokens[0][:1].isupper()
        return True


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    start: int  # token index


class Lexicon:
    """Phrases -> entries, scanned longest-first.  Build with ``add``; then only read."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, ...], Entry] = {}
        self._longest: dict[str, int] = {}  # first token -> longest phrase starting with it

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, phrase: object) -> bool:
        return phrase in self._entries

    def add(self, term: str, counts: Sequence[str], *, replace: bool = False) -> bool:
        """Add ``term`` for ``counts``; an existing phrase is kept unless ``replace``."""
        tokens = tokenize(term)
        if not tokens:
            return False
        key = tuple(t.lower() for t in tokens)
        if key in self._entries and not replace:
            return False
        rule = case_rule(term)
        self._entries[key] = Entry(
            counts=tuple(dict.fromkeys(counts)),
            rule=rule,
            exact=tuple(tokens) if rule == "exact" else (),
        )
        self._longest[key[0]] = max(self._longest.get(key[0], 0), len(key))
        return True

    def remove(self, term: str) -> None:
        self._entries.pop(tuple(t.lower() for t in tokenize(term)), None)

    def get(self, term: str) -> Entry | None:
        return self._entries.get(tuple(t.lower() for t in tokenize(term)))

    def scan(self, tokens: Sequence[str]) -> Iterator[Hit]:
        """Every mention in ``tokens``, left to right, longest match first, no overlaps."""
        lower = [t.lower() for t in tokens]
        n = len(lower)
        i = 0
        while i < n:
            longest = self._longest.get(lower[i], 0)
            step = 1
            for length in range(min(longest, n - i), 0, -1):
                entry = self._entries.get(tuple(lower[i : i + length]))
                if entry is not None and entry.accepts(tokens[i : i + length]):
                    yield Hit(entry, i)
                    step = length
                    break
            i += step
