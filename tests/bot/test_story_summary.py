"""bot.stories.summary: a story's fact bullets, its editorials' claims, each side's line.

The stories are written here by hand in the shape of real coverage (a summit reported by
outlets of both countries, one editorial, a wire sentence two outlets share, page leftovers);
the outlets are made up.  The last test reads ../shared/data/stories_dev.jsonl when it is
there and skips otherwise.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import messages
from bot.stories import summary as story_summary
from bot.stories.summary import (
    MAX_STORY_BULLETS,
    STORY_BULLETS,
    Member,
    Opinion,
    Perspective,
    StorySummary,
    perspectives,
    summarize_story,
)
from summaries.bullets import MAX_BULLET_CHARS, trim_bullet
from summaries.clean import clean_document

T0 = datetime(2025, 6, 17, 9, 0, tzinfo=UTC)
KOREA_JAPAN = {"KR": "Korean outlets", "JP": "Japanese outlets"}

SHARED_WIRE = (
    "Japan will lift export controls on three chemicals used to make semiconductors, and "
    "South Korea will drop its complaint at the World Trade Organization."
)

SEOUL_WIRE = Member(
    article_id=1,
    title="South Korea, Japan leaders agree to resume shuttle diplomacy at Tokyo summit",
    text=(
        "South Korea's president and Japan's prime minister agreed on Tuesday to resume "
        "regular shuttle visits between their capitals, at a summit in Tokyo that both "
        "governments called a new start for relations.\n\n"
        "The two leaders also agreed to restart a finance ministers' dialogue suspended since "
        "2016 and to set up a joint working group on supply chains for semiconductors.\n\n"
        "The summit was the first full bilateral visit by a South Korean leader to Japan in "
        "twelve years.\n\n"
        "Officials in Seoul said the two sides did not discuss compensation for wartime forced "
        "labour in detail."
    ),
    kind="news",
    outlet="Seoul Wire",
    country="KR",
    published=T0,
)
TOKYO_HERALD = Member(
    article_id=2,
    title="Japan and South Korea pledge closer ties as leaders meet in Tokyo",
    text=(
        "The leaders of Japan and South Korea pledged on Tuesday to rebuild ties strained for "
        "years over wartime history, meeting in Tokyo for their first formal summit in more "
        "than a decade.\n\n"
        f"{SHARED_WIRE}\n\n"
        "Tokyo also welcomed Seoul's plan to compensate former forced labourers through a "
        "domestic foundation funded by South Korean companies.\n\n"
        "Advertisement\n\n"
        "The two leaders are expected to meet again at the Group of Seven summit in May."
    ),
    kind="news",
    outlet="Tokyo Herald",
    country="JP",
    published=T0 + timedelta(hours=1),
)
HAN_RIVER_POST = Member(
    article_id=3,
    title="Summit ends with trade deal but no new apology from Japan",
    text=(
        "South Korea's president returned from Tokyo on Wednesday with a trade deal and a "
        "promise of regular summits, but without a new apology from Japan for its colonial "
        "rule.\n\n"
        "Opposition lawmakers in Seoul criticised the summit as a one-sided concession on the "
        "forced labour issue and vowed to block the compensation plan in parliament.\n\n"
        f"Under the agreement, {SHARED_WIRE}\n\n"
        "Share this article"
    ),
    kind="news",
    outlet="Han River Post",
    country="KR",
    published=T0 + timedelta(hours=20),
)
EDITORIAL_CLAIM = (
    "Japan should answer Seoul's courage with a gesture of its own, and it is time for Tokyo "
    "to show that it understands the weight of history."
)
TOKYO_EDITORIAL = Member(
    article_id=4,
    title="Editorial: A summit is a start, not a settlement",
    text=(
        "Tuesday's summit in Tokyo ended a long freeze between Japan and South Korea.\n\n"
        "The leaders agreed to resume shuttle diplomacy and to lift trade restrictions that "
        "had hurt companies in both countries.\n\n"
        "Yet agreements of this kind have collapsed before, most recently in 2018, when a court "
        "ruling in Seoul undid years of careful work.\n\n"
        "Both governments must now build support at home, where many voters remain sceptical "
        "of the other side.\n\n"
        f"{EDITORIAL_CLAIM}"
    ),
    kind="editorial",
    outlet="Tokyo Herald",
    country="JP",
    published=T0 + timedelta(hours=22),
)
SUMMIT = [SEOUL_WIRE, TOKYO_HERALD, HAN_RIVER_POST, TOKYO_EDITORIAL]


def sentences(*members: Member) -> set[str]:
    return {s for m in members for s in clean_document(m.text, m.title).sentences}


def test_three_fact_bullets_from_the_news_members_only() -> None:
    summary = summarize_story(SUMMIT)
    assert isinstance(summary, StorySummary)
    assert len(summary.bullets) == STORY_BULLETS == 3
    news = sentences(SEOUL_WIRE, TOKYO_HERALD, HAN_RIVER_POST)
    editorial = sentences(TOKYO_EDITORIAL)
    for bullet in summary.bullets:
        assert bullet in news  # extractive: a whole sentence we read, of a news member
        assert bullet not in editorial
    assert not any("Advertisement" in b or "Share this" in b for b in summary.bullets)


def test_the_lead_is_the_most_central_news_member() -> None:
    summary = summarize_story(SUMMIT)
    assert summary.lead_article_id in {SEOUL_WIRE.article_id, TOKYO_HERALD.article_id}
    off_topic = Member(
        article_id=9,
        title="Chip exporters cheer, but shipping costs bite",
        text=(
            "Freight rates from Busan to Rotterdam rose for a third straight week, shipping "
            "brokers said, squeezing the margins of electronics exporters.\n\n"
            "Container lines blamed congestion at European ports and a shortage of vessels."
        ),
        kind="news",
        outlet="Harbour Journal",
        country="KR",
        published=T0,
    )
    story = [off_topic, SEOUL_WIRE, TOKYO_HERALD]
    assert summarize_story(story).lead_article_id != off_topic.article_id


def test_no_two_bullets_say_the_same_thing() -> None:
    def lead(article_id: int, outlet: str, first: str, second: str) -> Member:
        return Member(article_id, outlet, f"{first}\n\n{second}", "news", outlet, "KR", T0)

    # Three outlets open on the same fact in nearly the same words: the heaviest sentences
    # of the story, and one bullet's worth.
    story = [
        lead(
            21,
            "Seoul Wire",
            "South Korea's president and Japan's prime minister agreed on Tuesday to resume "
            "regular shuttle visits between their capitals at a summit in Tokyo.",
            "The two leaders also agreed to restart a finance dialogue suspended since 2016.",
        ),
        lead(
            22,
            "Busan Daily",
            "South Korea's president and Japan's prime minister agreed Tuesday to resume "
            "regular shuttle visits between their two capitals at their summit in Tokyo.",
            "Opposition lawmakers in Seoul criticised the summit as a concession.",
        ),
        lead(
            23,
            "Tokyo Herald",
            "Japan's prime minister and South Korea's president agreed on Tuesday at a Tokyo "
            "summit to resume regular shuttle visits between their capitals.",
            "Japan will lift export controls on three chemicals used to make semiconductors.",
        ),
    ]
    for count in (3, 4, 5):
        bullets = summarize_story(story, count=count).bullets
        assert len(bullets) == min(count, 4)  # 3 copies of one fact + 3 other facts
        assert sum("shuttle visits" in b for b in bullets) == 1
    for count in (3, 4, 5):
        bullets = summarize_story(SUMMIT, count=count).bullets
        assert len(set(bullets)) == len(bullets)
        assert sum("export controls on three chemicals" in b for b in bullets) <= 1


def test_an_editorial_gives_its_closing_claim_as_an_opinion() -> None:
    summary = summarize_story(SUMMIT)
    assert summary.opinions == (
        Opinion(article_id=4, outlet="Tokyo Herald", claim=EDITORIAL_CLAIM),
    )


def test_opinions_come_one_per_editorial_oldest_first() -> None:
    older = Member(
        article_id=5,
        title="The summit Seoul needed",
        text=(
            "South Korea's president flew to Tokyo this week with little to show at home for "
            "months of quiet diplomacy.\n\n"
            "The trade deal he brought back will help chipmakers, but it will not settle the "
            "forced labour dispute on its own.\n\n"
            "Seoul must keep talking to the victims and their families, because no agreement "
            "between governments will last without their support."
        ),
        kind="editorial",
        outlet="Seoul Wire",
        country="KR",
        published=T0 - timedelta(hours=2),
    )
    summary = summarize_story([*SUMMIT, older])
    assert [o.article_id for o in summary.opinions] == [5, 4]
    assert summary.opinions[0].claim.startswith("Seoul must keep talking to the victims")


def test_a_story_of_editorials_only_has_no_fact_bullets() -> None:
    summary = summarize_story([TOKYO_EDITORIAL])
    assert summary.bullets == ()
    assert summary.lead_article_id == TOKYO_EDITORIAL.article_id
    assert [o.claim for o in summary.opinions] == [EDITORIAL_CLAIM]


def test_what_cannot_stand_as_a_fact_is_never_a_bullet() -> None:
    teaser = Member(
        article_id=6,
        title="Leaders meet in Tokyo",
        text=(
            "Leaders of South Korea and Japan met in Tokyo on Tuesday for their first formal "
            "summit in twelve years.\n\n"
            "Will the thaw last this time?\n\n"
            "It was the first visit of its kind since 2011 and lasted two days.\n\n"
            "The leaders agreed to resume regular visits and to restart talks on trade in..."
        ),
        kind="news",
        outlet="Pacific Digest",
        country=None,
        published=T0,
    )
    bullets = summarize_story([teaser, SEOUL_WIRE], count=5).bullets
    assert bullets
    assert not any(b.endswith("?") for b in bullets)  # a question
    assert not any(b.endswith("in...") for b in bullets)  # cut off by the source
    assert not any(b.startswith("It was") for b in bullets)  # leans on the sentence before


def test_a_long_sentence_is_trimmed_for_a_phone() -> None:
    long = Member(
        article_id=7,
        title="Summit deal covers chips, finance and visits",
        text=(
            "Under the deal reached in Tokyo on Tuesday, Japan will lift export controls on "
            "three chemicals used to make semiconductors, South Korea will drop its complaint "
            "at the World Trade Organization, the two finance ministries will resume a "
            "dialogue suspended since 2016, their industry ministries will set up a working "
            "group on supply chains, and the two leaders will visit each other's capitals at "
            "least once a year for the rest of their terms, officials from both governments "
            "said in a joint briefing."
        ),
        kind="news",
        outlet="Pacific Digest",
        country=None,
        published=T0,
    )
    (bullet,) = summarize_story([long], count=1).bullets
    assert len(bullet) <= MAX_BULLET_CHARS
    assert bullet.endswith("…")
    assert long.text.startswith(bullet[:-1].rstrip())


def test_count_is_checked() -> None:
    assert len(summarize_story(SUMMIT, count=1).bullets) == 1
    assert len(summarize_story(SUMMIT, count=MAX_STORY_BULLETS).bullets) <= MAX_STORY_BULLETS
    with pytest.raises(ValueError, match="count"):
        summarize_story(SUMMIT, count=0)
    with pytest.raises(ValueError, match="count"):
        summarize_story(SUMMIT, count=MAX_STORY_BULLETS + 1)
    with pytest.raises(ValueError, match="member"):
        summarize_story([])


def test_a_member_text_is_read_once() -> None:
    story_summary._read.cache_clear()
    summarize_story(SUMMIT)
    misses = story_summary._read.cache_info().misses
    again = [Member(**{**m.__dict__}) for m in SUMMIT]  # equal values, new objects
    assert summarize_story(again) == summarize_story(SUMMIT)
    assert story_summary._read.cache_info().misses == misses == len(SUMMIT)


# --- perspectives ------------------------------------------------------------------------


def country(member: Member) -> str | None:
    return member.country


def test_perspectives_by_country_come_from_each_side() -> None:
    lines = perspectives(SUMMIT, KOREA_JAPAN, country)
    assert [p.label for p in lines] == ["Korean outlets", "Japanese outlets"]
    korean, japanese = lines
    assert len(korean.bullets) == len(japanese.bullets) == 1
    assert korean.bullets[0] in sentences(SEOUL_WIRE, HAN_RIVER_POST)
    assert japanese.bullets[0] in sentences(TOKYO_HERALD, TOKYO_EDITORIAL)


def test_a_side_line_is_not_what_the_other_side_says() -> None:
    wire = (
        "Japan will lift export controls on three chemicals used to make semiconductors, and "
        "South Korea will drop its complaint at the World Trade Organization, {who} said "
        "after the summit in Tokyo on Tuesday."
    )
    korean = Member(
        11,
        "Seoul wins chip deal in Tokyo",
        wire.format(who="the two governments") + "\n\n"
        "The deal was reached without a new apology from Japan for its colonial rule, and "
        "opposition lawmakers in Seoul called the summit a humiliation.\n\n"
        "The semiconductor industry welcomed the end of the export controls.",
        "news",
        "Han River Post",
        "KR",
        T0,
    )
    japanese = Member(
        12,
        "Tokyo lifts chip export curbs",
        wire.format(who="officials") + "\n\n"
        "Tokyo welcomed Seoul's plan to compensate former forced labourers through a domestic "
        "foundation.",
        "news",
        "Tokyo Herald",
        "JP",
        T0,
    )
    # The wire sentence is each side's most central one, and both sides say it: the lines
    # are what each side says that the other does not.
    assert perspectives([korean, japanese], KOREA_JAPAN, country) == (
        Perspective(
            "Korean outlets",
            (
                "The deal was reached without a new apology from Japan for its colonial rule, "
                "and opposition lawmakers in Seoul called the summit a humiliation.",
            ),
        ),
        Perspective(
            "Japanese outlets",
            (
                "Tokyo welcomed Seoul's plan to compensate former forced labourers through a "
                "domestic foundation.",
            ),
        ),
    )
    lines = perspectives(SUMMIT, KOREA_JAPAN, country)
    assert not any("export controls" in p.bullets[0] for p in lines)


def test_a_side_line_is_never_one_of_the_storys_fact_bullets() -> None:
    # Each side's most central sentence is often one the story's bullets already show; the
    # line then says something else of that side, or nothing.
    bullets = summarize_story(SUMMIT).bullets
    unguarded = perspectives(SUMMIT, KOREA_JAPAN, country)
    assert any(line in bullets for p in unguarded for line in p.bullets)  # what it guards
    korean, japanese = perspectives(SUMMIT, KOREA_JAPAN, country, shown=bullets)
    assert korean.bullets
    assert japanese.bullets
    assert not set(korean.bullets + japanese.bullets) & set(bullets)
    assert korean.bullets[0] in sentences(SEOUL_WIRE, HAN_RIVER_POST)
    assert japanese.bullets[0] in sentences(TOKYO_HERALD, TOKYO_EDITORIAL)


def test_one_sided_coverage_says_so() -> None:
    lines = perspectives([TOKYO_HERALD, TOKYO_EDITORIAL], KOREA_JAPAN, country)
    assert lines == (
        Perspective(
            messages.STORY_SIDES_LABEL,
            (messages.STORY_ONLY_COVERED_BY.format(label="Japanese outlets"),),
        ),
    )
    assert lines[0].bullets == ("covered only by Japanese outlets so far",)


def test_members_of_no_listed_side_are_left_out() -> None:
    elsewhere = Member(**{**SEOUL_WIRE.__dict__, "article_id": 8, "country": "US"})
    assert perspectives([elsewhere], KOREA_JAPAN, country) == ()
    lines = perspectives([elsewhere, TOKYO_HERALD], KOREA_JAPAN, country)
    assert [p.label for p in lines] == [messages.STORY_SIDES_LABEL]  # only Japan's, of the pair
    sides = {"left": "Left", "center": "Center", "right": "Right"}
    by_outlet = {"Seoul Wire": "left", "Tokyo Herald": "right"}
    lines = perspectives(SUMMIT, sides, lambda m: by_outlet.get(m.outlet))
    assert [p.label for p in lines] == ["Left", "Right"]  # the sides with members, in order


# --- real stories, when the data is there ------------------------------------------------

STORIES = Path(__file__).resolve().parents[3] / "shared" / "data" / "stories_dev.jsonl"


@pytest.mark.skipif(not STORIES.is_file(), reason="needs ../shared/data/stories_dev.jsonl")
def test_real_stories_bullets_and_lines_are_their_articles_sentences() -> None:
    rows = [json.loads(line) for line in STORIES.read_text(encoding="utf-8").splitlines()]
    sides = {"left": "Left", "center": "Center", "right": "Right"}
    for row in rows[:40]:
        members = [
            Member(
                article_id=i,
                title=a["title"],
                text=a["text"],
                kind="news",
                outlet=a["outlet"],
                country=None,
                published=T0,
            )
            for i, a in enumerate(row["articles"])
        ]
        side = {i: a["side"] for i, a in enumerate(row["articles"])}
        summary = summarize_story(members)
        assert 1 <= len(summary.bullets) <= STORY_BULLETS
        every = {trim_bullet(s) for s in sentences(*members)}  # as a phone shows them
        assert all(b in every for b in summary.bullets)
        for line in perspectives(members, sides, lambda m, side=side: side[m.article_id]):
            key = next(k for k, label in sides.items() if label == line.label)
            own = [m for m in members if side[m.article_id] == key]
            assert line.bullets[0] in {trim_bullet(s) for s in sentences(*own)}


def test_a_stored_side_line_that_is_a_shown_bullet_is_not_shown_again() -> None:
    # Stories summarized before side lines learnt to avoid the bullets keep such a line in
    # the store; reading them drops it (the other side's line stays).
    from bot.models import StorySource
    from bot.stories.read import LoadedMember, LoadedStory, perspectives_for

    def member(n: int, country: str) -> LoadedMember:
        source = StorySource(source=f"Outlet {n}", url=f"https://news.example/{n}", country=country)
        return LoadedMember(n, "Summit", source.url, source.source, "news", T0, T0, (), (source,))

    bullet = "The leaders met in Tokyo on Tuesday."
    story = LoadedStory(
        id=1,
        title="Summit",
        lead_article_id=1,
        first_seen=T0,
        last_seen=T0,
        updated_at=T0,
        bullets=(bullet,),
        opinions=(),
        perspectives={"KR": bullet, "JP": "Tokyo called it a new start."},
        members=(member(1, "KR"), member(2, "JP")),
    )
    lines = perspectives_for(story, None, ("KR", "JP"), shown=story.bullets)
    assert [(p.label, p.bullets) for p in lines] == [
        ("JP outlets", ("Tokyo called it a new start.",))
    ]
