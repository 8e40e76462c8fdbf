"""No entry is ever dropped: long feeds over several polls, pages retried, text-only items,
header charsets, our own bugs.  Real HTTP on 127.0.0.1, the real summarizer, real stores."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.ingest import Ingestor
from bot.settings import Settings
from bot.sources.safety import StaticResolver, UrlPolicy
from bot.store import Store
from bot.topics import TopicRegistry
from tests.support.content import FeedItem, article_page, rss
from tests.support.web import LocalWeb

RSS = "application/rss+xml; charset=utf-8"
# A loaded CI machine can take seconds to answer a local request: only a test about a
# hanging server gets a short timeout (HANG_HTTP).
FAST_HTTP = {"timeout": 10.0, "attempts": 1, "host_delay": 0.0, "max_bytes": 2 * 2**20}
HANG_HTTP = {**FAST_HTTP, "timeout": 2.0}
START = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
PLACES = [
    "Seoul",
    "Tokyo",
    "Busan",
    "Osaka",
    "Incheon",
    "Sapporo",
    "Daegu",
    "Fukuoka",
    "Gwangju",
    "Kobe",
    "Ulsan",
    "Sendai",
    "Jeju",
    "Nagoya",
    "Suwon",
    "Kyoto",
    "Daejeon",
    "Hiroshima",
    "Pohang",
    "Niigata",
    "Changwon",
    "Okayama",
]
NOUNS = [
    "ministers",
    "lawmakers",
    "farmers",
    "unions",
    "exporters",
    "students",
    "pilots",
    "nurses",
    "engineers",
    "fishermen",
    "investors",
    "regulators",
    "diplomats",
    "mayors",
    "teachers",
    "shippers",
    "carmakers",
    "bankers",
    "drivers",
    "miners",
    "builders",
    "doctors",
    "envoys",
    "negotiators",
    "traders",
    "inspectors",
    "auditors",
    "planners",
]
VERBS = [
    "approved",
    "rejected",
    "delayed",
    "signed",
    "announced",
    "debated",
    "criticized",
    "welcomed",
    "questioned",
    "extended",
    "reviewed",
    "blocked",
    "revised",
    "endorsed",
    "unveiled",
    "suspended",
]
THINGS = [
    "tariff",
    "cuts",
    "port",
    "upgrades",
    "visa",
    "rules",
    "subsidy",
    "plans",
    "fishing",
    "quotas",
    "rail",
    "links",
    "chip",
    "exports",
    "grain",
    "reserves",
    "power",
    "grids",
    "water",
    "rights",
    "airline",
    "routes",
    "tax",
    "credits",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def story(n: int) -> tuple[str, str]:
    """A short news story of its own words: no two are near copies (the store's dedup
    compares word trigrams), the same for the same ``n``."""
    rng = random.Random(n)

    def pick(words: list[str]) -> str:
        return rng.choice(words)

    def sentence() -> str:
        return (
            f"{pick(NOUNS).capitalize()} in {pick(PLACES)} {pick(VERBS)} "
            f"{rng.randint(2, 900)} {pick(THINGS)} {pick(THINGS)} after {pick(NOUNS)} from "
            f"{pick(PLACES)} {pick(VERBS)} the {pick(THINGS)} {pick(THINGS)} on {pick(DAYS)}, "
            f"officials said."
        )

    title = f"{pick(PLACES)} {pick(NOUNS)} {pick(VERBS)} {pick(THINGS)} {pick(THINGS)} ({n})"
    text = "\n\n".join(" ".join(sentence() for _ in range(2)) for _ in range(4))
    return title, text


def serve_feed(web: LocalWeb, count: int, *, path: str = "/long/rss") -> str:
    items = []
    for n in range(count):
        title, text = story(n)
        url = web.add(f"/long/a/{n}", article_page(title, text, outlet="City Wire", chrome=False))
        items.append(
            FeedItem(title=title, link=url, guid=f"long-{n}", published=START - timedelta(hours=n))
        )
    return web.add(path, rss(items, title="City Wire"), content_type=RSS, etag=f'"{count}"')


@pytest.fixture(scope="module")
def tagger() -> TopicRegistry:
    return TopicRegistry.default()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    empty = tmp_path / "no-feeds.toml"
    empty.write_text("# the tests name their feeds\n")
    return Settings(feeds_file=empty, contact="ops@example.test", poll_minutes=30)


def make(
    store: Store,
    settings: Settings,
    tagger: TopicRegistry,
    http: object = FAST_HTTP,
    **options: object,
) -> Ingestor:
    return Ingestor(store, settings, tagger.tag, http_options=http, **options)  # type: ignore[arg-type]


async def test_a_300_entry_feed_is_ingested_whole_over_polls(
    local_web: LocalWeb, store: Store, settings: Settings, tagger: TopicRegistry
) -> None:
    ingestor = make(store, settings, tagger, max_entries=120, entry_concurrency=8)
    feed = serve_feed(local_web, 300)

    first = await ingestor.ingest_feeds([feed])
    [outcome] = first.feeds
    assert (outcome.status, outcome.entries, outcome.new) == ("ok", 300, 300)
    assert first.added == 120
    assert (outcome.left, first.left) == (180, 180)

    # The feed has not changed: the server answers 304, and the backlog still moves.
    second = await ingestor.ingest_feeds([feed])
    assert second.feeds[0].status == "not-modified"
    assert local_web.requests_for("/long/rss")[-1].headers["If-None-Match"] == '"300"'
    assert (second.added, second.left) == (120, 60)

    # Twenty new entries arrive: the 300 known ones never count against the cap.
    feed = serve_feed(local_web, 320)
    third = await ingestor.ingest_feeds([feed])
    assert third.feeds[0].new == 20
    assert (third.added, third.left) == (80, 0)
    assert store.count_articles() == 320
    assert {a.title for a in store.articles()} == {story(n)[0] for n in range(320)}
    [state] = store.feeds()
    assert (state.pending, state.failed_entries, state.status) == (0, 0, "ok")

    # Nothing is fetched twice: one page request per entry over all the polls.
    assert all(local_web.hits(f"/long/a/{n}") == 1 for n in range(320))


async def test_a_page_that_fails_for_now_is_retried_and_then_given_up(
    local_web: LocalWeb, store: Store, settings: Settings, tagger: TopicRegistry
) -> None:
    ingestor = make(
        store, settings, tagger, HANG_HTTP, entry_attempts=3, entry_retry_delay=timedelta(0)
    )
    titles = [story(n)[0] for n in range(3)]
    for n in range(3):
        local_web.add(f"/r/{n}", "busy", status=503)
    local_web.add_hang("/r/3")
    items = [
        FeedItem(title=titles[n], link=local_web.url(f"/r/{n}"), guid=f"r{n}") for n in range(3)
    ]
    items.append(
        FeedItem(
            title="A summary stands in at the last attempt",
            link=local_web.url("/r/3"),
            guid="r3",
            summary=story(3)[1].replace("\n\n", " "),
        )
    )
    feed = local_web.add("/r/rss", rss(items), content_type=RSS, etag='"r"')

    first = await ingestor.ingest_feeds([feed])
    assert [i.status for i in first.items] == ["retrying"] * 4
    assert "HTTP 503" in (first.items[0].reason or "")
    assert "attempt 1 of 3" in (first.items[0].reason or "")
    assert first.feeds[0].status == "ok"  # the feed itself worked
    assert store.count_articles() == 0

    # The site recovers for one page; the feed answers 304, which no longer hides anything.
    _title, text = story(0)
    local_web.add("/r/0", article_page(titles[0], text, chrome=False))
    second = await ingestor.ingest_feeds([feed])
    assert second.feeds[0].status == "not-modified"
    statuses = {i.title: i.status for i in second.items}
    assert statuses[titles[0]] == "added"
    assert statuses[titles[1]] == "retrying"

    third = await ingestor.ingest_feeds([feed])
    outcome = {i.title: i for i in third.items}
    assert outcome[titles[1]].status == "failed"
    assert "gave up after 3 attempts" in (outcome[titles[1]].reason or "")
    assert outcome["A summary stands in at the last attempt"].status == "added"
    assert store.count_articles() == 2
    [state] = store.feeds()
    assert (state.status, state.pending, state.failed_entries) == ("ok", 0, 2)

    # Given up means settled: a later poll neither retries nor re-queues them.
    later = await ingestor.ingest_feeds([feed])
    assert later.items == []
    assert local_web.hits("/r/1") == 3


async def test_items_with_only_text_are_kept_and_every_item_is_accounted_for(
    local_web: LocalWeb, store: Store, settings: Settings, tagger: TopicRegistry
) -> None:
    _title, text = story(5)
    body = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in text.split("\n\n"))
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Notes</title>'
        f'<item><guid isPermaLink="false">note-1</guid><description>{body}</description></item>'
        '<item><guid isPermaLink="false">note-2</guid></item>'
        "</channel></rss>"
    )
    feed = local_web.add("/notes/rss", xml, content_type=RSS)
    report = await ingestor_for(store, settings, tagger).ingest_feeds([feed])
    assert report.feeds[0].entries == 1
    [added] = [i for i in report.items if i.status == "added"]
    assert added.title.startswith(text.split(" in ", 1)[0])  # its first sentence, cut
    assert len(added.title) <= 121
    [skipped] = [i for i in report.items if i.status == "failed"]
    assert "item 2: no title, no link and no text" in (skipped.reason or "")
    [article] = store.articles()
    assert article.title == added.title
    assert article.sources[0].guid == "note-1"
    assert len(article.bullets) >= 3
    again = await ingestor_for(store, settings, tagger).ingest_feeds([feed])
    assert again.added == 0  # the guid is its identity
    assert store.count_articles() == 1


def ingestor_for(store: Store, settings: Settings, tagger: TopicRegistry) -> Ingestor:
    return make(store, settings, tagger)


async def test_the_charset_of_the_http_header_decodes_the_feed(
    local_web: LocalWeb, store: Store, settings: Settings, tagger: TopicRegistry
) -> None:
    title = "Сеул и Токио: Korea and Japan agree to resume shuttle diplomacy"
    _t, text = story(6)
    xml = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Вести</title>'
        f"<item><title>{title}</title><guid>c-1</guid><description>{text}</description></item>"
        "</channel></rss>"
    )
    feed = local_web.add(
        "/cp1251/rss",
        xml.encode("windows-1251"),
        content_type="application/rss+xml; charset=windows-1251",
    )
    report = await ingestor_for(store, settings, tagger).ingest_feeds([feed])
    assert report.added == 1
    [article] = store.articles()
    assert article.title == title
    assert article.outlet == "Вести"


async def test_our_own_bug_on_one_entry_never_fails_the_feed(
    local_web: LocalWeb, store: Store, settings: Settings
) -> None:
    registry = TopicRegistry.default()

    def tagger(title: str, text: str) -> Mapping[str, float]:
        if title == story(1)[0]:
            raise RuntimeError("a bug in the tagger")
        return registry.tag(title, text)

    ingestor = Ingestor(store, settings, tagger, http_options=FAST_HTTP, disable_after=1)
    feed = serve_feed(local_web, 3)
    report = await ingestor.ingest_feeds([feed])
    statuses = sorted(i.status for i in report.items)
    assert statuses == ["added", "added", "retrying"]
    [bug] = [i for i in report.items if i.status == "retrying"]
    assert "internal error: a bug in the tagger" in (bug.reason or "")
    [state] = store.feeds()
    assert (state.status, state.consecutive_failures, state.disabled_reason) == ("ok", 0, None)
    assert state.pending == 1  # the entry waits for the fix


async def test_a_host_that_does_not_resolve_costs_one_lookup_not_one_per_entry(
    local_web: LocalWeb, store: Store, settings: Settings, tagger: TopicRegistry
) -> None:
    # The real client, dialling through a resolver that knows no names (and counts lookups).
    resolver = StaticResolver({})
    policy = UrlPolicy(allow_networks=["127.0.0.1/32"], resolver=resolver)
    items = [
        FeedItem(title=f"Dead host {n}", link=f"http://dead-host.test/a/{n}", guid=f"d{n}")
        for n in range(12)
    ]
    feed = local_web.add("/dead/rss", rss(items), content_type=RSS)
    http = {**FAST_HTTP, "attempts": 3, "transport": policy.transport()}
    ingestor = Ingestor(store, settings, tagger.tag, http_options=http, entry_concurrency=4)
    report = await ingestor.ingest_feeds([feed])
    assert [i.status for i in report.items] == ["retrying"] * 12
    assert all("could not resolve dead-host.test" in (i.reason or "") for i in report.items)
    assert report.feeds[0].status == "ok"
    # Not three attempts for each of twelve entries (36 lookups): the name's failure is
    # remembered, so only the requests the host's gate let through together (two at most)
    # looked it up; the others failed at once, without retries or waiting their turn.
    assert 1 <= resolver.lookups.count("dead-host.test") <= 2
