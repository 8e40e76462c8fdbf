"""The Block Kit renderer: every briefing renders within Slack's limits, and nothing from a
source can ping anyone or reformat the channel."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.slack.render import (
    MAX_BLOCKS,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    MESSAGE_TEXT_BUDGET,
    escape,
    render_briefing,
    render_help,
    render_source_added,
    render_source_removed,
    render_sources,
    render_subscriptions,
    render_text,
    render_topics,
    shorten,
    slack_len,
)
from bot import messages
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
from bot.store import FeedState
from tests.fakes.slack_fake import block_kit_problems
from tests.support.invisible import SMUGGLERS, hidden

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


def test_an_editorial_is_labelled_as_opinion_and_news_is_not() -> None:
    opinion = replace(_item("Seoul should not wait"), kind="editorial")
    news = _item("Leaders meet in Canada")
    [message] = render_briefing(_briefing(opinion, news))
    sections = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    [first] = [s for s in sections if "Seoul should not wait" in s]
    [second] = [s for s in sections if "Leaders meet in Canada" in s]
    assert first.splitlines()[1].startswith("_Opinion_ · Korea JoongAng Daily · ")
    assert "Opinion" not in second


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
    assert message["text"] == "Briefing: Korea – Japan (2 stories): First; Second"
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
    listing = render_subscriptions([(sub, None, None)])["text"]
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
    kind=st.sampled_from(["news", "editorial"]),
    sources=st.lists(st.builds(StorySource, source=_text, url=st.none()), max_size=8).map(tuple),
    perspectives=st.lists(
        st.builds(
            Perspective,
            label=_text,
            bullets=st.lists(_long_text, min_size=1, max_size=2).map(tuple),
        ),
        max_size=8,
    ).map(tuple),
    coverage=st.one_of(st.none(), _text),
    update=st.booleans(),
)
_briefings = st.builds(
    Briefing,
    topic=st.builds(TopicRef, slug=_text, title=_text),
    generated_at=_datetimes,
    items=st.lists(_items, max_size=30).map(tuple),
    note=st.one_of(st.none(), _text),
)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],  # 4,000-char texts
)
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


# -- inert content: nothing from a source can ping or reformat a channel ----------------------
#
# ``markup_problems`` is a model of what Slack's mrkdwn parser acts on (docs.slack.dev,
# "Formatting text for app surfaces"): control sequences in <...>, the markers * _ ~ ` that
# open bold, italic, strike and code, a line starting with > (a block quote), bare broadcast
# words, plus the invisible characters that can disguise or reorder text.  The renderer's own
# constructs are removed first (a linked bold title line, Slack date tokens, the italic
# no-summary line, the slug's code span in the context); what is left came from the sources
# and must be free of all of it.

_BROADCAST_WORDS = {"here", "channel", "everyone"}
_OUR_DATE = re.compile(r"<!date\^\d+\^[^|<>]*\|[^<>]*>")
_OUR_LINK = re.compile(r"<https?://[^|<>\s]+\|([^<>]*)>")
_OUR_TITLE_LINE = re.compile(r"^\*(.*)\*$")
_OUR_SLUG = re.compile(r" · `[^`\n]*`$")
_NO_SUMMARY_LINE = f"_{messages.SLACK_NO_BULLETS}_"
# a story's labels in its meta line, and the bold label that starts a perspective line
_OUR_LABELS = re.compile(
    rf"(?:^|(?<= )){re.escape('*' + messages.STORY_UPDATE + '*')}(?= ·)"
    rf"|(?:^|(?<= )){re.escape('_' + messages.OPINION_LABEL + '_')}(?= ·)"
)
_OUR_PERSPECTIVE = re.compile(r"(?m)^\*([^*\n]+):\* ")
_AT_WORD = re.compile(r"[@\uff20\ufe6b]([\u200b-\u200d\u2060\ufeff]*)(\w+)")


def _broadcast_problems(text: str) -> list[str]:
    problems = []
    for match in _AT_WORD.finditer(text):
        joiners, word = match.groups()
        broadcast = unicodedata.normalize("NFKC", word).casefold() in _BROADCAST_WORDS
        if broadcast and joiners != "\u2060":  # exactly the word joiner the renderer puts there
            problems.append(f"live broadcast {match.group(0)!r}")
    return problems


def markup_problems(text: str, *, section: bool = False, context: bool = False) -> list[str]:
    """What Slack would act on in ``text`` (a mrkdwn string) beyond the renderer's own markup:
    a section's first line may be the bold title line, a context ends with the slug."""
    text = _OUR_DATE.sub("", text)
    if section:
        first, _, rest = text.partition("\n")
        text = _OUR_TITLE_LINE.sub(lambda m: "title: " + m.group(1), first) + "\n" + rest
    text = _OUR_LINK.sub(lambda m: m.group(1), text)  # a link's target is not parsed
    text = "\n".join(line for line in text.split("\n") if line != _NO_SUMMARY_LINE)
    text = _OUR_LABELS.sub("", text)
    text = _OUR_PERSPECTIVE.sub(lambda m: m.group(1) + ": ", text)
    if context:
        text = _OUR_SLUG.sub("", text)
    problems = _broadcast_problems(text)
    # the renderer's own: line breaks, and the word joiner after a broadcast's "@" (below)
    problems += [f"invisible {ch}" for ch in hidden(text, allowed="\n\t\u2060")]
    problems += [
        f"stray word joiner at {i}"
        for i, ch in enumerate(text)
        if ch == "\u2060" and (i == 0 or text[i - 1] not in "@\uff20\ufe6b")
    ]
    problems += [f"control {ch!r}" for ch in re.findall(r"[<>]", text)]
    problems += [f"marker {ch!r}" for ch in re.findall(r"[*_~`]", text)]
    problems += [f"block quote {line!r}" for line in re.findall(r"(?m)^\s*&gt;.*$", text)]
    return problems


