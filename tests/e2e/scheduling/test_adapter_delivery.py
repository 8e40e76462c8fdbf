"""Scheduled delivery through the real adapters against the fakes, in one process.

The platform faults the scheduler must handle, produced by the fakes and passed through
slack_sdk / discord.py and the adapters as they are: 429 with Retry-After (retried, posted
once), an archived Slack channel and a Discord channel that answers 403 (the subscription is
paused with the platform's reason, shown in the listing).  And Discord's idempotent posting:
a delivery posted again with the same key gets the messages Discord already has.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord import DiscordAdapter
from adapters.discord.publish import NONCE_LIMIT, part_nonce
from adapters.discord.render import render_briefing as discord_render
from adapters.slack import SlackAdapter
from adapters.slack.render import render_briefing as slack_render
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


# -- a briefing of several parts: sent only when all are, a retry continues where it stopped --


@dataclass
class _Fixed:
    """A ``BriefingProvider`` whose briefing is long enough to take several messages (what
    the store holds in these tests never is); everything else on the way is real."""

    briefing: Briefing

    def brief(self, topic: str, count: int = 3, *, exclude_channel: object = None) -> Briefing:
        return self.briefing


def parts_scheduler(
    store: Store, platform: str, publisher: Publisher, briefing: Briefing, **options: Any
) -> BriefingScheduler:
    _, _, subscriptions = services(store)
    return BriefingScheduler(
        store=store,
        briefings=_Fixed(briefing),
        subscriptions=subscriptions,
        publishers={platform: publisher},
        replica_id="adapter-test",
        misfire_grace=timedelta(hours=2),
        clock=options.pop("clock", Clock()),
        retry_backoff=timedelta(milliseconds=10),
        **options,
    )


def slack_long_briefing() -> Briefing:
    items = tuple(
        BriefingItem(
            title=f"Piece {n}",
            url=f"https://news.example/{n}",
            source="Outlet",
            published=T0,
            bullets=tuple(f"Bullet {n}.{k} " + "words " * 300 for k in range(5)),
        )
        for n in range(12)
    )
    return Briefing(topic=TopicRef("korea-japan", "Korea–Japan"), generated_at=T0, items=items)


def ledger_row(store: Store, sub: int) -> Any:
    row = DeliveryLedger(store, holder="x", lease=timedelta(minutes=2)).delivery(sub, T0)
    assert row is not None
    return row


async def test_slack_second_part_failing_is_retried_from_it_and_sent_once_whole(
    store: Store, slack: SlowSlack
) -> None:
    sid = add_subscription(store, channel="C1", workspace=slack.team_id)
    briefing = slack_long_briefing()
    rendered = slack_render(briefing)
    assert len(rendered) >= 3
    slack.fail_posts("C1", skip=1, times=1)  # the first threaded part fails once
    run = parts_scheduler(store, "slack", slack_adapter(store, slack), briefing)
    assert await run.deliver_slot(sid, T0) == "sent"
    await run.shutdown()
    posted = [post for post in slack.posted if post.channel == "C1"]
    assert [post.blocks for post in posted] == [message["blocks"] for message in rendered]
    first = posted[0]
    assert first.thread_ts is None
    assert all(post.thread_ts == first.ts for post in posted[1:])  # in the first one's thread
    calls = slack.calls_to("chat.postMessage")
    assert len(calls) == len(rendered) + 1  # every part once, and the failed one again
    row = ledger_row(store, sid)
    assert (row.status, row.attempts, row.message_id) == ("sent", 2, first.ts)


async def test_slack_parts_that_never_get_through_make_the_slot_failed_not_sent(
    store: Store, slack: SlowSlack
) -> None:
    sid = add_subscription(store, channel="C1", workspace=slack.team_id)
    slack.fail_posts("C1", skip=1, times=99)
    run = parts_scheduler(store, "slack", slack_adapter(store, slack), slack_long_briefing())
    assert await run.deliver_slot(sid, T0) == "failed"
    await run.shutdown()
    assert len([post for post in slack.posted if post.channel == "C1"]) == 1  # the first only
    row = ledger_row(store, sid)
    assert row.status == "failed"
    assert row.parts == [slack.posted[0].ts]  # what is in the channel, for the record


async def test_discord_second_part_failing_is_retried_from_it_without_reposting_the_first(
    store: Store,
) -> None:
    sid = add_subscription(
        store, platform="discord", channel=str(CHANNEL), workspace=str(GUILD), topic="korea"
    )
    briefing = long_briefing()
    parts = len(discord_render(briefing))
    assert parts >= 2
    async with DiscordFake(guild_ids=(GUILD,), channel_ids=(CHANNEL,)) as fake:
        fake.fail_posts(CHANNEL, skip=1, times=1)
        async with discord_adapter(store, fake) as adapter:
            run = parts_scheduler(store, "discord", adapter, briefing)
            assert await run.deliver_slot(sid, T0) == "sent"
            await run.shutdown()
        posts = fake.calls("POST", rf"/channels/{CHANNEL}/messages")
        kept = fake.channel_messages[str(CHANNEL)]
    key = delivery_key(sid, T0)
    assert [(post.body["nonce"], post.status) for post in posts] == [
        (f"{key}.1", 200),
        (f"{key}.2", 503),
        (f"{key}.2", 200),  # the retry starts at the part that failed
    ]
    assert fake.nonce_replays == 0  # nothing was sent twice, not even to be deduplicated
    assert len(kept) == parts
    row = ledger_row(store, sid)
    assert (row.status, row.attempts, row.message_id) == ("sent", 2, kept[0]["id"])


# -- Discord: a delivery found in the channel's history, after Discord forgot its nonce -----


async def test_discord_find_published_reads_the_channel_history_for_the_marker(
    store: Store,
) -> None:
    channel = ChannelRef("discord", str(CHANNEL), str(GUILD))
    since = T0.replace(year=2020)
    async with DiscordFake(guild_ids=(GUILD,), channel_ids=(CHANNEL,), nonce_window=0) as fake:
        async with discord_adapter(store, fake) as adapter:
            assert await adapter.find_published(channel, key="bb-7-29171460", since=since) is None
            posted = await adapter.publish_once(channel, long_briefing(), key="bb-7-29171460")
            await adapter.publish_once(channel, long_briefing(), key="bb-8-29171460")
            found = await adapter.find_published(channel, key="bb-7-29171460", since=since)
            other = await adapter.find_published(channel, key="bb-7-29171461", since=since)
            fake.channel_status(CHANNEL, 403)  # the bot may not read the channel any more
            unreadable = await adapter.find_published(channel, key="bb-7-29171460", since=since)
        reads = fake.calls("GET", rf"/channels/{CHANNEL}/messages")
    assert found == posted
    assert other is None
    assert unreadable is None  # cannot tell: the nonce is all there is
    assert [read.status for read in reads] == [200, 200, 200, 403]
    assert all(read.query["limit"] == "50" for read in reads)
    footer = fake_footer(fake, posted)
    assert footer.endswith(" · ref bb-7-29171460")  # the marker, after the outlet


def fake_footer(fake: DiscordFake, message_id: str) -> str:
    [message] = [m for m in fake.channel_messages[str(CHANNEL)] if m["id"] == message_id]
    return str(message["embeds"][-1]["footer"]["text"])


# -- a paused channel checked again on its own ---------------------------------------------


async def until(condition: Any, within: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_discord_403_pauses_then_a_restored_permission_resumes_it_on_its_own(
    store: Store,
) -> None:
    sid = add_subscription(
        store, platform="discord", channel=str(CHANNEL), workspace=str(GUILD), topic="korea"
    )
    _, _, subscriptions = services(store)
    clock = Clock(T0 - timedelta(hours=1))
    async with DiscordFake(guild_ids=(GUILD,), channel_ids=(CHANNEL,)) as fake:
        fake.channel_status(CHANNEL, 403)
        async with discord_adapter(store, fake) as adapter:
            _, briefings, _ = services(store)
            run = BriefingScheduler(
                store=store,
                briefings=briefings,
                subscriptions=subscriptions,
                publishers={"discord": adapter},
                replica_id="adapter-test",
                misfire_grace=timedelta(hours=2),
                clock=clock,
                resync_every=timedelta(milliseconds=20),
                recheck_backoff=timedelta(minutes=5),
            )
            await run.start()
            clock.now = T0
            try:
                assert await run.deliver_slot(sid, T0) == "paused"
                assert subscriptions.get(sid).status == "paused"

                clock.advance(timedelta(minutes=6))  # the first check: still refused
                await fake.wait_for(lambda: fake.calls("GET", rf"/channels/{CHANNEL}$"))
                assert subscriptions.get(sid).status == "paused"

                fake.channel_status(CHANNEL, 200)  # a moderator gives the bot its access back
                clock.advance(timedelta(minutes=4))  # before the next check (10 min later)
                await asyncio.sleep(0.2)
                assert subscriptions.get(sid).status == "paused"
                clock.advance(timedelta(minutes=6))
                await until(lambda: subscriptions.get(sid).status == "active")

                assert await run.deliver_slot(sid, T0 + timedelta(days=1)) == "sent"
            finally:
                await run.shutdown()
        checks = fake.calls("GET", rf"/channels/{CHANNEL}$")
        posts = fake.calls("POST", rf"/channels/{CHANNEL}/messages")
    assert [check.status for check in checks] == [403, 200]
    assert [post.status for post in posts] == [403, 200]  # nobody typed anything
