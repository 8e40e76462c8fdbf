"""Sentences as bullets: short enough for a phone, trimmed only at a clause boundary.

A bullet is a whole sentence of the article.  One longer than :data:`MAX_BULLET_CHARS`
(a tweet's length: about six lines on a phone) is cut at the last clause boundary that
fits (a semicolon, a dash, a colon, a comma, or before a conjunction), and an ellipsis
marks the cut.  A cut never falls inside a word; a quotation opened before the cut is
closed after the ellipsis so the bullet stays balanced.
"""

from __future__ import annotations

import re

__all__ = ["ELLIPSIS", "MAX_BULLET_CHARS", "trim_bullet"]

MAX_BULLET_CHARS = 280
ELLIPSIS = "…"
MIN_KEEP = 0.4  # a clause cut must keep at least this share of the limit

# Where a clause may end, strongest first: the cut goes *before* the match.
_BOUNDARIES: tuple[re.Pattern[str], ...] = (
    re.compile(r";\s"),
    re.compile(r"\s[—–]\s|—"),
    re.compile(r":\s"),
    re.compile(r",\s"),
    re.compile(
        r"\s(?=(?:and|but|or|while|whereas|which|who|because|although|though|as|after|before"
        r"|when|since|unless|until|if|so)\s)"
    ),
)
_TRAILING = " ,;:—–-"
_PAIRS = {"“": "”", "‘": "’", "(": ")", "[": "]", "«": "»"}


def _open_quotes(text: str) -> list[str]:
    """The closers still owed at the end of ``text`` (curly quotes, brackets, and a
    straight double quote left open)."""
    stack: list[str] = []
    for ch in text:
        if ch in _PAIRS:
            stack.append(_PAIRS[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
    if text.count('"') % 2:
        stack.append('"')
    return stack


def trim_bullet(sentence: str, limit: int = MAX_BULLET_CHARS) -> str:
    """``sentence`` if it fits in ``limit`` characters, else its longest clause-boundary
    prefix that does, with an ellipsis (and any quotation it opened, closed)."""
    sentence = sentence.strip()
    if len(sentence) <= limit:
        return sentence
    room = limit - 3  # the ellipsis and up to two closing quotes
    window = sentence[: room + 1]
    for pattern in _BOUNDARIES:
        cuts = [m.start() for m in pattern.finditer(window) if MIN_KEEP * limit <= m.start()]
        if cuts:
            return _finish(sentence[: cuts[-1]])
    # No clause boundary in reach: the last word boundary.
    cut = window.rfind(" ")
    if cut <= 0:
        return _finish(window[:room])
    return _finish(sentence[:cut])


def _finish(head: str) -> str:
    head = head.rstrip(_TRAILING)
    owed = _open_quotes(head)
    return head + ELLIPSIS + "".join(reversed(owed[-2:]))
