"""The APScheduler wiring: jobs from the table, kept in step, catch-up on start, sweeps, firing.

Time is controlled through the scheduler's clock; the one test that lets APScheduler fire a
real job runs the clock a second before a slot and waits for the post (no sleeping minutes).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.briefing import BriefingService
from bot.models import Schedule
from bot.scheduling import BriefingScheduler, DeliveryLedger, next_slot_after
from bot.store import Store
from bot.subscriptions import SubscriptionService
from bot.topics import TopicRegistry
from tests.support.scheduling import (
    T0,
    Clock,
    RecordingPublisher,
    add_articles,
    add_subscription,
    set_subscription,
)

GRACE = timedelta(hours=2)
LEASE = timedelta(minutes=2)
SEOUL_8AM = Schedule(timezone="Asia/Seoul", at="08:00")


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    with Store.open(database_url) as opened:
        add_articles(opened, TopicRegistry.default())
        yield opened


def make(
    store: Store,
    slack: RecordingPublisher,
    clock: Callable[[], datetime],
    *,
    replica: str = "r1",
    resync_every: timedelta = timedelta(seconds=30),
) -> BriefingScheduler:
    registry = TopicRegistry.default()
    return BriefingScheduler(
        store=store,
        briefings=BriefingService(store, registry, clock=clock),
        subscriptions=SubscriptionService(store, registry),
        publishers={"slack": slack},
        replica_id=replica,
        misfire_grace=GRACE,
        lease=LEASE,
        resync_every=resync_every,
        clock=clock,
        pacing={},
    )


async def wait_until(condition: Callable[[], bool], within: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


async def test_jobs_are_built_from_the_table(store: Store) -> None:
    clock = Clock(T0 + timedelta(hours=1))  # after today's 08:00 in Seoul
    daily = add_subscription(store, channel="C1")
    weekly = add_subscription(store, channel="C2", cron="30 9 * * 1", timezone="Europe/London")
    paused = add_subscription(store, channel="C3")
    set_subscription(store, paused, status="paused", paused_reason="archived")
    elsewhere = add_subscription(
        store, platform="discord", channel="300000000000000042", workspace="200000000000000007"
    )
    scheduler = make(store, RecordingPublisher(), clock)
    await scheduler.start()
    try:
        runs = scheduler.next_run_times()
        assert set(runs) == {daily, weekly}  # not the paused one, not Discord (no adapter here)
        assert paused not in runs
        assert elsewhere not in runs
        assert runs[daily] == T0 + timedelta(days=1)  # tomorrow 08:00 KST
        assert runs[weekly] == datetime(2025, 6, 23, 8, 30, tzinfo=UTC)  # Monday 09:30 BST
        assert scheduler.running
    finally:
        await scheduler.shutdown()
    assert not scheduler.running


async def test_changes_by_another_process_are_picked_up(store: Store, database_url: str) -> None:
    clock = Clock(T0 + timedelta(hours=1))
    kept = add_subscription(store, channel="C1")
    to_pause = add_subscription(store, channel="C2")
    to_move = add_subscription(store, channel="C3")
    to_delete = add_subscription(store, channel="C4")
    scheduler = make(store, RecordingPublisher(), clock)
    await scheduler.start()
    try:
        assert set(scheduler.next_run_times()) == {kept, to_pause, to_move, to_delete}
        with Store.open(database_url) as other:  # another replica, or the CLI
            service = SubscriptionService(other, TopicRegistry.default())
            service.pause(to_pause, "paused by an admin")
            set_subscription(other, to_move, at_time="18:30")
            service.remove(to_delete)
            added = add_subscription(other, channel="C5", cron="0 * * * *", timezone="UTC")
        await scheduler.resync()
        runs = scheduler.next_run_times()
        assert set(runs) == {kept, to_move, added}
        assert runs[to_move] == T0 + timedelta(hours=10, minutes=30)  # 18:30 KST today
        assert runs[added] == T0 + timedelta(hours=2)  # the next full hour
        service = SubscriptionService(store, TopicRegistry.default())
        service.resume(to_pause)
        await scheduler.resync()
        assert to_pause in scheduler.next_run_times()
    finally:
        await scheduler.shutdown()


async def test_resync_runs_by_itself(store: Store) -> None:
    clock = Clock(T0 + timedelta(hours=1))
    scheduler = make(store, RecordingPublisher(), clock, resync_every=timedelta(seconds=0.05))
    await scheduler.start()
    try:
        assert scheduler.next_run_times() == {}
        sid = add_subscription(store, channel="C9")
        await wait_until(lambda: sid in scheduler.next_run_times(), within=3)
    finally:
        await scheduler.shutdown()


async def test_start_catches_up_the_newest_missed_slot_within_grace(store: Store) -> None:
    clock = Clock(T0 + timedelta(minutes=40))  # down from before 08:00 until 08:40 KST
    missed = add_subscription(store, channel="C1")
    too_new = add_subscription(store, channel="C2", created_at=T0 + timedelta(minutes=5))
    every_ten = add_subscription(store, channel="C3", cron="*/10 * * * *", timezone="UTC")
    slack = RecordingPublisher()
    scheduler = make(store, slack, clock)
    await scheduler.start()
    await wait_until(lambda: len(slack.posts) == 2)
    await asyncio.sleep(0.05)
    await scheduler.shutdown()
    by_channel = {post.channel.channel_id: post for post in slack.posts}
    assert set(by_channel) == {"C1", "C3"}  # C2 did not exist at 08:00: its first slot is tomorrow
    ledger = DeliveryLedger(store, holder="inspector", lease=LEASE)
    assert ledger.delivery(missed, T0).status == "sent"  # type: ignore[union-attr]
    assert ledger.delivery(too_new, T0) is None
    # four ten-minute slots were missed; only the newest (08:40 KST = 23:40 UTC) went out
    assert ledger.last_slots()[every_ten] == T0 + timedelta(minutes=40)

    # Restarting does not deliver them again.
    again = make(store, slack, clock, replica="r2")
    await again.start()
    await asyncio.sleep(0.1)
    await again.shutdown()
    assert len(slack.posts) == 2


async def test_slots_older_than_the_grace_are_skipped(store: Store) -> None:
    clock = Clock(T0 + GRACE + timedelta(minutes=1))  # down for more than the grace
    add_subscription(store, channel="C1")
    slack = RecordingPublisher()
    scheduler = make(store, slack, clock)
    await scheduler.start()
    await asyncio.sleep(0.1)
    await scheduler.shutdown()
    assert slack.posts == []


async def test_resumed_subscription_does_not_catch_up_what_it_missed_while_paused(
    store: Store,
) -> None:
    clock = Clock(T0 + timedelta(minutes=30))
    sid = add_subscription(store)
    set_subscription(store, sid, updated_at=T0 + timedelta(minutes=20))  # resumed at 08:20 KST
    slack = RecordingPublisher()
    scheduler = make(store, slack, clock)
    await scheduler.start()
    await asyncio.sleep(0.1)
    await scheduler.shutdown()
    assert slack.posts == []


async def test_claims_left_by_a_dead_replica_are_swept_up(store: Store) -> None:
    clock = Clock(T0 + timedelta(minutes=1))
    sid = add_subscription(store)
    dead = DeliveryLedger(store, holder="dead#1", lease=LEASE)
    assert dead.claim(sid, T0, T0) is not None  # claimed at 08:00, then the replica died
    slack = RecordingPublisher()
    scheduler = make(store, slack, clock, resync_every=timedelta(seconds=0.05))
    await scheduler.start()
    try:
        await asyncio.sleep(0.15)
        assert slack.posts == []  # its lease still runs: nobody else may post
        clock.advance(LEASE)
        await wait_until(lambda: len(slack.posts) == 1)
    finally:
        await scheduler.shutdown()
    row = DeliveryLedger(store, holder="inspector", lease=LEASE).delivery(sid, T0)
    assert row is not None
    assert row.status == "sent"
    assert row.claimed_by is not None
    assert row.claimed_by.startswith("r1#")


async def test_a_lease_that_runs_out_before_the_next_resync_is_swept_when_it_does(
    store: Store,
) -> None:
    offset = T0 + timedelta(minutes=1) - datetime.now(UTC)

    def clock() -> datetime:  # real time, a minute after 08:00 in Seoul
        return datetime.now(UTC) + offset

    sid = add_subscription(store)
    dead = DeliveryLedger(store, holder="dead#1", lease=timedelta(seconds=0.4))
    assert dead.claim(sid, T0, clock()) is not None
    slack = RecordingPublisher()
    scheduler = make(store, slack, clock, resync_every=timedelta(minutes=5))
    await scheduler.start()
    try:
        assert slack.posts == []
        await wait_until(lambda: len(slack.posts) == 1, within=3)  # not five minutes
    finally:
        await scheduler.shutdown()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_apscheduler_fires_the_job_at_the_slot(store: Store) -> None:
    # The scheduler's clock runs a second before 08:00 in Seoul; APScheduler wakes the job.
    offset = (T0 - timedelta(seconds=1)) - datetime.now(UTC)

    def clock() -> datetime:
        return datetime.now(UTC) + offset

    sid = add_subscription(store)
    slack = RecordingPublisher()
    scheduler = make(store, slack, clock)
    await scheduler.start()
    try:
        assert scheduler.next_run_times()[sid] == T0
        assert slack.posts == []
        await wait_until(lambda: len(slack.posts) == 1, within=5)
        # and the job moved on to tomorrow
        await wait_until(lambda: scheduler.next_run_times().get(sid) == T0 + timedelta(days=1))
    finally:
        await scheduler.shutdown()
    assert DeliveryLedger(store, holder="x", lease=LEASE).last_slots() == {sid: T0}
    assert next_slot_after(SEOUL_8AM, T0) == T0 + timedelta(days=1)
