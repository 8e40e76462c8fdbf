"""The Discord renderer, without any client: every limit, nothing lost, nothing pings.

The limits are checked with the fake Discord's own validator (``message_problems``), written
from Discord's documentation independently of the renderer, plus direct checks here.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.discord.render import (
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    ELLIPSIS,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    TITLE_LIMIT,
    DiscordMessage,
    neutralize,
    render_briefing,
    render_subscriptions,
    split_text,
)
from bot.models import (
    Briefing,
    BriefingItem,
    ChannelRef,
    Perspective,
    Schedule,
    StorySource,
    Subscription,
    TopicRef,
)
from tests.fakes.discord_fake import message_problems
from tests.support.invisible import SMUGGLERS, hidden

GENERATED = datetime(2025, 6, 18, 9, 30, tzinfo=UTC)
PINGS = re.compile(r"@(everyone|here)|<@[!&]?\d|<#\d|</\w")
WHITESPACE = re.compile(r"\s+")

NASTY = [
    "@everyone",
    "@here",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<@&123456789012345678>",
    "<#123456789012345678>",
    "</brief:123456789012345678>",
    "[click me](https://evil.example/x)",
    "**bold**",
    "__under__",
    "`code`",
    "||spoiler||",
    "> quote",
    "# heading",
    "\\",
    "\\\\*",
    "https://example.com/a_b*c",
    "Dokdo/Takeshima",
    "독도",
    "竹島",
    "👩‍👩‍👧‍👦",
    "e\u0301",
    "\u202e",
    "\u200b",
    "\n\n",
    "\t",
]

words = st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=12))
prose = st.lists(words, max_size=30).map(" ".join)
# Huge text, cheap to draw: a word repeated hundreds of times, or one token of thousands of
# characters (longer than a whole embed description).
huge_prose = st.one_of(
    st.builds(lambda w, n: " ".join([w] * n), words, st.integers(100, 1500)),
    st.builds(
        lambda c, n: c * n, st.sampled_from(["x", "독", "*", "\\", "@"]), st.integers(3000, 9000)
    ),
)
urls = st.one_of(
    st.none(),
    st.just("https://koreajoongangdaily.joins.com/news/2025-06-18/opinion/editorials/x/2335"),
    st.builds(lambda n: f"https://example.com/{n}", st.integers(0, 5)),
    st.text(max_size=30),
    st.just("javascript:alert(1)"),
    st.just("https://example.com/" + "a" * 3000),
)
dates = st.one_of(
    st.none(),
    st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
)
items = st.builds(
    BriefingItem,
    title=st.one_of(prose, huge_prose),
    url=urls,
    source=st.one_of(prose, st.text(max_size=400)),
    published=dates,
    bullets=st.lists(st.one_of(prose, huge_prose), max_size=6).map(tuple),
    also_in=st.lists(st.text(max_size=120), max_size=30).map(tuple),
    kind=st.sampled_from(["news", "editorial"]),
    sources=st.lists(
        st.builds(StorySource, source=st.text(max_size=120), url=urls), max_size=12
    ).map(tuple),
    perspectives=st.lists(
        st.builds(
            Perspective,
            label=st.one_of(prose, st.text(max_size=300)),
            bullets=st.lists(st.one_of(prose, huge_prose), min_size=1, max_size=2).map(tuple),
        ),
        max_size=8,
    ).map(tuple),
    coverage=st.one_of(st.none(), prose, st.text(max_size=300)),
    update=st.booleans(),
)
briefings = st.builds(
    Briefing,
    topic=st.builds(TopicRef, slug=st.text(max_size=120), title=st.text(max_size=400)),
    generated_at=st.just(GENERATED),
    items=st.lists(items, max_size=50).map(tuple),
    note=st.one_of(st.none(), prose, st.text(max_size=3000)),
)


def _text_fields(message: DiscordMessage) -> list[str]:
    out = [message.content]
    for embed in message.embeds:
        out += [embed.get("title", ""), embed.get("description", "")]
        out.append(embed.get("footer", {}).get("text", ""))
        out.append(embed.get("author", {}).get("name", ""))
        for field in embed.get("fields", ()):
            out += [field["name"], field["value"]]
    return out


def _squash(text: str) -> str:
    return WHITESPACE.sub("", text).replace(ELLIPSIS, "")


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(briefings)
def test_any_briefing_renders_within_every_discord_limit(briefing: Briefing) -> None:
    rendered = render_briefing(briefing)
    assert rendered, "a briefing always renders to at least one message"
    for message in rendered:
        payload = message.to_json()
        assert message_problems(payload) == []
        assert payload["allowed_mentions"] == {"parse": []}
        assert len(message.content) <= CONTENT_LIMIT
        assert len(message.embeds) <= EMBEDS_PER_MESSAGE
        total = 0
        for embed in message.embeds:
            assert len(embed["title"]) <= TITLE_LIMIT
            assert len(embed.get("description", "")) <= DESCRIPTION_LIMIT
            assert "fields" not in embed or len(embed["fields"]) <= 25
            for field in embed.get("fields", ()):
                assert 0 < len(field["name"]) <= 256
                assert 0 < len(field["value"]) <= 1024
                total += len(field["name"]) + len(field["value"])
            assert len(embed.get("author", {}).get("name", "")) <= 256
            total += len(embed["title"]) + len(embed.get("description", ""))
            total += len(embed.get("footer", {}).get("text", ""))
            total += len(embed.get("author", {}).get("name", ""))
            if "url" in embed:
                assert re.fullmatch(r"https?://\S+", embed["url"])
        assert total <= EMBED_TOTAL_LIMIT
        for text in _text_fields(message):
            assert not PINGS.search(text), text
        # the real library accepts every embed as is
        assert [e.to_dict().get("description") for e in message.discord_embeds()] == [
            e.get("description") for e in message.embeds
        ]


@settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(briefings)
def test_every_bullet_arrives_in_order_and_nothing_is_dropped(briefing: Briefing) -> None:
    embeds = [embed for message in render_briefing(briefing) for embed in message.embeds]
    # the last embed of every piece carries its footer: split the stream into pieces there
    pieces: list[list[dict[str, object]]] = [[]]
    for embed in embeds:
        pieces[-1].append(dict(embed))
        if "footer" in embed:
            pieces.append([])
    assert pieces.pop() == []
    assert len(pieces) == len(briefing.items)
    for item, piece in zip(briefing.items, pieces, strict=True):
        rendered = "".join(str(e.get("description", "")) for e in piece).replace("•", "")
        expected = "".join(neutralize(b) for b in item.bullets).replace("•", "")
        if expected:
            assert _squash(rendered) == _squash(expected)
        title = str(piece[0]["title"])
        full = neutralize(item.title)
        if full and title != full:  # shortened: visibly, and at a word boundary when possible
            assert title.endswith(ELLIPSIS)
            kept = title[: -len(ELLIPSIS)]
            assert full.startswith(kept)
            assert " " not in full[:TITLE_LIMIT] or full[len(kept)] == " "


def test_the_demo_shape_a_header_and_one_embed_per_piece() -> None:
    briefing = Briefing(
        topic=TopicRef("korea-japan", "Korea – Japan"),
        generated_at=GENERATED,
        items=(
            BriefingItem(
                title="Korea, Japan leaders meet ahead of 60th anniversary of diplomatic ties",
                url="https://koreajoongangdaily.joins.com/news/2025-06-18/opinion/editorials/x",
                source="Korea JoongAng Daily",
                published=datetime(2025, 6, 18, tzinfo=UTC),
                bullets=(
                    "President Lee Jae Myung held his first summit with Prime Minister Ishiba.",
                    "The two leaders agreed to continue shuttle diplomacy.",
                ),
                also_in=("Yonhap",),
                kind="editorial",
            ),
            BriefingItem(
                title="Sado mine memorial",
                url=None,
                source="The Japan Times",
                published=None,
                bullets=(),
            ),
        ),
    )
    [message] = render_briefing(briefing)
    stamp = int(GENERATED.timestamp())
    assert message.content == (
        f"**Korea – Japan** (`korea-japan`) · 2 stories · generated <t:{stamp}:f>"
    )
    first, second = message.embeds
    assert first["title"].startswith("Korea, Japan leaders meet")
    assert first["url"].startswith("https://koreajoongangdaily.joins.com/")
    assert first["description"] == (
        "• President Lee Jae Myung held his first summit with Prime Minister Ishiba.\n"
        "• The two leaders agreed to continue shuttle diplomacy."
    )
    assert first["footer"]["text"] == "Korea JoongAng Daily · also in Yonhap"
    assert first["timestamp"] == "2025-06-18T00:00:00+00:00"
    assert first["author"] == {"name": "Opinion"}  # an editorial says so above its title
    assert "author" not in second  # news carries no label
    assert "url" not in second
    assert second["footer"]["text"] == "The Japan Times · undated"
    assert "timestamp" not in second
    assert "follow the link" in second["description"]


def test_source_text_cannot_ping_or_hide_a_link() -> None:
    item = BriefingItem(
        title="@everyone look <@&123456789012345678>",
        url="https://example.com/a",
        source="@here Daily",
        published=None,
        bullets=("[click](https://evil.example) <@123456789012345678> **loud**",),
    )
    [message] = render_briefing(Briefing(TopicRef("x", "@everyone"), GENERATED, (item,)))
    [embed] = message.embeds
    assert embed["title"] == "@\u200beveryone look <\u200b@\u200b&123456789012345678>"
    assert embed["description"] == (
        "• \\[click\\](https:\u200b//evil.example) <\u200b@\u200b123456789012345678> "
        "\\*\\*loud\\*\\*"
    )
    assert embed["footer"]["text"].startswith("@\u200bhere Daily")
    assert "@\u200beveryone" in message.content


@pytest.mark.parametrize("sneaky", SMUGGLERS)
def test_no_invisible_or_control_character_reaches_any_field(sneaky: str) -> None:
    """Titles, outlets, bullets, labels, the topic: the same filter as Slack's (summaries.inert);
    only the renderer's own zero-width spaces (after "@" and "<") and line breaks are left."""
    text = f"Seoul {sneaky} talks"
    item = BriefingItem(
        title=text,
        url="https://example.com/a",
        source=text,
        published=GENERATED,
        bullets=(text, sneaky),
        also_in=(text,),
        perspectives=(Perspective(label=text, bullets=(text,)),),
        coverage=text,
    )
    for message in render_briefing(Briefing(TopicRef("x", text), GENERATED, (item,))):
        for field in _text_fields(message):
            assert hidden(field, allowed="\n\u200b") == [], field


