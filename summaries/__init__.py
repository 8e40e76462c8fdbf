"""text or HTML -> a few honest bullets.

    extract_page(html, url)         trafilatura: the article's main text and metadata
    clean_text(text, title)         page chrome out: captions, prompts, related blocks, echoes
    summarize(text, ...)            clean -> split (Punkt, offline) -> select (sumy) -> trim
    summarize_html(html, ...)       extract_page -> summarize

The default selector knows news (the lead carries the story) from editorials (the argument
comes last); every sumy algorithm is available by name too (``ALGORITHMS``).  Failures are
``bot.errors.SummaryError`` (bad text) or ``BadInput`` (bad options), with a user-facing
message.
"""

from summaries.clean import clean_text
from summaries.core import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    Summary,
    default_sentence_count,
    summarize,
    summarize_html,
)
from summaries.extract import Page, extract_page, looks_like_html

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "Page",
    "Summary",
    "clean_text",
    "default_sentence_count",
    "extract_page",
    "looks_like_html",
    "summarize",
    "summarize_html",
]
