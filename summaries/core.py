"""text or HTML -> a few bullets: the public entry points of ``summaries``.

    summarize(text)          clean -> split -> select -> trim       (plain text as scraped)
    summarize_html(html)     extract_page (trafilatura) -> summarize (a whole web page)

Everything heavy (the Punkt model, sumy's summarizers, the stemmer) is built once per
process on first use and reused.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from summaries import errors
from summaries.bullets import trim_bullet
from summaries.clean import CleanDocument, clean_document
from summaries.errors import BadOptions, TooLong, Unsummarizable
from summaries.extract import extract_page, looks_like_html
from summaries.language import looks_english
from summaries.select import KINDS, select_default, text_kind
from summaries.sumy_backend import (
    SUMY_ALGORITHMS,
    build_document,
    lexrank_scores,
    sumy_select,
    too_long_for,
)

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "MAX_SENTENCES",
    "MAX_TEXT_CHARS",
    "Summary",
    "check_options",
    "default_sentence_count",
    "summarize",
    "summarize_html",
]

log = logging.getLogger(__name__)

DEFAULT_ALGORITHM = "default"
ALGORITHMS: tuple[str, ...] = (DEFAULT_ALGORITHM, *SUMY_ALGORITHMS)
MAX_SENTENCES = 10
# ~33,000 words: four times the longest long-read.  Beyond it the input is a book, a log or
# a dump, and the quadratic steps (near-duplicates, the sentence graph) would take seconds.
MAX_TEXT_CHARS = 200_000
MAX_HTML_CHARS = 5 * 2**20  # a page's markup; the HTTP client stops reading at 5 MB too
_BINARY_SHARE = 0.02  # share of NULs / control characters / U+FFFD that marks binary junk
_JUNK = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


@dataclass(frozen=True)
class Summary:
    """Bullets for one article.

    ``kind`` is what the piece is, when something says so: the kind the caller gave; else
    "editorial" when the text labels itself opinion (a breadcrumb, a headline prefix);
    else what the text says when it is sure (``text_kind``).  None when the text is not
    sure: the bullets follow its leaning, and the caller's default names it.
    """

    title: str | None
    bullets: tuple[str, ...]
    text: str  # the cleaned body the bullets were chosen from
    kind: str | None = None


def default_sentence_count(n_sentences: int) -> int:
    """3 bullets for a short piece, 4 for a long one, 5 for a long-read."""
    if n_sentences <= 25:
        return 3
    if n_sentences <= 60:
        return 4
    return 5


def check_options(sentences: int | None, algorithm: str, kind: str | None) -> None:
    """Raise :class:`~summaries.errors.BadOptions` for an unknown algorithm or kind, or a
    count out of range."""
    if algorithm not in ALGORITHMS:
        raise BadOptions(
            errors.UNKNOWN_ALGORITHM.format(name=algorithm, choices=", ".join(ALGORITHMS))
        )
    if sentences is not None and not 1 <= sentences <= MAX_SENTENCES:
        raise BadOptions(errors.BAD_SENTENCES.format(limit=MAX_SENTENCES))
    if kind is not None and kind not in KINDS:
        raise BadOptions(errors.BAD_KIND.format(kind=kind, kinds=", ".join(KINDS)))


def _check_text(text: str | bytes, limit: int = MAX_TEXT_CHARS) -> None:
    if not text or not text.strip():
        raise Unsummarizable(errors.EMPTY)
    if len(text) > limit:
        raise TooLong(errors.TOO_LONG.format(size=f"{len(text):,}", limit=f"{limit:,}"))
    sample = text[:65536]
    junk = sample.count(0) if isinstance(sample, bytes) else len(_JUNK.findall(sample))
    if junk > _BINARY_SHARE * len(sample):
        raise Unsummarizable(errors.BINARY)


def _kind_of(document: CleanDocument, kind: str | None) -> str | None:
    """What ``document`` is, when something says so: the caller; else its own label; else
    its text when the text is sure (:func:`~summaries.select.text_kind`).  None: the text
    does not say clearly; the default selector then reads the text's leaning itself (an
    editorial's argument if it leans that way, the lead plus at most one closing claim if
    it leans news), and the caller's default names it."""
    if kind is not None:
        return kind
    if document.opinion:
        return "editorial"
    return text_kind(document.paragraphs)


def _select(document: CleanDocument, count: int, algorithm: str, kind: str | None) -> list[int]:
    sumy_document, sentences = build_document(document.paragraphs, document.title)
    if algorithm == DEFAULT_ALGORITHM:
        return select_default(
            document.paragraphs, count, centrality=lambda: lexrank_scores(sentences), kind=kind
        )
    limit = too_long_for(algorithm, len(sentences))
    if limit is not None:
        raise TooLong(
            errors.TOO_LONG_FOR.format(algorithm=algorithm, sentences=len(sentences), limit=limit)
        )
    return sumy_select(algorithm, sumy_document, count)


def summarize(
    text: str,
    *,
    title: str | None = None,
    sentences: int | None = None,
    algorithm: str = DEFAULT_ALGORITHM,
    kind: str | None = None,
) -> Summary:
    """Bullets for an article given as plain text (as scraped: chrome is removed here).

    ``sentences``: how many bullets (default: 3-5 by length).  ``algorithm``: "default" or
    a sumy algorithm by name.  ``kind``: "editorial" or "news" when the source says so,
    else it is read from the text.  An HTML document is routed to :func:`summarize_html`.

    Raises :class:`~summaries.errors.Unsummarizable` (empty, binary, too long, not prose,
    not English) and :class:`~summaries.errors.BadOptions` (an unknown algorithm or kind, a
    count out of range).
    """
    check_options(sentences, algorithm, kind)
    _check_text(text)
    if looks_like_html(text):
        return summarize_html(text, sentences=sentences, algorithm=algorithm, kind=kind)
    if not looks_english(text):  # before cleaning: foreign prose is not "chrome"
        raise Unsummarizable(errors.NOT_ENGLISH)
    document = clean_document(text, title)
    if not document.paragraphs:
        raise Unsummarizable(errors.NOT_PROSE)
    if not looks_english(document.text):
        raise Unsummarizable(errors.NOT_ENGLISH)
    n = len(document.sentences)
    count = min(sentences or default_sentence_count(n), n)
    kind = _kind_of(document, kind)
    chosen = _select(document, count, algorithm, kind)
    body = document.sentences
    bullets = tuple(trim_bullet(body[i]) for i in chosen)
    return Summary(title=document.title, bullets=bullets, text=document.text, kind=kind)


def summarize_html(
    html: str | bytes,
    *,
    url: str | None = None,
    sentences: int | None = None,
    algorithm: str = DEFAULT_ALGORITHM,
    kind: str | None = None,
) -> Summary:
    """Bullets for a whole web page: trafilatura finds the article, then :func:`summarize`."""
    check_options(sentences, algorithm, kind)
    _check_text(html, MAX_HTML_CHARS)
    page = extract_page(html, url)
    if page.language and page.language != "en" and not looks_english(page.text):
        raise Unsummarizable(errors.NOT_ENGLISH)
    if kind is None and page.opinion:
        kind = "editorial"
    if looks_like_html(page.text):  # never recurse on markup trafilatura passed through
        raise Unsummarizable(errors.NOT_PROSE)
    return summarize(
        page.text, title=page.title, sentences=sentences, algorithm=algorithm, kind=kind
    )
