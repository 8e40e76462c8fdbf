"""RSS and Atom feeds, parsed with feedparser from bytes *we* fetched.

feedparser can fetch a URL or open a file path itself; we never let it (our client owns
timeouts, size caps, politeness and the SSRF seam), so it only ever sees a byte stream.
"""

from __future__ import annotations

import calendar
import io
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.sax import SAXException

import feedparser

from bot.errors import SourceError
from bot.store.urls import split_url

log = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\f\v]+")
_BLANKS = re.compile(r"\n\s*\n+")
_BLOCK_END = re.compile(r"(?i)</(p|div|li|h[1-6]|blockquote|tr)>|<br\s*/?>")


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, as the feed describes it (the page may say more)."""

    title: str
    link: str | None
    guid: str | None
    author: str | None
    published: datetime | None  # aware UTC
    summary: str | None  # plain text
    content: str | None  # plain text of the full content (content:encoded / atom:content)


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    link: str | None
    entries: tuple[FeedEntry, ...]


def html_to_text(markup: str) -> str:
    """Plain text of a feed's HTML snippet, paragraphs kept apart by blank lines."""
    import html

    text = _BLOCK_END.sub("\n\n", markup)
    text = html.unescape(_TAG.sub(" ", text))
    paragraphs = (_SPACE.sub(" ", p).strip() for p in _BLANKS.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def _date(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = html_to_text(value)
    return text or None


def _content(entry: Mapping[str, Any]) -> str | None:
    best: str | None = None
    for part in entry.get("content") or ():
        text = _text(part.get("value"))
        if text and (best is None or len(text) > len(best)):
            best = text
    return best


def _reason(problem: object) -> str:
    text = str(problem).strip().splitlines()
    return text[0] if text else type(problem).__name__


def parse_feed(data: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse RSS 0.9x/1.0/2.0 or Atom; raises ``SourceError`` for anything that is not one."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(
            io.BytesIO(data),
            response_headers=headers,
            sanitize_html=True,
            resolve_relative_uris=True,
        )
    except (ValueError, LookupError, TypeError, RecursionError) as exc:
        # feedparser trusts the declared encoding: a NUL or junk there raises (found by
        # tests/fuzz/test_fuzz_feeds.py).  Unreadable bytes are a bad feed, not a crash.
        raise SourceError(f"not an RSS or Atom feed: unreadable ({_reason(exc)})") from exc
    version = parsed.get("version") or ""
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    media = f" (got {content_type})" if content_type else ""
    if not version:
        detail = f": {_reason(problem)}" if problem and not parsed.entries else ""
        raise SourceError(f"not an RSS or Atom feed{media}{detail}")
    if isinstance(problem, SAXException):
        # Not well-formed XML (truncated, broken markup).  feedparser's loose parser would
        # guess at what it meant; a half-read feed is not worth ingesting, and the reason
        # shows in `briefbot feeds`.
        raise SourceError(f"malformed feed XML: {_reason(problem)}")
    if problem is not None:  # e.g. a charset the server misreported: readable, keep going
        log.info("feed %s is readable despite: %s", url, _reason(problem))

    entries = []
    for raw in parsed.entries:
        title = _text(raw.get("title")) or ""
        link = raw.get("link") or None
        parts = split_url(link) if link else None
        if link and (parts is None or parts.scheme not in ("http", "https")):
            link = None  # feedparser copies a non-URL id (urn:...) into link; or unreadable
        guid = raw.get("id") or None
        if not (title or link):
            continue
        entries.append(
            FeedEntry(
                title=title.replace("\n\n", " "),
                link=link,
                guid=guid,
                author=_text(raw.get("author")),
                published=_date(raw),
                summary=_text(raw.get("summary")),
                content=_content(raw),
            )
        )
    feed = parsed.get("feed", {})
    return ParsedFeed(
        title=_text(feed.get("title")), link=feed.get("link") or None, entries=tuple(entries)
    )
