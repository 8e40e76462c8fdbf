"""Briefings as Discord messages: a pure function, no client, no clock, no I/O.

``render_briefing(briefing) -> list[DiscordMessage]``: the first message carries a header naming
the topic and when the briefing was generated; every piece gets an embed (title linked to the
source, the bullets as the description, the outlet in the footer and the publication date as
the embed timestamp, which Discord shows in each reader's time zone).  The renderer owns every
Discord limit (DESIGN "Platform facts"):

    content        <= 2,000          embeds per message      <= 10
    embed title    <= 256            embed description       <= 4,096
    fields         <= 25 (name 256, value 1,024; a story's perspectives, at most 6)
    footer text    <= 2,048          author name             <= 256
    all embed text in one message (title, description, fields, footer, author) <= 6,000

A piece too long for one embed continues in further embeds, and embeds that do not fit one
message go to the next one.  Text is only ever cut at whitespace; when a single token is longer
than a whole embed it is broken and the break is marked with an ellipsis, and an over-long
title or outlet name is shortened at a word boundary with an ellipsis: nothing is dropped
silently.

Source text is untrusted and comes out inert (``neutralize``, "text hygiene" below): it cannot
ping (``@everyone``, ``@here``, ``<@id>``, ``<@&id>``, fullwidth look-alikes), link (masked
links, autolinks, bare addresses), format (headings, quotes, lists, code, spoilers) or hide and
reverse text (zero-width and bidi controls), in new messages and edits alike, since both are
rendered here.  The adapter also sends every message with ``AllowedMentions.none()``.

Lengths are counted in Unicode code points, as Discord counts them (its API is Python 3 and
measures ``len(str)``: discord/discord-api-docs#1315).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

import discord

from bot import messages
from bot.models import Briefing, BriefingItem, Subscription
from bot.store import FeedState
from bot.store.urls import split_url, url_host
from summaries.inert import inert

# Discord's documented limits that the renderer enforces (the others: the module docstring).
CONTENT_LIMIT: Final = 2000
EMBEDS_PER_MESSAGE: Final = 10
TITLE_LIMIT: Final = 256
DESCRIPTION_LIMIT: Final = 4096
FOOTER_LIMIT: Final = 2048
EMBED_TOTAL_LIMIT: Final = 6000
URL_LIMIT: Final = 2048  # embed urls beyond this are refused by Discord

# Our own, tighter budgets so that one embed always fits a message with room to spare.
FOOTER_BUDGET: Final = 400
MAX_PERSPECTIVES: Final = 6  # fields: each side's line, each editorial's claim
PERSPECTIVE_NAME_BUDGET: Final = 100
PERSPECTIVE_VALUE_BUDGET: Final = 400
# an item's last embed with its fields stays under this (the rest of 6,000 is the footer's)
PIECE_BUDGET: Final = EMBED_TOTAL_LIMIT - FOOTER_BUDGET - 100
HEADER_TITLE_BUDGET: Final = 200
NOTE_BUDGET: Final = 1500

EMBED_COLOUR: Final = 0x2B6CB0
ELLIPSIS: Final = "…"
ZWSP: Final = "\u200b"
BULLET: Final = "• "


@dataclass(frozen=True, slots=True)
class DiscordMessage:
    """One message to post: ``content`` (may be empty) and embeds as Discord JSON objects."""

    content: str
    embeds: tuple[Mapping[str, Any], ...] = field(default=())

    def discord_embeds(self) -> list[discord.Embed]:
        return [discord.Embed.from_dict(dict(embed)) for embed in self.embeds]

    def to_json(self) -> dict[str, Any]:
        """The message as Discord's REST API receives it (``allowed_mentions`` included)."""
        payload: dict[str, Any] = {"allowed_mentions": {"parse": []}}
        if self.content:
            payload["content"] = self.content
        if self.embeds:
            payload["embeds"] = [dict(embed) for embed in self.embeds]
        return payload


