"""Pure renderers of a ``Briefing`` for the terminal (text) and for pasting (Markdown).

JSON is ``Briefing.to_json()`` (the CONTRACT shape).  Source text is untrusted: control
characters (terminal escape sequences) and invisible ones are removed from everything printed
(:func:`summaries.inert.inert`, the filter every renderer uses), and Markdown
syntax in titles and bullets is escaped so a headline cannot turn into a link or a heading.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from datetime import datetime

from bot import messages
from bot.models import Briefing, BriefingItem, Perspective, StoryList
from summaries.inert import inert

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_MD_LINE_START = re.compile(r"^(\s*)(?:([-=])|(\d+)([.]))", re.M)


def clean(text: str) -> str:
    """One line of printable text: control and invisible characters out, whitespace runs
    collapsed."""
    return " ".join(inert(text).split())


def _numbered_title(n: int, title: str, width: int) -> tuple[str, list[str]]:
    """``n. title`` wrapped to ``width``, and the indent that lines under it take."""
    number = f"{n}. "
    indent = " " * len(number)
    wrapped = textwrap.wrap(
        clean(title) or messages.RENDER_UNTITLED,
        width=width,
        initial_indent=number,
        subsequent_indent=indent,
    )
    return indent, wrapped


def _date(value: datetime | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else messages.RENDER_UNDATED


def _generated(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M %Z}".strip()


def _pieces(count: int) -> str:
    return messages.RENDER_PIECES.format(count=count, s="y" if count == 1 else "ies")


def _byline(item: BriefingItem) -> str:
    parts = [clean(item.source) or messages.RENDER_UNKNOWN_OUTLET, _date(item.published)]
    if item.opinion:
        parts.insert(0, messages.OPINION_LABEL)
    if item.update:
        parts.insert(0, messages.STORY_UPDATE)
    if item.coverage and len(item.sources) > 1:
        parts.append(clean(item.coverage))
    also = [clean(o) for o in item.also_in if clean(o)]
    if also:
        parts.append(messages.RENDER_ALSO_IN.format(outlets=", ".join(also)))
    return " · ".join(parts)


def _perspectives(perspectives: Sequence[Perspective]) -> list[tuple[str, str]]:
    """(label, line) for each perspective beside a story's facts."""
    out = []
    for perspective in perspectives:
        said = " ".join(clean(b) for b in perspective.bullets if clean(b))
        if clean(perspective.label) and said:
            out.append((clean(perspective.label), said))
    return out


