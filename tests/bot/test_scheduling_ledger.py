"""The deliveries ledger on SQLite and PostgreSQL: claims, races, leases, takeover, release."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import delete

from bot.models import ChannelRef
from bot.scheduling import DeliveryLedger
from bot.store import Store
from bot.store.schema import BriefedArticle, SubscriptionRow
from tests.support.scheduling import (
    T0,
    add_articles,
    add_subscription,
    set_subscription,
    world_services,
)

LEASE = timedelta(minutes=2)
SLOT = T0
CHANNEL = ChannelRef("slack", "C1", "T1")


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    with Store.open(database_url) as opened:
        yield opened


@pytest.fixture
def other_store(store: Store, database_url: str) -> Iterator[Store]:
    """The same database through a second engine: another replica's connections."""
    with Store.open(database_url) as opened:
        yield opened


def test_one_claim_per_slot(store: Store, other_store: Store) -> None:
    sid = add_subscription(store)
    a = DeliveryLedger(store, holder="a#1", lease=LEASE)
    b = DeliveryLedger(other_store, holder="b#1", lease=LEASE)
    first = a.claim(sid, SLOT, T0)
    assert first is not None
    assert first.taken_over_from is None
    assert not first.maybe_posted
    assert b.claim(sid, SLOT, T0) is None  # the loser backs off, no error
    assert a.claim(sid, SLOT, T0) is None  # even its holder cannot claim it twice
    row = a.delivery(sid, SLOT)
    assert row is not None
    assert (row.status, row.claimed_by, row.attempts) == ("claimed", "a#1", 0)
    assert row.lease_until == T0 + LEASE
    # another slot of the same subscription is a separate claim
    assert b.claim(sid, SLOT + timedelta(days=1), T0) is not None


def test_racing_claims_from_many_threads_have_exactly_one_winner(
    store: Store, other_store: Store
) -> None:
    subs = [add_subscription(store, channel=f"C{i}") for i in range(20)]
    ledgers = [
        DeliveryLedger(store if i % 2 else other_store, holder=f"r{i}#x", lease=LEASE)
        for i in range(6)
    ]
    barrier = threading.Barrier(len(ledgers))

    def race(ledger: DeliveryLedger) -> set[int]:
        barrier.wait()
        won = ledger.claim_many([(sid, SLOT) for sid in subs], T0)
        return {sid for sid, _ in won}

    with ThreadPoolExecutor(len(ledgers)) as pool:
        results = list(pool.map(race, ledgers))
    winners = [sid for won in results for sid in won]
    assert sorted(winners) == sorted(subs)  # every slot claimed once, by exactly one ledger


def test_fenced_lifecycle_and_outcomes(store: Store) -> None:
    registry, _ = world_services(store, lambda: T0)
    article_ids = add_articles(store, registry)
    sid = add_subscription(store)
    ledger = DeliveryLedger(store, holder="a#1", lease=LEASE)
    claim = ledger.claim(sid, SLOT, T0)
    assert claim is not None
    assert ledger.mark_posting(claim, T0) == 1
    assert ledger.mark_retrying(claim, "Slack said 500", T0 + timedelta(seconds=1))
    assert ledger.mark_posting(claim, T0 + timedelta(seconds=3)) == 2
    assert ledger.mark_sent(
        claim, "1718.0001", channel=CHANNEL, article_ids=article_ids[:2], now=T0
    )
    row = ledger.delivery(sid, SLOT)
    assert row is not None
    assert (row.status, row.attempts, row.message_id, row.error, row.lease_until) == (
        "sent",
        2,
        "1718.0001",
        None,
        None,
    )
    # final: nothing more can be written by the holder, and the slot is not claimable
    assert ledger.mark_posting(claim, T0) is None
    assert not ledger.mark_failed(claim, "late", T0)
    assert ledger.claim(sid, SLOT, T0 + timedelta(days=1)) is None
    # briefed articles recorded with the post, idempotently (a repeat changes nothing)
    assert not ledger.mark_sent(claim, "x", channel=CHANNEL, article_ids=article_ids[:2], now=T0)
    with store.session(write=False) as session:
        briefed = {
            row.article_id
            for row in session.query(BriefedArticle).filter_by(platform="slack", channel_id="C1")
        }
    assert briefed == set(article_ids[:2])
    assert ledger.last_sent_before(sid, SLOT + timedelta(days=1)) == SLOT
    assert ledger.last_sent_before(sid, SLOT) is None
    assert ledger.last_slots() == {sid: SLOT}


def test_expired_lease_is_taken_over_once_and_fences_the_old_holder(
    store: Store, other_store: Store
) -> None:
    sid = add_subscription(store)
    dead = DeliveryLedger(store, holder="dead#1", lease=LEASE)
    claim = dead.claim(sid, SLOT, T0)
    assert claim is not None
    assert dead.mark_posting(claim, T0) == 1  # it may have posted, then died

    alive = DeliveryLedger(other_store, holder="alive#1", lease=LEASE)
    assert alive.claim(sid, SLOT, T0 + LEASE - timedelta(seconds=1)) is None  # lease still on
    assert alive.expired(T0 + LEASE - timedelta(seconds=1), slots_after=T0 - LEASE) == []
    later = T0 + LEASE + timedelta(seconds=1)
    assert alive.expired(later, slots_after=T0 - timedelta(hours=2)) == [(sid, SLOT)]
    taken = alive.claim(sid, SLOT, later)
    assert taken is not None
    assert (taken.taken_over_from, taken.attempts, taken.maybe_posted) == ("posting", 1, True)
    # the old holder, back from the dead, can no longer act on the claim ...
    assert dead.mark_posting(claim, later) is None
    assert not dead.mark_failed(claim, "zombie", later)
    assert dead.renew([claim.delivery_id], later) == set()
    # ... and the new holder can
    assert alive.mark_posting(taken, later) == 2
    assert alive.renew([taken.delivery_id], later) == {taken.delivery_id}


