"""Feed polling: due feeds only, claims shared by replicas, a real AsyncIOScheduler job."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.ingest import Ingestor
from bot.polling import JOB_ID, FeedPoller, poll_due_feeds
from bot.settings import Settings
from bot.store import Store
from bot.topics import TopicRegistry
from tests.support.content import FeedItem, article_page, rss
from tests.support.web import LocalWeb

# A loaded CI machine can take seconds to answer a local request: only a test about a
# hanging server gets a short timeout (HANG_HTTP).
FAST_HTTP = {"timeout": 10.0, "attempts": 1, "host_delay": 0.0}


@pytest.fixture
def feeds_file(tmp_path: Path) -> Path:
    return tmp_path / "feeds.toml"


@pytest.fixture
def ingestor(store: Store, feeds_file: Path) -> Ingestor:
    feeds_file.write_text("")
    settings = Settings(feeds_file=feeds_file, poll_minutes=30)
    return Ingestor(store, settings, TopicRegistry.default().tag, http_options=FAST_HTTP)


def write_feeds(path: Path, *urls: str) -> None:
    path.write_text("".join(f'[[feeds]]\nurl = "{url}"\n' for url in urls))


def serve(web: LocalWeb, seed_path: Path) -> tuple[str, str]:
    text = seed_path.read_text(encoding="utf-8")
    page = web.add("/ed/1", article_page("Korea, Japan leaders meet", text))
    good = web.add(
        "/good/rss",
        rss([FeedItem(title="Korea, Japan leaders meet", link=page, guid="1")]),
        content_type="application/rss+xml",
    )
    bad = web.add("/bad/rss", "", status=500)
    return good, bad


async def test_only_due_feeds_are_polled(
    local_web: LocalWeb, ingestor: Ingestor, store: Store, feeds_file: Path, seed_path: Path
) -> None:
    good, bad = serve(local_web, seed_path)
    write_feeds(feeds_file, good, bad)
    ingestor.sync_feed_list()
    now = datetime.now(UTC)

    first = await poll_due_feeds(ingestor, now=now)
    assert first.added == 1
    assert {f.url: f.status for f in first.feeds} == {good: "ok", bad: "failed"}

    # Nothing is due a minute later: the good feed waits its interval, the bad one backs off.
    later = await poll_due_feeds(ingestor, now=now + timedelta(minutes=1))
    assert later.feeds == []
    assert local_web.hits("/good/rss") == 1

    # After the poll interval the good feed is due again; the bad one is still backing off
    # (30 min after its first failure, it is exactly due as well).
    again = await poll_due_feeds(ingestor, now=datetime.now(UTC) + timedelta(minutes=31))
    assert good in {f.url for f in again.feeds}
    assert again.added == 0


async def test_a_feed_is_claimed_by_one_replica_only(
    local_web: LocalWeb, ingestor: Ingestor, store: Store, feeds_file: Path, seed_path: Path
) -> None:
    good, _bad = serve(local_web, seed_path)
    write_feeds(feeds_file, good)
    ingestor.sync_feed_list()
    other_replica = Ingestor(store, ingestor.settings, ingestor.tagger, http_options=FAST_HTTP)
    now = datetime.now(UTC)
    reports = await asyncio.gather(
        poll_due_feeds(ingestor, now=now), poll_due_feeds(other_replica, now=now)
    )
    assert sorted(len(r.feeds) for r in reports) == [0, 1]
    assert local_web.hits("/good/rss") == 1


async def test_the_poller_runs_on_a_real_asyncio_scheduler(
    local_web: LocalWeb, ingestor: Ingestor, store: Store, feeds_file: Path, seed_path: Path
) -> None:
    good, _bad = serve(local_web, seed_path)
    write_feeds(feeds_file, good)
    scheduler = AsyncIOScheduler(timezone="UTC")
    poller = FeedPoller(ingestor, check_every=timedelta(minutes=1))
    job = poller.register(scheduler)
    assert scheduler.get_job(JOB_ID) is job
    assert (job.max_instances, job.coalesce) == (1, True)
    scheduler.start()
    try:
        for _ in range(100):
            if poller.last_report is not None:
                break
            await asyncio.sleep(0.05)
    finally:
        scheduler.shutdown(wait=False)
    assert poller.last_report is not None
    assert poller.last_report.added == 1
    assert store.count_articles() == 1
