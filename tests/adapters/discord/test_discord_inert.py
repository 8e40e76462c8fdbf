"""Source text is inert on Discord (issue 7): it cannot ping, link, format, hide or reverse.

The judge is ``live_syntax`` from the fake Discord (what Discord would render as something
other than the characters shown: mentions, ``<...>`` syntax, links, invisible and bidi
characters, unescaped markdown and line-start syntax; mentions and links also after NFKC
folding, so fullwidth look-alikes count) and ``message_mentions`` (whom Discord would notify),
both written from Discord's documentation, independently of the renderer.  The same renderer
output is sent as a new message (``publish``) and as the edit of a deferred response
(``/brief``), so these properties hold for both; the end-to-end tests check the wire.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from adapters.discord.render import (
    ZWSP,
    DiscordMessage,
    clean,
    code,
    neutralize,
    plain,
    render_briefing,
    render_source_added,
    render_sources,
    render_text,
)
from bot import messages
from bot.models import Briefing, BriefingItem, Perspective, StorySource, TopicRef
from bot.store import FeedState
from tests.fakes.discord_fake import live_syntax, message_mentions, message_problems

GENERATED = datetime(2025, 6, 18, 9, 30, tzinfo=UTC)

# Every trick issue 7 names, and their neighbours.
ATTACKS = [
    # mentions, and the same words broken or disguised
    "@everyone",
    "@here",
    "@\u200beveryone",
    "@\u2060everyone",
    "@\u200deveryone",
    "@\u00adhere",
    "\uff20everyone",
    "\ufe6bhere",
    "\uff20\uff45\uff56\uff45\uff52\uff59\uff4f\uff4e\uff45",  # fullwidth @everyone
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<@&123456789012345678>",
    "<@1>",
    "<#123456789012345678>",
    "</brief:123456789012345678>",
    "<t:1700000000:R>",
    "<:wave:123456789012345678>",
    "<a:wave:123456789012345678>",
    "<id:customize>",
    "\uff1c@123456789012345678\uff1e",
    "\ufe64@&1\ufe65",
    "<!channel>",
    "<!here>",
    "<!subteam^S0123ABC>",
    # links
    "[x](http://evil.example)",
    "[[x](http://a.example)](http://b.example)",
    "[x](<http://evil.example>)",
    "<https://evil.example>",
    "https://evil.example/a_b*c",
    "\uff48\uff54\uff54\uff50\uff53\uff1a\uff0f\uff0fevil.example",
    "steam://run/1",
    # markdown and line-start syntax
    "# heading",
    "## heading",
    "-# subtext",
    "> quote",
    ">>> quote",
    "- item",
    "* item",
    "+ item",
    "1. item",
    "2) item",
    "```py\nprint(1)\n```",
    "`code`",
    "**bold**",
    "__underline__",
    "~~strike~~",
    "||spoiler||",
    "\\",
    "\\*",
    "\\\\*x*",
    # invisible, direction and control characters
    "\u202eevil",
    "\u2066x\u2069",
    "\u2067y\u2069",
    "\u2068z\u2069",
    "\u200f",
    "\u061c",
    "\ufeff",
    "\U000e0041\U000e0042",
    "\x00",
    "\x1b[31m",
    "\ud800",
    "\n\n# heading after a blank line",
    "\r\n> quote",
    "\u2028- item",
    "\x85# heading",
    # ordinary text that must survive
    "독도",
    "竹島",
    "👩‍👩‍👧‍👦",
    "e\u0301",
    "North Korea's 2025 budget rose 3.5% (est.)",
]
# Fragments that only become an attack next to each other ("@" + "everyone").
FRAGMENTS = ["@", "<", ">", "&", "#", "!", ":", "/", "//", "[", "]", "(", ")", "*", "_", "`"]
FRAGMENTS += ["everyone", "here", "http", "\uff20", "\uff1c", "\u200b", "\u202e", "\n", " "]

pieces = st.one_of(st.sampled_from(ATTACKS), st.sampled_from(FRAGMENTS), st.text(max_size=8))
hostile = st.lists(pieces, max_size=24).map("".join)


def unescape(text: str) -> str:
    """What Discord shows: backslash escapes resolved, zero-width spaces invisible."""
    return re.sub(r"\\([^0-9A-Za-z\s])", r"\1", text).replace(ZWSP, "")


# -- the building blocks ----------------------------------------------------------------------


@pytest.mark.parametrize("attack", ATTACKS)
def test_every_named_attack_comes_out_inert(attack: str) -> None:
    for text in (attack, f"before {attack} after", attack * 3):
        out = neutralize(text)
        assert live_syntax(out) == [], (text, out)
        assert "\n" not in out
        assert live_syntax(plain(text), markdown=False) == []
        assert message_mentions({"content": out}) == {}


def test_what_the_user_sees_is_the_text() -> None:
    assert neutralize("@everyone look") == "@\u200beveryone look"
    assert neutralize("[[x](http://a)](http://b)") == (
        "\\[\\[x\\](http:\u200b//a)\\](http:\u200b//b)"
    )
    assert neutralize("# Big news > 1. item") == "\\# Big news \\> 1\\. item"
    assert neutralize("a\u202eb\u2066c\u2069 \ufeffd") == "abc d"
    assert neutralize("\uff20everyone") == "\uff20\u200beveryone"
    assert neutralize("Seoul–Tokyo talks, 3.5% swap") == "Seoul–Tokyo talks, 3.5% swap"
    assert plain("Yonhap\u202e @here") == "Yonhap @\u200bhere"  # footers show markdown as is


@settings(max_examples=300, deadline=None)
@given(hostile)
def test_neutralized_text_is_inert_and_one_line(text: str) -> None:
    out = neutralize(text)
    assert live_syntax(out) == [], (text, out)
    assert "\n" not in out


@settings(max_examples=300, deadline=None)
@given(hostile)
def test_neutralize_changes_nothing_a_reader_sees(text: str) -> None:
    """Escapes and zero-width breaks are invisible: the reader sees the cleaned text."""
    assert unescape(neutralize(text)) == clean(text).replace(ZWSP, "")


@settings(max_examples=200, deadline=None)
@given(hostile)
def test_plain_and_code_text_cannot_ping_or_hide(text: str) -> None:
    assert live_syntax(plain(text), markdown=False) == []
    span = code(text)
    assert span.startswith("`")
    assert span.endswith("`")
    inside = span[1:-1]
    assert "`" not in inside
    assert "\n" not in inside
    assert [p for p in live_syntax(inside, markdown=False) if not p.startswith("link")] == []


@settings(max_examples=200, deadline=None)
@given(hostile)
def test_our_replies_quoting_user_text_cannot_ping(text: str) -> None:
    """Error lines quote what the asker typed (an unknown topic, a refused URL)."""
    [line] = [render_text(f"Unknown topic '{text}'; closest: korea-japan")]
    problems = live_syntax(line.content, markdown=False)
    assert [p for p in problems if p.startswith(("mention", "invisible", "control"))] == []
    assert message_mentions({"content": line.content}) == {}


# -- whole briefings --------------------------------------------------------------------------

HEADER = re.compile(
    r"\*\*(?P<title>.*)\*\* \(`(?P<slug>[^`\n]*)`\) · \d+ stor(?:y|ies) · generated <t:\d+:f>"
)
CONTINUED = re.compile(r"\*\*(?P<title>.*)\*\*, continued \(part \d+ of \d+\)")

items = st.builds(
    BriefingItem,
    title=hostile,
    url=st.one_of(st.none(), st.just("https://example.com/a"), hostile),
    source=hostile,
    published=st.one_of(st.none(), st.just(GENERATED)),
    bullets=st.lists(hostile, max_size=5).map(tuple),
    also_in=st.lists(hostile, max_size=4).map(tuple),
    sources=st.lists(st.builds(StorySource, source=hostile, url=st.none()), max_size=3).map(tuple),
    perspectives=st.lists(
        st.builds(
            Perspective, label=hostile, bullets=st.lists(hostile, min_size=1, max_size=2).map(tuple)
        ),
        max_size=3,
    ).map(tuple),
    coverage=st.one_of(st.none(), hostile),
)
briefings = st.builds(
    Briefing,
    topic=st.builds(TopicRef, slug=hostile, title=hostile),
    generated_at=st.just(GENERATED),
    items=st.lists(items, max_size=6).map(tuple),
    note=st.one_of(st.none(), hostile),
)


def content_problems(message: DiscordMessage, first: bool) -> list[str]:
    """The header is our template around source text: judge the source parts."""
    head, *rest = message.content.split("\n")
    match = (HEADER if first else CONTINUED).fullmatch(head)
    assert match is not None, head
    problems = live_syntax(match.group("title"))
    if first:
        # nothing renders inside a code span, links included: only pings and hiding count
        slug = live_syntax(match.group("slug"), markdown=False)
        problems += [p for p in slug if not p.startswith("link")]
        for line in rest:  # the note, or "No recent pieces on `slug` yet."
            # (a code span opens at an unescaped backtick: a backslash-backtick is literal)
            problems += live_syntax(re.sub(r"(?<!\\)`[^`\n]*`", "", line))
    return problems


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(briefings)
@example(  # escaped backticks around an asterisk (found by this test)
    Briefing(TopicRef("", ""), GENERATED, items=(), note="```py\nprint(1)\n```*")
)
def test_no_briefing_can_ping_link_format_or_hide(briefing: Briefing) -> None:
    for index, message in enumerate(render_briefing(briefing)):
        payload = message.to_json()
        assert message_problems(payload) == []
        # the first lock alone (our text) already pings nobody, even if allowed_mentions
        # were dropped on the way; the second lock is allowed_mentions itself
        assert message_mentions({**payload, "allowed_mentions": None}) == {}
        assert payload["allowed_mentions"] == {"parse": []}
        assert content_problems(message, first=index == 0) == []
        for embed in message.embeds:
            assert live_syntax(embed["title"]) == [], embed["title"]
            for line in embed["description"].split("\n"):
                assert live_syntax(line.removeprefix("• ")) == [], line
            if "footer" in embed:
                assert live_syntax(embed["footer"]["text"], markdown=False) == []


# -- /briefing source replies -----------------------------------------------------------------

LINE = re.compile(r"`(?P<id>\d+)` \*\*(?P<name>.*)\*\* · `(?P<url>[^`\n]*)` · (?P<status>.*)")


def _feed(name: str, url: str, error: str, failures: int) -> FeedState:
    return FeedState(
        id=7,
        url=url,
        name=name,
        outlet=None,
        kind="news",
        language="en",
        trusted=False,
        etag=None,
        last_modified=None,
        last_attempt_at=GENERATED,
        last_success_at=GENERATED if failures == 0 else None,
        consecutive_failures=failures,
        next_attempt_at=None,
        last_error=error or None,
        disabled_reason=None,
        articles=2,
        owner_platform="discord",
        owner_workspace="1",
    )


@settings(max_examples=150, deadline=None)
@given(
    st.text(max_size=200) | hostile,
    st.text(max_size=300) | hostile,
    st.text(max_size=200) | hostile,
    st.integers(0, 3),
)
@example("", "//[", "", 0)  # addresses urlsplit refuses (found by this test)
@example("", "//\uff1f", "", 0)
def test_a_source_list_line_shows_hostile_names_and_errors_inert(
    name: str, url: str, error: str, failures: int
) -> None:
    feed = _feed(name, url, error, failures)
    [message] = render_sources([feed], limit=20)
    header, line = message.content.split("\n")
    assert header == messages.DISCORD_SOURCE_LIST_HEADER.format(count=1, limit=20)
    match = LINE.fullmatch(line)
    assert match is not None, line
    assert live_syntax(match.group("name")) == []
    assert [p for p in live_syntax(match.group("url"), markdown=False) if "link" not in p] == []
    status = match.group("status")
    assert live_syntax(status) == []
    assert message_mentions({"content": message.content}) == {}
    [added] = render_source_added(feed)
    assert message_mentions({"content": added.content}) == {}
    assert len(added.content) <= 2000