# ---------------------------------------------------------------------------------------------
# text hygiene
#
# Source text is hostile until proven otherwise.  ``neutralize`` makes it inert in four steps,
# each one independent of what Discord's markdown parser happens to do today:
#
# 1. ``clean``: invisible and control characters go, by the one filter every renderer uses
#    (``summaries.inert.inert``: bidi overrides and isolates such as U+202E and U+2066-9,
#    zero-width spaces, word joiners, soft hyphens, BOMs, tag characters, variation
#    selectors, C0/C1 controls, lone surrogates, private-use and unassigned code points),
#    so nothing can reverse, hide or smuggle text; a ZWJ or ZWNJ between two characters
#    stays (emoji sequences, Persian and Indic scripts need them).  Whitespace of every
#    kind becomes one space: one line per bullet.
# 2. every markdown character is escaped with a backslash (``\ * _ ~ | ` [ ]``) wherever it
#    is, and the line-start syntax (``#`` headings and ``-#`` subtext, ``>`` quotes,
#    ``-``/``+``/``1.`` lists) at the start of any word, since a long bullet may be split
#    and continue at the start of another embed.  Discord hides a backslash before any
#    punctuation, so the text reads the same.  ``discord.utils.escape_markdown`` is not
#    enough: it escapes only the first ``[`` of a nested masked link
#    (``[[x](http://a)](http://b)`` keeps ``[x](http://a)`` live).
# 3. every at-sign and every ``<`` is followed by a zero-width space, including the
#    fullwidth and small forms that Unicode compatibility normalization (NFKC) folds into
#    them (U+FF20, U+FE6B, U+FF1C, U+FE64): no ``@everyone``, ``@here``, ``<@id>``,
#    ``<@&id>``, ``<#id>``, ``</cmd:id>``, ``<t:…>``, custom emoji or ``<https://…>``
#    autolink survives, nor a look-alike that a later normalization could turn into one.
# 4. ``scheme://`` (and its fullwidth look-alikes) gets a zero-width space after the colon:
#    an address in a bullet is shown, never linked (the piece's own link is its embed title).
#
# The adapter also sends everything with ``AllowedMentions.none()``: the second lock on the
# same door.

_WHITESPACE = re.compile(r"\s+")
_MARKDOWN = re.compile(r"([\\*_~|`\[\]])")
_LINE_START = re.compile(r"(?<!\S)([#>+-]|\d{1,9}(?=[.)](?:\s|$)))")
_MENTION_START = re.compile("([@\uff20\ufe6b<\uff1c\ufe64])(?!\u200b)")
# a colon (or a look-alike NFKC folds into one) before two slashes (or look-alikes)
_SCHEME = re.compile("(?<=[:\uff1a\ufe55\ufe13])(?=[/\uff0f]{2})")


def clean(text: str) -> str:
    """One line of visible text: invisible and control characters removed, whitespace folded."""
    return _WHITESPACE.sub(" ", inert(text)).strip()


def _ordered_escape(match: re.Match[str]) -> str:
    token = match.group(1)
    return token + "\\" if token[0].isdigit() else "\\" + token


def _unmention(text: str) -> str:
    """Every at-sign and ``<`` (and their look-alikes) followed by a zero-width space (step 3)."""
    return _MENTION_START.sub("\\1" + ZWSP, text)


def _unlink(text: str) -> str:
    """``scheme://`` broken with a zero-width space after the colon (step 4)."""
    return _SCHEME.sub(ZWSP, text)


def neutralize(text: str) -> str:
    """Untrusted text as inert Discord markdown: one line, nothing that pings, links, hides
    or formats (see "text hygiene" above)."""
    text = _MARKDOWN.sub(r"\\\1", clean(text))
    return _unlink(_unmention(_LINE_START.sub(_ordered_escape, text)))


