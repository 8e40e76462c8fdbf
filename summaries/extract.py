"""A whole web page -> its article: main text and metadata (trafilatura).

trafilatura finds the main text (dropping navigation, asides, comment sections, footers)
and the metadata; we add what it leaves out: the page's declared language, a published
timestamp with its time of day when the page states one (trafilatura keeps the date
only), and whether the page files itself under opinion.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot import messages
from bot.errors import SummaryError
from summaries.kind import is_opinion_url, opinion_signal, page_opinion_signal

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["Page", "extract_page", "is_opinion_url", "looks_like_html"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Page:
    """The article on a web page."""

    title: str | None
    text: str
    published: datetime | None  # aware, UTC
    author: str | None
    canonical_url: str | None
    sitename: str | None
    language: str | None  # primary language subtag ("en"), when the page declares one
    opinion: bool = False  # the page files itself under opinion/editorials/columns


_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html\b)", re.I | re.S
)
_HTML_TAGS = re.compile(r"<(?:p|div|body|head|article|span|a|br|h[1-6]|meta|script)\b[^>]*>", re.I)


def looks_like_html(text: str) -> bool:
    """A document (not prose that mentions a tag): a doctype or ``<html>`` up front, or
    markup dense enough that it cannot be plain text."""
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    return len(_HTML_TAGS.findall(head)) >= 5 and head.lstrip().startswith("<")


_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
)
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


def _parse_datetime(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _meta(tree: HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or ""
        content = element.get("content")
        if key and content and key.lower() not in found:
            found[key.lower()] = content
    return found


def _published(tree: HtmlElement, meta: dict[str, str], fallback: str | None) -> datetime | None:
    for key in _DATE_META:
        if key in meta and (when := _parse_datetime(meta[key])):
            return when
    for element in tree.iter("time"):
        if (value := element.get("datetime")) and (when := _parse_datetime(value)):
            return when
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            match = _JSONLD_DATE.search(script.text)
            if match and (when := _parse_datetime(match.group(1))):
                return when
    return _parse_datetime(fallback) if fallback else None


def _json_ld(tree: HtmlElement) -> list[str]:
    return [
        script.text
        for script in tree.iter("script")
        if (script.get("type") or "").lower() == "application/ld+json" and script.text
    ]


def _opinion(
    json_ld: list[str], meta: dict[str, str], urls: list[str | None], document: Any
) -> str | None:
    """Which of the page's own signals files it under opinion (summaries.kind), if any."""
    return opinion_signal(urls=urls, categories=document.categories or ()) or (
        page_opinion_signal(meta, json_ld, authors=[document.author])
    )


def _load(html: str | bytes) -> Any:
    import trafilatura

    try:
        return trafilatura.load_html(html)
    except (ValueError, TypeError) as exc:  # undecodable bytes, not markup
        log.debug("could not parse HTML: %s", exc)
        return None


def extract_page(html: str | bytes, url: str | None = None) -> Page:
    """The article on a page.  Raises :class:`SummaryError` when there is no main text."""
    import trafilatura

    tree = _load(html)
    if tree is None:
        raise SummaryError(messages.SUMMARY_NO_ARTICLE_ON_PAGE)
    lang = (tree.get("lang") or tree.get("xml:lang") or "").strip().lower()
    meta = _meta(tree)
    json_ld = _json_ld(tree)  # before trafilatura, which may prune the tree
    timestamp = _published(tree, meta, None)
    document: Any = trafilatura.bare_extraction(
        tree,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
    )
    text = getattr(document, "text", None)
    if not isinstance(text, str) or not text.strip():
        raise SummaryError(messages.SUMMARY_NO_ARTICLE_ON_PAGE)
    canonical = document.url or url or None
    return Page(
        title=(document.title or "").strip() or None,
        text=text,
        published=timestamp or _parse_datetime(document.date or ""),
        author=(document.author or "").strip() or None,
        canonical_url=canonical,
        sitename=(document.sitename or "").strip() or None,
        language=lang.split("-")[0] or None,
        opinion=_opinion(json_ld, meta, [canonical, url], document) is not None,
    )
