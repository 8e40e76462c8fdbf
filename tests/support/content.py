"""Builders for test content: RSS 2.0 and Atom documents, and article pages with real chrome.

    xml = rss([FeedItem(title=..., link=web.url("/a/1"), guid="1", summary=..., ...)])
    html = article_page(title, text, outlet="Al Jazeera", published=date)

``editorials(shared_data)`` yields the real editorials of ``../shared/data`` (the caller skips
when that folder is absent, e.g. through the ``shared_data`` fixture).
"""

from __future__ import annotations

import html as html_module
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str | None = None
    guid: str | None = None
    summary: str | None = None
    content_html: str | None = None  # <content:encoded> (RSS) / <content> (Atom)
    author: str | None = None
    published: datetime | None = None
    source: str | None = None  # RSS <source>: the item's outlet (news aggregators)


def _e(text: str) -> str:
    return html_module.escape(text, quote=True)


def rss(items: Sequence[FeedItem], *, title: str = "Test feed", link: str = "") -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">',
        f"<channel><title>{_e(title)}</title><link>{_e(link)}</link>"
        "<description>test</description>",
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{_e(item.title)}</title>")
        if item.link:
            parts.append(f"<link>{_e(item.link)}</link>")
        if item.guid:
            parts.append(f'<guid isPermaLink="false">{_e(item.guid)}</guid>')
        if item.summary:
            parts.append(f"<description>{_e(item.summary)}</description>")
        if item.content_html:
            parts.append(f"<content:encoded><![CDATA[{item.content_html}]]></content:encoded>")
        if item.author:
            parts.append(f"<dc:creator>{_e(item.author)}</dc:creator>")
        if item.published:
            parts.append(f"<pubDate>{format_datetime(item.published)}</pubDate>")
        if item.source:
            parts.append(f'<source url="https://outlet.example/rss">{_e(item.source)}</source>')
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts)


def atom(items: Sequence[FeedItem], *, title: str = "Test feed", feed_id: str = "urn:t") -> str:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{_e(title)}</title><id>{_e(feed_id)}</id><updated>2025-06-18T00:00:00Z</updated>",
    ]
    for number, item in enumerate(items):
        parts.append("<entry>")
        parts.append(f"<title>{_e(item.title)}</title>")
        parts.append(f"<id>{_e(item.guid or item.link or f'urn:briefbot-test:{number}')}</id>")
        if item.link:
            parts.append(f'<link rel="alternate" href="{_e(item.link)}"/>')
        if item.published:
            stamp = item.published.isoformat()
            parts.append(f"<published>{stamp}</published><updated>{stamp}</updated>")
        if item.author:
            parts.append(f"<author><name>{_e(item.author)}</name></author>")
        if item.summary:
            parts.append(f"<summary>{_e(item.summary)}</summary>")
        if item.content_html:
            parts.append(f'<content type="html">{_e(item.content_html)}</content>')
        parts.append("</entry>")
    parts.append("</feed>")
    return "\n".join(parts)


def article_page(
    title: str,
    text: str,
    *,
    outlet: str = "Test Outlet",
    published: datetime | None = None,
    author: str | None = None,
    canonical: str | None = None,
    chrome: bool = True,
    site_name: bool = True,
) -> str:
    """A news page as sites serve them: navigation, share bar, captions, related links,
    comments and footer around the article's paragraphs (``text`` split on blank lines)."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()] or [text.strip()]
    body = "\n".join(f"<p>{_e(p)}</p>" for p in paragraphs)
    meta = [f"<title>{_e(title)} | {_e(outlet)}</title>"]
    meta.append(f'<meta property="og:title" content="{_e(title)}">')
    if site_name:  # without it, a reader guesses the site's name from <title>
        meta.append(f'<meta property="og:site_name" content="{_e(outlet)}">')
    if canonical:
        meta.append(f'<link rel="canonical" href="{_e(canonical)}">')
    if published:
        meta.append(f'<meta property="article:published_time" content="{published.isoformat()}">')
    if author:
        meta.append(f'<meta name="author" content="{_e(author)}">')
    if not chrome:
        return (
            f"<!doctype html><html lang='en'><head>{''.join(meta)}</head><body><article>"
            f"<h1>{_e(title)}</h1>{body}</article></body></html>"
        )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">{"".join(meta)}</head>
<body>
<header><nav><a href="/">Home</a> &gt; <a href="/opinion">Opinion</a> &gt;
<a href="/opinion/editorials">Editorials</a></nav>
<div class="login">Log in | Sign up | Subscribe for $1</div></header>
<main>
<article>
<h1>{_e(title)}</h1>
<div class="byline">{_e(author or outlet)}</div>
<div class="share">print dictionary print Share on Facebook Share on X Copy link</div>
<figure><img src="/photo.jpg" alt="">
<figcaption>Leaders shake hands before their talks. [PRESS POOL]</figcaption></figure>
<div class="article-body">
{body}
</div>
</article>
<aside class="related"><h2>Related Article</h2><ul>
<li><a href="/r/1">Opinion: what comes next for the region</a></li>
<li><a href="/r/2">Editorial: the cost of waiting</a></li></ul></aside>
<section class="comments"><h3>Comments (0)</h3>
<p>To write comments, please log in to one of the accounts.</p></section>
</main>
<footer><p>Copyright {_e(outlet)}. All rights reserved.</p>
<p>About us | Contact | Privacy policy | Terms of use</p></footer>
</body></html>"""


def editorials(shared_data: Path) -> Iterator[dict[str, str]]:
    """The real editorials of ``../shared/data/editorials_dev.jsonl`` (id, source, title, text)."""
    with (shared_data / "editorials_dev.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
