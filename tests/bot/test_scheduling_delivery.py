"""Delivering one slot: content, exactly once, retries, pausing, takeover, races, shutdown.

Real store (SQLite and PostgreSQL), real BriefingService and SubscriptionService; the
platform is a recording Publisher at the network edge (tests/support/scheduling.py).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from bot.briefing import BriefingService
from bot.errors import ChannelUnavailable, DeliveryError
from bot.metrics import REGISTRY
from bot.models import ChannelRef
from bot.scheduling import (
    BriefingScheduler,
    DeliveryLedger,
    Pacer,
    Pacing,
    Publisher,
    delivery_key,
)
from bot.store import Store
from bot.store.schema import BriefedArticle
from bot.subscriptions import SubscriptionService
from bot.topics import TopicRegistry
from tests.support.scheduling import (
    T0,
    Clock,
    KeyedPublisher,
    RecordingPublisher,
    add_articles,
    add_subscription,
    brief_channel,
    set_subscription,
)

DAY = timedelta(days=1)
LEASE = timedelta(minutes=2)
NO_PACING: Mapping[str, Pacing] = {}


@dataclass
class World:
    url: str
    store: Store
    registry: TopicRegistry
    briefings: BriefingService
    subscriptions: SubscriptionService
    clock: Clock
    article_ids: list[int]

    def scheduler(
        self,
        publishers: Mapping[str, Publisher],
        *,
        store: Store | None = None,
        replica: str = "r1",
        **options: object,
    ) -> BriefingScheduler:
        options.setdefault("retry_backoff", timedelta(milliseconds=5))
        options.setdefault("pacing", NO_PACING)
        store = store or self.store
        return BriefingScheduler(
            store=store,
            briefings=BriefingService(store, self.registry, clock=self.clock),
            subscriptions=SubscriptionService(store, self.registry),
            publishers=publishers,
            replica_id=replica,
            misfire_grace=timedelta(hours=2),
            lease=LEASE,
            clock=self.clock,
            **options,  # type: ignore[arg-type]
        )

    def row(self, subscription_id: int, slot: object = T0) -> object:
        return DeliveryLedger(self.store, holder="inspector", lease=LEASE).delivery(
            subscription_id,
            slot,  # type: ignore[arg-type]
        )


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    clock = Clock(T0)
    registry = TopicRegistry.default()
    with Store.open(database_url) as store:
        ids = add_articles(store, registry)
        yield World(
            url=database_url,
            store=store,
            registry=registry,
            briefings=BriefingService(store, registry, clock=clock),
            subscriptions=SubscriptionService(store, registry),
            clock=clock,
            article_ids=ids,
        )


def delivered_count(outcome: str) -> float:
    return REGISTRY.get_sample_value("briefbot_deliveries_total", {"outcome": outcome}) or 0.0


def briefed(store: Store, channel_id: str) -> set[int]:
    with store.session(write=False) as session:
        return {
            row.article_id for row in session.query(BriefedArticle).filter_by(channel_id=channel_id)
        }


async def test_slot_posts_new_pieces_once_then_only_news_then_a_note(world: World) -> None:
    sid = add_subscription(world.store)
    slack = RecordingPublisher()
    scheduler = world.scheduler({"slack": slack})
    sent_before, already_before = delivered_count("sent"), delivered_count("already")

    assert await scheduler.deliver_slot(sid, T0) == "sent"
    assert await scheduler.deliver_slot(sid, T0) == "already"  # the same slot: never twice
    # every outcome is counted for /metrics
    assert delivered_count("sent") == sent_before + 1
    assert delivered_count("already") == already_before + 1
    [post] = slack.posts
    assert post.channel == ChannelRef("slack", "C1", "T1")
    assert post.briefing.topic.slug == "korea-japan"
    assert len(post.briefing.items) == 3
    row = world.row(sid)
    assert (row.status, row.attempts, row.message_id) == ("sent", 1, post.message_id)  # type: ignore[attr-defined]
    first_ids = {item.article_id for item in post.briefing.items}
    assert briefed(world.store, "C1") == first_ids

    # The next morning: only the piece this channel has not seen.
    world.clock.advance(DAY)
    assert await scheduler.deliver_slot(sid, T0 + DAY) == "sent"
    second = slack.posts[-1].briefing
    assert [item.article_id for item in second.items] == [
        i for i in world.article_ids if i not in first_ids
    ]

    # The morning after: nothing new, so one line naming the last briefing, in Seoul time.
    world.clock.advance(DAY)
    assert await scheduler.deliver_slot(sid, T0 + 2 * DAY) == "sent"
    note = slack.posts[-1].briefing
    assert note.items == ()
    assert note.note == "Nothing new on korea-japan since yesterday."
    assert len(slack.posts) == 3
    await scheduler.shutdown()


async def test_quiet_subscription_skips_a_slot_with_nothing_new(world: World) -> None:
    sid = add_subscription(world.store, quiet=True)
    slack = RecordingPublisher()
    scheduler = world.scheduler({"slack": slack})
    brief_channel(world.store, ChannelRef("slack", "C1", "T1"), world.article_ids, at=T0 - DAY)
    assert await scheduler.deliver_slot(sid, T0) == "skipped"
    assert slack.posts == []
    row = world.row(sid)
    assert row.status == "skipped"  # type: ignore[attr-defined]
    await scheduler.shutdown()


async def test_delivery_error_is_retried_within_the_slot(world: World) -> None:
    sid = add_subscription(world.store)
    slack = RecordingPublisher()
    slack.fail("C1", DeliveryError("Slack answered 503"), DeliveryError("Slack answered 502"))
    scheduler = world.scheduler({"slack": slack})
    assert await scheduler.deliver_slot(sid, T0) == "sent"
    assert len(slack.posts) == 1
    row = world.row(sid)
    assert (row.status, row.attempts, row.error) == ("sent", 3, None)  # type: ignore[attr-defined]
    await scheduler.shutdown()


async def test_retries_run_out_and_the_failure_is_recorded_once(world: World) -> None:
    sid = add_subscription(world.store)
    slack = RecordingPublisher()
    slack.fail("C1", *(DeliveryError(f"Slack answered 500 ({n})") for n in range(10)))
    scheduler = world.scheduler({"slack": slack}, max_attempts=3)
    assert await scheduler.deliver_slot(sid, T0) == "failed"
    row = world.row(sid)
    assert (row.status, row.attempts, row.error) == ("failed", 3, "Slack answered 500 (2)")  # type: ignore[attr-defined]
    assert await scheduler.deliver_slot(sid, T0) == "already"  # not retried forever
    assert slack.posts == []
    assert len(slack.failures["C1"]) == 7
    await scheduler.shutdown()


async def test_unavailable_channel_pauses_the_subscription_with_the_reason(world: World) -> None:
    sid = add_subscription(world.store)
    slack = RecordingPublisher()
    reason = "Slack channel C1 is archived; unarchive it or remove this subscription."
    slack.fail("C1", ChannelUnavailable(reason))
    scheduler = world.scheduler({"slack": slack})
    assert await scheduler.deliver_slot(sid, T0) == "paused"
    paused = world.subscriptions.get(sid)
    assert (paused.status, paused.paused_reason) == ("paused", reason)
    assert world.row(sid).status == "failed"  # type: ignore[attr-defined]
    # paused: later slots do not even claim
    assert await scheduler.deliver_slot(sid, T0 + DAY) == "paused"
    assert world.row(sid, T0 + DAY) is None
    assert slack.posts == []
    await scheduler.shutdown()


async def test_what_this_replica_cannot_deliver_is_left_alone(world: World) -> None:
    discord_sub = add_subscription(
        world.store,
        platform="discord",
        channel="300000000000000123",
        workspace="200000000000000009",
    )
    gone = add_subscription(world.store, channel="C2")
    world.subscriptions.remove(gone)
    scheduler = world.scheduler({"slack": RecordingPublisher()})
    # no Discord adapter here: another replica with Discord configured will post it
    assert await scheduler.deliver_slot(discord_sub, T0) == "skipped"
    assert world.row(discord_sub) is None
    assert await scheduler.deliver_slot(gone, T0) == "skipped"
    await scheduler.shutdown()


async def test_a_topic_that_no_longer_exists_fails_the_slot_with_a_clear_error(
    world: World,
) -> None:
    sid = add_subscription(world.store)
    set_subscription(world.store, sid, topic_slug="atlantis-lemuria")
    slack = RecordingPublisher()
    scheduler = world.scheduler({"slack": slack})
    assert await scheduler.deliver_slot(sid, T0) == "failed"
    assert "Unknown topic 'atlantis-lemuria'" in world.row(sid).error  # type: ignore[attr-defined]
    assert slack.posts == []
    await scheduler.shutdown()


async def test_takeover_after_a_crash_mid_post_finds_the_message_instead_of_reposting(
    world: World,
) -> None:
    sid = add_subscription(world.store)
    slack = KeyedPublisher()
    # A replica claimed the slot, started posting, the platform accepted it, and it died.
    dead = DeliveryLedger(world.store, holder="dead#1", lease=LEASE)
    claim = dead.claim(sid, T0, T0)
    assert claim is not None
    assert dead.mark_posting(claim, T0) == 1
    briefing = world.briefings.brief("korea-japan", 3)
    posted = await slack.publish_once(
        ChannelRef("slack", "C1", "T1"), briefing, key=delivery_key(sid, T0)
    )

    scheduler = world.scheduler({"slack": slack})
    assert await scheduler.deliver_slot(sid, T0) == "already"  # the lease still runs
    world.clock.advance(LEASE + timedelta(seconds=1))
    assert await scheduler.deliver_slot(sid, T0) == "sent"
    assert len(slack.posts) == 1  # not posted again
    assert slack.lookups == [delivery_key(sid, T0)]
    row = world.row(sid)
    assert (row.status, row.message_id) == ("sent", posted)  # type: ignore[attr-defined]
    await scheduler.shutdown()


async def test_takeover_of_a_claim_that_never_posted_posts_without_asking(world: World) -> None:
    sid = add_subscription(world.store)
    slack = KeyedPublisher()
    assert DeliveryLedger(world.store, holder="dead#1", lease=LEASE).claim(sid, T0, T0)
    world.clock.advance(LEASE * 2)
    scheduler = world.scheduler({"slack": slack})
    assert await scheduler.deliver_slot(sid, T0) == "sent"
    assert slack.lookups == []
    assert [post.key for post in slack.posts] == [delivery_key(sid, T0)]
    await scheduler.shutdown()


async def test_takeover_without_a_way_to_check_posts_and_says_so(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    sid = add_subscription(world.store)
    dead = DeliveryLedger(world.store, holder="dead#1", lease=LEASE)
    claim = dead.claim(sid, T0, T0)
    assert claim is not None
    dead.mark_posting(claim, T0)
    world.clock.advance(LEASE * 2)
    slack = RecordingPublisher()
    scheduler = world.scheduler({"slack": slack})
    with caplog.at_level(logging.WARNING, logger="bot.scheduling"):
        assert await scheduler.deliver_slot(sid, T0) == "sent"
    assert "may appear twice" in caplog.text
    assert world.row(sid).attempts == 2  # type: ignore[attr-defined]
    await scheduler.shutdown()


async def test_two_replicas_racing_on_one_database_post_each_slot_once(world: World) -> None:
    subs = [add_subscription(world.store, channel=f"C{i}") for i in range(30)]
    slack = RecordingPublisher(delay=0.001)
    with Store.open(world.url) as second_store:
        first = world.scheduler({"slack": slack}, replica="r1")
        second = world.scheduler({"slack": slack}, replica="r2", store=second_store)
        outcomes = await asyncio.gather(
            *(replica.deliver_slot(sid, T0) for sid in subs for replica in (first, second))
        )
        await first.shutdown()
        await second.shutdown()
    assert sorted(post.channel.channel_id for post in slack.posts) == sorted(
        f"C{i}" for i in range(30)
    )
    assert outcomes.count("sent") == 30
    assert outcomes.count("already") == 30


async def test_posts_are_paced_per_channel() -> None:
    clock = [0.0]
    pacer = Pacer(
        {"slack": Pacing(per_channel_per_second=1.0), "discord": Pacing(global_per_second=50)},
        time=lambda: clock[0],
    )
    c1, c2 = ChannelRef("slack", "C1", "T"), ChannelRef("slack", "C2", "T")
    assert [pacer.reserve(c1) for _ in range(3)] == [0.0, 1.0, 2.0]
    assert pacer.reserve(c2) == 0.0  # another channel has its own budget
    clock[0] = 10.0
    assert pacer.reserve(c1) == 10.0  # an idle channel does not bank posts
    d = [pacer.reserve(ChannelRef("discord", str(n), "G")) for n in range(100)]
    assert d[0] == 10.0
    assert d[-1] == pytest.approx(10.0 + 99 / 50)  # one global budget across channels
    assert pacer.reserve(ChannelRef("teams", "x")) == 10.0  # unknown platform: no pacing


async def test_global_pace_holds_without_bunching_or_falling_behind() -> None:
    pacer = Pacer({"discord": Pacing(global_per_second=50.0)})
    loop = asyncio.get_running_loop()
    starts: list[float] = []

    async def post(n: int) -> None:
        if n % 3 == 0:
            await asyncio.sleep(0.01)  # composed a little late: must not bunch with the next
        async with pacer.posting(ChannelRef("discord", str(n), "G")):
            starts.append(loop.time())
            if n % 7 == 0:
                time.sleep(0.004)  # noqa: ASYNC251 (a busy event loop: turns come a little late)

    await asyncio.gather(*(post(n) for n in range(75)))
    in_any_second = max(sum(1 for t in starts if s <= t < s + 1.0) for s in starts)
    assert in_any_second <= 50
    assert starts[-1] - starts[0] < 74 / 50 * 1.1  # lateness does not add up


async def test_posts_to_one_channel_start_an_interval_after_the_previous_one_ended() -> None:
    pacer = Pacer({"slack": Pacing(per_channel_per_second=20.0)})  # 50 ms, to keep it quick
    loop = asyncio.get_running_loop()
    spans: list[tuple[float, float]] = []

    async def post() -> None:
        async with pacer.posting(ChannelRef("slack", "C1", "T")):
            start = loop.time()
            await asyncio.sleep(0.02)  # the platform takes its time answering
            spans.append((start, loop.time()))

    await asyncio.gather(*(post() for _ in range(6)))
    assert all(b[0] - a[1] >= 0.05 - 0.002 for a, b in itertools.pairwise(spans))


async def test_shutdown_releases_waiting_claims_and_another_replica_delivers_them(
    world: World,
) -> None:
    world.clock.advance(timedelta(minutes=1))  # the 08:00 slot is a minute late: catch-up
    subs = [
        add_subscription(world.store, channel="C1", topic=t)
        for t in ("korea-japan", "japan", "korea")
    ]
    slack = RecordingPublisher()
    slow = world.scheduler({"slack": slack}, pacing={"slack": Pacing(per_channel_per_second=0.1)})
    await slow.start()
    for _ in range(200):
        if slack.posts:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    await slow.shutdown()  # one post went out; two were waiting on the channel's pace
    assert len(slack.posts) == 1
    ledger = DeliveryLedger(world.store, holder="inspector", lease=LEASE)
    waiting = [sid for sid in subs if ledger.delivery(sid, T0).status == "claimed"]  # type: ignore[union-attr]
    assert len(waiting) == 2

    # Released, not left to a lease: the next replica takes them at once, without waiting.
    other = world.scheduler({"slack": slack}, replica="r2")
    await other.start()
    for _ in range(300):
        if len(slack.posts) == 3:
            break
        await asyncio.sleep(0.01)
    await other.shutdown()
    assert sorted(p.briefing.topic.slug for p in slack.posts) == ["japan", "korea", "korea-japan"]
    assert all(ledger.delivery(sid, T0).status == "sent" for sid in subs)  # type: ignore[union-attr]


async def test_shutdown_lets_a_post_on_the_wire_finish_and_records_it(world: World) -> None:
    world.clock.advance(timedelta(minutes=1))
    sid = add_subscription(world.store)
    slack = RecordingPublisher(delay=0.3)  # a slow platform
    scheduler = world.scheduler({"slack": slack})
    await scheduler.start()
    for _ in range(100):
        row = world.row(sid)
        if row is not None and row.status == "posting":  # type: ignore[attr-defined]
            break
        await asyncio.sleep(0.01)
    await scheduler.shutdown()  # while the post is in flight
    assert len(slack.posts) == 1
    assert world.row(sid).status == "sent"  # type: ignore[attr-defined]


async def test_a_seen_story_comes_back_once_as_an_update_with_only_its_new_article(
    database_url: str,
) -> None:
    """Stories in scheduled briefings: a story the channel saw comes back only when it has
    new articles, marked as an update and showing only those; a restart (a new scheduler on
    the same database) repeats nothing."""
    from bot.store import NewArticle
    from bot.stories.grouping import StoryGrouper
    from bot.stories.refresh import refresh_story
    from tests.bot.test_story_grouping import HERALD_FOLLOW_UP, KYODO, YONHAP

    registry = TopicRegistry.default()
    clock = Clock(T0)

    def store_story_article(store: Store, piece: tuple[str, str], outlet: str, hours: int) -> int:
        title, text = piece
        added = store.add_article(
            NewArticle(
                title=title,
                text=text,
                bullets=(text.split(". ")[0] + ".",),
                outlet=outlet,
                url=f"https://news.example/{outlet.lower()}",
                published_at=clock() - timedelta(hours=hours),
                mentions=registry.tag(title, text),
            )
        )
        assigned = StoryGrouper(store).assign(added.article_id)
        assert assigned is not None
        refresh_story(store, assigned.story_id)
        return added.article_id

    with Store.open(database_url) as store:
        yonhap = store_story_article(store, YONHAP, "Yonhap", 5)
        kyodo = store_story_article(store, KYODO, "Kyodo", 4)
        sid = add_subscription(store)
        slack = RecordingPublisher()

        def scheduler() -> BriefingScheduler:
            return BriefingScheduler(
                store=store,
                briefings=BriefingService(store, registry, clock=clock),
                subscriptions=SubscriptionService(store, registry),
                publishers={"slack": slack},
                replica_id="r1",
                misfire_grace=timedelta(hours=2),
                lease=LEASE,
                clock=clock,
                retry_backoff=timedelta(milliseconds=5),
                pacing=NO_PACING,
            )

        first = scheduler()
        assert await first.deliver_slot(sid, T0) == "sent"
        [story] = slack.posts[-1].briefing.items
        assert set(story.article_ids) == {yonhap, kyodo}
        assert story.update is False
        assert briefed(store, "C1") == {yonhap, kyodo}
        await first.shutdown()

        # A follow-up joins the story; a restarted scheduler brings it once, as an update.
        clock.advance(DAY)
        herald = store_story_article(store, HERALD_FOLLOW_UP, "Herald", 1)
        second = scheduler()
        assert await second.deliver_slot(sid, T0 + DAY) == "sent"
        [update] = slack.posts[-1].briefing.items
        assert update.update is True
        assert update.story_id == story.story_id
        assert update.article_ids == (herald,)
        assert [s.source for s in update.sources] == ["Herald"]
        assert update.bullets
        assert all(b not in story.bullets for b in update.bullets)  # only what is new
        await second.shutdown()

        clock.advance(DAY)
        third = scheduler()
        assert await third.deliver_slot(sid, T0 + 2 * DAY) == "sent"
        assert slack.posts[-1].briefing.items == ()  # nothing new: a note, no repeat
        assert len(slack.posts) == 3
        await third.shutdown()


@dataclass
class _DiesAfterPosting(KeyedPublisher):
    """Posts, then never answers: the replica died after the platform took the message and
    before it recorded "sent"."""

    posted: asyncio.Event = field(default_factory=asyncio.Event)

    async def publish_once(self, channel, briefing, *, key, done=(), on_part=None):  # type: ignore[no-untyped-def, override]
        await self._post(channel, briefing, key)
        self.posted.set()
        await asyncio.Event().wait()  # never
        raise AssertionError("unreachable")


async def test_a_takeover_that_finds_the_post_records_what_the_channel_saw(world: World) -> None:
    """A replica posts a slot and dies before recording it; the one taking over finds the post
    and records its stories as briefed, so the next slot does not post them again."""
    sid = add_subscription(world.store)
    dying = _DiesAfterPosting()
    first = world.scheduler({"slack": dying}, replica="r1")
    doomed = asyncio.create_task(first.deliver_slot(sid, T0))
    await asyncio.wait_for(dying.posted.wait(), 5)
    [lost] = dying.posts
    shown = {i for item in lost.briefing.items for i in (item.article_ids or (item.article_id,))}
    assert shown
    assert len(shown) < len(world.article_ids)

    world.clock.advance(LEASE + timedelta(seconds=1))
    slack = KeyedPublisher(posts=dying.posts)
    second = world.scheduler({"slack": slack}, replica="r2")
    assert await second.deliver_slot(sid, T0) == "sent"
    assert len(slack.posts) == 1  # found, not posted again
    assert briefed(world.store, "C1") == shown  # what the dead replica posted

    world.clock.advance(DAY)
    assert await second.deliver_slot(sid, T0 + DAY) == "sent"
    following = slack.posts[-1].briefing
    again = {i for item in following.items for i in (item.article_ids or (item.article_id,))}
    assert following.items
    assert not again & shown
    doomed.cancel()
    await asyncio.gather(doomed, return_exceptions=True)
    await first.shutdown()
    await second.shutdown()


@dataclass
class _Checking(RecordingPublisher):
    """A publisher that can check a channel (``ChannelChecker``): closed until opened."""

    closed: set[str] = field(default_factory=set)
    checks: list[datetime] = field(default_factory=list)
    clock: Clock | None = None

    async def check_channel(self, channel: ChannelRef) -> None:
        self.checks.append(self.clock() if self.clock else T0)
        if channel.channel_id in self.closed:
            raise ChannelUnavailable("still closed to the bot")


async def test_a_paused_channel_is_checked_with_backoff_and_resumed_when_it_opens(
    world: World,
) -> None:
    sid = add_subscription(world.store)
    slack = _Checking(closed={"C1"}, clock=world.clock)
    slack.fail("C1", ChannelUnavailable("the bot was removed from the channel"))
    scheduler = world.scheduler(
        {"slack": slack}, recheck_backoff=timedelta(minutes=5), recheck_cap=timedelta(minutes=15)
    )
    world.clock.now = T0 - timedelta(hours=1)  # started before the slot: nothing to catch up
    await scheduler.start()
    world.clock.now = T0
    try:
        assert await scheduler.deliver_slot(sid, T0) == "paused"
        assert world.subscriptions.get(sid).status == "paused"
        paused_at = world.clock.now
        for minutes in range(1, 60):  # an hour of resyncs, a minute apart
            world.clock.now = paused_at + timedelta(minutes=minutes)
            await scheduler.resync()
        # 5 minutes after the pause, then 10, 15 (capped), 15, ... later: 5, 15, 30, 45
        assert [int((at - paused_at).total_seconds() // 60) for at in slack.checks] == [
            5,
            15,
            30,
            45,
        ]
        paused = world.subscriptions.get(sid)
        assert paused.status == "paused"
        assert paused.paused_reason == "still closed to the bot"  # the latest word

        slack.closed.clear()  # a moderator lets the bot back in
        world.clock.now = paused_at + timedelta(minutes=61)
        await scheduler.resync()
        assert world.subscriptions.get(sid).status == "active"  # nobody typed anything
        assert sid in scheduler.next_run_times()  # and its job is back
        assert await scheduler.deliver_slot(sid, T0 + DAY) == "sent"
        assert slack.posts_to("C1")
    finally:
        await scheduler.shutdown()


async def test_a_paused_subscription_resumed_by_hand_is_not_checked_any_more(
    world: World,
) -> None:
    sid = add_subscription(world.store)
    slack = _Checking(closed={"C1"}, clock=world.clock)
    slack.fail("C1", ChannelUnavailable("gone"))
    scheduler = world.scheduler({"slack": slack})
    world.clock.now = T0 - timedelta(hours=1)
    await scheduler.start()
    world.clock.now = T0
    try:
        assert await scheduler.deliver_slot(sid, T0) == "paused"
        world.subscriptions.resume(sid)
        world.clock.advance(timedelta(hours=1))
        await scheduler.resync()
        assert slack.checks == []
        assert world.subscriptions.get(sid).status == "active"
    finally:
        await scheduler.shutdown()


def test_delivery_key_is_short_and_stable() -> None:
    assert delivery_key(42, datetime(2025, 6, 18, 23, 0, tzinfo=UTC)) == "bb-42-29171460"
    assert len(delivery_key(10**9 - 1, datetime(2999, 1, 1, tzinfo=UTC))) <= 25
