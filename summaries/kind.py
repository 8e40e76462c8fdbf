"""Is this piece opinion?  The explicit signals a piece carries, before its text is read.

An outlet says a piece is an editorial, a column or an op-ed in several places, none of them
reliable alone and each missing often enough:

* the URL path (``/opinion/editorials/``, ``/commentisfree/``, ``/op-ed/``);
* the feed's own category for the item (``<category>Opinion</category>``);
* a marker in the title (``[Editorial]``, ``EDITORIAL |``, ``Editorial:``, ``Opinion |``,
  ``[Column]``, ``[Op-Ed]``; ``... | Editorial`` at the end);
* the page's metadata: ``article:section`` and its kin, schema.org JSON-LD
  (``"@type": "OpinionNewsArticle"``, an ``articleSection`` of Opinion), and a byline such
  as "The Editorial Board".

:func:`opinion_signal` and :func:`page_opinion_signal` return which signal spoke (for logs
and reports), or None.  When none does, the text decides (``summaries.select``), and the
source's declared kind is only the default for text that does not say.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

__all__ = [
    "is_opinion_label",
    "is_opinion_url",
    "opinion_signal",
    "opinion_title",
    "page_opinion_signal",
]

_OPINION_WORDS = (
    r"opinions?|editorials?|op-?eds?|commentary|columns?|columnists?|commentisfree"
    r"|viewpoints?|perspectives?|letters"
)
_OPINION_PATH = re.compile(rf"/(?:{_OPINION_WORDS})(?:/|$|[-_.])", re.I)
# a label: "Opinion", "Editorials", "Opinion/Columns", "Analysis & Opinion", "Op-Ed"
_OPINION_LABEL = re.compile(
    rf"^\W*(?:{_OPINION_WORDS}|comment|analysis\s*(?:&|and)\s*opinion|letters? to the editor)\W*$",
    re.I,
)
_LABEL_PARTS = re.compile(r"\s*(?:[/>»›|:]|\s-\s)\s*")
_MARKER = r"(?:editorial|opinion|column|op-?ed|commentary|viewpoint|letter to the editor)"
_TITLE_PREFIX = re.compile(rf"^\s*(?:[\[(【]\s*{_MARKER}\s*[\])】]|{_MARKER}\s*[:|–—])", re.I)
_TITLE_SUFFIX = re.compile(rf"[|–—]\s*{_MARKER}s?\s*$", re.I)
_BYLINE = re.compile(
    r"^\W*(?:the\s+)?(?:[\w.&' -]{0,40}\s)?(?:editorial\s+(?:board|team|staff|desk|committee)"
    r"|editorial|editors)\W*$",
    re.I,
)
_OPINION_TYPES = frozenset({"opinionnewsarticle", "opinion", "editorial", "op-ed"})
_SECTION_META = ("article:section", "section", "og:section", "parsely-section", "category")


def is_opinion_url(url: str | None) -> bool:
    """The URL's path files the piece under opinion (``/opinion/``, ``/editorials/`` ...)."""
    return bool(url) and _OPINION_PATH.search(url or "") is not None


def is_opinion_label(label: str | None) -> bool:
    """A section or category label that means opinion: "Opinion", "Editorials",
    "Opinion > Columns", "Op-Ed", "Commentary" (not "News", not "Analysis")."""
    if not label or len(label) > 120:
        return False
    return any(_OPINION_LABEL.match(part) for part in [label, *_LABEL_PARTS.split(label)] if part)


def opinion_title(title: str | None) -> bool:
    """The title carries an outlet's opinion marker: "[Editorial] ...", "EDITORIAL | ...",
    "Editorial: ...", "Opinion | ...", "[Column] ...", "[Op-Ed] ...", "... | Editorial"."""
    if not title:
        return False
    return bool(_TITLE_PREFIX.search(title) or _TITLE_SUFFIX.search(title))


def opinion_signal(
    *,
    urls: Iterable[str | None] = (),
    categories: Iterable[str] = (),
    title: str | None = None,
) -> str | None:
    """Which of a piece's own signals says it is opinion ("url", "category", "title"), or
    None when none does."""
    if any(is_opinion_url(url) for url in urls):
        return "url"
    if any(is_opinion_label(label) for label in categories):
        return "category"
    if opinion_title(title):
        return "title"
    return None


def page_opinion_signal(
    meta: Mapping[str, str], json_ld: Iterable[str], *, authors: Iterable[str | None] = ()
) -> str | None:
    """What a page's metadata says: "section" (``article:section`` and its kin), "schema.org"
    (JSON-LD ``OpinionNewsArticle`` or an opinion ``articleSection``), "byline" (an
    editorial board); or None."""
    bylines = list(authors)
    if any(is_opinion_label(meta.get(key)) for key in _SECTION_META):
        return "section"
    for block in json_ld:
        for node in _json_nodes(block):
            kinds = node.get("@type")
            names = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
            if any(isinstance(n, str) and n.lower() in _OPINION_TYPES for n in names):
                return "schema.org"
            section = node.get("articleSection")
            sections = [section] if isinstance(section, str) else section or []
            if isinstance(sections, list) and any(
                isinstance(s, str) and is_opinion_label(s) for s in sections
            ):
                return "schema.org"
            bylines.extend(_names(node.get("author")))
    if any(author and _BYLINE.match(author) for author in bylines):
        return "byline"
    return None


def _names(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        name = value.get("name")
        if isinstance(name, str):
            yield name
    elif isinstance(value, list):
        for item in value[:10]:
            yield from _names(item)


def _json_nodes(block: str) -> Iterator[Mapping[str, Any]]:
    """The objects of a JSON-LD block: the top level, lists, and ``@graph`` members."""
    try:
        data = json.loads(block)
    except (ValueError, RecursionError):
        return
    stack: list[Any] = [data]
    seen = 0
    while stack and seen < 200:
        item = stack.pop()
        seen += 1
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, Mapping):
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                stack.extend(graph)