def test_concurrent_takeover_has_one_winner(store: Store, other_store: Store) -> None:
    sid = add_subscription(store)
    assert DeliveryLedger(store, holder="dead#1", lease=LEASE).claim(sid, SLOT, T0)
    later = T0 + LEASE * 2
    ledgers = [
        DeliveryLedger(store if i % 2 else other_store, holder=f"r{i}#y", lease=LEASE)
        for i in range(6)
    ]
    barrier = threading.Barrier(len(ledgers))

    def take(ledger: DeliveryLedger) -> bool:
        barrier.wait()
        return ledger.claim(sid, SLOT, later) is not None

    with ThreadPoolExecutor(len(ledgers)) as pool:
        assert sorted(pool.map(take, ledgers)) == [False] * 5 + [True]


def test_release_hands_the_claim_over_at_once(store: Store) -> None:
    sid = add_subscription(store)
    mine = DeliveryLedger(store, holder="a#1", lease=LEASE)
    claim = mine.claim(sid, SLOT, T0)
    assert claim is not None
    assert mine.release([claim.delivery_id], T0 + timedelta(seconds=5)) == 1
    other = DeliveryLedger(store, holder="b#1", lease=LEASE)
    taken = other.claim(sid, SLOT, T0 + timedelta(seconds=6))
    assert taken is not None
    assert taken.taken_over_from == "claimed"
    assert not taken.maybe_posted  # released before posting: no need to check the channel


def test_renewal_keeps_the_claim(store: Store) -> None:
    sid = add_subscription(store)
    mine = DeliveryLedger(store, holder="a#1", lease=LEASE)
    claim = mine.claim(sid, SLOT, T0)
    assert claim is not None
    renewed_at = T0 + LEASE - timedelta(seconds=10)
    assert mine.renew([claim.delivery_id], renewed_at) == {claim.delivery_id}
    other = DeliveryLedger(store, holder="b#1", lease=LEASE)
    assert other.claim(sid, SLOT, T0 + LEASE + timedelta(seconds=1)) is None  # renewed


def test_abandoned_claims_older_than_grace_are_closed_and_old_rows_pruned(store: Store) -> None:
    sid = add_subscription(store)
    ledger = DeliveryLedger(store, holder="a#1", lease=LEASE)
    old = ledger.claim(sid, SLOT - timedelta(days=1), T0 - timedelta(days=1))
    recent = ledger.claim(sid, SLOT, T0)
    assert old is not None
    assert recent is not None
    now = T0 + timedelta(hours=1)  # both leases ran out; only yesterday's slot is past grace
    assert ledger.abandon_expired(now, slots_until=now - timedelta(hours=2)) == 1
    row = ledger.delivery(sid, SLOT - timedelta(days=1))
    assert row is not None
    assert row.status == "failed"
    assert "abandoned" in (row.error or "")
    assert ledger.expired(now, slots_after=now - timedelta(hours=4)) == [(sid, SLOT)]
    assert ledger.prune(now) == 1  # the failed row; the open claim stays
    assert ledger.delivery(sid, SLOT - timedelta(days=1)) is None
    assert ledger.delivery(sid, SLOT) is not None


def test_subscriptions_view_reads_schedules_and_skips_bad_rows(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    good = add_subscription(store, days="weekdays")
    cron = add_subscription(store, cron="0 8 * * 1-5", timezone="Europe/London", channel="C2")
    bad = add_subscription(store, channel="C3")
    set_subscription(store, bad, days="1,9")  # a row no current code would write
    subs = DeliveryLedger(store, holder="a#1", lease=LEASE).subscriptions()
    assert set(subs) == {good, cron}
    assert subs[good].schedule.days == (1, 2, 3, 4, 5)
    assert subs[good].schedule.at == "08:00"
    assert subs[cron].schedule.cron == "0 8 * * 1-5"
    assert subs[good].channel == ChannelRef("slack", "C1", "T1")
    assert f"subscription {bad}" in caplog.text


def test_subscriptions_view_sees_every_change_between_reads(store: Store) -> None:
    """Rows unchanged since the last read keep their object; any change is read anew."""
    ledger = DeliveryLedger(store, holder="a#1", lease=LEASE)
    kept = add_subscription(store, channel="C1")
    moved = add_subscription(store, channel="C2")
    paused = add_subscription(store, channel="C3")
    gone = add_subscription(store, channel="C4")
    broken = add_subscription(store, channel="C5")
    first = ledger.subscriptions()
    assert set(first) == {kept, moved, paused, gone, broken}

    # Changed as another process might, without touching updated_at.
    stamp = first[moved].updated_at
    set_subscription(store, moved, at_time="09:30", timezone="Europe/London", updated_at=stamp)
    set_subscription(store, paused, status="paused", updated_at=stamp)
    set_subscription(store, broken, days="1,9")
    with store.session() as session:
        session.execute(delete(SubscriptionRow).where(SubscriptionRow.id == gone))
    added = add_subscription(store, channel="C6", quiet=True)
    second = ledger.subscriptions()

    assert set(second) == {kept, moved, paused, added}
    assert second[kept] is first[kept]
    assert second[moved].schedule.at == "09:30"
    assert second[moved].schedule.timezone == "Europe/London"
    assert second[moved].updated_at == stamp
    assert second[paused].status == "paused"
    assert second[added].quiet
    set_subscription(store, broken, days="1,2")  # mended
    set_subscription(store, paused, status="active")
    third = ledger.subscriptions()
    assert third[broken].schedule.days == (1, 2)
    assert third[paused].active
    assert third[kept] is first[kept]
