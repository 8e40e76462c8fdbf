"""The briefing service on a real store (SQLite file and PostgreSQL), with the real tagger."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.briefing import BriefingService, describe_duration, parse_duration
from bot.errors import BadInput, UnknownTopic
from bot.models import ChannelRef
from bot.store import NewArticle, Store
from bot.stories.grouping import StoryGrouper
from bot.topics import TopicRegistry
from tests.support.scheduling import brief_channel

NOW = datetime(2025, 6, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def registry() -> TopicRegistry:
    return TopicRegistry.default()


@pytest.fixture
def service(store: Store, registry: TopicRegistry) -> BriefingService:
    return BriefingService(store, registry, clock=lambda: NOW)


def add(
    store: Store,
    registry: TopicRegistry,
    title: str,
    text: str,
    *,
    outlet: str = "Test Times",
    days_ago: float | None = 1,
    url: str | None = None,
) -> int:
    published = None if days_ago is None else NOW - timedelta(days=days_ago)
    result = store.add_article(
        NewArticle(
            title=title,
            text=text,
            bullets=(f"{title}: the point.",),
            outlet=outlet,
            url=url or f"https://news.example/{abs(hash((title, text, outlet)))}",
            published_at=published,
            kind="editorial",
            mentions=registry.tag(title, text),
        )
    )
    return result.article_id


_FILLER = (
    "Trade ministers reviewed export rules for chips and batteries",
    "Coast guards compared notes on fishing boats near disputed waters",
    "Students from both countries joined an exchange programme in the spring",
    "Business groups asked for faster visa processing at major airports",
    "Historians presented archives found in a provincial library",
    "Energy officials discussed liquefied natural gas contracts for winter",
    "A joint drill tested how rescue teams share radio channels at sea",
    "Cultural festivals drew large crowds in port cities this summer",
)


def korea_japan_story(n: int) -> str:
    """A distinct Korea-Japan text per ``n`` (the store dedups near-copies, so vary it)."""
    lines = [_FILLER[(n + k) % len(_FILLER)] + f" ({n}-{k})." for k in range(5)]
    return (
        f"South Korea and Japan held talks in round {n}. Korean and Japanese officials met "
        "in Tokyo and Seoul. " + " ".join(lines) + f" The Korean side thanked Japan ({n})."
    )


# -- parse_duration ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90m", timedelta(minutes=90)),
        ("36h", timedelta(hours=36)),
        ("7d", timedelta(days=7)),
        ("2w", timedelta(weeks=2)),
        (" 3 days ", timedelta(days=3)),
        ("12 hours", timedelta(hours=12)),
        ("1y", timedelta(days=365)),  # the 10-year limit's own unit used to be refused
        ("10 years", timedelta(days=3650)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "7", "d", "-3d", "1.5d", "3 fortnights"])
def test_parse_duration_refuses_with_the_fix(text: str) -> None:
    with pytest.raises(BadInput, match=r"90m, 36h, 7d, 2w or 1y"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("0h", "A window of '0h' holds nothing; use more than zero"),  # was "cannot read"
        ("99999w", "'99999w' is more than the 10 years a window can hold"),
        ("11y", "'11y' is more than the 10 years"),
    ],
)
def test_a_duration_read_but_out_of_range_says_so(text: str, says: str) -> None:
    with pytest.raises(BadInput, match=re.escape(says)):
        parse_duration(text)


def test_describe_duration_in_the_unit_people_wrote() -> None:
    assert describe_duration(timedelta(days=7)) == "7 days"  # was "1 week" for --since 7d
    assert describe_duration(timedelta(weeks=2)) == "14 days"
    assert describe_duration(timedelta(days=365)) == "1 year"
    assert describe_duration(timedelta(hours=36)) == "36 hours"
    assert describe_duration(timedelta(days=1)) == "1 day"
    assert describe_duration(timedelta(minutes=90)) == "90 minutes"


# -- ranking -------------------------------------------------------------------------------

KOREA_JAPAN = (
    "Seoul and Tokyo agree to resume shuttle diplomacy",
    "South Korea and Japan agreed on Monday to resume shuttle diplomacy. Korean and Japanese "
    "officials said the leaders would meet in Tokyo. Seoul hopes Japan will act on the Sado "
    "mine memorial. The Korean president thanked the Japanese prime minister.",
)
KOREA_US_JAPAN_IN_PASSING = (
    "Seoul and Washington discuss tariffs",
    "South Korea and the United States discussed tariffs. Korean negotiators met American "
    "officials in Washington. The US wants Korea to invest more. Korean exporters are worried. "
    "Japan reached a similar deal last month.",
)
JAPAN_ONLY = (
    "Japan's ruling party picks a new leader",
    "Japan's Liberal Democratic Party chose a new leader. Japanese voters were divided. "
    "Tokyo markets rose. The Japanese yen weakened.",
)


def test_korea_japan_ranks_the_piece_about_both_first(
    service: BriefingService, store: Store, registry: TopicRegistry
) -> None:
    both = add(store, registry, *KOREA_JAPAN, days_ago=2)
    passing = add(store, registry, *KOREA_US_JAPAN_IN_PASSING, days_ago=0.5)
    add(store, registry, *JAPAN_ONLY, days_ago=0.2)
    briefing = service.brief("korea-japan")
    # Japan in passing does not make the tariff story a Korea-Japan piece, however recent.
    assert [item.article_id for item in briefing.items] == [both]
    assert briefing.topic.slug == "korea-japan"
    assert briefing.generated_at == NOW
    assert briefing.note is None
    assert [i.article_id for i in service.brief("korea-us").items] == [passing]
    japan = [i.article_id for i in service.brief("japan").items]
    assert set(japan) == {both, add(store, registry, *JAPAN_ONLY, days_ago=0.2)}


def test_recency_breaks_ties_and_relevance_outweighs_a_day(
    service: BriefingService, store: Store, registry: TopicRegistry
) -> None:
    old = add(store, registry, *KOREA_JAPAN, days_ago=30, outlet="Old Herald")
    new = add(
        store,
        registry,
        "Korea and Japan open a new chapter",
        korea_japan_story(1),
        days_ago=1,
        outlet="New Herald",
    )
    weaker = add(
        store,
        registry,
        "Regional leaders meet",
        "Korea, Korea, Korea and Japan, Japan, Japan met. Leaders talked.",
        days_ago=0.5,
    )
    ids = [i.article_id for i in service.brief("korea-japan", count=3).items]
    assert ids.index(new) < ids.index(old)
    assert ids.index(new) < ids.index(weaker)  # title + terms beat half a day of recency


def test_count_since_and_dates(
    service: BriefingService, store: Store, registry: TopicRegistry
) -> None:
    for day in range(6):
        add(
            store,
            registry,
            f"Korea and Japan talks, day {day}",
            korea_japan_story(day),
            days_ago=day + 0.1,
        )
    assert len(service.brief("korea-japan").items) == 3
    assert len(service.brief("korea-japan", count=5).items) == 5
    recent = service.brief("korea-japan", count=10, since=timedelta(hours=36))
    assert [i.title for i in recent.items] == [
        "Korea and Japan talks, day 0",
        "Korea and Japan talks, day 1",
    ]
    assert all(i.published is not None and i.published.tzinfo for i in recent.items)
    nothing = service.brief("korea-japan", since=timedelta(minutes=90))
    assert nothing.items == ()
    assert nothing.note == "Nothing on korea-japan in the last 90 minutes."


def test_undated_articles_are_dated_by_ingest(
    service: BriefingService, store: Store, registry: TopicRegistry
) -> None:
    before = datetime.now(UTC)
    add(store, registry, *KOREA_JAPAN, days_ago=None)
    (item,) = BriefingService(store, registry).brief("korea-japan").items
    assert item.published is not None
    assert before - timedelta(seconds=5) <= item.published <= datetime.now(UTC)


def test_syndicated_copies_are_one_item_with_also_in(
    service: BriefingService, store: Store, registry: TopicRegistry
) -> None:
    first = add(store, registry, *KOREA_JAPAN, outlet="Korea JoongAng Daily")
    again = add(store, registry, *KOREA_JAPAN, outlet="Japan Wire")  # same text elsewhere
    assert again == first
    # The same event rewritten by a third outlet joins the story, as ingest groups it.
    third = add(store, registry, KOREA_JAPAN[0], korea_japan_story(7), outlet="Asia Post")
    grouper = StoryGrouper(store)
    assert grouper.assign_missing() == 2
    (item,) = service.brief("korea-japan").items
    assert item.article_id in (first, third)
    assert {item.source, *item.also_in} == {"Korea JoongAng Daily", "Japan Wire", "Asia Post"}
    assert item.coverage == "3 outlets"
    assert set(item.article_ids) == {first, third}
    assert item.story_id is not None


def test_exclude_channel_and_the_nothing_new_note(
    service: BriefingService, store: Store, registry: TopicRegistry
) -> None:
    seen = add(store, registry, *KOREA_JAPAN, days_ago=2)
    channel = ChannelRef("discord", "300000000000000123", "200000000000000009")
    other = ChannelRef("slack", "C1")
    brief_channel(store, channel, [seen], at=NOW - timedelta(days=3))
    brief_channel(store, channel, [seen], at=NOW)  # idempotent
    empty = service.brief("korea-japan", exclude_channel=channel)
    assert empty.items == ()
    assert empty.note == "Nothing new on korea-japan since Tuesday."  # 17 June 2025
    assert [i.article_id for i in service.brief("korea-japan", exclude_channel=other).items] == [
        seen
    ]
    fresh = add(store, registry, "Korea and Japan: a new accord", korea_japan_story(3))
    assert [i.article_id for i in service.brief("korea-japan", exclude_channel=channel).items] == [
        fresh
    ]


def test_one_shared_query_takes_each_calls_values(store: Store, registry: TopicRegistry) -> None:
    """The ranking query is built once per shape and reused: topic, clock, window, count,
    channel and what the store holds must all come from the call, not from the first one."""
    clock = [NOW]
    service = BriefingService(store, registry, clock=lambda: clock[0])
    both = add(store, registry, *KOREA_JAPAN, days_ago=1)
    tariffs = add(store, registry, *KOREA_US_JAPAN_IN_PASSING, days_ago=0.5)
    channel = ChannelRef("slack", "C1", "T1")
    other = ChannelRef("slack", "C2", "T1")

    def ids(
        topic: str,
        count: int = 3,
        since: timedelta | None = None,
        exclude_channel: ChannelRef | None = None,
    ) -> list[int | None]:
        briefing = service.brief(topic, count, since, exclude_channel)
        return [item.article_id for item in briefing.items]

    # Two curated pairs: the same shape of query, different entities.
    assert ids("korea-japan", exclude_channel=channel) == [both]
    assert ids("korea-us", exclude_channel=channel) == [tariffs]
    # Articles and deliveries that change between calls.
    brief_channel(store, channel, [both], at=NOW)
    assert ids("korea-japan", exclude_channel=channel) == []
    assert ids("korea-japan", exclude_channel=other) == [both]
    fresh = add(store, registry, "Korea and Japan: a new accord", korea_japan_story(3), days_ago=0)
    assert ids("korea-japan", exclude_channel=channel) == [fresh]
    assert len(ids("korea-japan", count=1, exclude_channel=other)) == 1
    assert set(ids("korea-japan", count=2, exclude_channel=other)) == {fresh, both}
    # The window moves with the clock.
    assert set(ids("korea-japan", since=timedelta(hours=36))) == {fresh, both}
    clock[0] = NOW + timedelta(days=1)
    assert ids("korea-japan", since=timedelta(hours=36)) == [fresh]
    assert service.brief("korea-japan", since=timedelta(hours=36)).generated_at == clock[0]


def test_bad_input(service: BriefingService) -> None:
    for count in (0, 11, -1):
        with pytest.raises(BadInput, match="from 1 to 10"):
            service.brief("korea-japan", count=count)
    with pytest.raises(UnknownTopic, match="korea-japan"):
        service.brief("korea-japn")


def test_empty_store_says_so(service: BriefingService) -> None:
    briefing = service.brief("india-pakistan")
    assert briefing.items == ()
    assert briefing.note == "No recent pieces on india-pakistan yet."


# -- real editorials -----------------------------------------------------------------------


def test_real_editorials_rank_the_right_one_first(
    service: BriefingService,
    store: Store,
    registry: TopicRegistry,
    shared_data: Path,
    seed_path: Path,
) -> None:
    lines = (shared_data / "editorials_dev.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    ids: dict[str, int] = {}
    for n, row in enumerate(rows):
        ids[row["id"]] = add(
            store, registry, row["title"], row["text"], days_ago=1 + n % 5, outlet=row["source"]
        )
    seed = seed_path.read_text(encoding="utf-8")
    seed_id = add(store, registry, seed.splitlines()[0], seed, days_ago=3)

    def first(topic: str) -> int:
        return service.brief(topic).items[0].article_id or -1

    assert first("korea-japan") == seed_id
    assert first("japan") == seed_id
    assert first("north-korea") == ids["webis-aljazeera-172-northkoreasonymovie"]
    assert first("russia-ukraine") == ids["webis-aljazeera-294-willputinbiteoffmorethanhe"]
    assert first("israel-palestine") == ids["webis-aljazeera-190-palestinewastedtimeatun"]
    assert first("iran-us") == ids["webis-foxnews-126-iransanctionsfightthreemythsno"]
    assert first("poland") == ids["webis-aljazeera-225-risepolandurbanmovement"]
    assert first("argentina") == ids["webis-aljazeera-017-argentinagrowthatwhatprice"]
    afghanistan = {
        ids["webis-aljazeera-006-afghanistanatcrucialjuncture"],
        ids["webis-aljazeera-007-afghanistanconferencewonrock"],
        ids["webis-aljazeera-282-whereafghanlawfailswomen"],
    }
    assert {i.article_id for i in service.brief("afghanistan").items} == afghanistan
    # Nothing about both Korea and India in this corpus.
    assert service.brief("india-korea").items == ()