hidden_text = st.lists(
    st.one_of(
        st.characters(categories=["Cc", "Cf", "Co", "Cn", "Zl", "Zp"]),
        st.sampled_from(SMUGGLERS),
        st.sampled_from("ab @<"),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.builds(
            BriefingItem,
            title=hidden_text,
            url=st.none(),
            source=hidden_text,
            published=st.none(),
            bullets=st.lists(hidden_text, max_size=3).map(tuple),
            also_in=st.lists(hidden_text, max_size=2).map(tuple),
            coverage=st.one_of(st.none(), hidden_text),
        ),
        max_size=3,
    ),
    hidden_text,
)
def test_property_no_hidden_character_in_any_field(items: list[BriefingItem], title: str) -> None:
    for message in render_briefing(Briefing(TopicRef("x", title), GENERATED, tuple(items))):
        for field in _text_fields(message):
            assert hidden(field, allowed="\n\u200b") == [], field


def test_fifty_pieces_overflow_into_numbered_messages() -> None:
    bullets = tuple(f"Point {n}: " + "word " * 150 for n in range(5))  # ~3,800 chars a piece
    pieces = tuple(
        BriefingItem(f"Piece {i}", f"https://example.com/{i}", "Outlet", None, bullets)
        for i in range(50)
    )
    rendered = render_briefing(Briefing(TopicRef("us-china", "US – China"), GENERATED, pieces))
    assert len(rendered) > 5
    assert rendered[0].content.startswith("**US – China** (`us-china`) · 50 stories")
    for part, message in enumerate(rendered[1:], start=2):
        assert message.content == f"**US – China**, continued (part {part} of {len(rendered)})"
    titles = [e["title"] for m in rendered for e in m.embeds]
    assert titles == [f"Piece {i}" for i in range(50)]


