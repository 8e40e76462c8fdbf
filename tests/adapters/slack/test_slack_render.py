"""The Block Kit renderer: every briefing renders within Slack's limits, and nothing pings."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.slack.render import (
    MAX_BLOCKS,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    MESSAGE_TEXT_BUDGET,
    escape,
    render_briefing,
    render_subscriptions,
    render_topics,
    shorten,
    slack_len,
)
from bot.models import Briefing, BriefingItem, ChannelRef, Schedule, Subscription, TopicRef
from tests.fakes.slack_fake import block_kit_problems

GENERATED = datetime(2025, 6, 18, 9, 30, tzinfo=UTC)
MENTIONS = ["<!channel>", "<!here>", "<!everyone>", "<@U12345>", "<#C999|general>", "@here"]


def _item(
    title: str = "Seoul and Tokyo", bullets: tuple[str, ...] = ("One.", "Two.")
) -> BriefingItem:
    return BriefingItem(
        title=title,
        url="https://koreajoongangdaily.joins.com/news/2025-06-18/opinion/editorials/x/123",
        source="Korea JoongAng Daily",
        published=datetime(2025, 6, 18, tzinfo=UTC),
        bullets=bullets,
    )


def _briefing(*items: BriefingItem, title: str = "Korea – Japan") -> Briefing:
    return Briefing(topic=TopicRef("korea-japan", title), generated_at=GENERATED, items=items)


def _block_text(message: dict[str, object]) -> str:
    return json.dumps(message["blocks"], ensure_ascii=False)


def _all_mrkdwn(message: dict[str, object]) -> list[str]:
    texts: list[str] = []
    for block in message["blocks"]:  # type: ignore[attr-defined]
        if "text" in block:
            texts.append(block["text"]["text"])
        texts.extend(element["text"] for element in block.get("elements", []))
    return texts


def _live_mentions(text: str) -> list[str]:
    """Slack control sequences that would notify someone: <!...>, <@...>, <#...>, bare @here."""
    text = re.sub(r"<https?://[^|>]*\|", "<link|", text)  # a link's target is not text
    sequences = re.findall(r"<[!@#][^>]*>", text)
    live = [s for s in sequences if not s.startswith("<!date^")]
    live += re.findall(r"(?<![\w\u2060])@(?:here|channel|everyone)\b", text, re.IGNORECASE)
    return live


# -- examples --------------------------------------------------------------------------------


def test_a_briefing_is_a_header_a_section_per_piece_and_a_context() -> None:
    [message] = render_briefing(_briefing(_item("First"), _item("Second")))
    kinds = [block["type"] for block in message["blocks"]]
    assert kinds == ["header", "section", "divider", "section", "context"]
    assert message["blocks"][0]["text"] == {"type": "plain_text", "text": "Briefing: Korea – Japan"}
    first = message["blocks"][1]["text"]["text"]
    assert first.startswith(
        "*<https://koreajoongangdaily.joins.com/news/2025-06-18/opinion/editorials/x/123|First>*\n"
    )
    assert "Korea JoongAng Daily · <!date^1750204800^{date_short}|2025-06-18>" in first
    assert first.endswith("\n• One.\n• Two.")
    context = message["blocks"][-1]["elements"][0]["text"]
    assert context.startswith("Generated <!date^1750239000^")
    assert "2025-06-18 09:30 UTC" in context
    assert message["text"] == "Briefing: Korea – Japan (2 pieces): First; Second"
    assert block_kit_problems(message) == []


def test_source_text_is_escaped_so_mentions_are_inert() -> None:
    hostile = _item(
        title="Tom & Jerry <!channel> <@U123>",
        bullets=("Ping <!here> and <!everyone> & @channel, then <@U777|boss>.",),
    )
    hostile = BriefingItem(
        title=hostile.title,
        url="https://example.com/a?x=1&y=<2>|evil",
        source="<!here> Daily",
        published=None,
        bullets=hostile.bullets,
        also_in=("<@U1> Times",),
    )
    [message] = render_briefing(_briefing(hostile, title="<!channel> topic"))
    for text in [*_all_mrkdwn(message), message["text"]]:
        assert _live_mentions(text) == [], text
    section = message["blocks"][1]["text"]["text"]
    assert "Tom &amp; Jerry &lt;!channel&gt; &lt;@U123&gt;" in section
    assert "@\u2060channel" in section
    # the link target keeps the URL (escaped), and its pipe cannot end the link early
    assert "<https://example.com/a?x=1&amp;y=%3C2%3E%7Cevil|" in section
    assert "undated" in section


def test_non_http_links_are_not_linked() -> None:
    item = BriefingItem("Title", "javascript:alert(1)", "Outlet", None, ("A bullet.",))
    [message] = render_briefing(_briefing(item))
    assert message["blocks"][1]["text"]["text"].startswith("*Title*\n")


def test_an_empty_briefing_shows_its_note() -> None:
    briefing = Briefing(
        topic=TopicRef("korea-japan", "Korea – Japan"),
        generated_at=GENERATED,
        items=(),
        note="Nothing new on Korea – Japan since Tuesday.",
    )
    [message] = render_briefing(briefing)
    assert [b["type"] for b in message["blocks"]] == ["header", "section", "context"]
    assert message["blocks"][1]["text"]["text"] == "Nothing new on Korea – Japan since Tuesday."
    assert "Nothing new" in message["text"]


