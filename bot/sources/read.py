"""A fetched source -> the entries it lists, whatever its type (feed, sitemap, page).

    listed = await read_source(client, result, source_type="sitemap", match="/opinion/")

Used by ingestion (``bot.ingest``) and by ``briefbot feeds check``, so both read a source
the same way.  A sitemap index costs up to ``MAX_CHILD_SITEMAPS`` more fetches, through the
caller's client (same politeness and caps); everything else is parsing.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Final

from bot.errors import SourceError
from bot.sources.feeds import FeedEntry, ParsedFeed, parse_feed
from bot.sources.http import FEED_ACCEPT, PAGE_ACCEPT, FetchResult, HttpClient
from bot.sources.links import SITEMAP_WINDOW, page_entries, sitemap_children, sitemap_entries

__all__ = ["ACCEPT", "PAGE_TYPES", "advertised_feeds", "read_source"]

log = logging.getLogger(__name__)

ACCEPT: Final = {
    "feed": FEED_ACCEPT,
    "sitemap": "application/xml, text/xml;q=0.9, text/plain;q=0.5, */*;q=0.3",
    "page": PAGE_ACCEPT,
}
PAGE_TYPES: Final = frozenset({"text/html", "application/xhtml+xml", ""})
_NOT_TEXT = ("image/", "audio/", "video/", "font/")
_NOT_TEXT_TYPES = frozenset(
    {"application/pdf", "application/json", "application/zip", "application/octet-stream"}
)
_NOUN = {"feed": "an RSS or Atom feed", "sitemap": "a sitemap", "page": "an HTML page"}
_SITEMAP = re.compile(r"<(?:[\w.-]+:)?(?:urlset|sitemapindex)\b|^\s*https?://", re.I)
_SITEMAP_INDEX = re.compile(r"<(?:[\w.-]+:)?sitemapindex\b", re.I)


async def read_source(
    client: HttpClient,
    result: FetchResult,
    *,
    source_type: str,
    match: str | None = None,
    window: timedelta | None = SITEMAP_WINDOW,
) -> ParsedFeed:
    """The entries ``result`` lists; ``SourceError`` when it is not a source of its type.

    ``window``: sitemap entries dated longer ago are left out (None: keep them all).
    """
    media = result.content_type
    if media.startswith(_NOT_TEXT) or media in _NOT_TEXT_TYPES:
        raise SourceError(f"not {_NOUN[source_type]} (got {media})")
    if source_type == "page":
        if media not in PAGE_TYPES:
            raise SourceError(f"not an HTML page (got {media})")
        entries = await asyncio.to_thread(page_entries, result.text(), url=result.url, match=match)
        return ParsedFeed(title=None, link=result.url, entries=tuple(entries))
    if source_type == "sitemap":
        return await _read_sitemap(client, result, match=match, window=window)
    return await asyncio.to_thread(
        parse_feed,
        result.content,
        url=result.url,
        content_type=result.content_type,
        charset=result.charset,
    )


async def _read_sitemap(
    client: HttpClient, result: FetchResult, *, match: str | None, window: timedelta | None
) -> ParsedFeed:
    """A sitemap, or an index and its most recent child sitemaps."""
    now = datetime.now(UTC)
    text = result.text()
    if not _SITEMAP.search(text[:2048]):
        raise SourceError("not an XML or text sitemap")
    documents = [(result.url, text)]
    skipped: list[str] = []
    if _SITEMAP_INDEX.search(text[:4096]):
        documents = []
        for child in sitemap_children(text, url=result.url, now=now):
            try:
                fetched = await client.fetch(child.url, accept=ACCEPT["sitemap"])
            except SourceError as exc:
                reason = getattr(exc, "reason", None) or str(exc)
                log.info("sitemap %s: child %s failed: %s", result.url, child.url, reason)
                skipped.append(f"child sitemap {child.url}: {reason}")
                continue
            documents.append((fetched.url, fetched.text()))
        if skipped and not documents:
            raise SourceError(f"no child sitemap could be read ({skipped[0]})")
    entries: list[FeedEntry] = []
    old = 0
    for url, body in documents:
        found, too_old = await asyncio.to_thread(
            sitemap_entries, body, url=url, match=match, now=now, window=window
        )
        entries.extend(found)
        old += too_old
    if old:
        log.info("sitemap %s: %d entries older than %s left out", result.url, old, window)
    return ParsedFeed(title=None, link=result.url, entries=tuple(entries), skipped=tuple(skipped))


def advertised_feeds(result: FetchResult) -> list[str]:
    """The feeds an HTML page links to (``<link rel="alternate">``, feed-like anchors), as
    trafilatura's feed finder reads them: what to suggest when a feed address serves a page."""
    if result.content_type not in PAGE_TYPES:
        return []
    from courlan import get_hostinfo
    from trafilatura.feeds import FeedParameters, determine_feed

    domain, base = get_hostinfo(result.url)
    params = FeedParameters(base or result.url, domain or "", result.url)
    try:
        return determine_feed(result.text(), params)[:5]
    except (ValueError, TypeError):
        return []