def _story_lines(
    bullets: Sequence[str],
    perspectives: Sequence[Perspective],
    indent: str,
    width: int,
    *,
    empty: str | None = None,
) -> list[str]:
    """A story's bullets ("- ") and perspective lines ("> label: ..."), wrapped under
    ``indent``; ``empty`` stands in for no bullets."""
    lines: list[str] = []
    kept = [clean(b) for b in bullets if clean(b)] or ([empty] if empty else [])
    rows = [("- ", b) for b in kept]
    rows += [("> ", f"{label}: {said}") for label, said in _perspectives(perspectives)]
    for marker, text in rows:
        lines += textwrap.wrap(
            text,
            width=width,
            initial_indent=indent + marker,
            subsequent_indent=indent + "  ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    return lines


def render_text(briefing: Briefing, *, width: int = 88) -> str:
    """What a person reads in a terminal: header, then each piece with its bullets."""
    width = max(40, width)
    topic = briefing.topic
    header = messages.RENDER_HEADER.format(
        title=clean(topic.title),
        slug=topic.slug,
        pieces=_pieces(len(briefing.items)),
        when=_generated(briefing.generated_at),
    )
    lines = [*textwrap.wrap(header, width=width), ""]
    if not briefing.items:
        lines.append(clean(briefing.note or messages.NOTHING_ON_TOPIC.format(topic=topic.slug)))
        return "\n".join(lines) + "\n"
    for n, item in enumerate(briefing.items, 1):
        indent, title = _numbered_title(n, item.title, width)
        lines += title
        lines += textwrap.wrap(
            _byline(item), width=width, initial_indent=indent, subsequent_indent=indent
        )
        if item.url:
            lines.append(indent + clean(item.url))
        lines += _story_lines(
            item.bullets, item.perspectives, indent, width, empty=messages.RENDER_NO_BULLETS
        )
        lines.append("")
    return "\n".join(lines)


def escape_markdown(text: str) -> str:
    """Text that Markdown shows as written (no links, emphasis, headings or lists)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", clean(text))

    def block_marker(match: re.Match[str]) -> str:
        if match.group(2):  # "- item", "=== heading underline"
            return f"{match.group(1)}\\{match.group(2)}"
        return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"  # "1. item" -> "1\. item"

    return _MD_LINE_START.sub(block_marker, escaped)


def _md_url(url: str) -> str:
    return "<" + clean(url).replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"


def render_markdown(briefing: Briefing) -> str:
    """The briefing as Markdown, for pasting into a document or a chat that renders it."""
    topic = briefing.topic
    out = [
        f"## {escape_markdown(topic.title)}",
        "",
        "*"
        + messages.RENDER_MD_SUBTITLE.format(
            slug=topic.slug,
            pieces=_pieces(len(briefing.items)),
            when=_generated(briefing.generated_at),
        )
        + "*",
        "",
    ]
    if not briefing.items:
        note = briefing.note or messages.NOTHING_ON_TOPIC.format(topic=topic.slug)
        return "\n".join([*out, escape_markdown(note), ""])
    for n, item in enumerate(briefing.items, 1):
        title = escape_markdown(item.title) or messages.RENDER_UNTITLED
        heading = f"[{title}]({_md_url(item.url)})" if item.url else title
        out += [f"### {n}. {heading}", "", f"*{escape_markdown(_byline(item))}*", ""]
        bullets = [escape_markdown(b) for b in item.bullets if clean(b)]
        out += [f"- {b}" for b in bullets or [messages.RENDER_NO_BULLETS]]
        if lines := _perspectives(item.perspectives):
            out.append("")
            out += [
                f"> **{escape_markdown(label)}:** {escape_markdown(said)}  "
                for label, said in lines
            ]
        out.append("")
    return "\n".join(out)


def render_stories(listed: StoryList, *, width: int = 88) -> str:
    """`briefbot stories` for a terminal: each story with its dates, outlets, bullets, each
    side's line and every article (outlet, country, kind, link)."""
    width = max(40, width)
    count = len(listed.stories)
    about = f" on {clean(listed.topic.title)} ({listed.topic.slug})" if listed.topic else ""
    header = messages.RENDER_STORIES_HEADER.format(
        count=count,
        s="y" if count == 1 else "ies",
        about=about,
        when=_generated(listed.generated_at),
    )
    lines = [*textwrap.wrap(header, width=width), ""]
    if not listed.stories:
        lines.append(clean(listed.note or messages.NO_STORIES))
        return "\n".join(lines) + "\n"
    for n, story in enumerate(listed.stories, 1):
        indent, title = _numbered_title(n, story.title, width)
        lines += title
        span = _date(story.first_seen)
        if _date(story.last_seen) != span:
            span += f" – {_date(story.last_seen)}"
        outlets = messages.STORY_OUTLETS.format(
            count=story.outlets, s="" if story.outlets == 1 else "s"
        )
        lines.append(f"{indent}story {story.id} · {span} · {outlets}")
        lines += _story_lines(story.bullets, story.perspectives, indent, width)
        for article in story.articles:
            where = f" ({article.country})" if article.country else ""
            kind = f" [{messages.OPINION_LABEL.lower()}]" if article.kind == "editorial" else ""
            link = f": {clean(article.url)}" if article.url else ""  # an item with no link
            lines.append(f"{indent}* {clean(article.source)}{where}{kind}{link}")
        lines.append("")
    return "\n".join(lines)
