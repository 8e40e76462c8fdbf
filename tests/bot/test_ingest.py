"""Ingestion end to end: a real local web server, the real summarizer and tagger, real stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import messages
from bot.ingest import Ingestor, IngestReport
from bot.settings import Settings
from bot.store import Store
from bot.topics import TopicRegistry
from tests.support.content import FeedItem, article_page, atom, editorials, rss
from tests.support.web import LocalWeb

RSS = "application/rss+xml; charset=utf-8"
SEED_DATE = datetime(2025, 6, 18, 0, 0, tzinfo=UTC)
# A loaded CI machine can take seconds to answer a local request: only a test about a
# hanging server gets a short timeout (HANG_HTTP).
FAST_HTTP = {"timeout": 10.0, "attempts": 1, "host_delay": 0.0, "max_bytes": 2 * 2**20}
HANG_HTTP = {**FAST_HTTP, "timeout": 2.0}


@pytest.fixture(scope="module")
def tagger() -> TopicRegistry:
    return TopicRegistry.default()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    empty = tmp_path / "no-feeds.toml"
    empty.write_text("# the tests name their feeds\n")
    return Settings(feeds_file=empty, contact="ops@example.test", poll_minutes=30)


@pytest.fixture
def ingestor(store: Store, settings: Settings, tagger: TopicRegistry) -> Ingestor:
    return Ingestor(store, settings, tagger.tag, http_options=FAST_HTTP)


def write(path: Path | None, text: str) -> None:
    assert path is not None
    path.write_text(text)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def seed_page(seed_path: Path, canonical: str | None = None) -> str:
    text = seed_path.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines()]
    body = "\n\n".join(line for line in lines[1:] if line)
    return article_page(
        lines[0],
        body,
        outlet="Korea JoongAng Daily",
        published=datetime(2025, 6, 18, 19, 30, tzinfo=UTC),
        canonical=canonical,
    )


def serve_seed_feed(web: LocalWeb, seed_path: Path) -> str:
    page = web.add("/joongang/opinion/1", seed_page(seed_path, web.url("/joongang/opinion/1")))
    items = [
        FeedItem(
            title="Korea, Japan leaders meet ahead of 60th anniversary of diplomatic ties",
            link=page + "?utm_source=rss&utm_medium=feed",
            guid="joongang-2025-06-18-1",
            published=SEED_DATE,
        )
    ]
    return web.add("/joongang/rss", rss(items, title="Korea JoongAng Daily"), content_type=RSS)


# ---------------------------------------------------------------- happy paths


async def test_a_feed_ingests_then_reingests_with_nothing_doubled(
    local_web: LocalWeb, ingestor: Ingestor, store: Store, seed_path: Path, shared_data: Path
) -> None:
    pieces = [e for e in editorials(shared_data)][:3]
    items = []
    for number, piece in enumerate(pieces):
        url = local_web.add(
            f"/op/{number}", article_page(piece["title"], piece["text"], outlet="Al Jazeera")
        )
        items.append(
            FeedItem(title=piece["title"], link=url, guid=f"op-{number}", published=SEED_DATE)
        )
    feed = local_web.add(
        "/op/rss", atom(items, title="Opinion"), content_type="application/atom+xml", etag='"1"'
    )
    seed_feed = serve_seed_feed(local_web, seed_path)

    first = await ingestor.ingest_feeds([feed, seed_feed])
    assert (first.added, first.duplicates, first.failed) == (4, 0, 0)
    stored = {a.title: a for a in store.articles()}
    seed = stored["Korea, Japan leaders meet ahead of 60th anniversary of diplomatic ties"]
    assert seed.url == local_web.url("/joongang/opinion/1")  # canonical, tracking stripped
    assert seed.published_at == SEED_DATE
    assert 3 <= len(seed.bullets) <= 5
    assert "print dictionary print" not in " ".join(seed.bullets)
    assert {"KR", "JP"} <= set(seed.mentions)
    for piece in pieces:
        assert stored[piece["title"]].bullets
    page_hits = local_web.hits("/op/0")

    again = await ingestor.ingest_feeds([feed, seed_feed])
    assert again.added == 0
    assert {f.status for f in again.feeds if f.url == feed} == {"not-modified"}
    # The seed feed has no validators: it is read again, and its one entry is known already
    # (no page fetched, nothing queued).
    [seed_outcome] = [f for f in again.feeds if f.url == seed_feed]
    assert (seed_outcome.status, seed_outcome.entries, seed_outcome.new) == ("ok", 1, 0)
    assert store.count_articles() == 4
    assert local_web.hits("/op/0") == page_hits  # known entries cost no page fetch
    assert local_web.requests_for("/op/rss")[-1].headers["If-None-Match"] == '"1"'


async def test_syndicated_copies_and_duplicate_entries_are_stored_once(
    local_web: LocalWeb, ingestor: Ingestor, store: Store, seed_path: Path
) -> None:
    seed_feed = serve_seed_feed(local_web, seed_path)
    copy = local_web.add(
        "/herald/ed/77", seed_page(seed_path).replace("Korea JoongAng Daily", "Korea Herald")
    )
    herald = local_web.add(
        "/herald/rss",
        rss(
            [
                FeedItem(title="Leaders meet", link=copy, guid="h-77", published=SEED_DATE),
                # the same entry listed twice, under another id and a decorated link
                FeedItem(title="Leaders meet", link=copy + "?fbclid=abc#top", guid="h-77-dup"),
            ]
        ),
        content_type=RSS,
    )
    await ingestor.ingest_feeds([seed_feed])
    report = await ingestor.ingest_feeds([herald])
    statuses = sorted(item.status for item in report.items)
    assert statuses in (["duplicate", "syndicated"], ["syndicated", "syndicated"])
    [article] = store.articles()
    assert [s.outlet for s in article.sources][:2] == ["Korea JoongAng Daily", "Korea Herald"]


async def test_an_items_outlet_is_its_source_element_and_never_its_own_headline(
    local_web: LocalWeb, ingestor: Ingestor, store: Store, seed_path: Path, shared_data: Path
) -> None:
    # An aggregator's feed names each item's outlet in <source>; pages without og:site_name
    # leave trafilatura to guess the site from "<headline>. | <site>", which may keep the
    # headline half.  Neither the feed's host nor the headline is the outlet.
    seed_title, *seed_lines = read(seed_path).splitlines()
    other = next(editorials(shared_data))
    pages = {
        "/wire/1": (seed_title, "\n\n".join(line for line in seed_lines if line.strip())),
        "/wire/2": (other["title"], other["text"]),
    }
    for path, (title, text) in pages.items():
        page = article_page(f"{title.rstrip('.')}.", text, outlet="USA TODAY", site_name=False)
        local_web.add(path, page)
    wire = local_web.add(
        "/wire/rss",
        rss(
            [
                FeedItem(title=seed_title, link=local_web.url("/wire/1"), guid="w1",
                         published=SEED_DATE, source="Korea JoongAng Daily"),
                FeedItem(title=other["title"], link=local_web.url("/wire/2"), guid="w2",
                         published=SEED_DATE),
            ],
            title="Wire roundup",
        ),
        content_type=RSS,
    )  # fmt: skip
    report = await ingestor.ingest_feeds([wire])
    assert [item.status for item in report.items] == ["added", "added"]
    outlets = {article.url: article.outlet for article in store.articles()}
    assert outlets[local_web.url("/wire/1")] == "Korea JoongAng Daily"
    assert outlets[local_web.url("/wire/2")] == "Wire roundup"  # the feed's title, not a headline


async def test_the_feed_text_stands_in_when_a_page_fails(
    local_web: LocalWeb, ingestor: Ingestor, store: Store, seed_path: Path
) -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in read(seed_path).split("\n\n")[3:12])
    local_web.add("/gone", "", status=404)
    local_web.add("/pdf", b"%PDF-1.7 ...", content_type="application/pdf")
    feed = local_web.add(
        "/rss",
        rss(
            [
                FeedItem(
                    title="Page is gone", link=local_web.url("/gone"), content_html=paragraphs
                ),
                FeedItem(
                    title="Page is a PDF",
                    link=local_web.url("/pdf"),
                    summary="Japan and Korea agreed to continue shuttle diplomacy. " * 3,
                ),
                FeedItem(title="Nothing at all", link=local_web.url("/gone2")),
            ]
        ),
        content_type=RSS,
    )
    report = await ingestor.ingest_feeds([feed])
    by_title = {item.title: item for item in report.items}
    assert by_title["Page is gone"].status == "added"
    assert by_title["Page is a PDF"].status == "added"
    assert by_title["Nothing at all"].status == "failed"
    assert "HTTP 404" in (by_title["Nothing at all"].reason or "")
    assert report.feeds[0].status == "ok"  # a bad entry never fails its feed
    assert store.count_articles() == 2


# ---------------------------------------------------------------- failures


async def test_bad_feeds_are_marked_failing_with_their_reason_and_others_ingest(
    local_web: LocalWeb, store: Store, settings: Settings, tagger: TopicRegistry, seed_path: Path
) -> None:
    ingestor = Ingestor(store, settings, tagger.tag, http_options=HANG_HTTP)
    good = serve_seed_feed(local_web, seed_path)
    bad = {
        local_web.add("/malformed", "<rss><channel><item><title>half", content_type=RSS): (
            "malformed feed XML"
        ),
        local_web.add("/missing", "", status=404): "HTTP 404",
        local_web.add("/broken", "oops", status=500): "HTTP 500",
        local_web.add_hang("/hang"): "timed out",
        local_web.add_stream("/huge", 50 * 2**20, content_type=RSS): "larger than",
        local_web.add("/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png"): (
            "not an RSS or Atom feed (got image/png)"
        ),
        local_web.add("/home", "<html><body><p>Welcome</p></body></html>"): (
            "not an RSS or Atom feed (got text/html)"
        ),
    }
    report = await ingestor.ingest_feeds([*bad, good])
    assert report.added == 1
    outcome = {f.url: f for f in report.feeds}
    assert outcome[good].status == "ok"
    states = {f.url: f for f in store.feeds()}
    for url, reason in bad.items():
        assert outcome[url].status == "failed"
        assert reason in (outcome[url].reason or "")
        assert states[url].status == "failing"
        assert states[url].consecutive_failures == 1
        assert reason in (states[url].last_error or "")
        assert states[url].next_attempt_at is not None
    assert states[good].status == "ok"
    assert states[good].last_success_at is not None


async def test_repeated_failure_disables_a_feed_until_named_again(
    local_web: LocalWeb, store: Store, settings: Settings, tagger: TopicRegistry
) -> None:
    ingestor = Ingestor(store, settings, tagger.tag, http_options=FAST_HTTP, disable_after=3)
    url = local_web.add("/broken", "", status=500)
    write(settings.feeds_file, f'[[feeds]]\nurl = "{url}"\n')
    for _ in range(3):
        await ingestor.ingest_feeds(None)
    state = store.feed(url)
    assert state is not None
    assert state.status == "disabled"
    assert "HTTP 500" in (state.disabled_reason or "")
    skipped = await ingestor.ingest_feeds(None)
    assert [(f.status, f.url) for f in skipped.feeds] == [("skipped", url)]
    assert local_web.hits("/broken") == 3
    # The operator names it: it is tried again.
    await ingestor.ingest_feeds([url])
    assert local_web.hits("/broken") == 4


async def test_the_feed_list_is_synced_and_retired_feeds_disabled(
    store: Store, settings: Settings, ingestor: Ingestor
) -> None:
    path = settings.feeds_file
    assert path is not None
    path.write_text(
        '[[feeds]]\nurl = "https://a.test/rss"\noutlet = "A"\nkind = "editorial"\n'
        '[[feeds]]\nurl = "https://b.test/rss"\n'
    )
    synced = ingestor.sync_feed_list()
    assert [(f.url, f.outlet, f.kind, f.trusted) for f in synced] == [
        ("https://a.test/rss", "A", "editorial", True),
        ("https://b.test/rss", None, "news", True),
    ]
    path.write_text('[[feeds]]\nurl = "https://a.test/rss"\n')
    ingestor.sync_feed_list()
    states = {f.url: f for f in store.feeds()}
    assert states["https://b.test/rss"].disabled_reason == messages.FEED_NOT_IN_LIST
    assert states["https://a.test/rss"].status == "new"
    path.write_text('[[feeds]]\nurl = "https://b.test/rss"\n')
    ingestor.sync_feed_list()
    assert store.feed("https://b.test/rss").status == "new"  # type: ignore[union-attr]


# ---------------------------------------------------------------- files and demo


def test_the_demo_corpus_ingests_once(ingestor: Ingestor, store: Store) -> None:
    first = ingestor.ingest_demo()
    again = ingestor.ingest_demo()
    assert [i.status for i in first.items] == ["added"]
    assert [i.status for i in again.items] == ["duplicate"]
    [article] = store.articles()
    assert article.outlet == "Korea JoongAng Daily"
    assert article.kind == "editorial"
    assert article.published_at is not None
    assert article.published_at.date().isoformat() in ("2025-06-18", "2025-06-19")
    assert 3 <= len(article.bullets) <= 5
    assert article.mentions["KR"] > 0
    assert article.mentions["JP"] > 0


def test_local_files_text_and_html(
    ingestor: Ingestor, store: Store, tmp_path: Path, seed_path: Path
) -> None:
    html = tmp_path / "seed.html"
    html.write_text(seed_page(seed_path))
    missing = tmp_path / "missing.txt"
    report = ingestor.ingest_files([html, missing])
    assert [i.status for i in report.items] == ["added", "failed"]
    assert "is not a file" in (report.items[1].reason or "")
    # The same editorial as plain text with its scraped chrome: the same story.
    again = ingestor.ingest_files([seed_path])
    assert again.items[0].status in ("duplicate", "syndicated")
    assert store.count_articles() == 1


def test_report_json_shape() -> None:
    report = IngestReport()
    assert report.to_json() == {
        "added": 0,
        "duplicate": 0,
        "syndicated": 0,
        "failed": 0,
        "retrying": 0,
        "left_for_later": 0,
        "items": [],
        "feeds": [],
    }


async def test_backoff_schedule_follows_the_poll_interval(
    local_web: LocalWeb, ingestor: Ingestor, store: Store
) -> None:
    url = local_web.add("/broken", "", status=500)
    before = datetime.now(UTC)
    await ingestor.ingest_feeds([url])
    await ingestor.ingest_feeds([url])
    state = store.feed(url)
    assert state is not None
    assert state.next_attempt_at is not None
    wait = state.next_attempt_at - before
    assert timedelta(minutes=59) < wait < timedelta(minutes=61)  # 30 min, then 60
