"""One filter for text from outside (a feed, a page, a user): nothing invisible or
controlling is left in it.

Every place that shows such text runs it through :func:`inert` first: the cleaner before it
reads an article (``summaries.clean``), and the Slack, Discord and terminal renderers before
they escape what remains for their own markup.  Whatever each renderer then does (escaping,
defusing mentions, folding lines), it starts from the same characters.

Dropped (they hide, reorder or smuggle text, or stand for no character at all):

* controls (Cc) but tab and line feed; every other line break (CR, VT, FF, the information
  separators, NEL, U+2028, U+2029) becomes a line feed, the unit separator a space;
* format characters (Cf): soft hyphen, zero-width space, bidirectional marks, embeddings,
  overrides and isolates (the "Trojan Source" set), word joiner, invisible operators, BOM,
  interlinear annotations, the Unicode tag characters U+E0000-U+E007F (ASCII smuggling) ...;
* surrogates (Cs), private use (Co) and unassigned code points or noncharacters (Cn): no
  reader can tell what they show (an emoji newer than this Python's Unicode tables is one);
* the other default-ignorable code points, which render as nothing although they are
  letters or marks: Hangul fillers, the combining grapheme joiner, Khmer inherent vowels,
  Mongolian variation selectors, and every variation selector (U+FE00-U+FE0F, U+E0100-
  U+E01EF: one per byte is how data is hidden after an emoji).

Kept, where they are what a reader expects:

* letters, marks, numbers, punctuation, symbols, spaces, tab and line feed;
* one emoji or text presentation selector (U+FE0E, U+FE0F) right after a visible character;
* one zero-width joiner or non-joiner between two visible characters (emoji ZWJ sequences,
  Persian and Indic spelling);
* the three subdivision flags that are emoji (England, Scotland, Wales), whose tag
  characters spell the region after a black flag.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

__all__ = ["DROPPED_CATEGORIES", "inert", "is_dropped"]

DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
ZWNJ = "\u200c"
ZWJ = "\u200d"
PRESENTATION = frozenset("\ufe0e\ufe0f")  # text / emoji presentation selectors
# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties) outside Cc/Cf/Cn: letters
# and marks that show nothing.
_IGNORABLE_VISIBLE_CATEGORY = (
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul choseong / jungseong fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian free variation selectors
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0xE0100, 0xE01EF),  # variation selectors supplement
)
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_RGI_TAG_FLAGS = frozenset({"gbeng", "gbsct", "gbwls"})
_BLACK_FLAG = "\U0001f3f4"
_CANCEL_TAG = "\U000e007f"
_TAG_FLAG = "\U0001f3f4(?:[\U000e0030-\U000e0039\U000e0061-\U000e007a]{1,6})\U000e007f"


def is_dropped(ch: str) -> bool:
    """Whether :func:`inert` drops the character ``ch`` wherever it stands (a joiner, a
    presentation selector and a tag character are dropped unless their context keeps them)."""
    cp = ord(ch)
    if ch in "\t\n":
        return False
    if unicodedata.category(ch) in DROPPED_CATEGORIES:
        return True
    return any(lo <= cp <= hi for lo, hi in _IGNORABLE_VISIBLE_CATEGORY)


def _class(ranges: list[tuple[int, int]]) -> str:
    merged: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if merged and merged[-1][1] >= lo - 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in merged)


# Unicode assigns characters in planes 0-3 and 14 only; planes 4-13 are unassigned (Cn) and
# 15-16 private use (Co), dropped whole.  Reading the tables there too tripled the cost of
# every process's first render (a test checks the shortcut against the full scan).
_ASSIGNABLE = ((0x0, 0x3FFFF), (0xE0000, 0xEFFFF))
_NEVER_ASSIGNED = ((0x40000, 0xDFFFF), (0xF0000, 0x10FFFF))


def _dropped_ranges(segments: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs of code points in ``segments`` that :func:`is_dropped` drops wherever they
    stand, read from this Python's Unicode tables."""
    category = unicodedata.category
    ranges: list[tuple[int, int]] = []
    for first, last in segments:
        start = None
        for cp in range(first, last + 2):
            dropped = (
                cp <= last and cp not in (0x09, 0x0A) and category(chr(cp)) in DROPPED_CATEGORIES
            )
            if dropped and start is None:
                start = cp
            elif not dropped and start is not None:
                ranges.append((start, cp - 1))
                start = None
    return ranges


def _assignable_dropped() -> list[tuple[int, int]]:
    """``_dropped_ranges(_ASSIGNABLE)``: from the table shipped for this Python's Unicode
    version (``summaries/_dropped_table.py``, written by ``python tools/dropped_table.py``; a test
    compares it with the scan), or read from the tables when another version runs (about
    0.1 s, once per process: most of a CLI command's rendering)."""
    from summaries import _dropped_table

    if unicodedata.unidata_version == _dropped_table.UNIDATA_VERSION:
        return list(_dropped_table.RANGES)
    return _dropped_ranges(_ASSIGNABLE)


@cache
def _dropped() -> re.Pattern[str]:
    """A run of dropped characters, or a subdivision flag (checked by the caller).  Built from
    this Python's Unicode tables once, so it follows them as they grow.  The astral part is
    only tried on astral characters: re scans such a class range by range."""
    ranges = [*_IGNORABLE_VISIBLE_CATEGORY, *_NEVER_ASSIGNED, *_assignable_dropped()]
    bmp = _class([(lo, min(hi, 0xFFFF)) for lo, hi in ranges if lo <= 0xFFFF])
    astral = _class([(max(lo, 0x10000), hi) for lo, hi in ranges if hi >= 0x10000])
    return re.compile(f"{_TAG_FLAG}|(?:[{bmp}]|(?=[\U00010000-\U0010ffff])[{astral}])+")


def _visible(ch: str) -> bool:
    return bool(ch) and not ch.isspace() and not is_dropped(ch)


def inert(text: str, *, keep: str = "") -> str:
    """``text`` without invisible or control characters (see the module docstring); the
    characters in ``keep`` stay too (a renderer's own zero-width spaces, say)."""
    text = _LINE_BREAKS.sub("\n", text).replace("\x1f", " ")

    def replace(match: re.Match[str]) -> str:
        run = match.group(0)
        if run.startswith(_BLACK_FLAG):
            region = "".join(chr(ord(c) - 0xE0000) for c in run[1:-1])
            return run if region in _RGI_TAG_FLAGS else _BLACK_FLAG
        plain = run[0] not in PRESENTATION and ZWJ not in run and ZWNJ not in run
        if plain and not any(c in keep for c in run):
            return ""  # the common case: nothing in the run is kept
        start, end = match.span()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        kept = [c for c in run if c in keep]
        if _visible(before) and run[0] in PRESENTATION:
            kept.insert(0, run[0])
        joiner = next((c for c in run if c in (ZWJ, ZWNJ)), None)
        if joiner is not None and _visible(before) and _visible(after):
            kept.append(joiner)
        return "".join(kept)

    return _dropped().sub(replace, text)
