"""Stories form as articles are ingested: across outlets and days, kept apart from other
events and from the same topic a month later.  Real HTTP on 127.0.0.1, real ingest, real
stores (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.ingest import Ingestor
from bot.settings import Settings
from bot.store import NewArticle, Store
from bot.stories.grouping import StoryGrouper, faded
from bot.topics import TopicRegistry
from tests.support.content import FeedItem, article_page, rss
from tests.support.web import LocalWeb

# A loaded CI machine can take seconds to answer a local request: only a test about a
# hanging server gets a short timeout (HANG_HTTP).
FAST_HTTP = {"timeout": 10.0, "attempts": 1, "host_delay": 0.0, "max_bytes": 2 * 2**20}
SUMMIT = datetime(2026, 11, 17, 6, 0, tzinfo=UTC)

# One event (a Lee-Ishiba summit in Canada), as three outlets wrote it, and its follow-up.
YONHAP = (
    "Lee, Ishiba agree to resume shuttle diplomacy at first summit",
    "President Lee Jae Myung and Japanese Prime Minister Shigeru Ishiba agreed on Tuesday to "
    "resume shuttle diplomacy, holding their first summit on the sidelines of the G7 meeting "
    "in Kananaskis, Canada.\n\nThe two leaders discussed North Korea's nuclear programme, "
    "supply chains and exchanges ahead of the 60th anniversary of diplomatic ties next year, "
    "the presidential office said.\n\nLee told Ishiba that Seoul and Tokyo should build a "
    "future-oriented relationship, while Ishiba said Japan valued close cooperation with "
    "Korea, according to the office.",
)
KYODO = (
    "Ishiba, Lee hold first talks in Canada, vow shuttle diplomacy",
    "Prime Minister Shigeru Ishiba and South Korean President Lee Jae Myung held their first "
    "summit on Tuesday in Kananaskis, Canada, where the G7 leaders are meeting, and vowed to "
    "resume shuttle diplomacy between Tokyo and Seoul.\n\nIshiba told reporters the talks "
    "on North Korea, economic security and the 60th anniversary of diplomatic ties were "
    "candid, a Japanese government official said.\n\nThe leaders agreed to keep the "
    "momentum of improved relations built under Lee's predecessor, the official added.",
)
HERALD_FOLLOW_UP = (
    "After Kananaskis summit, Lee and Ishiba shuttle diplomacy set to resume with Tokyo visit",
    "President Lee Jae Myung is expected to visit Tokyo under the shuttle diplomacy he and "
    "Prime Minister Shigeru Ishiba agreed to resume at their first summit in Kananaskis, "
    "Canada, officials said on Thursday.\n\nThe presidential office said working-level "
    "talks on the visit and on the 60th anniversary of diplomatic ties had begun, two days "
    "after the G7 meeting.\n\nOfficials in Seoul said the leaders would also discuss North "
    "Korea and supply chains when they meet in Tokyo.",
)
OTHER_EVENT = (
    "Samsung posts record chip profit on AI memory demand",
    "Samsung Electronics reported a record quarterly operating profit on Tuesday as demand "
    "for high-bandwidth memory used in artificial intelligence servers surged.\n\nThe "
    "company said sales of its semiconductor division rose sharply from a year earlier, "
    "beating analyst forecasts compiled by Yonhap Infomax.\n\nShares of the Suwon-based "
    "company rose 3 percent in Seoul trading after the results were released.",
)
NEXT_MONTH = (
    "Lee and Ishiba to meet again in Tokyo on shuttle diplomacy",
    "President Lee Jae Myung will travel to Tokyo next week for talks with Prime Minister "
    "Shigeru Ishiba, continuing the shuttle diplomacy the two leaders agreed to resume last "
    "month, officials said on Wednesday.\n\nThe presidential office said the leaders would "
    "discuss North Korea, supply chains and plans for the 60th anniversary of diplomatic "
    "ties.\n\nIt will be Lee's first visit to Japan since taking office, the office said.",
)


@pytest.fixture(scope="module")
def tagger() -> TopicRegistry:
    return TopicRegistry.default()


def serve(
    web: LocalWeb, path: str, outlet: str, pieces: list[tuple[tuple[str, str], datetime]]
) -> str:
    items = []
    for n, ((title, text), when) in enumerate(pieces):
        url = web.add(f"{path}/{n}", article_page(title, text, outlet=outlet, chrome=False))
        items.append(FeedItem(title=title, link=url, guid=f"{path}-{n}", published=when))
    return web.add(f"{path}/rss", rss(items, title=outlet), content_type="application/rss+xml")


def stories_of(store: Store) -> dict[str, int | None]:
    return {a.title: a.story_id for a in store.articles()}


async def test_a_story_forms_across_outlets_and_days_and_keeps_its_id(
    local_web: LocalWeb, store: Store, tmp_path: Path, tagger: TopicRegistry
) -> None:
    empty = tmp_path / "feeds.toml"
    empty.write_text("")
    ingestor = Ingestor(store, Settings(feeds_file=empty), tagger.tag, http_options=FAST_HTTP)
    yonhap = serve(local_web, "/yonhap", "Yonhap", [(YONHAP, SUMMIT), (OTHER_EVENT, SUMMIT)])
    await ingestor.ingest_feeds([yonhap])
    first = stories_of(store)
    summit_story = first[YONHAP[0]]
    assert summit_story is not None
    assert first[OTHER_EVENT[0]] not in (None, summit_story)  # same day, another event

    kyodo = serve(local_web, "/kyodo", "Kyodo", [(KYODO, SUMMIT + timedelta(hours=3))])
    herald = serve(
        local_web, "/herald", "Korea Herald", [(HERALD_FOLLOW_UP, SUMMIT + timedelta(days=2))]
    )
    await ingestor.ingest_feeds([kyodo, herald])
    grown = stories_of(store)
    assert grown[KYODO[0]] == summit_story  # another outlet, same event
    assert grown[HERALD_FOLLOW_UP[0]] == summit_story  # a follow-up two days later joins
    assert grown[YONHAP[0]] == summit_story  # the story kept its id as it grew

    later = serve(local_web, "/later", "Yonhap", [(NEXT_MONTH, SUMMIT + timedelta(days=30))])
    await ingestor.ingest_feeds([later])
    assert stories_of(store)[NEXT_MONTH[0]] not in (None, summit_story)  # a new story


def test_articles_stored_before_stories_existed_are_grouped_in_batches(store: Store) -> None:
    ids = []
    for (title, text), when in ((YONHAP, SUMMIT), (KYODO, SUMMIT), (OTHER_EVENT, SUMMIT)):
        ids.append(
            store.add_article(
                NewArticle(title=title, text=text, bullets=(), outlet="Wire", published_at=when)
            ).article_id
        )
    grouper = StoryGrouper(store)
    assert grouper.assign_missing(limit=2) == 2
    assert grouper.assign_missing(limit=10) == 1
    assert grouper.assign_missing() == 0
    by_id = {a.id: a.story_id for a in store.articles()}
    assert by_id[ids[0]] == by_id[ids[1]] != by_id[ids[2]]
    again = grouper.assign(ids[0])
    assert again is not None
    assert again.story_id == by_id[ids[0]]  # an article in a story stays there


def test_time_fades_a_match_by_half_a_day() -> None:
    assert faded(0.8, 0) == 0.8
    assert faded(0.8, 1) == pytest.approx(0.4)
    assert faded(0.8, 30) < 1e-8