def plain(text: str) -> str:
    """Untrusted text for places Discord shows verbatim (footer, author): one line, no pings,
    no invisible characters; markdown is not rendered there, so it is not escaped."""
    return _unlink(_unmention(clean(text)))


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits, else cut at the last whitespace before ``limit`` and marked "…"."""
    if len(text) <= limit:
        return text
    head = text[: limit - len(ELLIPSIS)]
    cut = head.rfind(" ")
    if cut > 0:
        head = head[:cut]
    return _safe_cut(head).rstrip() + ELLIPSIS


def _safe_cut(text: str) -> str:
    """Never end on a lone escaping backslash (it would escape whatever follows)."""
    trailing = len(text) - len(text.rstrip("\\"))
    return text[:-1] if trailing % 2 else text


def split_text(text: str, limit: int) -> Iterator[str]:
    """Chunks of at most ``limit`` characters, cut at whitespace (lines first, then words).

    A token longer than ``limit`` on its own is broken, and every such break ends with "…".
    """
    if limit <= len(ELLIPSIS):
        raise ValueError("limit too small to split text")
    rest = text
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = window.rfind("\n")
        if cut < limit // 2:  # a line break far back would waste the chunk: take a word break
            cut = max(cut, window.rfind(" "))
        if cut > 0:
            yield rest[:cut].rstrip()
            rest = rest[cut + 1 :].lstrip()
            continue
        head = _safe_cut(rest[: limit - len(ELLIPSIS)])
        yield head + ELLIPSIS
        rest = rest[len(head) :]
    if rest:
        yield rest


def _http_url(url: str | None) -> str | None:
    """The url if Discord will accept it as an embed link (absolute http/https), else None."""
    if not url or len(url) > URL_LIMIT or _WHITESPACE.search(url):
        return None
    parts = split_url(url)
    if parts is None:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def embed_length(embed: Mapping[str, Any]) -> int:
    """Characters Discord counts towards the 6,000 limit for one embed."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += len(embed.get("footer", {}).get("text", ""))
    total += len(embed.get("author", {}).get("name", ""))
    for item in embed.get("fields", ()):
        total += len(item.get("name", "")) + len(item.get("value", ""))
    return total


# ---------------------------------------------------------------------------------------------
# briefings


def _footer(item: BriefingItem) -> str:
    """``Outlet · 3 outlets · also in A, B +3 more`` within FOOTER_BUDGET (``· undated``
    without a date)."""
    text = shorten(plain(item.source) or messages.DISCORD_UNKNOWN_OUTLET, 120)
    if item.published is None:
        text += messages.DISCORD_UNDATED
    if item.coverage and len(item.sources) > 1:
        text += " · " + shorten(plain(item.coverage), 120)
    also = [shorten(name, 80) for name in map(plain, item.also_in) if name]
    shown: list[str] = []
    for name in also:
        if len(", ".join([*shown, name])) > FOOTER_BUDGET - len(text) - 40:
            break
        shown.append(name)
    if shown:
        hidden = len(also) - len(shown)
        more = messages.DISCORD_ALSO_IN_MORE.format(count=hidden) if hidden else ""
        text += messages.DISCORD_ALSO_IN.format(outlets=", ".join(shown) + more)
    return shorten(text, FOOTER_BUDGET)


def _item_embeds(item: BriefingItem, url: str | None) -> list[dict[str, Any]]:
    title = shorten(neutralize(item.title) or messages.DISCORD_UNTITLED, TITLE_LIMIT)
    bullets = [neutralize(bullet) for bullet in item.bullets]
    lines = [BULLET + bullet for bullet in bullets if bullet] or [messages.DISCORD_NO_BULLETS]
    chunks = list(split_text("\n".join(lines), DESCRIPTION_LIMIT))
    embeds: list[dict[str, Any]] = []
    for index, chunk in enumerate(chunks):
        embed: dict[str, Any] = {"type": "rich", "color": EMBED_COLOUR, "description": chunk}
        if index == 0:
            embed["title"] = title
            labels = [messages.STORY_UPDATE] if item.update else []
            if item.opinion:
                labels.append(messages.OPINION_LABEL)
            if labels:  # shown above the title: an update, an opinion piece
                embed["author"] = {"name": " · ".join(labels)}
            if url:
                embed["url"] = url  # only once: Discord folds embeds sharing a url together
        else:
            embed["title"] = shorten(
                messages.DISCORD_CONTINUED_TITLE.format(title=title), TITLE_LIMIT
            )
        embeds.append(embed)
    fields = _perspective_fields(item)
    last = embeds[-1]
    if fields and embed_length(last) + sum(_field_length(f) for f in fields) > PIECE_BUDGET:
        last = {
            "type": "rich",
            "color": EMBED_COLOUR,
            "title": shorten(messages.DISCORD_CONTINUED_TITLE.format(title=title), TITLE_LIMIT),
        }
        embeds.append(last)
    if fields:
        last["fields"] = fields
    embeds[-1]["footer"] = {"text": _footer(item)}
    if item.published is not None:
        # Discord shows an embed timestamp beside the footer in each reader's own time zone
        # and locale: the publication date is right for Seoul and San Francisco alike.
        embeds[-1]["timestamp"] = item.published.isoformat()
    return embeds


