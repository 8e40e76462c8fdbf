"""Scheduled delivery through the real adapters against the fakes, in one process.

The platform faults the scheduler must handle, produced by the fakes and passed through
slack_sdk / discord.py and the adapters as they are: 429 with Retry-After (retried, posted
once), an archived Slack channel and a Discord channel that answers 403 (the subscription is
paused with the platform's reason, shown in the listing).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord import DiscordAdapter
from adapters.slack import SlackAdapter
from bot.briefing import BriefingService
from bot.scheduling import BriefingScheduler, DeliveryLedger, Publisher
from bot.settings import Settings
from bot.store import Store
from bot.subscriptions import SubscriptionService
from bot.topics import TopicRegistry
from tests.e2e.scheduling.bot_process import SIGNING_SECRET, SlowSlack
from tests.fakes.discord_fake import DiscordFake
from tests.support.scheduling import T0, Clock, add_articles, add_subscription

GUILD = 200000000000000001
CHANNEL = 300000000000000001


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'briefbot.sqlite3'}") as opened:
        add_articles(opened, TopicRegistry.default())
        yield opened


@pytest.fixture
async def slack() -> AsyncIterator[SlowSlack]:
    fake = await SlowSlack().start()
    yield fake
    await fake.stop()


@pytest.fixture(autouse=True)
def _restore_discord_endpoints() -> Iterator[None]:
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    yield
    Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


def services(store: Store) -> tuple[TopicRegistry, BriefingService, SubscriptionService]:
    registry = TopicRegistry.default()
    return (
        registry,
        BriefingService(store, registry, clock=Clock()),
        SubscriptionService(store, registry),
    )


def scheduler(store: Store, platform: str, publisher: Publisher) -> BriefingScheduler:
    _, briefings, subscriptions = services(store)
    return BriefingScheduler(
        store=store,
        briefings=briefings,
        subscriptions=subscriptions,
        publishers={platform: publisher},
        replica_id="adapter-test",
        misfire_grace=timedelta(hours=2),
        clock=Clock(),
        retry_backoff=timedelta(milliseconds=10),
    )


def slack_adapter(store: Store, fake: SlowSlack) -> SlackAdapter:
    registry, briefings, subscriptions = services(store)
    settings = Settings(
        slack_bot_token=fake.bot_token,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_base_url=fake.api_url,
    )
    return SlackAdapter(settings, briefings=briefings, topics=registry, subscriptions=subscriptions)


async def test_slack_429_with_retry_after_is_waited_out_and_posted_once(
    store: Store, slack: SlowSlack
) -> None:
    sid = add_subscription(store, channel="C1", workspace=slack.team_id)
    slack.rate_limit("C1", times=1, retry_after=1)
    run = scheduler(store, "slack", slack_adapter(store, slack))
    assert await run.deliver_slot(sid, T0) == "sent"
    await run.shutdown()
    calls = slack.calls_to("chat.postMessage")
    assert len(calls) == 2  # the 429, then the same message after Retry-After
    assert calls[1].at - calls[0].at >= 0.95
    assert sum(slack.delivery_keys().values()) == 1
    row = DeliveryLedger(store, holder="x", lease=timedelta(minutes=2)).delivery(sid, T0)
    assert row is not None
    assert (row.status, row.attempts) == ("sent", 1)
    assert row.message_id == slack.posted[-1].ts


async def test_archived_slack_channel_pauses_the_subscription(
    store: Store, slack: SlowSlack
) -> None:
    sid = add_subscription(store, channel="C9", workspace=slack.team_id)
    slack.channel_errors["C9"] = "is_archived"
    run = scheduler(store, "slack", slack_adapter(store, slack))
    assert await run.deliver_slot(sid, T0) == "paused"
    await run.shutdown()
    _, _, subscriptions = services(store)
    paused = subscriptions.get(sid)
    assert paused.status == "paused"
    assert paused.paused_reason is not None
    assert "is_archived" in paused.paused_reason
    assert len(slack.calls_to("chat.postMessage")) == 1  # no retries against a closed channel


async def test_discord_403_pauses_and_a_good_channel_gets_the_briefing(store: Store) -> None:
    good = add_subscription(
        store, platform="discord", channel=str(CHANNEL), workspace=str(GUILD), topic="korea"
    )
    forbidden = add_subscription(
        store, platform="discord", channel=str(CHANNEL + 1), workspace=str(GUILD)
    )
    registry, briefings, subscriptions = services(store)
    async with DiscordFake(guild_ids=(GUILD,), channel_ids=(CHANNEL, CHANNEL + 1)) as fake:
        fake.channel_status(CHANNEL + 1, 403)
        adapter = DiscordAdapter(
            Settings(
                discord_token=fake.token,
                discord_api_base_url=fake.api_base,
                discord_gateway_url=fake.gateway_url,
            ),
            briefings=briefings,
            topics=registry,
            subscriptions=subscriptions,
            guild_ready_timeout=0.05,
        )
        await adapter.start()
        try:
            await adapter.wait_ready(5)
            run = scheduler(store, "discord", adapter)
            assert await run.deliver_slot(good, T0) == "sent"
            assert await run.deliver_slot(forbidden, T0) == "paused"
            await run.shutdown()
        finally:
            await adapter.close()
        posts = fake.calls("POST", rf"/channels/{CHANNEL}/messages")
        refused = fake.calls("POST", rf"/channels/{CHANNEL + 1}/messages")
    assert [post.status for post in posts] == [200]
    assert posts[0].body["allowed_mentions"] == {"parse": []}  # a scheduled post pings no one
    assert [post.status for post in refused] == [403]  # once: no retries into a ban
    assert subscriptions.get(forbidden).status == "paused"
    assert subscriptions.get(good).status == "active"
