"""The Discord system under test, shared by tests/e2e/discord and benchmarks: ids the fake
Discord hosts, the core bundle the adapter is built on, the user-source policy with the SSRF
guard's explicit test allowance, and settings pointing discord.py at the fake."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from adapters.discord import DiscordAdapter
from bot.briefing import BriefingService
from bot.settings import Settings
from bot.sources.safety import StaticResolver, UrlPolicy
from bot.store import Store
from bot.subscriptions import SubscriptionService
from bot.topics import TopicRegistry
from bot.user_sources import UserSourceService
from tests.fakes.discord_fake import DiscordFake

GUILD = 200000000000000001
OTHER_GUILD = 200000000000000002  # a server the fake does not host: another workspace
CHANNEL = 300000000000000001
OTHER_CHANNEL = 300000000000000002
SOURCE_LIMIT = 3
# A name the tests' resolver knows: a "public" host served by the test's own web server.
FEED_HOST = "news.example.test"

MakeAdapter = Callable[..., DiscordAdapter]
"""The ``make_adapter`` fixture: ``make_adapter(without_sources=False, **settings)``."""


@dataclass
class Core:
    store: Store
    topics: TopicRegistry
    briefings: BriefingService
    subscriptions: SubscriptionService
    sources: UserSourceService


def local_policy() -> UrlPolicy:
    """Production checks plus the explicit test-only allowance: 127.0.0.1 (the test's web
    server) behind a public-looking name; every other private, loopback or link-local address
    is refused exactly as in production."""
    return UrlPolicy(
        allow_networks=["127.0.0.1/32"],
        resolver=StaticResolver({FEED_HOST: ["127.0.0.1"], "intranet.example.test": ["10.1.2.3"]}),
    )


def discord_settings(fake: DiscordFake, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "discord_token": fake.token,
        "discord_api_base_url": fake.api_base,
        "discord_gateway_url": fake.gateway_url,
        "discord_guild_ids": str(GUILD),
        "timezone": "Asia/Seoul",
        **extra,
    }
    return Settings(**values)