def _field_length(field: Mapping[str, Any]) -> int:
    return len(field.get("name", "")) + len(field.get("value", ""))


def _perspective_fields(item: BriefingItem) -> list[dict[str, Any]]:
    """Each side's line and each editorial's claim, as embed fields (name: the label)."""
    fields = []
    for perspective in item.perspectives[:MAX_PERSPECTIVES]:
        name = shorten(neutralize(perspective.label), PERSPECTIVE_NAME_BUDGET)
        value = " ".join(neutralize(b) for b in perspective.bullets if neutralize(b))
        if name and value:
            fields.append({"name": name, "value": shorten(value, PERSPECTIVE_VALUE_BUDGET)})
    return fields


def _topic_title(briefing: Briefing) -> str:
    topic = briefing.topic
    return shorten(neutralize(topic.title) or neutralize(topic.slug) or "?", HEADER_TITLE_BUDGET)


def _header(briefing: Briefing) -> str:
    title = _topic_title(briefing)
    # the slug is ours (the topic registry's), shown in a code span: nothing renders inside
    # one, and a backtick or a line break cannot end it early
    slug = shorten(_unmention(clean(briefing.topic.slug)).replace("`", ""), 100) or "?"
    when = f"<t:{int(briefing.generated_at.timestamp())}:f>"
    count = len(briefing.items)
    header = messages.DISCORD_BRIEF_HEADER.format(
        title=title,
        slug=slug,
        when=when,
        pieces=messages.DISCORD_PIECES.format(count=count, s="y" if count == 1 else "ies"),
    )
    if briefing.note:
        header += "\n" + shorten(neutralize(briefing.note), NOTE_BUDGET)
    elif not briefing.items:
        header += "\n" + messages.NOTHING_ON_TOPIC.format(topic=f"`{slug}`")
    return shorten(header, CONTENT_LIMIT)


