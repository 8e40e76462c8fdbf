"""The deliveries table as an exactly-once ledger, and the scheduler's view of subscriptions.

One row per (subscription, slot), under ``UNIQUE(subscription_id, slot_at)``.  A replica
*claims* a slot by inserting its row (``INSERT ... ON CONFLICT DO NOTHING RETURNING id``:
losers get nothing back and back off, without an error in the database log).  The claim
holds a lease that the holder renews while it works; a claim whose lease ran out (its
replica died or hung) is *taken over* by one ``UPDATE ... WHERE lease_until <= now``, which
the database runs atomically (a row lock on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so
exactly one replica wins it.

Statuses::

    claimed ──► posting ──► sent                 (message id recorded)
                   │   └──► failed               (given up; error recorded)
                   └──► retrying ──► posting ...
    claimed ──► skipped                          (quiet subscription, nothing new)

``posting`` is written *before* the platform call, so a replica taking over knows whether
the message may already be out (``Claim.maybe_posted``).  Every write by the holder is
fenced by ``claimed_by``, which carries a per-process token as well as the replica id.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import (
    JSON,
    Row,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.errors import BadSchedule
from bot.models import ChannelRef, Platform, Schedule
from bot.store import Store
from bot.store.schema import BriefedArticle, Delivery, SubscriptionRow

__all__ = [
    "ACTIVE",
    "Claim",
    "DeliveryLedger",
    "Due",
    "ScheduledSubscription",
]

log = logging.getLogger(__name__)

ACTIVE = ("claimed", "posting", "retrying")  # a claim someone is (or was) working on
FINAL = ("sent", "failed", "skipped")
_CHUNK = 500  # ids per IN (...) list
_T = TypeVar("_T")

# The per-delivery writes, built once: a fan-out runs them thousands of times a minute, and
# building an ORM statement costs more than running it.
_DELIVERIES = cast(Table, Delivery.__table__)
_BRIEFED_ARTICLES = cast(Table, BriefedArticle.__table__)
_D = _DELIVERIES.c
_HELD = and_(
    _D.id == bindparam("p_id"), _D.claimed_by == bindparam("p_holder"), _D.status.in_(ACTIVE)
)
_MARK_POSTING = (
    update(_DELIVERIES)
    .where(_HELD)
    .values(
        status="posting",
        attempts=_D.attempts + 1,
        article_ids=bindparam("p_articles", type_=JSON),
        lease_until=bindparam("p_lease"),
        updated_at=bindparam("p_now"),
    )
    .returning(_D.attempts)
)
_RECORD_PARTS = (
    update(_DELIVERIES)
    .where(_D.id == bindparam("p_id"), _D.status.in_(ACTIVE))
    .values(parts=bindparam("p_parts", type_=JSON), updated_at=bindparam("p_now"))
)
_MARK_RETRYING = (
    update(_DELIVERIES)
    .where(_HELD)
    .values(
        status="retrying",
        error=bindparam("p_error"),
        lease_until=bindparam("p_lease"),
        updated_at=bindparam("p_now"),
    )
)
_FINISH = (
    update(_DELIVERIES)
    .where(_HELD)
    .values(
        status=bindparam("p_status"),
        error=bindparam("p_error"),
        lease_until=None,
        updated_at=bindparam("p_now"),
    )
)
_MARK_SENT = (
    update(_DELIVERIES)
    .where(_D.id == bindparam("p_id"), _D.status.in_(ACTIVE))
    .values(
        status="sent",
        message_id=bindparam("p_message"),
        error=None,
        lease_until=None,
        updated_at=bindparam("p_now"),
    )
    .returning(_D.claimed_by, _D.article_ids)
)
_LAST_SENT_BEFORE = select(func.max(_D.slot_at)).where(
    _D.subscription_id == bindparam("p_subscription"),
    _D.status == "sent",
    _D.slot_at < bindparam("p_slot"),
)
# What the scheduler reads of a subscription, as plain rows: the whole table every resync,
# and a claim batch's subscriptions with every claim.
_S = cast(Table, SubscriptionRow.__table__).c
_SCHEDULED = (
    _S.id,
    _S.platform,
    _S.workspace_id,
    _S.channel_id,
    _S.topic_slug,
    _S.timezone,
    _S.at_time,
    _S.days,
    _S.cron,
    _S.quiet,
    _S.status,
    _S.created_at,
    _S.updated_at,
)
_ALL_SUBSCRIPTIONS = select(*_SCHEDULED).order_by(_S.id)
_SUBSCRIPTIONS_IN = select(*_SCHEDULED).where(_S.id.in_(bindparam("p_ids", expanding=True)))
_BRIEFED = {
    "postgresql": postgresql.insert(_BRIEFED_ARTICLES).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(_BRIEFED_ARTICLES).on_conflict_do_nothing(),
}


@dataclass(frozen=True, slots=True)
class Claim:
    """A (subscription, slot) this replica holds the right to deliver."""

    delivery_id: int
    subscription_id: int
    slot_at: datetime
    attempts: int = 0
    taken_over_from: str | None = None  # the status of a claim whose lease ran out
    parts: tuple[str, ...] = ()  # ids of the parts a previous holder posted (a takeover)

    @property
    def maybe_posted(self) -> bool:
        """The previous holder started posting: the message may already be in the channel."""
        return self.taken_over_from in ("posting", "retrying") and self.attempts > 0


@dataclass(frozen=True, slots=True)
class Due:
    """A due slot as ``claim_due`` found it: its subscription (None: removed) and our claim."""

    subscription: ScheduledSubscription | None
    claim: Claim | None


@dataclass(frozen=True, slots=True)
class ScheduledSubscription:
    """A subscription as the scheduler sees it (one row of the subscriptions table)."""

    id: int
    channel: ChannelRef
    topic_slug: str
    schedule: Schedule
    quiet: bool
    status: str
    created_at: datetime
    updated_at: datetime

    @property
    def active(self) -> bool:
        return self.status == "active"

    def fingerprint(self) -> tuple[object, ...]:
        """What, when it changes, means the job must be rebuilt."""
        return (self.schedule, self.status, self.channel, self.topic_slug, self.quiet)


def _days(text: str | None) -> tuple[int, ...]:
    if not text:
        return (1, 2, 3, 4, 5, 6, 7)
    days = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    if not days or any(not 1 <= day <= 7 for day in days):
        raise BadSchedule(f"Stored days '{text}' are not ISO weekdays 1-7.")
    return days


def _scheduled(row: SubscriptionRow | Row[*tuple[Any, ...]]) -> ScheduledSubscription:
    platform = row.platform
    if platform not in ("discord", "slack"):
        raise BadSchedule(f"Unknown platform '{platform}'.")
    return ScheduledSubscription(
        id=row.id,
        channel=ChannelRef(
            platform=cast(Platform, platform),
            channel_id=row.channel_id,
            workspace_id=row.workspace_id,
        ),
        topic_slug=row.topic_slug,
        schedule=Schedule(
            timezone=row.timezone,
            at=row.at_time,
            days=_days(row.days),
            cron=row.cron,
        ),
        quiet=bool(row.quiet),
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at or row.created_at,
    )


def _on_conflict_insert(dialect: str) -> Any:
    if dialect == "postgresql":
        return postgresql.insert
    if dialect == "sqlite":
        return sqlite.insert
    return None


class DeliveryLedger:
    """Claims, leases and outcomes in the deliveries table.  Synchronous: call it from a thread.

    ``holder`` goes into ``claimed_by``: the replica id plus a per-process token, so two
    incarnations of one replica never mistake each other's claims for their own.
    """

    def __init__(self, store: Store, *, holder: str, lease: timedelta) -> None:
        if lease <= timedelta(0):
            raise ValueError("the lease must be positive")
        self.store = store
        self.holder = holder[:128]
        self.lease = lease
        # The last ``subscriptions()``: each id's row values and what was made of them.
        self._known: dict[int, tuple[tuple[Any, ...], ScheduledSubscription]] = {}

    # ------------------------------------------------------------------ subscriptions

    def subscriptions(self) -> dict[int, ScheduledSubscription]:
        """Every subscription whose stored schedule is usable, by id (bad rows are logged).

        The scheduler reads the whole table every resync; a row whose values are the same as
        last time keeps the ``ScheduledSubscription`` made of them then.
        """
        with self.store.session(write=False) as session:
            rows = session.execute(_ALL_SUBSCRIPTIONS).all()
        known = self._known
        now_known: dict[int, tuple[tuple[Any, ...], ScheduledSubscription]] = {}
        found: dict[int, ScheduledSubscription] = {}
        for row in rows:
            values = tuple(row)
            previous = known.get(row.id)
            if previous is not None and previous[0] == values:
                sub = previous[1]
            else:
                try:
                    sub = _scheduled(row)
                except (BadSchedule, ValueError) as exc:
                    log.error("subscription %d has an unusable schedule: %s", row.id, exc)
                    continue
            now_known[row.id] = (values, sub)
            found[row.id] = sub
        self._known = now_known
        return found

    def subscription(self, subscription_id: int) -> ScheduledSubscription | None:
        with self.store.session(write=False) as session:
            row = session.get(SubscriptionRow, subscription_id)
            return _scheduled(row) if row is not None else None

    # ------------------------------------------------------------------ paused channels

    def due_rechecks(
        self,
        now: datetime,
        *,
        platforms: Collection[str],
        backoff: timedelta,
        cap: timedelta,
    ) -> list[ScheduledSubscription]:
        """Claim the paused subscriptions whose channel is due a check, on ``platforms``.

        Each one's next check moves out first (``backoff`` doubled per check that found the
        channel still closed, at most ``cap``), in the same fenced update that claims it: one
        replica checks a channel, and a replica that dies mid-check costs one interval.
        """
        claimed: list[ScheduledSubscription] = []
        with self.store.session() as session:
            rows = session.execute(
                select(*_SCHEDULED, _S.rechecks, _S.recheck_at)
                .where(
                    _S.status == "paused",
                    _S.recheck_at.is_not(None),
                    _S.recheck_at <= now,
                    _S.platform.in_(sorted(platforms)),
                )
                .order_by(_S.recheck_at, _S.id)
                .limit(_CHUNK)
            ).all()
            for row in rows:
                step = backoff * (2 ** min(int(row.rechecks or 0) + 1, 30))
                won = session.execute(
                    update(SubscriptionRow)
                    .where(
                        SubscriptionRow.id == row.id,
                        SubscriptionRow.status == "paused",
                        SubscriptionRow.recheck_at <= now,
                    )
                    .values(
                        recheck_at=now + min(step, cap),
                        rechecks=SubscriptionRow.rechecks + 1,
                    )
                )
                if not _changed(won):
                    continue
                try:
                    claimed.append(_scheduled(row))
                except (BadSchedule, ValueError) as exc:
                    log.error("subscription %d has an unusable schedule: %s", row.id, exc)
        return claimed

    def reopen(self, subscription_id: int, now: datetime) -> bool:
        """Resume a paused subscription whose channel accepts again; False if it is not paused
        any more (someone resumed or removed it meanwhile)."""
        with self.store.session() as session:
            result = session.execute(
                update(SubscriptionRow)
                .where(SubscriptionRow.id == subscription_id, SubscriptionRow.status == "paused")
                .values(
                    status="active",
                    paused_reason=None,
                    recheck_at=None,
                    rechecks=0,
                    updated_at=now,
                )
            )
            return _changed(result)

    def still_closed(self, subscription_id: int, reason: str) -> None:
        """The check found the channel still closed: keep the platform's latest reason."""
        with self.store.session() as session:
            session.execute(
                update(SubscriptionRow)
                .where(SubscriptionRow.id == subscription_id, SubscriptionRow.status == "paused")
                .values(paused_reason=reason[:500])
            )

    def next_recheck(self, subscription_id: int) -> datetime | None:
        """When a paused subscription's channel is checked next (None: not scheduled)."""
        with self.store.session(write=False) as session:
            value: datetime | None = session.scalar(
                select(SubscriptionRow.recheck_at).where(SubscriptionRow.id == subscription_id)
            )
            return value

    # ------------------------------------------------------------------ claims

    def claim(self, subscription_id: int, slot_at: datetime, now: datetime) -> Claim | None:
        """Claim the slot, or take over an expired claim on it; None when someone else has it."""
        return self.claim_many([(subscription_id, slot_at)], now).get((subscription_id, slot_at))

    def claim_many(
        self, slots: Sequence[tuple[int, datetime]], now: datetime
    ) -> dict[tuple[int, datetime], Claim]:
        """Claim many (subscription, slot) pairs in one transaction; the ones won, by pair.

        A fan-out of thousands of slots due in the same minute costs one round trip per
        batch instead of one transaction per slot.
        """
        wanted = list(dict.fromkeys(slots))
        if not wanted:
            return {}
        with self.store.session() as session:
            return self._claim_in(session, wanted, now)

    def claim_due(
        self,
        slots: Sequence[tuple[int, datetime]],
        now: datetime,
        *,
        platforms: Collection[str],
    ) -> dict[tuple[int, datetime], Due]:
        """Claim due slots of active subscriptions on ``platforms``, in one transaction.

        Reads the subscriptions in the same transaction: what each pair is, whether it may be
        delivered here (a subscription paused or removed meanwhile is not claimed), and the
        claim when this replica won it.
        """
        wanted = list(dict.fromkeys(slots))
        if not wanted:
            return {}
        with self.store.session() as session:
            subs: dict[int, ScheduledSubscription] = {}
            for chunk in _chunks(sorted({sid for sid, _ in wanted})):
                for row in session.execute(_SUBSCRIPTIONS_IN, {"p_ids": chunk}):
                    try:
                        subs[row.id] = _scheduled(row)
                    except (BadSchedule, ValueError) as exc:
                        log.error("subscription %d has an unusable schedule: %s", row.id, exc)
            eligible = [
                (sid, slot)
                for sid, slot in wanted
                if sid in subs and subs[sid].active and subs[sid].channel.platform in platforms
            ]
            won = self._claim_in(session, eligible, now) if eligible else {}
        return {pair: Due(subs.get(pair[0]), won.get(pair)) for pair in wanted}

    def _claim_in(
        self, session: Session, wanted: Sequence[tuple[int, datetime]], now: datetime
    ) -> dict[tuple[int, datetime], Claim]:
        lease_until = now + self.lease
        won: dict[tuple[int, datetime], Claim] = {}
        for subscription_id, slot_at, delivery_id in self._insert_claims(
            session, wanted, lease_until, now
        ):
            won[(subscription_id, slot_at)] = Claim(delivery_id, subscription_id, slot_at)
        rest = [pair for pair in wanted if pair not in won]
        for chunk in _chunks(rest):
            taken = session.execute(
                update(Delivery)
                .where(
                    tuple_(Delivery.subscription_id, Delivery.slot_at).in_(chunk),
                    Delivery.status.in_(ACTIVE),
                    Delivery.lease_until <= now,
                )
                .values(claimed_by=self.holder, lease_until=lease_until, updated_at=now)
                .returning(
                    Delivery.id,
                    Delivery.subscription_id,
                    Delivery.slot_at,
                    Delivery.status,
                    Delivery.attempts,
                    Delivery.parts,
                )
            ).all()
            for row in taken:
                log.info(
                    "took over delivery of subscription %d slot %s (lease expired, was %s)",
                    row.subscription_id,
                    row.slot_at.isoformat(),
                    row.status,
                )
                won[(row.subscription_id, row.slot_at)] = Claim(
                    row.id,
                    row.subscription_id,
                    row.slot_at,
                    row.attempts,
                    row.status,
                    tuple(str(part) for part in row.parts or ()),
                )
        return won

    def _insert_claims(
        self,
        session: Session,
        wanted: Sequence[tuple[int, datetime]],
        lease_until: datetime,
        now: datetime,
    ) -> list[tuple[int, datetime, int]]:
        dialect_insert = _on_conflict_insert(session.get_bind().dialect.name)
        inserted: list[tuple[int, datetime, int]] = []
        for chunk in _chunks(wanted):
            rows = [
                {
                    "subscription_id": subscription_id,
                    "slot_at": slot_at,
                    "status": "claimed",
                    "attempts": 0,
                    "claimed_by": self.holder,
                    "lease_until": lease_until,
                    "created_at": now,
                    "updated_at": now,
                }
                for subscription_id, slot_at in chunk
            ]
            if dialect_insert is None:
                inserted.extend(_insert_one_by_one(session, rows))
                continue
            stmt = (
                dialect_insert(Delivery)
                .values(rows)
                .on_conflict_do_nothing(index_elements=["subscription_id", "slot_at"])
                .returning(Delivery.id, Delivery.subscription_id, Delivery.slot_at)
            )
            inserted.extend(
                (row.subscription_id, row.slot_at, row.id) for row in session.execute(stmt)
            )
        return inserted

    def _held(self, claim: Claim) -> dict[str, Any]:
        return {"p_id": claim.delivery_id, "p_holder": self.holder}

    def mark_posting(
        self, claim: Claim, now: datetime, *, article_ids: Iterable[int] = ()
    ) -> int | None:
        """Record that an attempt starts, with the articles it posts; the new attempt count, or
        None if the claim was lost.

        ``article_ids`` are stored with the claim before anything is posted: a replica that
        takes the claim over and finds the post in the channel records them as briefed.
        """
        with self.store.session() as session:
            attempts: int | None = session.execute(
                _MARK_POSTING,
                {
                    **self._held(claim),
                    "p_articles": sorted(set(article_ids)),
                    "p_lease": now + self.lease,
                    "p_now": now,
                },
            ).scalar()
            return attempts

    def record_parts(self, claim: Claim, parts: Sequence[str], now: datetime) -> bool:
        """Record the ids of the parts of a briefing already in the channel (in order), so a
        retry or a takeover continues from the first missing one.  Not fenced by holder:
        the parts are out whoever holds the claim now."""
        with self.store.session() as session:
            result = session.execute(
                _RECORD_PARTS,
                {"p_id": claim.delivery_id, "p_parts": [p[:128] for p in parts], "p_now": now},
            )
            return _changed(result)

    def mark_retrying(self, claim: Claim, error: str, now: datetime) -> bool:
        with self.store.session() as session:
            result = session.execute(
                _MARK_RETRYING,
                {
                    **self._held(claim),
                    "p_error": error[:2000],
                    "p_lease": now + self.lease,
                    "p_now": now,
                },
            )
            return _changed(result)

    def mark_sent(
        self,
        claim: Claim,
        message_id: str,
        *,
        channel: ChannelRef,
        article_ids: Iterable[int] | None,
        now: datetime,
    ) -> bool:
        """Record the post and what the channel has now been briefed on, in one transaction.

        ``article_ids`` None: the ones stored with the claim by ``mark_posting`` (a replica
        that found the post of one that died records what that one posted).
        Not fenced by holder: the message is out, and saying so stops a replica that took
        the claim over meanwhile from posting it again.  False when the row was already final.
        """
        with self.store.session() as session:
            holder = session.execute(
                _MARK_SENT, {"p_id": claim.delivery_id, "p_message": message_id[:128], "p_now": now}
            ).first()
            if article_ids is None:
                article_ids = holder.article_ids or () if holder is not None else ()
            ids = sorted({int(article_id) for article_id in article_ids})
            if ids:
                self._record_briefed(session, channel, ids, now)
        if holder is not None and holder.claimed_by != self.holder:
            log.warning(
                "delivery %d was taken over while this replica posted it; recorded as sent",
                claim.delivery_id,
            )
        return holder is not None

    @staticmethod
    def _record_briefed(
        session: Session, channel: ChannelRef, article_ids: Sequence[int], now: datetime
    ) -> None:
        rows = [
            {
                "platform": channel.platform,
                "channel_id": channel.channel_id,
                "article_id": article_id,
                "briefed_at": now,
            }
            for article_id in article_ids
        ]
        statement = _BRIEFED.get(session.get_bind().dialect.name)
        if statement is not None:
            session.execute(statement, rows)
            return
        known = set(
            session.scalars(
                select(BriefedArticle.article_id).where(
                    BriefedArticle.platform == channel.platform,
                    BriefedArticle.channel_id == channel.channel_id,
                    BriefedArticle.article_id.in_(article_ids),
                )
            )
        )
        fresh = [row for row in rows if row["article_id"] not in known]
        if fresh:
            session.execute(insert(BriefedArticle), fresh)

    def mark_failed(self, claim: Claim, error: str, now: datetime) -> bool:
        return self._finish(claim, "failed", error, now)

    def mark_skipped(self, claim: Claim, reason: str, now: datetime) -> bool:
        return self._finish(claim, "skipped", reason, now)

    def _finish(self, claim: Claim, status: str, error: str, now: datetime) -> bool:
        with self.store.session() as session:
            result = session.execute(
                _FINISH,
                {**self._held(claim), "p_status": status, "p_error": error[:2000], "p_now": now},
            )
            return _changed(result)

    def release(self, delivery_ids: Iterable[int], now: datetime) -> int:
        """Give claims up (shutdown): their lease ends now, so any replica may take them over."""
        released = 0
        for chunk in _chunks(delivery_ids):
            with self.store.session() as session:
                result = session.execute(
                    update(Delivery)
                    .where(
                        Delivery.id.in_(chunk),
                        Delivery.claimed_by == self.holder,
                        Delivery.status.in_(ACTIVE),
                    )
                    .values(lease_until=now, updated_at=now)
                )
                released += _rowcount(result)
        return released

    def renew(self, delivery_ids: Iterable[int], now: datetime) -> set[int]:
        """Extend the leases of claims still held; the ids that are still ours."""
        held: set[int] = set()
        for chunk in _chunks(delivery_ids):
            with self.store.session() as session:
                held.update(
                    session.scalars(
                        update(Delivery)
                        .where(
                            Delivery.id.in_(chunk),
                            Delivery.claimed_by == self.holder,
                            Delivery.status.in_(ACTIVE),
                        )
                        .values(lease_until=now + self.lease)
                        .returning(Delivery.id)
                    )
                )
        return held

    # ------------------------------------------------------------------ sweeping

    def expired(self, now: datetime, *, slots_after: datetime) -> list[tuple[int, datetime]]:
        """(subscription, slot) of claims whose lease ran out, for slots after ``slots_after``."""
        with self.store.session(write=False) as session:
            rows = session.execute(
                select(Delivery.subscription_id, Delivery.slot_at)
                .where(
                    Delivery.status.in_(ACTIVE),
                    Delivery.lease_until <= now,
                    Delivery.slot_at > slots_after,
                )
                .order_by(Delivery.slot_at, Delivery.id)
            ).all()
            return [(row.subscription_id, row.slot_at) for row in rows]

    def next_expiry(self, now: datetime, *, slots_after: datetime) -> datetime | None:
        """When the next lease held by another process runs out (for slots after the bound)."""
        with self.store.session(write=False) as session:
            value: datetime | None = session.scalar(
                select(func.min(Delivery.lease_until)).where(
                    Delivery.status.in_(ACTIVE),
                    Delivery.lease_until > now,
                    Delivery.slot_at > slots_after,
                    Delivery.claimed_by != self.holder,
                )
            )
            return value  # min() keeps the column's type: aware UTC on every database

    def abandon_expired(self, now: datetime, *, slots_until: datetime) -> int:
        """Close claims that ran out of lease and whose slot is too old to deliver any more."""
        with self.store.session() as session:
            result = session.execute(
                update(Delivery)
                .where(
                    Delivery.status.in_(ACTIVE),
                    Delivery.lease_until <= now,
                    Delivery.slot_at <= slots_until,
                )
                .values(
                    status="failed",
                    error="abandoned: the replica delivering it stopped, and the slot is older "
                    "than the misfire grace",
                    lease_until=None,
                    updated_at=now,
                )
            )
            return _rowcount(result)

    def prune(self, before: datetime) -> int:
        """Delete finished rows of slots before ``before``, so the ledger does not grow forever."""
        with self.store.session() as session:
            result = session.execute(
                delete(Delivery).where(Delivery.status.in_(FINAL), Delivery.slot_at < before)
            )
            return _rowcount(result)

    # ------------------------------------------------------------------ history

    def last_slots(self) -> dict[int, datetime]:
        """The newest slot with a row (any status), per subscription."""
        with self.store.session(write=False) as session:
            rows = session.execute(
                select(Delivery.subscription_id, func.max(Delivery.slot_at)).group_by(
                    Delivery.subscription_id
                )
            ).all()
            return {sid: slot for sid, slot in rows if slot is not None}

    def last_sent_before(self, subscription_id: int, slot_at: datetime) -> datetime | None:
        """The slot of this subscription's last delivered briefing before ``slot_at``."""
        with self.store.session(write=False) as session:
            value: datetime | None = session.scalar(
                _LAST_SENT_BEFORE, {"p_subscription": subscription_id, "p_slot": slot_at}
            )
            return value

    def delivery(self, subscription_id: int, slot_at: datetime) -> Delivery | None:
        """The row of one (subscription, slot), detached (for inspection and tests)."""
        with self.store.session(write=False) as session:
            row = session.scalar(
                select(Delivery).where(
                    Delivery.subscription_id == subscription_id, Delivery.slot_at == slot_at
                )
            )
            if row is not None:
                session.expunge(row)
            return row


def _insert_one_by_one(
    session: Session, rows: Sequence[dict[str, Any]]
) -> list[tuple[int, datetime, int]]:
    """Claims on a database without ON CONFLICT: the UNIQUE constraint refuses the losers."""
    inserted = []
    for row in rows:
        try:
            with session.begin_nested():
                delivery_id = session.execute(
                    insert(Delivery).values(**row).returning(Delivery.id)
                ).scalar_one()
        except IntegrityError:
            continue
        inserted.append((row["subscription_id"], row["slot_at"], delivery_id))
    return inserted


def _changed(result: Any) -> bool:
    return _rowcount(result) > 0


def _rowcount(result: Any) -> int:
    count = getattr(result, "rowcount", 0)
    return int(count) if count is not None and count >= 0 else 0


def _chunks(ids: Iterable[_T]) -> Iterable[list[_T]]:
    batch: list[_T] = []
    for value in ids:
        batch.append(value)
        if len(batch) == _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch
