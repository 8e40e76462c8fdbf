"""Sources that are not feeds: XML sitemaps and section pages, read into feed entries.

    entries = sitemap_entries(text, url=..., match="/opinion/", now=...)   # one sitemap
    children = sitemap_children(text, url=...)                               # an index's
    entries = page_entries(html, url=..., match="/editorials/")             # a section page

Link discovery and hygiene are trafilatura's and courlan's (``trafilatura.sitemaps``'
``SitemapObject`` reads a sitemap the way trafilatura's own crawler does: same-site links
only, cleaned of tracking parameters, text sitemaps too; ``courlan.extract_links`` finds a
page's internal links without its navigation).  What they do not keep, we read beside
them: a sitemap entry's date and title (a news sitemap's ``news:publication_date`` and
``news:title``; ``lastmod`` is kept apart as a modification time, a date of last resort
after the page's own).  Fetching stays with our HTTP client (the
caller's), so sitemaps and pages get the same politeness, caps, conditional GET and health
as feeds.

courlan refuses IP-literal and single-label hosts (a crawler's spam filter).  The operator
named this source, so its own links are checked under a stand-in name and mapped back: a
source on ``http://10.0.0.5/news`` or ``http://127.0.0.1:8080/`` works like any other.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from bot.sources.feeds import FeedEntry

__all__ = [
    "MAX_CHILD_SITEMAPS",
    "SITEMAP_WINDOW",
    "SitemapChild",
    "looks_like_article",
    "page_entries",
    "sitemap_children",
    "sitemap_entries",
]

SITEMAP_WINDOW = timedelta(days=7)  # a dated sitemap entry older than this is not news
MAX_CHILD_SITEMAPS = 3  # child sitemaps of an index read per poll, the newest first
_STAND_IN = "briefbot-source.example"
_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
_WORDS = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class SitemapChild:
    url: str
    modified: datetime | None


class _Alias:
    """Maps an IP-literal or single-label host to a stand-in name courlan accepts, and back."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.hostname or ""
        self.netloc = parts.netloc
        self.active = bool(host) and (_is_ip(host) or "." not in host)
        self.stand_in = parts.netloc.replace(host, _STAND_IN, 1) if self.active else parts.netloc

    def there(self, text: str) -> str:
        return text.replace(f"//{self.netloc}", f"//{self.stand_in}") if self.active else text

    def back(self, url: str) -> str:
        return url.replace(f"//{self.stand_in}", f"//{self.netloc}", 1) if self.active else url


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def looks_like_article(url: str) -> bool:
    """A link that can be an article rather than a section, tag or about page: its path
    carries a number (an id, a date) or a slug of three words or more, or is three
    segments deep."""
    path = urlsplit(url).path
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    if any(ch.isdigit() for ch in path) or len(segments) >= 3:
        return True
    return any(len(_WORDS.findall(segment)) >= 3 for segment in segments)


def _keep(url: str, match: str | None) -> bool:
    return looks_like_article(url) and (match is None or match in url)


