"""RSS and Atom feeds, parsed with feedparser from bytes *we* fetched.

feedparser can fetch a URL or open a file path itself; we never let it (our client owns
timeouts, size caps, politeness and the SSRF seam), so it only ever sees a byte stream.
"""

from __future__ import annotations

import calendar
import hashlib
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

_SPACE = re.compile(r"[ \t\r\f\v]+")
_BLANKS = re.compile(r"\n\s*\n+")
# elements that end a paragraph of a feed's snippet, and those that separate words
_BLOCKS = frozenset(
    {
        *("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "br"),
        *("ul", "ol", "dl", "dt", "dd", "table", "section", "article", "pre", "hr", "header"),
        *("footer", "figure", "figcaption", "address", "aside", "nav", "main", "details"),
        "summary",
    }
)
_CELLS = frozenset({"td", "th"})
_NOT_TEXT = ("script", "style", "template", "noscript", "iframe", "object", "svg", "math")


@dataclass(frozen=True)
class FeedEntry:
    """One item of a source, as the source describes it (the page may say more).

    Feeds fill every field they carry; sitemaps give a link (and maybe a date and a title);
    section pages give a link.  ``titled`` is False when the source gave no title and
    ``title`` was made from the text (an RSS item may be a description alone).
    """

    title: str
    link: str | None
    guid: str | None
    author: str | None
    published: datetime | None  # aware UTC
    summary: str | None  # plain text
    content: str | None  # plain text of the full content (content:encoded / atom:content)
    categories: tuple[str, ...] = ()  # the source's own labels (<category>, atom:category)
    titled: bool = True
    modified: datetime | None = None  # a sitemap's lastmod: a date of last resort
    outlet: str | None = None  # an RSS item's <source>: its outlet, in an aggregator's feed

    @property
    def key(self) -> str:
        """The entry's identity in its source: the GUID, else the link, else its text."""
        if self.guid:
            return self.guid if len(self.guid) <= 1000 else "sha1:" + _digest(self.guid)
        if self.link:
            return self.link if len(self.link) <= 1000 else "sha1:" + _digest(self.link)
        return "text:" + _digest(f"{self.title}\n{self.content or self.summary or ''}")

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "link": self.link,
            "guid": self.guid,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "summary": self.summary,
            "content": self.content,
            "categories": list(self.categories),
            "titled": self.titled,
            "modified": self.modified.isoformat() if self.modified else None,
            "outlet": self.outlet,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FeedEntry:
        published = data.get("published")
        modified = data.get("modified")
        return cls(
            title=str(data.get("title") or ""),
            link=data.get("link"),
            guid=data.get("guid"),
            author=data.get("author"),
            published=datetime.fromisoformat(published) if published else None,
            summary=data.get("summary"),
            content=data.get("content"),
            categories=tuple(data.get("categories") or ()),
            titled=bool(data.get("titled", True)),
            modified=datetime.fromisoformat(modified) if modified else None,
            outlet=data.get("outlet"),
        )


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    link: str | None
    entries: tuple[FeedEntry, ...]
    # items the source listed that cannot be ingested, each with why ("item 7: no title,
    # no link and no text"): every item is accounted for
    skipped: tuple[str, ...] = ()


def html_to_text(markup: str) -> str:
    """Plain text of a feed's HTML snippet, paragraphs kept apart by blank lines.

    Parsed as a browser would (lxml's HTML parser), not matched with a pattern: comments
    (an unterminated one runs to the end), processing instructions, scripts, styles and
    other embedded code leave no text behind, and entities are decoded once."""
    from lxml import etree
    from lxml import html as lxml_html

    if not markup.strip():
        return ""
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml_html.fragment_fromstring(
            markup.encode("utf-8", "replace"), create_parent="div", parser=parser
        )
    except (etree.ParserError, ValueError):  # nothing an HTML parser can read
        return ""
    etree.strip_elements(
        root, *_NOT_TEXT, etree.Comment, etree.ProcessingInstruction, with_tail=False
    )
    for element in root.iterdescendants():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in _BLOCKS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
        elif tag in _CELLS:
            element.tail = " " + (element.tail or "")
    text: str = root.text_content()
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


def _source_title(source: Any) -> str | None:
    """The outlet an item names in ``<source url="...">Reuters</source>`` (RSS 2.0; news
    aggregators name each item's publisher there)."""
    return _text(source.get("title")) if isinstance(source, Mapping) else None


def _content(entry: Mapping[str, Any]) -> str | None:
    best: str | None = None
    for part in entry.get("content") or ():
        text = _text(part.get("value"))
        if text and (best is None or len(text) > len(best)):
            best = text
    return best


def _categories(entry: Mapping[str, Any]) -> tuple[str, ...]:
    labels: list[str] = []
    for tag in entry.get("tags") or ():
        for key in ("term", "label"):
            value = tag.get(key) if isinstance(tag, Mapping) else None
            if isinstance(value, str) and value.strip() and value.strip() not in labels:
                labels.append(value.strip())
    return tuple(labels[:20])


TITLE_FROM_TEXT_CHARS = 120
_FIRST_SENTENCE = re.compile(r"(.+?[.!?…])(?:\s|$)", re.S)


def title_from_text(text: str) -> str:
    """A title for an item that came without one: its first sentence, cut at a word."""
    flat = " ".join(text.split())
    match = _FIRST_SENTENCE.match(flat)
    first = match.group(1) if match else flat
    if len(first) <= TITLE_FROM_TEXT_CHARS:
        return first
    cut = first[:TITLE_FROM_TEXT_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:—–-")
    return cut + "…"


def _reason(problem: object) -> str:
    text = str(problem).strip().splitlines()
    return text[0] if text else type(problem).__name__


def parse_feed(
    data: bytes, *, url: str, content_type: str | None = None, charset: str | None = None
) -> ParsedFeed:
    """Parse RSS 0.9x/1.0/2.0 or Atom; raises ``SourceError`` for anything that is not one.

    ``content_type`` and ``charset`` are what the HTTP header said: a feed whose encoding
    is declared only there (no XML declaration) is decoded by it.
    """
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type + (f"; charset={charset}" if charset else "")
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
    skipped = []
    for number, raw in enumerate(parsed.entries, start=1):
        title = (_text(raw.get("title")) or "").replace("\n\n", " ")
        link = raw.get("link") or None
        parts = split_url(link) if link else None
        if link and (parts is None or parts.scheme not in ("http", "https")):
            link = None  # feedparser copies a non-URL id (urn:...) into link; or unreadable
        guid = raw.get("id") or None
        summary = _text(raw.get("summary"))
        content = _content(raw)
        titled = bool(title)
        if not title and (content or summary):
            # RSS 2.0 allows an item that is a description alone: its text is the piece.
            title = title_from_text(content or summary or "")
        if not (title or link):
            skipped.append(f"item {number}: no title, no link and no text")
            continue
        entries.append(
            FeedEntry(
                title=title,
                link=link,
                guid=guid if isinstance(guid, str) else None,
                author=_text(raw.get("author")),
                published=_date(raw),
                summary=summary,
                content=content,
                categories=_categories(raw),
                titled=titled,
                outlet=_source_title(raw.get("source")),
            )
        )
    feed = parsed.get("feed", {})
    return ParsedFeed(
        title=_text(feed.get("title")),
        link=feed.get("link") or None,
        entries=tuple(entries),
        skipped=tuple(skipped),
    )
