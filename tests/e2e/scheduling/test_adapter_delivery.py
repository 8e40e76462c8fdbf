"""Scheduled delivery through the real adapters against the fakes, in one process.

The platform faults the scheduler must handle, produced by the fakes and passed through
slack_sdk / discord.py and the adapters as they are: 429 with Retry-After (retried, posted
once), an archived Slack channel and a Discord channel that answers 403 (the subscription is
paused with the platform's reason, shown in the listing).  And Discord's idempotent posting:
a delivery posted again with the same key gets the messages Discord already has.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord import DiscordAdapter
from adapters.discord.publish import NONCE_LIMIT, part_nonce
from adapters.slack import SlackAdapter
from bot.briefing import BriefingService
from bot.models import Briefing, BriefingItem, ChannelRef, TopicRef
from bot.scheduling import BriefingScheduler, DeliveryLedger, Publisher, delivery_key
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
    _, _, subscriptions = services(store)
    async with DiscordFake(guild_ids=(GUILD,), channel_ids=(CHANNEL, CHANNEL + 1)) as fake:
        fake.channel_status(CHANNEL + 1, 403)
        async with discord_adapter(store, fake) as adapter:
            run = scheduler(store, "discord", adapter)
            assert await run.deliver_slot(good, T0) == "sent"
            assert await run.deliver_slot(forbidden, T0) == "paused"
            await run.shutdown()
        posts = fake.calls("POST", rf"/channels/{CHANNEL}/messages")
        refused = fake.calls("POST", rf"/channels/{CHANNEL + 1}/messages")
    assert [post.status for post in posts] == [200]
    assert posts[0].body["allowed_mentions"] == {"parse": []}  # a scheduled post pings no one
    assert [post.status for post in refused] == [403]  # once: no retries into a ban
    assert subscriptions.get(forbidden).status == "paused"
    assert subscriptions.get(good).status == "active"


@asynccontextmanager
async def discord_adapter(store: Store, fake: DiscordFake) -> AsyncIterator[DiscordAdapter]:
    registry, briefings, subscriptions = services(store)
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
        yield adapter
    finally:
        await adapter.close()


def long_briefing() -> Briefing:
    """Twelve pieces: more embeds than one Discord message carries, so two messages."""
    return Briefing(
        topic=TopicRef("korea-japan", "Korea–Japan"),
        generated_at=T0,
        items=tuple(
            BriefingItem(
                title=f"Piece {n}",
                url=f"https://news.example/{n}",
                source="Outlet",
                published=T0,
                bullets=(f"Bullet {n}.",),
            )
            for n in range(12)
        ),
    )


async def test_discord_posting_a_delivery_again_returns_the_messages_it_already_has(
    store: Store,
) -> None:
    channel = ChannelRef("discord", str(CHANNEL), str(GUILD))
    async with DiscordFake(guild_ids=(GUILD,), channel_ids=(CHANNEL,)) as fake:
        async with discord_adapter(store, fake) as adapter:
            first = await adapter.publish_once(channel, long_briefing(), key="bb-7-29171460")
            again = await adapter.publish_once(channel, long_briefing(), key="bb-7-29171460")
            other = await adapter.publish_once(channel, long_briefing(), key="bb-7-29171461")
        posts = fake.calls("POST", rf"/channels/{CHANNEL}/messages")
        kept = fake.channel_messages[str(CHANNEL)]
    assert first == again != other
    assert [post.body["nonce"] for post in posts] == [
        "bb-7-29171460.1",
        "bb-7-29171460.2",
        "bb-7-29171460.1",
        "bb-7-29171460.2",
        "bb-7-29171461.1",
        "bb-7-29171461.2",
    ]
    assert all(post.body["enforce_nonce"] is True for post in posts)
    assert fake.nonce_replays == 2  # both parts of the repeat
    assert len(kept) == 4  # two briefings of two messages each
    assert kept[0]["id"] == first


async def test_discord_delivery_deleted_by_a_moderator_is_not_posted_again(
    store: Store,
) -> None:
    sub = add_subscription(
        store, platform="discord", channel=str(CHANNEL), workspace=str(GUILD), topic="korea"
    )
    key = delivery_key(sub, T0)
    channel = ChannelRef("discord", str(CHANNEL), str(GUILD))
    async with DiscordFake(guild_ids=(GUILD,), channel_ids=(CHANNEL,)) as fake:
        async with discord_adapter(store, fake) as adapter:
            posted = await adapter.publish_once(channel, long_briefing(), key=key)
            fake.delete_message(CHANNEL, posted)  # the first of its two messages
            again = await adapter.publish_once(channel, long_briefing(), key=key)
            fake.delete_message(CHANNEL, again)  # and the second
            gone = await adapter.publish_once(channel, long_briefing(), key=key)
            # the scheduler delivering that slot: done, nothing reposted, nothing paused
            run = scheduler(store, "discord", adapter)
            assert await run.deliver_slot(sub, T0) == "sent"
            await run.shutdown()
        kept = fake.channel_messages[str(CHANNEL)]
        posts = fake.calls("POST", rf"/channels/{CHANNEL}/messages")
    assert again != posted  # the second part's id: the first is gone
    assert gone == "deleted"
    assert kept == []
    assert [post.status for post in posts[2:]] == [404, 200, 404, 404, 404]
    _, _, subscriptions = services(store)
    assert subscriptions.get(sub).status == "active"


def test_discord_nonces_fit_discords_limit_and_stay_distinct() -> None:
    long_key = "bb-" + "9" * 30 + "-29171460"
    nonces = {part_nonce(key, part) for key in ("bb-1-2", long_key) for part in (1, 2, 3)}
    assert len(nonces) == 6
    assert all(len(nonce) <= NONCE_LIMIT for nonce in nonces)
    assert part_nonce("bb-1-2", 1) == "bb-1-2.1"  # readable when it fits