def test_fifty_short_pieces_fill_messages_ten_embeds_at_a_time() -> None:
    pieces = tuple(
        BriefingItem(f"Piece {i}", f"https://example.com/{i}", "Outlet", None, ("One point.",))
        for i in range(50)
    )
    rendered = render_briefing(Briefing(TopicRef("a", "A"), GENERATED, pieces))
    assert [len(m.embeds) for m in rendered] == [10, 10, 10, 10, 10]
    assert all(message_problems(m.to_json()) == [] for m in rendered)


def test_a_huge_bullet_continues_in_a_second_embed_without_cutting_words() -> None:
    bullet = " ".join(f"w{n:05d}" for n in range(1500))  # 10,499 characters
    item = BriefingItem("Long", "https://example.com/long", "Outlet", None, (bullet,))
    embeds = [
        e
        for m in render_briefing(Briefing(TopicRef("a", "A"), GENERATED, (item,)))
        for e in m.embeds
    ]
    assert len(embeds) == 3
    assert embeds[0]["url"] == "https://example.com/long"
    assert all("url" not in e for e in embeds[1:])  # Discord folds same-url embeds together
    assert [e["title"] for e in embeds[1:]] == ["Long (continued)"] * 2
    words = " ".join(e["description"] for e in embeds).removeprefix("• ").split()
    assert words == bullet.split()


