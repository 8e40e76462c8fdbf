"""The ``/brief`` text parser: every subcommand, shape errors as one usage line, any text safe."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack.commands import (
    AddSource,
    Brief,
    Help,
    ListSources,
    ListSubscriptions,
    Preview,
    RemoveSource,
    Resume,
    Subscribe,
    Topics,
    Unsubscribe,
    is_days,
    parse_command,
)
from bot import messages
from bot.errors import BadInput


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Help()),
        ("   ", Help()),
        ("help", Help()),
        ("HELP me", Help()),
        ("topics", Topics()),
        ("topics kor", Topics(query="kor")),
        ("list", ListSubscriptions()),
        ("korea-japan", Brief("korea-japan", 3)),
        ("korea-japan 5", Brief("korea-japan", 5)),
        ("  korea-japan\u00a0\u00a02 ", Brief("korea-japan", 2)),  # phones send no-break spaces
        ("south korea", Brief("south korea", 3)),
        ("us china 1", Brief("us china", 1)),
        ("3", Brief("3", 3)),  # a lone number is a (bad) topic, which the core names
        ("subscribe korea-japan 08:00", Subscribe("korea-japan", "08:00")),
        (
            "subscribe korea-japan 8:30 Asia/Seoul weekdays",
            Subscribe("korea-japan", "8:30", "Asia/Seoul", "weekdays"),
        ),
        (
            "subscribe korea-japan 08:00 mon,wed,FRI Europe/London",
            Subscribe("korea-japan", "08:00", "Europe/London", "mon,wed,fri"),
        ),
        ("subscribe korea-japan 07:15 daily", Subscribe("korea-japan", "07:15", None, "daily")),
        ("subscribe korea-japan 8am", Subscribe("korea-japan", "8am")),
        ("subscribe korea-japan 5:30 pm UTC", Subscribe("korea-japan", "5:30pm", "UTC")),
        ("subscribe korea-japan 25:00", Subscribe("korea-japan", "25:00")),  # the core says no
        (
            "subscribe korea-japan 08:00 mon, wed Asia/Tokyo",
            Subscribe("korea-japan", "08:00", "Asia/Tokyo", "mon,wed"),
        ),
        ("subscribe korea-japan 08:00 mon-fri", Subscribe("korea-japan", "08:00", None, "mon-fri")),
        ("subscribe south korea 07:15", Subscribe("south korea", "07:15")),
        # what the core answers with its fix rather than the usage line
        ("subscribe korea-japan 8 Asia/Seoul", Subscribe("korea-japan", "8", "Asia/Seoul")),
        ("subscribe korea-japan 0800", Subscribe("korea-japan", "0800")),
        ("subscribe korea-japan noon", Subscribe("korea-japan", "noon")),
        (
            "subscribe korea-japan 08:00 Asia/Seoul wekdays",
            Subscribe("korea-japan", "08:00", "Asia/Seoul", "wekdays"),
        ),
        (
            "subscribe korea-japan 08:00 weekdays KST",
            Subscribe("korea-japan", "08:00", "KST", "weekdays"),
        ),
        (
            "subscribe korea-japan 08:00 New York weekdays",
            Subscribe("korea-japan", "08:00", "New York", "weekdays"),
        ),
        ("unsubscribe 12", Unsubscribe(12)),
        ("unsubscribe #12", Unsubscribe(12)),
        ("remove 3", Unsubscribe(3)),
        ("resume 12", Resume(12)),
        ("Resume #7", Resume(7)),
        ("preview 12", Preview(12)),
        ("Preview #7", Preview(7)),
        ("korea &amp; japan", Brief("korea & japan", 3)),  # Slack escapes &, <, > in the text
        ("source add https://example.com/rss", AddSource("https://example.com/rss")),
        ("Source ADD example.com/rss.xml", AddSource("example.com/rss.xml")),
        # Slack sends a link as <url> (or <url|label>) when the command escapes links
        ("source add <https://example.com/rss>", AddSource("<https://example.com/rss>")),
        (
            "source add &lt;https://example.com/a?b=1&amp;c=2&gt;",
            AddSource("<https://example.com/a?b=1&c=2>"),
        ),
        ("source list", ListSources()),
        ("sources", ListSources()),
        ("sources list", ListSources()),
        ("source remove 7", RemoveSource("7")),
        ("source remove #7", RemoveSource("#7")),
        ("source delete https://example.com/rss", RemoveSource("https://example.com/rss")),
        ("source rm 7", RemoveSource("7")),
    ],
)
def test_parses(text: str, expected: object) -> None:
    assert parse_command(text) == expected


@pytest.mark.parametrize(
    ("text", "usage"),
    [
        ("korea-japan 0", messages.SLACK_USAGE_COUNT),
        ("korea-japan 9", messages.SLACK_USAGE_COUNT),
        ("korea-japan -1", messages.SLACK_USAGE_COUNT),
        ("subscribe korea-japan", messages.SLACK_USAGE_SUBSCRIBE),
        ("subscribe 08:00", messages.SLACK_USAGE_SUBSCRIBE),
        ("subscribe korea-japan at eight", messages.SLACK_USAGE_SUBSCRIBE),
        ("subscribe korea-japan 08:00 09:00", messages.SLACK_USAGE_SUBSCRIBE),
        ("subscribe korea-japan 08:00 Asia/Seoul UTC", messages.SLACK_USAGE_SUBSCRIBE),
        ("unsubscribe", messages.SLACK_USAGE_UNSUBSCRIBE),
        ("unsubscribe twelve", messages.SLACK_USAGE_UNSUBSCRIBE),
        ("unsubscribe 1 2", messages.SLACK_USAGE_UNSUBSCRIBE),
        ("resume", messages.SLACK_USAGE_RESUME),
        ("resume korea", messages.SLACK_USAGE_RESUME),
        ("preview", messages.SLACK_USAGE_PREVIEW),
        ("preview korea-japan", messages.SLACK_USAGE_PREVIEW),
        ("preview 1 2", messages.SLACK_USAGE_PREVIEW),
        ("source", messages.SLACK_USAGE_SOURCE),
        ("source add", messages.SLACK_USAGE_SOURCE),
        ("source remove", messages.SLACK_USAGE_SOURCE),
        ("source remove 1 2", messages.SLACK_USAGE_SOURCE),
        ("source list all", messages.SLACK_USAGE_SOURCE),
        ("source follow https://example.com/rss", messages.SLACK_USAGE_SOURCE),
        ("sources add", messages.SLACK_USAGE_SOURCE),
    ],
)
def test_shape_errors_are_one_usage_line(text: str, usage: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_command(text)
    assert str(caught.value) == usage
    assert "\n" not in usage


def test_days_shapes() -> None:
    assert is_days("daily")
    assert is_days("Weekdays")
    assert is_days("mon,tue")
    assert not is_days("Asia/Seoul")
    assert is_days("mon-fri")
    assert not is_days("UTC")
    assert not is_days("")
    assert not is_days("monkey")


_USAGES = {
    messages.SLACK_USAGE_COUNT,
    messages.SLACK_USAGE_SUBSCRIBE,
    messages.SLACK_USAGE_UNSUBSCRIBE,
    messages.SLACK_USAGE_RESUME,
    messages.SLACK_USAGE_PREVIEW,
    messages.SLACK_USAGE_SOURCE,
}
_COMMANDS = (
    Brief,
    Topics,
    Help,
    Subscribe,
    ListSubscriptions,
    Unsubscribe,
    Resume,
    Preview,
    AddSource,
    ListSources,
    RemoveSource,
)


def _outcome(text: str) -> object:
    try:
        return parse_command(text)
    except BadInput as exc:
        return str(exc)


# Words the parser reacts to, Slack's escapes, and characters that have tripped parsers.
_VOCABULARY = [
    "help",
    "topics",
    "list",
    "subscribe",
    "unsubscribe",
    "remove",
    "resume",
    "preview",
    "source",
    "sources",
    "add",
    "rm",
    "delete",
    "korea-japan",
    "08:00",
    "5:30",
    "pm",
    "Asia/Seoul",
    "weekdays",
    "mon,wed",
    "#12",
    "0",
    "-1",
    "99999999999999999999999",
    "&lt;",
    "&gt;",
    "&amp;",
    "<",
    ">",
    "|",
    "<https://example.com/rss|rss>",
    "http://10.0.0.1/feed",
    "\u00a0",
    "\u200b",
    "\u202e",
    "\x00",
    "\n",
    "\t",
    "😀",
    "＠everyone",
    "<!channel>",
]
_command_texts = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(_VOCABULARY), st.text(max_size=8)), max_size=8).map(
        " ".join
    ),
)


@settings(max_examples=400)
@given(_command_texts)
def test_any_text_parses_or_raises_bad_input(text: str) -> None:
    outcome = _outcome(text)  # anything but BadInput propagates and fails the test
    assert isinstance(outcome, _COMMANDS) or outcome in _USAGES
    if isinstance(outcome, str):
        assert "\n" not in outcome  # a usage error is one line


@given(st.text(alphabet=st.characters(exclude_categories=("Z", "Cc", "Cs")), min_size=1))
def test_a_source_url_reaches_the_core_as_typed(url: str) -> None:
    """The parser never mangles the address (the core cleans and checks it)."""
    assert parse_command(f"source add {url}") == AddSource(
        url.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )


_slug = st.from_regex(r"[a-z]{2,12}(-[a-z]{2,12}){0,2}", fullmatch=True).filter(
    lambda s: s not in {"help", "topics", "list", "subscribe", "unsubscribe", "remove"}
)


@given(_slug, st.integers(1, 5), st.sampled_from([" ", "  ", "\t", "\u00a0"]))
def test_brief_round_trips(slug: str, count: int, space: str) -> None:
    assert parse_command(f"{space}{slug}{space}{count}{space}") == Brief(slug, count)


@given(
    _slug,
    st.integers(0, 23),
    st.integers(0, 59),
    st.one_of(st.none(), st.sampled_from(["Asia/Seoul", "UTC", "America/New_York"])),
    st.one_of(st.none(), st.sampled_from(["daily", "weekdays", "mon,wed,fri"])),
    st.booleans(),
)
def test_subscribe_round_trips(
    slug: str, hour: int, minute: int, zone: str | None, days: str | None, swap: bool
) -> None:
    tail = [word for word in (zone, days) if word]
    if swap:
        tail.reverse()
    text = " ".join(["subscribe", slug, f"{hour:02d}:{minute:02d}", *tail])
    assert parse_command(text) == Subscribe(slug, f"{hour:02d}:{minute:02d}", zone, days)
