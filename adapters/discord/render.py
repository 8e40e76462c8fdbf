"""Briefings as Discord messages: a pure function, no client, no clock, no I/O.

``render_briefing(briefing) -> list[DiscordMessage]``: the first message carries a header naming
the topic and when the briefing was generated; every piece gets an embed (title linked to the
source, the bullets as the description, the outlet in the footer and the publication date as
the embed timestamp, which Discord shows in each reader's time zone).  The renderer owns every
Discord limit (DESIGN "Platform facts"):

    content        <= 2,000          embeds per message      <= 10
    embed title    <= 256            embed description       <= 4,096
    fields         <= 25 (name 256, value 1,024; we use none)
    footer text    <= 2,048          author name             <= 256
    all embed text in one message (title, description, fields, footer, author) <= 6,000

A piece too long for one embed continues in further embeds, and embeds that do not fit one
message go to the next one.  Text is only ever cut at whitespace; when a single token is longer
than a whole embed it is broken and the break is marked with an ellipsis, and an over-long
title or outlet name is shortened at a word boundary with an ellipsis: nothing is dropped
silently.

Source text is untrusted: markdown is escaped (a masked link in a feed cannot become a link)
and mention syntax (``@everyone``, ``@here``, ``<@id>``, ``<@&id>``, ``<#id>``, ``</cmd:id>``)
is made inert with a zero-width space.  The adapter also sends every message with
``AllowedMentions.none()``; this is the second lock on the same door.

Lengths are counted in Unicode code points, as Discord counts them (its API is Python 3 and
measures ``len(str)``: discord/discord-api-docs#1315).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlsplit

import discord

from bot import messages
from bot.models import Briefing, BriefingItem, Subscription

# Discord's documented limits.
CONTENT_LIMIT: Final = 2000
EMBEDS_PER_MESSAGE: Final = 10
TITLE_LIMIT: Final = 256
DESCRIPTION_LIMIT: Final = 4096
FIELDS_LIMIT: Final = 25
FIELD_NAME_LIMIT: Final = 256
FIELD_VALUE_LIMIT: Final = 1024
FOOTER_LIMIT: Final = 2048
AUTHOR_LIMIT: Final = 256
EMBED_TOTAL_LIMIT: Final = 6000
URL_LIMIT: Final = 2048  # embed urls beyond this are refused by Discord

# Our own, tighter budgets so that one embed always fits a message with room to spare.
FOOTER_BUDGET: Final = 400
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

_WHITESPACE = re.compile(r"\s+")
# ``discord.utils.escape_mentions`` covers @everyone, @here, <@id>, <@!id>, <@&id>; channel,
# slash-command and timestamp syntax render too, so we break them the same way.
_ANGLE_SYNTAX = re.compile(r"<(?=[#/:]|a:|t:)")
_BARE_MASS_MENTION = re.compile(r"@(?=everyone|here)")


def neutralize(text: str) -> str:
    """Untrusted text as inert Discord markdown: one line, markdown escaped, mentions broken."""
    text = _WHITESPACE.sub(" ", text).strip()
    text = discord.utils.escape_markdown(text)
    text = discord.utils.escape_mentions(text)
    text = _ANGLE_SYNTAX.sub("<" + ZWSP, text)
    return _BARE_MASS_MENTION.sub("@" + ZWSP, text)


def plain(text: str) -> str:
    """Untrusted text for places Discord shows verbatim (footer, author): one line, no pings."""
    text = _ANGLE_SYNTAX.sub("<" + ZWSP, discord.utils.escape_mentions(_WHITESPACE.sub(" ", text)))
    return _BARE_MASS_MENTION.sub("@" + ZWSP, text).strip()


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
    try:
        parts = urlsplit(url)
    except ValueError:
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
    """``Outlet · also in A, B +3 more`` within FOOTER_BUDGET (``· undated`` without a date)."""
    text = shorten(plain(item.source) or messages.DISCORD_UNKNOWN_OUTLET, 120)
    if item.published is None:
        text += messages.DISCORD_UNDATED
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
            if url:
                embed["url"] = url  # only once: Discord folds embeds sharing a url together
        else:
            embed["title"] = shorten(
                messages.DISCORD_CONTINUED_TITLE.format(title=title), TITLE_LIMIT
            )
        embeds.append(embed)
    embeds[-1]["footer"] = {"text": _footer(item)}
    if item.published is not None:
        # Discord shows an embed timestamp beside the footer in each reader's own time zone
        # and locale: the publication date is right for Seoul and San Francisco alike.
        embeds[-1]["timestamp"] = item.published.isoformat()
    return embeds


def _header(briefing: Briefing) -> str:
    title = shorten(neutralize(briefing.topic.title) or briefing.topic.slug, HEADER_TITLE_BUDGET)
    slug = shorten(briefing.topic.slug.replace("`", ""), 100) or "?"
    when = f"<t:{int(briefing.generated_at.timestamp())}:f>"
    count = len(briefing.items)
    header = messages.DISCORD_BRIEF_HEADER.format(
        title=title,
        slug=slug,
        when=when,
        pieces=messages.DISCORD_PIECES.format(count=count, s="" if count == 1 else "s"),
    )
    if briefing.note:
        header += "\n" + shorten(neutralize(briefing.note), NOTE_BUDGET)
    elif not briefing.items:
        header += "\n" + messages.NOTHING_ON_TOPIC.format(topic=slug)
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
    title = shorten(neutralize(briefing.topic.title) or briefing.topic.slug, HEADER_TITLE_BUDGET)
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
    """A one-line reply we wrote ourselves (it may contain user input: keep it inert)."""
    text = discord.utils.escape_mentions(text)
    return DiscordMessage(content=shorten(_BARE_MASS_MENTION.sub("@" + ZWSP, text), CONTENT_LIMIT))


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


def render_subscriptions(subs: Sequence[Subscription]) -> list[DiscordMessage]:
    """``/briefing list``: one line per subscription, split over messages when long."""
    if not subs:
        return [DiscordMessage(content=messages.DISCORD_NO_SUBSCRIPTIONS)]
    text = "\n".join(
        [messages.DISCORD_SUB_LIST_HEADER.format(count=len(subs))]
        + [shorten(subscription_line(sub), 500) for sub in subs]
    )
    return [DiscordMessage(content=chunk) for chunk in split_text(text, CONTENT_LIMIT)]