def _parse_when(value: str | None) -> datetime | None:
    if not value:
        return None
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _xml_tree(text: str) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        return etree.fromstring(text.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(element: object, name: str, namespace: str | None = None) -> str | None:
    for child in element:  # type: ignore[attr-defined]
        if _local(child.tag) == name and (
            namespace is None or child.tag.startswith(f"{{{namespace}}}")
        ):
            return str(child.text).strip() if child.text else None
    return None


def _sitemap_object(text: str, url: str) -> tuple[list[str], list[str], _Alias]:
    """(page links, child sitemap links) as trafilatura's sitemap reader sees them."""
    from courlan import get_hostinfo
    from trafilatura.sitemaps import SitemapObject

    alias = _Alias(url)
    domain, base = get_hostinfo(alias.there(url))
    if domain is None:
        return [], [], alias
    reader = SitemapObject(base, domain, [], None, False)
    reader.current_url = alias.there(url)
    reader.content = alias.there(text)
    reader.process()
    return reader.urls, reader.sitemap_urls, alias


def _clean(url: str) -> str:
    from courlan import clean_url

    return clean_url(url) or url


def sitemap_children(text: str, *, url: str, now: datetime) -> list[SitemapChild]:
    """The child sitemaps of a sitemap index worth reading now: modified within
    :data:`SITEMAP_WINDOW` (or undated), the newest first, at most
    :data:`MAX_CHILD_SITEMAPS`."""
    _pages, linked, alias = _sitemap_object(text, url)
    modified: dict[str, datetime | None] = {}
    tree = _xml_tree(text)
    if tree is not None:
        for element in tree.iter():
            if _local(element.tag) == "sitemap":
                loc = _child_text(element, "loc")
                if loc:
                    modified[_clean(alias.there(loc))] = _parse_when(
                        _child_text(element, "lastmod")
                    )
    # An index's children need not end in .xml; trafilatura only recognises those that do.
    candidates = list(dict.fromkeys([*linked, *modified]))
    children = [SitemapChild(alias.back(c), modified.get(c)) for c in candidates]
    recent = [c for c in children if c.modified is None or now - c.modified <= SITEMAP_WINDOW]
    recent.sort(key=lambda c: c.modified or datetime.min.replace(tzinfo=UTC), reverse=True)
    return recent[:MAX_CHILD_SITEMAPS]


def sitemap_entries(
    text: str,
    *,
    url: str,
    match: str | None,
    now: datetime,
    window: timedelta | None = SITEMAP_WINDOW,
) -> tuple[list[FeedEntry], int]:
    """The entries of one sitemap (urlset or text): (entries, how many were dated longer
    ago than ``window`` and left out).  An entry carries the news sitemap's title and date,
    else the ``lastmod`` date; its page says the rest."""
    pages, _children, alias = _sitemap_object(text, url)
    meta: dict[str, tuple[str | None, datetime | None, datetime | None]] = {}
    tree = _xml_tree(text)
    if tree is not None:
        for element in tree.iter():
            if _local(element.tag) != "url":
                continue
            loc = _child_text(element, "loc")
            if not loc:
                continue
            title, published = None, None
            for news in element:
                if _local(news.tag) == "news":
                    title = _child_text(news, "title", _NEWS_NS)
                    published = _parse_when(_child_text(news, "publication_date", _NEWS_NS))
            modified = _parse_when(_child_text(element, "lastmod"))
            meta[_clean(alias.there(loc))] = (title, published, modified)
    entries: list[FeedEntry] = []
    old = 0
    for link in dict.fromkeys(pages):
        title, published, modified = meta.get(link, (None, None, None))
        real = alias.back(link)
        if not _keep(real, match):
            continue
        when = published or modified
        if window is not None and when is not None and now - when > window:
            old += 1
            continue
        entries.append(_link_entry(real, title, published, modified))
    return entries, old


def page_entries(html: str, *, url: str, match: str | None) -> list[FeedEntry]:
    """The article links of a section page, in the order the page shows them."""
    from courlan import extract_links

    alias = _Alias(url)
    page = alias.there(html)
    found = extract_links(page, alias.there(url), external_bool=False, with_nav=False)
    here = _clean(alias.there(url))
    links = [alias.back(link) for link in found if link != here]
    ordered = sorted(links, key=_position_in(page, alias.there))
    return [_link_entry(link, None, None) for link in ordered if _keep(link, match)]


def _position_in(page: str, there: Callable[[str], str]) -> Callable[[str], tuple[int, str]]:
    def position(link: str) -> tuple[int, str]:
        path = urlsplit(there(link)).path
        at = page.find(path) if path else -1
        return (at if at >= 0 else len(page), link)

    return position


def _link_entry(
    link: str, title: str | None, published: datetime | None, modified: datetime | None = None
) -> FeedEntry:
    return FeedEntry(
        title=title or "",
        link=link,
        guid=None,
        author=None,
        published=published,
        modified=modified,
        summary=None,
        content=None,
        titled=bool(title),
    )
