"""Metrics (bot/metrics.py): the core call sites count what they did, and ``GET /metrics``
answers in the Prometheus text format over real TCP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from adapters.http import bound_port, build_web_app, start_web_server
from bot.briefing import BriefingService
from bot.errors import UnknownTopic
from bot.ingest import Ingestor
from bot.logs import request_context
from bot.metrics import REGISTRY, acknowledged, delivered, exposition
from bot.settings import Settings
from bot.store import Store
from bot.topics import TopicRegistry
from tests.support.web import LocalWeb


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    empty = tmp_path / "no-feeds.toml"
    empty.write_text("# none\n")
    return Settings(feeds_file=empty)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    yield s
    s.close()


def test_ingest_times_summarization(store: Store, settings: Settings) -> None:
    before = value("briefbot_summarize_seconds_count")
    report = Ingestor(store, settings, TopicRegistry.default().tag).ingest_demo()
    assert report.added >= 1
    assert value("briefbot_summarize_seconds_count") == before + report.added
    assert value("briefbot_summarize_seconds_sum") > 0


def test_briefs_are_counted_by_platform_and_outcome(store: Store, settings: Settings) -> None:
    topics = TopicRegistry.default()
    Ingestor(store, settings, topics.tag).ingest_demo()
    service = BriefingService(store, topics)
    ok = value("briefbot_briefs_total", platform="slack", outcome="ok")
    bad = value("briefbot_briefs_total", platform="discord", outcome="bad_input")
    empty = value("briefbot_briefs_total", platform="internal", outcome="empty")
    timed = value("briefbot_brief_seconds_count", platform="slack")

    with request_context("slack", "brief"):
        assert service.brief("korea-japan").items
    with request_context("discord", "brief"), pytest.raises(UnknownTopic):
        service.brief("narnia-atlantis")
    assert not service.brief("india-pakistan").items  # no request context: "internal"

    assert value("briefbot_briefs_total", platform="slack", outcome="ok") == ok + 1
    assert value("briefbot_briefs_total", platform="discord", outcome="bad_input") == bad + 1
    assert value("briefbot_briefs_total", platform="internal", outcome="empty") == empty + 1
    assert value("briefbot_brief_seconds_count", platform="slack") == timed + 1


async def test_feed_polls_and_failures_are_counted_by_trust(
    store: Store, settings: Settings, local_web: LocalWeb
) -> None:
    local_web.add("/gone", "", status=404)
    local_web.add("/user", "", status=404)
    store.upsert_feed(local_web.url("/gone"), trusted=True)
    store.add_user_feed(local_web.url("/user"), platform="slack", workspace="T1", limit=5)
    trusted = value("briefbot_feed_failures_total", trusted="true")
    untrusted = value("briefbot_feed_failures_total", trusted="false")
    polls = value("briefbot_feed_fetches_total", trusted="true", outcome="failed")

    ingestor = Ingestor(store, settings, TopicRegistry.default().tag, http_options={"attempts": 1})
    await ingestor.ingest_feed_states(store.due_feeds())

    assert value("briefbot_feed_failures_total", trusted="true") == trusted + 1
    assert value("briefbot_feed_failures_total", trusted="false") == untrusted + 1  # the guard
    assert value("briefbot_feed_fetches_total", trusted="true", outcome="failed") == polls + 1
    assert local_web.hits("/user") == 0


def test_adapter_and_scheduler_hooks() -> None:
    sent = value("briefbot_deliveries_total", outcome="sent")
    acks = value("briefbot_ack_seconds_count", platform="discord")
    delivered("sent")
    acknowledged("discord", 0.12)
    assert value("briefbot_deliveries_total", outcome="sent") == sent + 1
    assert value("briefbot_ack_seconds_count", platform="discord") == acks + 1
    assert value("briefbot_ack_seconds_bucket", platform="discord", le="0.25") >= 1


async def test_get_metrics_serves_the_prometheus_text_format() -> None:
    async def healthy() -> dict[str, object]:
        return {"ok": True}

    runner = await start_web_server(build_web_app(healthy), "127.0.0.1", 0)
    try:
        url = f"http://127.0.0.1:{bound_port(runner)}/metrics"
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            status, content_type, body = (
                response.status,
                response.headers["Content-Type"],
                await response.text(),
            )
    finally:
        await runner.cleanup()
    assert status == 200
    assert content_type.startswith("text/plain; version=")
    families = {family.name: family for family in text_string_to_metric_families(body)}
    for name in (
        "briefbot_briefs",
        "briefbot_brief_seconds",
        "briefbot_deliveries",
        "briefbot_feed_failures",
        "briefbot_summarize_seconds",
        "process_cpu_seconds",
    ):
        assert name in families, name
    assert families["briefbot_brief_seconds"].type == "histogram"
    assert exposition()[1] == content_type


def test_feed_health_summarizes_feeds_for_healthz(store: Store) -> None:
    from datetime import timedelta

    from bot.metrics import feed_health

    assert feed_health(store) == {
        "ok": 0,
        "failing": 0,
        "disabled": 0,
        "new": 0,
        "user_added": 0,
        "healthy": True,
    }
    good = store.upsert_feed("https://good.example/rss")
    store.record_feed_success(good.id, etag=None, last_modified=None, next_attempt_at=None)
    bad = store.upsert_feed("https://bad.example/rss")
    store.record_feed_failure(bad.id, "HTTP 500 Internal Server Error", base_delay=timedelta(1))
    dead = store.upsert_feed("https://dead.example/rss")
    store.record_feed_failure(dead.id, "HTTP 410 Gone", base_delay=timedelta(1), disable_after=1)
    store.add_user_feed("https://user.example/rss", platform="slack", workspace="T1", limit=5)
    health = feed_health(store)
    assert {k: health[k] for k in ("ok", "failing", "disabled", "new", "user_added")} == {
        "ok": 1,
        "failing": 1,
        "disabled": 1,
        "new": 1,
        "user_added": 1,
    }
    assert health["healthy"] is False
    assert "bad.example" not in str(health)  # counts only: /healthz is public
