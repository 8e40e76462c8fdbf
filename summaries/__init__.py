"""text or HTML -> a few honest bullets.

    extract_page(html, url)         trafilatura: the article's main text and metadata
    clean_text(text, title)         page chrome out: captions, prompts, related blocks, echoes
    summarize(text, ...)            clean -> split (Punkt, offline) -> select (sumy) -> trim
    summarize_html(html, ...)       extract_page -> summarize

The default selector knows news (the lead carries the story) from editorials (the argument
comes last); every sumy algorithm is available by name too (``ALGORITHMS``).  Failures are
the library's own (``summaries.errors``): ``Unsummarizable`` (bad text) or ``BadOptions``
(bad options), both a ``SummaryError`` with a user-facing message.  The library imports
nothing of the bot; the bot maps these errors to its own where it calls in.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from summaries.clean import clean_text
    from summaries.core import (
        ALGORITHMS,
        DEFAULT_ALGORITHM,
        Summary,
        default_sentence_count,
        summarize,
        summarize_html,
    )
    from summaries.errors import BadOptions, SummaryError, Unsummarizable
    from summaries.extract import Page, extract_page, looks_like_html

# Each name is imported from its module when first used: a program that needs one part (the
# renderers need only ``summaries.inert``) does not pay for sumy, NLTK and trafilatura.
_HOME = {
    "clean_text": "summaries.clean",
    "ALGORITHMS": "summaries.core",
    "DEFAULT_ALGORITHM": "summaries.core",
    "Summary": "summaries.core",
    "default_sentence_count": "summaries.core",
    "summarize": "summaries.core",
    "summarize_html": "summaries.core",
    "BadOptions": "summaries.errors",
    "SummaryError": "summaries.errors",
    "Unsummarizable": "summaries.errors",
    "Page": "summaries.extract",
    "extract_page": "summaries.extract",
    "looks_like_html": "summaries.extract",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'summaries' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])


__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "BadOptions",
    "Page",
    "Summary",
    "SummaryError",
    "Unsummarizable",
    "clean_text",
    "default_sentence_count",
    "extract_page",
    "looks_like_html",
    "summarize",
    "summarize_html",
]
