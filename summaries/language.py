"""Is this English?  A cheap, dependency-free check that is good enough to refuse a page.

English prose is glued together by a few dozen function words ("the", "of", "and", ...):
they make up 35-50 % of the tokens of any English article and almost none of French,
German, Spanish, Korean or Japanese text.  That share is the score; no model, no download.
"""

from __future__ import annotations

import re

__all__ = ["MIN_ENGLISH_SHARE", "english_share", "looks_english"]

_FUNCTION_WORDS_TEXT = (
    "the of and to a in is that for it was on with as by he be at this are from his have "
    "or not but they an which had has were their been its who will would there she her "
    "him them we our you your i my me what when can if about than into no more also after "
    "so then only could should up out over other all do did does being these those such "
    "some any how while because through between where over said says"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
MIN_ENGLISH_SHARE = 0.15
MIN_WORDS = 20  # below this the share is too noisy to refuse anything
SAMPLE_WORDS = 3000


def english_share(text: str) -> tuple[float, int]:
    """The share of English function words among the first words of ``text``, and how many
    words were looked at."""
    tokens = _TOKEN.findall(text[: SAMPLE_WORDS * 12])[:SAMPLE_WORDS]
    if not tokens:
        return 0.0, 0
    hits = sum(1 for t in tokens if t.lower() in _FUNCTION_WORDS)
    return hits / len(tokens), len(tokens)


def looks_english(text: str) -> bool:
    """False only when there is enough text to tell and it is not English."""
    share, n = english_share(text)
    if n < MIN_WORDS:
        return n > 0 and (share > 0 or not _mostly_non_latin(text))
    return share >= MIN_ENGLISH_SHARE


def _mostly_non_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if c.isascii() or "\u00c0" <= c <= "\u024f")
    return latin < 0.5 * len(letters)
