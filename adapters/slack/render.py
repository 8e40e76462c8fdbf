"""Briefings and replies as Slack messages: pure functions, no client, no I/O.

A rendered message is a dict ready for ``chat.postMessage`` or a ``response_url``:
``{"text": <fallback>, "blocks": [...]}`` (replies without blocks carry only ``text``).

A briefing renders as a header (plain text), one section per piece (linked title, outlet and
date, the bullets as a list), dividers between pieces, and a context line with the generation
time.  The renderer owns Slack's limits (DESIGN "Platform facts"):

    blocks per message        <= 50
    section text              <= 3,000    (a longer piece continues in the next section)
    header text               <= 150      (plain_text; cut at a word with a visible "…")
    block text per message    <= 10,000   (Slack's ceiling is about 12k; the rest is threaded)
    ``text`` fallback         always present, short (notifications and screen readers)

Lengths are counted in UTF-16 code units, the stricter of the ways Slack may count, so emoji
and other astral characters never push a block over.  Nothing from a source is dropped
silently: long bullets continue in the next block, long briefings in further messages that the
adapter posts in a thread under the first.

Text from a source (titles, outlets, bullets, feed names) is made inert before it reaches a
mrkdwn field (:func:`escape`), so an article cannot ping anyone or reformat the channel:

* ``&``, ``<`` and ``>`` become entities, so ``<!channel>``, ``<!here>``, ``<!everyone>``,
  ``<@U123>``, ``<!subteam^S1>``, ``<#C1>``, ``<!date^...>`` and ``<http://evil|x>`` are text;
* bare ``@here``/``@channel``/``@everyone`` (any case, fullwidth ``＠`` or letters, with
  zero-width joiners in between) get a word joiner after the ``@``;
* invisible and control characters are dropped by the one filter every renderer uses
  (:func:`summaries.inert.inert`): controls (NUL, ESC ...), zero-width spaces, soft hyphens,
  bidi marks, embeddings, overrides and isolates, invisible operators, BOMs, Unicode tag
  characters, variation selectors, private-use and unassigned code points, the Hangul
  fillers, so ``@\u200beveryone`` or a right-to-left override cannot disguise text (a
  zero-width joiner between two characters stays: emoji sequences and several scripts need
  it);
* mrkdwn markers get their look-alikes: ``*`` -> ``∗``, ``_`` -> ``ˍ``, ``~`` -> ``∼`` and
  backtick -> ``ˋ``, so no bold, italic, strike, code span or code fence can open (mrkdwn has
  no escape character); line breaks become spaces, and a line that would start with ``>``
  (a block quote) starts with ``›`` instead;
* every mrkdwn text object carries ``verbatim: true``: Slack does not auto-link URLs, channel
  names or mentions inside (the bot's own ``<url|title>`` links and date tokens still work),
  so ``[x](http://evil)`` stays text with an unlinked address.

The plain-text header is not parsed by Slack; it still loses invisible characters, gets
look-alike angle quotes and defused broadcast words.  The bot's own replies
(:func:`render_text`) have ``&``, ``<`` and ``>`` escaped, so usage lines such as
``<topic>`` show as typed.  Slack's adapter never edits a posted message: every message,
threaded part and reply goes through these functions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import quote

from bot import messages
from bot.models import Briefing, BriefingItem, Subscription
from bot.store import FeedState
from summaries.inert import inert

SlackMessage = dict[str, Any]
Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MESSAGE_TEXT_BUDGET = 10_000
MAX_FALLBACK_TEXT = 600
MAX_TITLE = 250
MAX_OUTLET = 80
MAX_ALSO_IN = 3
MAX_PERSPECTIVES = 6  # lines beside a story's facts: each side's, each editorial's claim
MAX_PERSPECTIVE = 400
MAX_URL = 1500  # with a 250-char title (escaped: <= 1,250) the title line stays < 3,000
MAX_SLUG = 100
ELLIPSIS = "…"

_WORD_JOINER = "\u2060"
BROADCASTS = frozenset({"here", "channel", "everyone"})
# An at sign (ASCII, fullwidth, small), any zero-width (non-)joiners, then a word.
_AT_WORD = re.compile(r"[@\uff20\ufe6b][\u200c\u200d]*(\w+)")
_MARKERS = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"})
_QUOTE_LINE = re.compile(r"^(\s*)&gt;", re.MULTILINE)
_SPACES = re.compile(r"\s+")
# One block's worth of reserved room: the header (first message) and the context (every one).
_RESERVED_BLOCKS = 2
_RESERVED_TEXT = MAX_HEADER_TEXT + 1000


class TopicLike(Protocol):
    @property
    def slug(self) -> str: ...

    @property
    def title(self) -> str: ...


# -- text helpers ---------------------------------------------------------------------------


def slack_len(text: str) -> int:
    """Length as UTF-16 code units (an emoji counts 2): the safe measure for Slack's limits."""
    return len(text.encode("utf-16-le")) // 2


