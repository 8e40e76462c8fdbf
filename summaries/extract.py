"""A whole web page -> its article: main text and metadata (trafilatura).

trafilatura finds the main text (dropping navigation, asides, comment sections, footers)
and the metadata; we add what it leaves out: the page's declared language, a published
timestamp with its time of day when the page states one (trafilatura keeps the date
only), and whether the page files itself under opinion.

Two things trafilatura keeps are not the article, and the markup tells them apart where
the text alone cannot:

* **The page's header.**  Whatever trafilatura puts above the headline (a kicker, another
  story's teaser), the headline itself, and the headings between it and the first
  paragraph: the standfirst (dek), a summary the editors wrote *about* the article, set as
  a heading.  A lede that a site also uses as its description is a paragraph, not a
  heading, and stays.
* **Link widgets inside a paragraph.**  A hover card or inline box (a picture and a few
  links to other stories, or three links or more) nested in a sentence's paragraph is read
  by trafilatura as part of the sentence; it goes before extraction.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from summaries.errors import NO_ARTICLE_ON_PAGE, Unsummarizable
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


def _site_name(found: str | None, title: str | None) -> str | None:
    """trafilatura's site name, unless it is the article's own headline: without
    og:site_name it guesses from ``<title>``, and of "Jobs report disappoints. | USA TODAY"
    it may keep the headline half (the piece then names its headline as its outlet)."""
    name = (found or "").strip()
    if not name or (title and _WORD.findall(name.casefold()) == _WORD.findall(title.casefold())):
        return None
    return name


_WORD = re.compile(r"\w+")


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


_WIDGET_TAGS = ("span", "div", "aside", "section", "figure", "ul", "ol")
WIDGET_LINK_SHARE = 0.6  # of a widget's text that is link text
WIDGET_PARAGRAPH_SHARE = 0.8  # a widget is inside a paragraph, not the whole of it


def _squeezed_length(text: str) -> int:
    return len(" ".join(text.split()))


def _is_link_widget(element: HtmlElement, paragraph_chars: int) -> bool:
    links = element.findall(".//a")
    if len(links) < 2:
        return False
    if len(links) < 3 and element.find(".//img") is None:
        return False
    chars = _squeezed_length(element.text_content())
    if not chars or chars >= WIDGET_PARAGRAPH_SHARE * paragraph_chars:
        return False
    link_chars = sum(_squeezed_length(a.text_content()) for a in links)
    return link_chars >= WIDGET_LINK_SHARE * chars


def _drop_inline_widgets(tree: HtmlElement) -> None:
    """Remove hover cards and link boxes nested inside paragraphs (innermost first, so a
    span that merely wraps a sentence and a card is kept once the card is gone)."""
    for paragraph in tree.iter("p"):
        candidates = list(paragraph.iterdescendants(*_WIDGET_TAGS))
        if not candidates:
            continue
        paragraph_chars = _squeezed_length(paragraph.text_content())
        for element in reversed(candidates):
            if _is_link_widget(element, paragraph_chars):
                element.drop_tree()


HEADER_MAX_WORDS = 100  # above a real headline there is a kicker or a teaser, not an article
FIRST_PARAGRAPH_WORDS = 8  # shorter lines under the headline are bylines and dates


def _words(element: Any) -> int:
    return len("".join(element.itertext()).split())


def _tail_words(element: Any) -> int:
    return len((element.tail or "").split())


def _header(body: Any) -> tuple[list[Any], list[Any]]:
    """The page's header in trafilatura's main text: the elements above the headline
    (``<head rend="h1">``, when what is above it is short), and the headline with the
    headings between it and the first paragraph.  A paragraph may also be text trafilatura
    keeps after a heading (its tail): that heading is a subhead, and the last one."""
    children = list(body)
    above: list[Any] = []
    headings: list[Any] = []
    start = 0  # where the article may begin
    for i, child in enumerate(children):
        if child.tag == "head" and child.get("rend") == "h1":
            if sum(_words(c) + _tail_words(c) for c in children[:i]) <= HEADER_MAX_WORDS:
                above, headings, start = children[:i], [child], i + 1
            break
    for child in children[start:]:
        if child.tag != "head":
            if _words(child) >= FIRST_PARAGRAPH_WORDS:
                break
            continue
        headings.append(child)
        if _tail_words(child) >= FIRST_PARAGRAPH_WORDS:
            break
    return above, headings


def _empty(element: Any, *, keep_tail: bool) -> None:
    for child in list(element):
        element.remove(child)
    element.text = None
    if not keep_tail:
        element.tail = None


def _article_text(document: Any) -> str:
    """trafilatura's text without the page's header (see the module docstring)."""
    text: str = document.text
    body = getattr(document, "body", None)
    if body is None:
        return text
    above, headings = _header(body)
    if not above and not headings:
        return text
    try:
        from trafilatura.xml import xmltotxt
    except ImportError:  # pragma: no cover - trafilatura moved its serializer
        return text
    for element in above:
        _empty(element, keep_tail=False)
    for element in headings:  # the text after a heading may be a paragraph of the article
        _empty(element, keep_tail=True)
    stripped: str = xmltotxt(body, include_formatting=False)
    return stripped if stripped.strip() else text


def _load(html: str | bytes) -> Any:
    import trafilatura

    try:
        return trafilatura.load_html(html)
    except (ValueError, TypeError) as exc:  # undecodable bytes, not markup
        log.debug("could not parse HTML: %s", exc)
        return None


def extract_page(html: str | bytes, url: str | None = None) -> Page:
    """The article on a page.  Raises :class:`~summaries.errors.Unsummarizable` when there
    is no main text."""
    import trafilatura

    tree = _load(html)
    if tree is None:
        raise Unsummarizable(NO_ARTICLE_ON_PAGE)
    lang = (tree.get("lang") or tree.get("xml:lang") or "").strip().lower()
    meta = _meta(tree)
    json_ld = _json_ld(tree)  # before trafilatura, which may prune the tree
    timestamp = _published(tree, meta, None)
    _drop_inline_widgets(tree)
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
        raise Unsummarizable(NO_ARTICLE_ON_PAGE)
    text = _article_text(document)
    canonical = document.url or url or None
    title = (document.title or "").strip() or None
    return Page(
        title=title,
        text=text,
        published=timestamp or _parse_datetime(document.date or ""),
        author=(document.author or "").strip() or None,
        canonical_url=canonical,
        sitename=_site_name(document.sitename, title),
        language=lang.split("-")[0] or None,
        opinion=_opinion(json_ld, meta, [canonical, url], document) is not None,
    )
