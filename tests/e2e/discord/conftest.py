"""Fixtures of the Discord end-to-end tests: the real discord.py client and our adapter against
the fake Discord (tests/fakes/discord_fake.py), over the real core on a SQLite store holding
the demo corpus (ingested once per module, copied per test), with the user-source service
built as in production except for the SSRF guard's explicit test allowance for 127.0.0.1
(tests/support/discord_system.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord import DiscordAdapter
from bot.briefing import BriefingService
from bot.ingest import Ingestor
from bot.settings import Settings
from bot.store import Store
from bot.subscriptions import SubscriptionService
from bot.topics import TopicRegistry
from bot.user_sources import UserSourceService
from tests.fakes.discord_fake import DiscordFake
from tests.support.discord_system import (
    CHANNEL,
    GUILD,
    OTHER_CHANNEL,
    SOURCE_LIMIT,
    Core,
    MakeAdapter,
    discord_settings,
    local_policy,
)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the demo corpus, built once (ingest summarizes)."""
    folder = tmp_path_factory.mktemp("discord-e2e")
    path = folder / "demo.sqlite3"
    store = Store.open(f"sqlite:///{path}")
    try:
        topics = TopicRegistry.default()
        report = Ingestor(store, Settings(data_dir=folder), topics.tag).ingest_demo()
        assert report.items, "the demo corpus ingested nothing"
    finally:
        store.close()
    return path


@pytest.fixture
def core(demo_db: Path, tmp_path: Path) -> Iterator[Core]:
    copy = tmp_path / "briefbot.sqlite3"
    copy.write_bytes(demo_db.read_bytes())
    store = Store.open(f"sqlite:///{copy}")
    no_feeds = tmp_path / "no-feeds.toml"
    no_feeds.write_text("# no operator feeds\n")
    settings = Settings(feeds_file=no_feeds, data_dir=tmp_path)
    topics = TopicRegistry.default()
    yield Core(
        store=store,
        topics=topics,
        briefings=BriefingService(store, topics),
        subscriptions=SubscriptionService(store, topics, default_tz="Asia/Seoul"),
        sources=UserSourceService(store, settings, policy=local_policy(), limit=SOURCE_LIMIT),
    )
    store.close()


@pytest.fixture(autouse=True)
def _restore_discord_endpoints() -> Iterator[None]:
    """The adapter sets discord.py's endpoint class attributes; put the real ones back."""
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    yield
    Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


@pytest.fixture
async def fake() -> AsyncIterator[DiscordFake]:
    async with DiscordFake(guild_ids=(GUILD,), channel_ids=(CHANNEL, OTHER_CHANNEL)) as server:
        yield server


@pytest.fixture
def make_adapter(fake: DiscordFake, core: Core) -> MakeAdapter:
    """``make_adapter(**settings)``: an adapter (not started) on the fake and the core, with
    the core's user-source service unless ``without_sources=True``."""

    def make(*, without_sources: bool = False, **extra: Any) -> DiscordAdapter:
        return DiscordAdapter(
            discord_settings(fake, **extra),
            briefings=core.briefings,
            topics=core.topics,
            subscriptions=core.subscriptions,
            sources=None if without_sources else core.sources,
            guild_ready_timeout=0.05,
        )

    return make


@pytest.fixture
async def adapter(make_adapter: MakeAdapter) -> AsyncIterator[DiscordAdapter]:
    bot = make_adapter()
    await bot.start()
    await bot.wait_ready(5)
    yield bot
    await bot.close()
