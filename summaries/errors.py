"""What ``summaries`` raises: its own small tree, so the library depends on nothing above it.

    SummaryError            anything summaries refuses on purpose; ``str(err)`` is a
    │                       user-facing sentence (no secrets, no traceback)
    ├── BadOptions          the caller's options: an unknown algorithm or kind, a count
    │                       out of range
    └── Unsummarizable      the text: empty, binary, too long, not prose, not English,
        │                   no article on the page
        └── TooLong         longer than an article (for the text, or for the algorithm)

The core (``bot``) maps these to its own errors where they cross (``bot.errors``):
bad options are bad input; the rest is "cannot be summarized".  The messages are the
library's, and the core shows them as they are.
"""

from __future__ import annotations

__all__ = [
    "BAD_KIND",
    "BAD_SENTENCES",
    "BINARY",
    "EMPTY",
    "NOT_ENGLISH",
    "NOT_PROSE",
    "NO_ARTICLE_ON_PAGE",
    "TOO_LONG",
    "TOO_LONG_FOR",
    "UNKNOWN_ALGORITHM",
    "BadOptions",
    "SummaryError",
    "TooLong",
    "Unsummarizable",
]

EMPTY = "There is no text to summarize."
BINARY = "That is a binary file, not text or HTML."
TOO_LONG = "That text is too long to be an article ({size} characters; the limit is {limit})."
TOO_LONG_FOR = (
    "The {algorithm} algorithm is too slow for {sentences} sentences (its limit is {limit}); "
    "use the default."
)
NOT_PROSE = "Found no article text to summarize (no sentences of prose)."
NOT_ENGLISH = "That text is not in English; briefbot summarizes English articles only."
NO_ARTICLE_ON_PAGE = "Found no article text on that page."
UNKNOWN_ALGORITHM = "Unknown algorithm '{name}'; choose one of: {choices}."
BAD_SENTENCES = "The number of sentences must be a whole number from 1 to {limit}."
BAD_KIND = "Unknown kind '{kind}'; use one of: {kinds}."


class SummaryError(Exception):
    """Base of everything ``summaries`` raises on purpose.  ``str(err)`` is user-facing."""


class BadOptions(SummaryError):
    """An unknown algorithm or kind, or a sentence count out of range."""


class Unsummarizable(SummaryError):
    """Text that cannot be summarized: empty, binary, not prose, not English, no article."""


class TooLong(Unsummarizable):
    """Longer than an article, or than the chosen algorithm can take in reasonable time."""