def test_an_empty_briefing_says_so() -> None:
    [message] = render_briefing(
        Briefing(
            TopicRef("korea-japan", "Korea – Japan"),
            GENERATED,
            (),
            note="Nothing new since Tuesday.",
        )
    )
    assert message.embeds == ()
    assert message.content.endswith("\nNothing new since Tuesday.")


@given(st.text(max_size=20_000), st.integers(min_value=10, max_value=5000))
@settings(deadline=None)
def test_split_text_keeps_every_character_within_the_limit(text: str, limit: int) -> None:
    chunks = list(split_text(text, limit))
    assert all(0 < len(chunk) <= limit for chunk in chunks)
    assert _squash("".join(chunks)) == _squash(text)


def test_subscription_list_splits_and_shows_everything() -> None:
    channel = ChannelRef("discord", "1", "2")
    subs = [
        Subscription(
            id=n,
            channel=channel,
            topic=TopicRef("korea-japan", "Korea – Japan"),
            schedule=Schedule("Asia/Seoul", at="08:30", days=(1, 2, 3, 4, 5)),
            status="paused" if n % 7 == 0 else "active",
            paused_reason="channel answered 403" if n % 7 == 0 else None,
        )
        for n in range(1, 121)
    ]
    rendered = render_subscriptions([(sub, None, None) for sub in subs])
    assert len(rendered) > 1
    text = "\n".join(m.content for m in rendered)
    assert all(len(m.content) <= CONTENT_LIMIT for m in rendered)
    for n in range(1, 121):
        assert f"`{n}` **korea-japan** · 08:30 Asia/Seoul weekdays" in text
    assert "`7` **korea-japan** · 08:30 Asia/Seoul weekdays · paused: channel answered 403" in text
    assert render_subscriptions([])[0].content.startswith("This channel has no scheduled")


def test_the_date_is_an_embed_timestamp_discord_localizes_for_each_reader() -> None:
    seoul = timezone(timedelta(hours=9))
    item = BriefingItem("t", None, "Outlet", datetime(2025, 6, 18, tzinfo=seoul), ("b",))
    [message] = render_briefing(Briefing(TopicRef("a", "A"), GENERATED, (item,)))
    [embed] = message.embeds
    assert datetime.fromisoformat(embed["timestamp"]) == datetime(2025, 6, 17, 15, tzinfo=UTC)
    assert embed["footer"]["text"] == "Outlet"
    assert message.discord_embeds()[0].timestamp == datetime(2025, 6, 17, 15, tzinfo=UTC)