def _pack(embeds: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    batches: list[list[dict[str, Any]]] = []
    current: list[dict[str, Any]] = []
    size = 0
    for embed in embeds:
        length = embed_length(embed)
        if current and (len(current) == EMBEDS_PER_MESSAGE or size + length > EMBED_TOTAL_LIMIT):
            batches.append(current)
            current, size = [], 0
        current.append(embed)
        size += length
    if current:
        batches.append(current)
    return batches


def render_briefing(briefing: Briefing) -> list[DiscordMessage]:
    """The messages that carry ``briefing``, in order; the first one has the header."""
    embeds: list[dict[str, Any]] = []
    seen_urls: set[str] = set()
    for item in briefing.items:
        url = _http_url(item.url)
        if url in seen_urls:
            url = None
        if url:
            seen_urls.add(url)
        embeds.extend(_item_embeds(item, url))

    header = _header(briefing)
    batches = _pack(embeds) or [[]]
    if len(batches) == 1:
        return [DiscordMessage(content=header, embeds=tuple(batches[0]))]
    title = _topic_title(briefing)
    out = [DiscordMessage(content=header, embeds=tuple(batches[0]))]
    for part, batch in enumerate(batches[1:], start=2):
        content = messages.DISCORD_BRIEF_CONTINUED.format(
            title=title, part=part, parts=len(batches)
        )
        out.append(DiscordMessage(content=shorten(content, CONTENT_LIMIT), embeds=tuple(batch)))
    return out


# ---------------------------------------------------------------------------------------------
# subscriptions and one-liners


def render_text(text: str) -> DiscordMessage:
    """A one-line reply we wrote ourselves, whose markdown is ours; user or source text in it
    was made inert by the caller (``neutralize``) or is the asker's own input, echoed to them
    alone.  Either way it is one line, without invisible characters, and cannot ping."""
    text = _WHITESPACE.sub(" ", inert(text, keep=ZWSP)).strip()
    return DiscordMessage(content=shorten(_unmention(text), CONTENT_LIMIT))


def subscription_line(sub: Subscription) -> str:
    if sub.status == "paused":
        status = messages.DISCORD_SUB_PAUSED.format(
            reason=neutralize(sub.paused_reason or messages.DISCORD_SUB_NO_REASON)
        )
    else:
        status = messages.DISCORD_SUB_ACTIVE
    return messages.DISCORD_SUB_LINE.format(
        id=sub.id,
        slug=sub.topic.slug.replace("`", ""),
        schedule=neutralize(sub.schedule.describe()),
        quiet=messages.DISCORD_SUB_QUIET if sub.quiet else "",
        status=status,
    )


def next_run_text(when: datetime | None) -> str:
    """`` · next <t:…:f>`` (Discord shows it in each reader's own time zone), or none."""
    if when is None:
        return messages.DISCORD_SUB_NO_NEXT
    return messages.DISCORD_SUB_NEXT.format(unix=int(when.timestamp()))


def last_delivery_text(when: datetime | None) -> str:
    """`` · last delivered <t:…:f>``, or `` · no delivery yet``."""
    if when is None:
        return messages.DISCORD_SUB_NEVER
    return messages.DISCORD_SUB_LAST.format(unix=int(when.timestamp()))


def render_subscriptions(
    found: Sequence[tuple[Subscription, datetime | None, datetime | None]],
) -> list[DiscordMessage]:
    """``/briefing list`` of (subscription, next run, last delivery): one line each, with its
    next run (or, paused, how to resume it) and its last delivery, split over messages when
    long."""
    if not found:
        return [DiscordMessage(content=messages.DISCORD_NO_SUBSCRIPTIONS)]
    lines = [messages.DISCORD_SUB_LIST_HEADER.format(count=len(found))]
    for sub, next_run, last in found:
        if sub.status == "active":
            tail = next_run_text(next_run) + last_delivery_text(last)
        else:
            tail = last_delivery_text(last) + messages.DISCORD_SUB_RESUME_HINT.format(id=sub.id)
        lines.append(shorten(subscription_line(sub), 500 - len(tail)) + tail)
    return [DiscordMessage(content=chunk) for chunk in split_text("\n".join(lines), CONTENT_LIMIT)]


# ---------------------------------------------------------------------------------------------
# user-added sources (/briefing source)


def code(text: str) -> str:
    """Untrusted text (a URL) as an inline code span: shown exactly, never a link, a preview
    or markdown; a backtick cannot close the span early (``%60`` is a backtick in a URL)."""
    return "`" + _unmention(clean(text).replace("`", "%60")) + "`"


def _source_name(feed: FeedState) -> str:
    name = feed.name or feed.outlet or url_host(feed.url) or feed.url
    return shorten(neutralize(name), 120) or "?"


def source_status(feed: FeedState) -> str:
    status = feed.status
    if status == "disabled":
        return messages.DISCORD_SOURCE_DISABLED.format(
            reason=shorten(neutralize(feed.disabled_reason or ""), 200)
        )
    if status == "failing":
        return messages.DISCORD_SOURCE_FAILING.format(
            failures=feed.consecutive_failures,
            error=shorten(neutralize(feed.last_error or ""), 200),
        )
    if status == "new":
        return messages.DISCORD_SOURCE_NEW
    count = feed.articles
    return messages.DISCORD_SOURCE_OK.format(articles=count, s="" if count == 1 else "s")


def render_source_added(feed: FeedState) -> list[DiscordMessage]:
    return [
        render_text(
            messages.DISCORD_SOURCE_ADDED.format(
                name=_source_name(feed), id=feed.id, url=code(shorten(feed.url, 500))
            )
        )
    ]


def render_source_removed(feed: FeedState) -> list[DiscordMessage]:
    return [
        render_text(
            messages.DISCORD_SOURCE_REMOVED.format(
                name=_source_name(feed), id=feed.id, url=code(shorten(feed.url, 500))
            )
        )
    ]


def render_sources(feeds: Sequence[FeedState], *, limit: int) -> list[DiscordMessage]:
    """``/briefing source list``: one line per source with its health, split when long."""
    if not feeds:
        return [DiscordMessage(content=messages.DISCORD_NO_SOURCES)]
    lines = [messages.DISCORD_SOURCE_LIST_HEADER.format(count=len(feeds), limit=limit)]
    for feed in feeds:
        line = messages.DISCORD_SOURCE_LINE.format(
            id=feed.id,
            name=_source_name(feed),
            url=code(shorten(feed.url, 300)),
            status=source_status(feed),
        )
        lines.append(shorten(line, 700))
    return [DiscordMessage(content=chunk) for chunk in split_text("\n".join(lines), CONTENT_LIMIT)]