def message_problems(message: dict[str, Any]) -> list[str]:
    problems = markup_problems(message["text"])
    for block in message.get("blocks", []):
        if block["type"] == "header":
            header = block["text"]["text"]
            problems += _broadcast_problems(header)
            problems += [f"invisible in header {c}" for c in hidden(header, allowed="\t\u2060")]
            continue
        texts = [block["text"]] if "text" in block else list(block.get("elements", []))
        for text in texts:
            if text["type"] == "mrkdwn" and text.get("verbatim") is not True:
                problems.append("a mrkdwn object without verbatim: Slack would auto-link in it")
            problems += markup_problems(
                text["text"], section=block["type"] == "section", context=block["type"] == "context"
            )
    return problems


HOSTILE = [
    # mentions, by every syntax Slack has
    "<!everyone>", "<!channel>", "<!here>", "<@U0123ABC>", "<@W0123|boss>", "<#C0123|general>",
    "<!subteam^S0123|@editors>", "<!date^1750000000^{date}|today>", "@here", "@Channel",
    "@EVERYONE", "@everyone's",
    # mrkdwn formatting and links
    "*bold*", "_italic_", "~strike~", "`code`", "```fenced\ncode```", "> quoted", ">>> all quoted",
    "# Heading", "## Sub", "<http://evil.example|click me>", "<mailto:x@evil.example|mail>",
    "[innocent](http://evil.example)", "http://evil.example/@everyone", ":rotating_light:",
    # zero-width and bidi disguises
    "@\u200beveryone", "@\u200ceveryone", "@\u200deveryone", "@\u2060here", "@\ufeffchannel",
    "every\u00adone", "\u202eenoyreve@", "\u2066@here\u2069", "\u2067x\u2068y\u2069",
    "\u200e\u200f", "＠everyone", "＠ｅｖｅｒｙｏｎｅ", "﹫here", "@\u3164here", "\u115f",
    # controls, tags, selectors, private use: text a reader cannot see
    *SMUGGLERS,
]  # fmt: skip