def test_a_huge_bullet_continues_in_the_next_section_without_losing_words() -> None:
    words = [f"word{i}" for i in range(1500)]  # ~12k characters
    [*messages] = render_briefing(_briefing(_item(bullets=(" ".join(words),))))
    sections = [
        block["text"]["text"]
        for message in messages
        for block in message["blocks"]
        if block["type"] == "section"
    ]
    assert len(sections) >= 4
    assert all(slack_len(text) <= MAX_SECTION_TEXT for text in sections)
    joined = " ".join(sections)
    for word in words:
        assert re.search(rf"\b{word}\b", joined), word
    assert all(block_kit_problems(message) == [] for message in messages)


def test_a_long_briefing_is_continued_in_further_messages() -> None:
    items = tuple(
        _item(f"Piece {n}", tuple(f"Bullet {n}.{k} " * 60 for k in range(5))) for n in range(20)
    )
    messages = render_briefing(_briefing(*items))
    assert len(messages) > 1
    assert messages[0]["blocks"][0]["type"] == "header"
    assert all(m["blocks"][0]["type"] != "header" for m in messages[1:])
    assert "continued, part 2 of" in messages[1]["text"]
    seen = [
        title
        for message in messages
        for block in message["blocks"]
        if block["type"] == "section"
        for title in re.findall(r"\|(Piece \d+)>", block["text"]["text"])
    ]
    assert seen == [f"Piece {n}" for n in range(20)]  # every piece, once, in order


def test_escape_and_shorten() -> None:
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape("@Here now") == "@\u2060Here now"
    assert escape("mail me@here.example") != ""  # no crash on lookalikes
    assert shorten("one two three", 9) == "one two…"
    assert slack_len("😀") == 2


def test_topics_and_subscriptions_render_escaped() -> None:
    topics = render_topics([TopicRef("korea-japan", "Korea – Japan"), TopicRef("x", "<!here>")])
    assert "• `korea-japan` Korea – Japan" in topics["text"]
    assert "&lt;!here&gt;" in topics["text"]
    sub = Subscription(
        id=7,
        channel=ChannelRef("slack", "C1", "T1"),
        topic=TopicRef("korea-japan", "Korea – Japan"),
        schedule=Schedule(timezone="Asia/Seoul", at="08:00", days=(1, 2, 3, 4, 5)),
        status="paused",
        paused_reason="channel_not_found",
    )
    listing = render_subscriptions([sub])["text"]
    assert "• `7` *korea-japan* · 08:00 Asia/Seoul weekdays · paused: channel_not_found" in listing
    assert "no scheduled briefings" in render_subscriptions([])["text"]


# -- properties ------------------------------------------------------------------------------

_text = st.lists(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(["&", "<", ">", "|", "*", "_", "`", " ", "\n", "😀", "@here", *MENTIONS]),
    ),
    max_size=120,
).map("".join)
_long_text = st.one_of(_text, st.text(alphabet="ab &<>😀", min_size=2000, max_size=4000))
_datetimes = st.datetimes(
    min_value=datetime(1971, 1, 2), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
_items = st.builds(
    BriefingItem,
    title=_long_text,
    url=st.one_of(st.none(), _text, _text.map(lambda t: "https://example.com/" + t)),
    source=_text,
    published=st.one_of(st.none(), _datetimes),
    bullets=st.lists(_long_text, max_size=6).map(tuple),
    also_in=st.lists(_text, max_size=6).map(tuple),
)
_briefings = st.builds(
    Briefing,
    topic=st.builds(TopicRef, slug=_text, title=_text),
    generated_at=_datetimes,
    items=st.lists(_items, max_size=30).map(tuple),
    note=st.one_of(st.none(), _text),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_briefings)
def test_any_briefing_renders_within_every_limit(briefing: Briefing) -> None:
    messages = render_briefing(briefing)
    assert messages
    for index, message in enumerate(messages):
        assert block_kit_problems(message) == []
        blocks = message["blocks"]
        assert 1 < len(blocks) <= MAX_BLOCKS
        assert message["text"].strip()
        assert (blocks[0]["type"] == "header") == (index == 0)
        if index == 0:
            assert slack_len(blocks[0]["text"]["text"]) <= MAX_HEADER_TEXT
        texts = _all_mrkdwn(message)
        assert all(0 < slack_len(text) <= MAX_SECTION_TEXT for text in texts)
        assert sum(slack_len(text) for text in texts) <= MESSAGE_TEXT_BUDGET
        for text in [*texts, message["text"]]:
            assert _live_mentions(text) == []
        assert blocks[-1]["type"] == "context"
        assert blocks[-2]["type"] != "divider"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet="abc xyz&<>", min_size=1, max_size=3000).filter(str.strip),
        min_size=1,
        max_size=6,
    )
)
def test_no_bullet_text_is_lost(bullets: list[str]) -> None:
    """Split or not, every character of every bullet is in the rendered sections, in order."""
    item = BriefingItem("T", None, "S", None, tuple(bullets))
    messages = render_briefing(_briefing(item))
    rendered = "".join(
        block["text"]["text"]
        for message in messages
        for block in message["blocks"]
        if block["type"] == "section"
    )
    assert rendered.startswith("*T*\nS · undated\n")
    body = re.sub(r"\s|•", "", rendered.removeprefix("*T*\nS · undated\n"))
    assert body == re.sub(r"\s", "", "".join(escape(b) for b in bullets))
