"""Fixtures of the Slack end-to-end tests: the demo corpus in a SQLite store (ingested once per
module, copied per test), the user-source service with the test-only 127.0.0.1 allowance, and
the running adapter (``tests.support.slack_system``)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.ingest import Ingestor
from bot.settings import Settings
from bot.sources.safety import StaticResolver, UrlPolicy
from bot.store import Store
from bot.topics import TopicRegistry
from bot.user_sources import UserSourceService
from tests.support.slack_system import SOURCE_LIMIT, Slack, running_slack


@pytest.fixture(scope="module")
def registry() -> TopicRegistry:
    return TopicRegistry.default()


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory, registry: TopicRegistry) -> Path:
    """The demo corpus, ingested once per module; each test gets its own copy."""
    path = tmp_path_factory.mktemp("slack-demo") / "briefbot.sqlite3"
    url = f"sqlite:///{path}"
    settings = Settings(_env_file=None, database_url=url, data_dir=path.parent)  # type: ignore[call-arg]
    store = Store.open(url)
    try:
        report = Ingestor(store, settings, registry.tag).ingest_demo()
        assert report.added >= 1, report.to_json()
    finally:
        store.close()
    return path


@pytest.fixture
def store(demo_database: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "briefbot.sqlite3"
    shutil.copy(demo_database, path)
    opened = Store.open(f"sqlite:///{path}")
    yield opened
    opened.close()


@pytest.fixture
def sources(store: Store, tmp_path: Path) -> UserSourceService:
    """The production service with the SSRF guard's explicit test allowance for 127.0.0.1 (the
    tests' own web server) and a resolver that knows the tests' host names; every other
    private, loopback or link-local address is refused as in production."""
    no_feeds = tmp_path / "no-feeds.toml"
    no_feeds.write_text("# no operator feeds\n")
    settings = Settings(_env_file=None, feeds_file=no_feeds, data_dir=tmp_path)  # type: ignore[call-arg]
    policy = UrlPolicy(
        allow_networks=["127.0.0.1/32"],
        resolver=StaticResolver(
            {"news.example.test": ["127.0.0.1"], "intranet.example.test": ["10.20.30.40"]}
        ),
    )
    return UserSourceService(store, settings, policy=policy, limit=SOURCE_LIMIT)


@pytest.fixture
async def slack(
    store: Store, registry: TopicRegistry, sources: UserSourceService
) -> AsyncIterator[Slack]:
    async with running_slack(store, registry, sources=sources) as running:
        yield running