def _hostile_item(text: str) -> BriefingItem:
    return BriefingItem(
        title=f"Title {text} end",
        url="https://example.com/story?x=1&y=2",
        source=f"{text} Outlet",
        published=datetime(2025, 6, 18, tzinfo=UTC),
        bullets=(text, f"Bullet with {text} inside.", f"{text}"),
        also_in=(f"{text} Times",),
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_each_hostile_string_renders_inert(text: str) -> None:
    briefing = _briefing(_hostile_item(text), title=f"Topic {text}")
    for message in render_briefing(briefing):
        assert message_problems(message) == [], (text, message)
        assert block_kit_problems(message) == []


def test_the_renderer_defuses_rather_than_drops() -> None:
    """Inert, yet still readable: the words stay, only their power goes."""
    [message] = render_briefing(
        _briefing(
            _item(bullets=("Officials told *everyone* to `wait` > now, @here and ＠everyone.",))
        )
    )
    section = message["blocks"][1]["text"]["text"]
    assert (
        "• Officials told ∗everyone∗ to ˋwaitˋ &gt; now, @\u2060here and ＠\u2060everyone."
        in section
    )
    assert message["blocks"][1]["text"]["verbatim"] is True


def test_an_outlet_cannot_open_a_block_quote() -> None:
    item = BriefingItem("Title", None, "> Quoted Outlet", None, ("A bullet.",))
    [message] = render_briefing(_briefing(item))
    lines = message["blocks"][1]["text"]["text"].split("\n")
    assert lines[1].startswith("› Quoted Outlet")


def test_a_continued_bullet_cannot_open_a_block_quote() -> None:
    """A bullet split across sections may put source text at a line start."""
    bullet = "x" * (MAX_SECTION_TEXT - 10) + " >quoted" + "y" * 50  # the cut falls before >
    [message] = render_briefing(_briefing(_item(bullets=(bullet,))))
    assert any(text.startswith("›quotedyyy") for text in _all_mrkdwn(message))
    assert message_problems(message) == []


def test_bidi_and_zero_width_characters_are_removed_from_every_field() -> None:
    sneaky = "\u202eSeoul\u202c \u2066Tokyo\u2069 every\u00adone @\u200beveryone \ufeff"
    [message] = render_briefing(_briefing(_item(title=sneaky, bullets=(sneaky,)), title=sneaky))
    dumped = json.dumps(message, ensure_ascii=False)
    for char in "\u202e\u202c\u2066\u2069\u00ad\u200b\ufeff":
        assert char not in dumped
    assert "Seoul Tokyo everyone @\u2060everyone" in dumped


def test_control_tag_and_selector_characters_reach_no_field() -> None:
    """NUL, ESC, Unicode tags, variation selectors past an emoji, private use: what Discord's
    renderer drops, Slack's drops too (the one filter, summaries.inert)."""
    tags = "".join(chr(0xE0000 + ord(c)) for c in "ping everyone")
    sneaky = f"Seoul\x00 talks\x1b[2J {tags}resume \U0001f600\U000e0101\U000e0102 \ue000\x9b"
    item = _item(title=sneaky, bullets=(sneaky,))
    item = replace(item, source=sneaky, also_in=(sneaky,))
    [message] = render_briefing(_briefing(item, title=sneaky))
    dumped = json.dumps(message, ensure_ascii=False)
    for char in ("\x00", "\x1b", "\x9b", "\ue000", "\U000e0101", *tags):
        assert char not in dumped
    assert "Seoul talks[2J resume \U0001f600" in dumped
    assert message_problems(message) == []


def test_our_own_replies_escape_slack_controls() -> None:
    assert render_help()["text"].count("&lt;topic&gt;") >= 1
    assert "<" not in render_help()["text"]
    reply = render_text("Unknown topic '<!channel> @here'; closest: korea-japan.")
    assert reply["text"] == "Unknown topic '&lt;!channel&gt; @\u2060here'; closest: korea-japan."


_hostile_text = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.characters(categories=["Cc", "Cf", "Co", "Cn", "Zl", "Zp"]),
        st.sampled_from(list("*_~`>&<|@＠﹫#:[]()\n \u200b\u200d\u2060\u202e\u2066\ufeff")),
    ),
    max_size=40,
).map("".join)
_hostile_items = st.builds(
    BriefingItem,
    title=_hostile_text,
    url=st.one_of(st.none(), _hostile_text.map(lambda t: "https://example.com/" + t)),
    source=_hostile_text,
    published=st.one_of(st.none(), _datetimes),
    bullets=st.lists(_hostile_text, max_size=5).map(tuple),
    also_in=st.lists(_hostile_text, max_size=4).map(tuple),
    sources=st.lists(st.builds(StorySource, source=_hostile_text, url=st.none()), max_size=3).map(
        tuple
    ),
    perspectives=st.lists(
        st.builds(
            Perspective,
            label=_hostile_text,
            bullets=st.lists(_hostile_text, min_size=1, max_size=2).map(tuple),
        ),
        max_size=3,
    ).map(tuple),
    coverage=st.one_of(st.none(), _hostile_text),
)
_hostile_briefings = st.builds(
    Briefing,
    topic=st.builds(TopicRef, slug=_hostile_text, title=_hostile_text),
    generated_at=_datetimes,
    items=st.lists(_hostile_items, max_size=6).map(tuple),
    note=st.one_of(st.none(), _hostile_text),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_hostile_briefings)