def escape_controls(text: str) -> str:
    """Slack's three control characters as entities (``&amp;``, ``&lt;``, ``&gt;``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def defuse_broadcasts(text: str) -> str:
    """A word joiner after the ``@`` of ``@here``, ``@channel`` and ``@everyone``, however
    spelled (case, fullwidth letters or at sign, zero-width joiners after the ``@``)."""

    def defuse(match: re.Match[str]) -> str:
        word = match.group(1)
        if unicodedata.normalize("NFKC", word).casefold() in BROADCASTS:
            return match.group(0)[0] + _WORD_JOINER + word
        return match.group(0)

    return _AT_WORD.sub(defuse, text)


def _one_inert_line(text: str) -> str:
    """No invisible or control characters (the shared filter), line breaks made spaces."""
    return inert(text).replace("\n", " ")


def neutral(text: str) -> str:
    """Source text with everything that could act in mrkdwn disarmed, except the three control
    characters (:func:`escape` does both): invisible format characters dropped, line breaks
    made spaces, formatting markers swapped for look-alikes, broadcast words defused."""
    return defuse_broadcasts(_one_inert_line(text).translate(_MARKERS))


def escape(text: str) -> str:
    """Source text made inert for a mrkdwn field (see the module docstring), wherever it lands
    in a line; where lines are cut and joined later, :func:`no_quote_lines` runs again."""
    return no_quote_lines(escape_controls(neutral(text)))


def plain(text: str) -> str:
    """Source text for a ``plain_text`` object (the header).  Slack does not parse mentions
    or formatting there; invisible characters go, angle brackets become look-alike quotes and
    broadcast words are defused anyway, so no reading of it can ping or mislead."""
    text = _one_inert_line(text).replace("<", "\u2039").replace(">", "\u203a")
    return defuse_broadcasts(text)


def no_quote_lines(text: str) -> str:
    """mrkdwn starts a block quote at a line beginning with ``>`` (``&gt;``); source text can
    land at a line start (an outlet, a continued bullet), so such a ``>`` becomes ``›``."""
    return _QUOTE_LINE.sub("\\1\u203a", text)


def one_line(text: str) -> str:
    """One line of visible text: invisible and control characters out (lone surrogates too,
    which Slack's length measure cannot encode), whitespace folded."""
    return _SPACES.sub(" ", inert(text)).strip()


def shorten(text: str, limit: int) -> str:
    """``text`` within ``limit`` (UTF-16 units), cut at a word boundary with a visible "…"."""
    if slack_len(text) <= limit:
        return text
    end = _prefix_end(text, limit - 1)
    cut = text.rfind(" ", 0, end + 1)
    if cut < end // 2:
        cut = end
    return text[:cut].rstrip() + ELLIPSIS


def _prefix_end(text: str, limit: int) -> int:
    """The largest index ``i`` with ``slack_len(text[:i]) <= limit``."""
    units = text.encode("utf-16-le")[: 2 * max(limit, 0)]
    if len(units) >= 2 and 0xD800 <= int.from_bytes(units[-2:], "little") <= 0xDBFF:
        units = units[:-2]  # do not cut an astral character in half
    return len(units.decode("utf-16-le"))


def _split_escaped(line: str, limit: int) -> list[str]:
    """Split an escaped line into chunks of at most ``limit`` units: at spaces where possible,
    never inside an ``&amp;``/``&lt;``/``&gt;`` entity."""
    chunks: list[str] = []
    while slack_len(line) > limit:
        end = _prefix_end(line, limit)
        cut = line.rfind(" ", 0, end + 1)
        if cut > end // 2:
            chunks.append(line[:cut])
            line = line[cut + 1 :]
            continue
        amp = line.rfind("&", max(0, end - 4), end)
        if amp > 0 and ";" not in line[amp:end]:
            end = amp
        chunks.append(line[:end])
        line = line[end:]
    chunks.append(line)
    return [chunk for chunk in chunks if chunk.strip()]


def _link_target(url: str | None) -> str | None:
    """A URL safe inside ``<url|text>``: http(s) only, no spaces or pipes, entities escaped."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    try:
        safe = quote(url.strip(), safe="/:?#[]@!$&'()*+,;=%~.-_")
    except UnicodeEncodeError:  # a lone surrogate: no address at all
        return None
    safe = safe.replace("&", "&amp;")
    return safe if len(safe) <= MAX_URL else None


def _slack_date(moment: datetime, token_format: str, fallback: str) -> str:
    """Slack's date token: shown in each reader's own time zone, ``fallback`` elsewhere."""
    return f"<!date^{int(moment.timestamp())}^{token_format}|{fallback}>"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# -- briefings ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Page:
    blocks: list[Block]
    text_units: int


def render_briefing(briefing: Briefing) -> list[SlackMessage]:
    """The messages of one briefing: the first goes to the channel, the rest in its thread."""
    header = shorten(
        plain(one_line(messages.SLACK_BRIEF_HEADER.format(title=briefing.topic.title))),
        MAX_HEADER_TEXT,
    )
    generated = _aware(briefing.generated_at)
    slug = escape(shorten(one_line(briefing.topic.slug), MAX_SLUG))
    generated_text = messages.SLACK_GENERATED.format(
        when=_slack_date(
            generated,
            "{date_short_pretty} at {time}",
            generated.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        ),
        slug=slug,
    )
    header_block: Block = {"type": "header", "text": {"type": "plain_text", "text": header}}

    if not briefing.items:
        note = one_line(
            briefing.note or messages.NOTHING_ON_TOPIC.format(topic=briefing.topic.title)
        )
        notes = [_section(chunk) for chunk in _split_escaped(escape(note), MAX_SECTION_TEXT)]
        return [
            {
                "text": escape(shorten(f"{header}: {note}", MAX_FALLBACK_TEXT)),
                "blocks": [header_block, *notes[: MAX_BLOCKS - 2], _context(generated_text)],
            }
        ]

    pages = _paginate([_piece_sections(item) for item in briefing.items])
    rendered: list[SlackMessage] = []
    for number, page in enumerate(pages, start=1):
        if number == 1:
            pieces = messages.SLACK_PIECES.format(
                count=len(briefing.items), s="y" if len(briefing.items) == 1 else "ies"
            )
            titles = "; ".join(
                one_line(item.title) or messages.SLACK_UNTITLED for item in briefing.items
            )
            text = messages.SLACK_BRIEF_FALLBACK.format(header=header, pieces=pieces, titles=titles)
            context = generated_text
            blocks = [header_block, *page.blocks]
        else:
            text = messages.SLACK_BRIEF_CONTINUED.format(
                header=header, part=number, parts=len(pages)
            )
            context = messages.SLACK_CONTINUED_CONTEXT.format(
                part=number, parts=len(pages), slug=slug
            )
            blocks = list(page.blocks)
        rendered.append(
            {
                "text": escape(shorten(text, MAX_FALLBACK_TEXT)),
                "blocks": [*blocks, _context(context)],
            }
        )
    return rendered


def _piece_sections(item: BriefingItem) -> list[Block]:
    """One piece as section blocks: usually one; more when its bullets exceed a section."""
    title = escape(shorten(one_line(item.title), MAX_TITLE) or messages.SLACK_UNTITLED)
    target = _link_target(item.url)
    lines = [f"*<{target}|{title}>*" if target else f"*{title}*"]

    meta = [escape(shorten(one_line(item.source), MAX_OUTLET))]
    if item.opinion:
        meta.insert(0, f"_{messages.OPINION_LABEL}_")
    if item.update:
        meta.insert(0, f"*{messages.STORY_UPDATE}*")
    if item.published is not None:
        published = _aware(item.published)
        meta.append(_slack_date(published, "{date_short}", published.strftime("%Y-%m-%d")))
    else:
        meta.append(messages.SLACK_UNDATED)
    if item.coverage and len(item.sources) > 1:
        meta.append(escape(shorten(one_line(item.coverage), MAX_OUTLET)))
    if item.also_in:
        outlets = ", ".join(
            escape(shorten(one_line(outlet), MAX_OUTLET)) for outlet in item.also_in[:MAX_ALSO_IN]
        )
        if len(item.also_in) > MAX_ALSO_IN:
            outlets = messages.SLACK_ALSO_IN_MORE.format(
                outlets=outlets, count=len(item.also_in) - MAX_ALSO_IN
            )
        meta.append(messages.SLACK_ALSO_IN.format(outlets=outlets))
    lines.append(" · ".join(part for part in meta if part))

    bullets = [one_line(bullet) for bullet in item.bullets]
    bullets = [bullet for bullet in bullets if bullet]
    if bullets:
        lines.extend(f"• {escape(bullet)}" for bullet in bullets)
    else:
        lines.append(f"_{messages.SLACK_NO_BULLETS}_")
    for perspective in item.perspectives[:MAX_PERSPECTIVES]:
        label = escape(shorten(one_line(perspective.label), MAX_OUTLET))
        said = " ".join(one_line(b) for b in perspective.bullets if one_line(b))
        if label and said:
            lines.append(f"*{label}:* {escape(shorten(said, MAX_PERSPECTIVE))}")

    sections: list[str] = []
    current = ""
    for line in lines:
        for chunk in _split_escaped(line, MAX_SECTION_TEXT):
            joined = f"{current}\n{chunk}" if current else chunk
            if slack_len(joined) <= MAX_SECTION_TEXT:
                current = joined
            else:
                sections.append(current)
                current = chunk
    if current:
        sections.append(current)
    return [_section(text) for text in sections]


def _paginate(pieces: Sequence[list[Block]]) -> list[_Page]:
    """Pack pieces into messages within the block and text budgets; keep a piece whole when it
    fits in one message, and never leave a message without content."""
    max_blocks = MAX_BLOCKS - _RESERVED_BLOCKS
    max_units = MESSAGE_TEXT_BUDGET - _RESERVED_TEXT
    pages: list[_Page] = []
    blocks: list[Block] = []
    units = 0

    def fits(extra: Sequence[Block]) -> bool:
        return (
            len(blocks) + len(extra) <= max_blocks
            and units + sum(_block_units(b) for b in extra) <= max_units
        )

    for sections in pieces:
        candidate = [_DIVIDER, *sections] if blocks else list(sections)
        if not fits(candidate):
            if blocks:
                pages.append(_Page(blocks, units))
                blocks, units = [], 0
            candidate = list(sections)
        for block in candidate:
            if not fits([block]):
                pages.append(_Page(blocks, units))
                blocks, units = [], 0
            blocks.append(block)
            units += _block_units(block)
    if blocks:
        pages.append(_Page(blocks, units))
    return pages


_DIVIDER: Block = {"type": "divider"}


def _block_units(block: Block) -> int:
    text = block.get("text")
    return slack_len(text["text"]) if isinstance(text, dict) else 0


def _section(text: str) -> Block:
    return {"type": "section", "text": _mrkdwn(text)}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [_mrkdwn(text)]}


def _mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: no auto-linking of URLs, channel names or mentions in source text.
    return {"type": "mrkdwn", "text": no_quote_lines(text), "verbatim": True}


# -- other replies --------------------------------------------------------------------------


def _ours(text: str) -> str:
    """Text the bot made (a schedule, a pause reason): controls escaped, its characters kept."""
    return defuse_broadcasts(escape_controls(text))


def render_text(text: str) -> SlackMessage:
    """A one-line reply (errors, confirmations): our sentence, which may quote what the user
    typed.  Its mrkdwn (``*bold*``, `` `code` ``) stays; ``& < >`` are escaped, so a usage
    line's ``<topic>`` shows as typed, and broadcast words are defused."""
    return {"text": _ours(text)}


def render_help() -> SlackMessage:
    return render_text(messages.SLACK_HELP)


def render_topics(topics: Sequence[TopicLike], *, footer: bool = True) -> SlackMessage:
    lines = [messages.SLACK_TOPICS_HEADER]
    lines.extend(f"• `{escape(t.slug)}` {escape(one_line(t.title))}" for t in topics)
    if footer:
        lines.append(messages.SLACK_TOPICS_FOOTER)
    return {"text": "\n".join(lines)}


def _run_time(template: str, when: datetime) -> str:
    """A subscription's run time in ``template``: each reader's own zone, UTC elsewhere."""
    fallback = when.strftime("%Y-%m-%d %H:%M UTC")
    return template.format(when=_slack_date(when, "{date_short_pretty} {time}", fallback))


def next_run_text(when: datetime | None) -> str:
    """`` · next <!date…>``, or `` · no next run``."""
    return messages.SLACK_SUB_NO_NEXT if when is None else _run_time(messages.SLACK_SUB_NEXT, when)


def last_delivery_text(when: datetime | None) -> str:
    """`` · last delivered <!date…>``, or `` · no delivery yet``."""
    return messages.SLACK_SUB_NEVER if when is None else _run_time(messages.SLACK_SUB_LAST, when)


def render_subscriptions(
    found: Sequence[tuple[Subscription, datetime | None, datetime | None]],
) -> SlackMessage:
    """``/brief list`` of (subscription, next run, last delivery): one line each, with its
    next run (or, paused, how to resume it) and its last delivery."""
    if not found:
        return {"text": messages.SLACK_NO_SUBSCRIPTIONS}
    lines = [messages.SLACK_SUB_LIST_HEADER.format(count=len(found))]
    for sub, next_run, last in found:
        if sub.status == "active":
            status = messages.SLACK_SUB_ACTIVE
            tail = next_run_text(next_run) + last_delivery_text(last)
        else:
            reason = one_line(sub.paused_reason or "") or messages.SLACK_SUB_NO_REASON
            status = messages.SLACK_SUB_PAUSED.format(reason=_ours(reason))
            tail = last_delivery_text(last) + messages.SLACK_SUB_RESUME_HINT.format(id=sub.id)
        line = messages.SLACK_SUB_LINE.format(
            id=sub.id,
            slug=escape(sub.topic.slug),
            schedule=_ours(sub.schedule.describe()),
            quiet=messages.SLACK_SUB_QUIET if sub.quiet else "",
            status=status,
        )
        lines.append(line + tail)
    return {"text": "\n".join(lines)}


def render_subscribed(sub: Subscription) -> SlackMessage:
    return {
        "text": messages.SLACK_SUBSCRIBED.format(
            slug=escape(sub.topic.slug), schedule=_ours(sub.schedule.describe()), id=sub.id
        )
    }


def render_unsubscribed(sub: Subscription) -> SlackMessage:
    return {
        "text": messages.SLACK_UNSUBSCRIBED.format(
            slug=escape(sub.topic.slug), schedule=_ours(sub.schedule.describe()), id=sub.id
        )
    }


# -- user-added sources -----------------------------------------------------------------------


def _source_name(feed: FeedState) -> str:
    """A feed's name (from the feed itself: untrusted), made inert; its host when it has none."""
    name = one_line(feed.name or feed.outlet or "") or _host(feed.url) or feed.url
    return escape(shorten(name, MAX_OUTLET))


def _source_url(feed: FeedState) -> str:
    """The address in a code span: copyable as is, never formatted or linked.  Percent-quoted
    like a link target, so it holds no backtick, space or pipe."""
    url = _link_target(feed.url) or escape_controls(shorten(feed.url, MAX_URL).replace("`", "%60"))
    return f"`{url}`"


def _host(url: str) -> str:
    match = re.match(r"^[a-z][a-z0-9+.-]*://([^/?#]+)", url, re.IGNORECASE)
    return match.group(1) if match else ""


def _source_status(feed: FeedState) -> str:
    match feed.status:
        case "ok":
            return messages.SLACK_SOURCE_OK.format(
                articles=feed.articles, s="" if feed.articles == 1 else "s"
            )
        case "new":
            return messages.SLACK_SOURCE_NEW
        case "failing":
            error = escape(shorten(one_line(feed.last_error or ""), MAX_OUTLET))
            return messages.SLACK_SOURCE_FAILING.format(
                failures=feed.consecutive_failures, error=error or messages.SLACK_SUB_NO_REASON
            )
        case _:
            reason = escape(shorten(one_line(feed.disabled_reason or ""), MAX_OUTLET))
            return messages.SLACK_SOURCE_DISABLED.format(
                reason=reason or messages.SLACK_SUB_NO_REASON
            )


def render_sources(feeds: Sequence[FeedState], *, limit: int) -> SlackMessage:
    """The workspace's sources: id, name, address and health, one line each."""
    if not feeds:
        return {"text": messages.SLACK_NO_SOURCES}
    lines = [messages.SLACK_SOURCE_LIST_HEADER.format(count=len(feeds), limit=limit)]
    lines.extend(
        messages.SLACK_SOURCE_LINE.format(
            id=feed.id, name=_source_name(feed), url=_source_url(feed), status=_source_status(feed)
        )
        for feed in feeds
    )
    return {"text": "\n".join(lines)}


def render_source_added(feed: FeedState) -> SlackMessage:
    return {
        "text": messages.SLACK_SOURCE_ADDED.format(
            name=_source_name(feed), id=feed.id, url=_source_url(feed)
        )
    }


def render_source_removed(feed: FeedState) -> SlackMessage:
    return {
        "text": messages.SLACK_SOURCE_REMOVED.format(
            name=_source_name(feed), id=feed.id, url=_source_url(feed)
        )
    }