def test_no_source_text_can_ping_or_reformat(briefing: Briefing) -> None:
    """On every message of a briefing: the first and each threaded continuation alike."""
    for message in render_briefing(briefing):
        assert message_problems(message) == []


@settings(max_examples=100, deadline=None)
@given(_hostile_text)
def test_escape_leaves_nothing_live(text: str) -> None:
    assert markup_problems(escape(text)) == []


def test_the_model_catches_what_it_should() -> None:
    """The checker itself: raw hostile text is flagged, so a renderer regression would be."""
    for raw in (
        "<!channel>",
        "*bold*",
        "a_b_",
        "`x`",
        "> q",
        "@here",
        "＠ｅｖｅｒｙｏｎｅ",
        "\u202e",
    ):
        assert markup_problems(raw), raw


# -- user-added sources ------------------------------------------------------------------------


def _feed(**fields: Any) -> FeedState:
    base: dict[str, Any] = {
        "id": 7,
        "url": "https://news.example.com/rss_feed.xml?a=1&b=2",
        "name": "Seoul Ledger",
        "outlet": "Seoul Ledger",
        "kind": "news",
        "language": "en",
        "trusted": False,
        "etag": None,
        "last_modified": None,
        "last_attempt_at": None,
        "last_success_at": None,
        "consecutive_failures": 0,
        "next_attempt_at": None,
        "last_error": None,
        "disabled_reason": None,
        "articles": 0,
        "owner_platform": "slack",
        "owner_workspace": "T1",
    }
    return FeedState(**{**base, **fields})


def test_sources_list_shows_id_name_copyable_address_and_health() -> None:
    feeds = [
        _feed(last_success_at=GENERATED, articles=12),
        _feed(id=8, name=None, outlet=None, url="https://b.example.org/atom"),
        _feed(id=9, consecutive_failures=3, last_error="HTTP 503 <b>*down*</b>"),
        _feed(id=10, disabled_reason="gone (HTTP 410)"),
    ]
    text = render_sources(feeds, limit=20)["text"]
    lines = text.split("\n")
    assert lines[0] == "*Sources this workspace added* (4 of at most 20)"
    assert lines[1] == (
        "• `7` *Seoul Ledger* · `https://news.example.com/rss_feed.xml?a=1&amp;b=2` · "
        "ok, 12 articles"
    )
    assert lines[2].startswith("• `8` *b.example.org* · `https://b.example.org/atom` · not polled")
    assert lines[3].endswith("failing (3 in a row): HTTP 503 &lt;b&gt;∗down∗&lt;/b&gt;")
    assert lines[4].endswith("disabled: gone (HTTP 410)")
    assert render_sources([], limit=20)["text"] == messages.SLACK_NO_SOURCES


def test_a_hostile_feed_name_is_inert_in_confirmations() -> None:
    feed = _feed(name="<!channel> *BREAKING* @everyone\u202e", url="https://x.example/f`eed")
    for message in (render_source_added(feed), render_source_removed(feed)):
        text = message["text"]
        assert "*&lt;!channel&gt; ∗BREAKING∗ @\u2060everyone*" in text
        assert "`https://x.example/f%60eed`" in text  # the code span cannot be broken out of
        assert "<!channel>" not in text
        assert "\u202e" not in text
