"""``BriefingScheduler``: every replica schedules, exactly one delivers each slot.

How it fits together (all on the running event loop of ``briefbot run``):

* **APScheduler 3** ``AsyncIOScheduler`` holds one job per active subscription, built from
  the subscriptions table at start.  Its trigger is ``next_slot_after`` (our DST rules, not
  the cron library's).  Jobs coalesce and get ``misfire_grace`` on purpose: if the loop was
  busy past a slot, the slot still goes out, once.  APScheduler is only the alarm clock; it
  cannot share a job store between processes (its FAQ), so coordination is in the database.
* **Keeping in step**: every ``resync_every`` the table is read again and jobs are added,
  rebuilt or removed for subscriptions created, changed, paused or deleted by any process.
* **Catch-up on start**: APScheduler only sees slots while it runs.  On start, each
  subscription's newest slot since its last delivery row (and since it was created or last
  changed) is delivered late if it is within ``misfire_grace``; older missed slots are
  skipped.
* **Exactly once**: a due slot is claimed in the deliveries table (``DeliveryLedger``); the
  replica that wins posts, the others back off.  Claims are renewed by a heartbeat while
  their replica works; a claim whose lease ran out (its replica died) is found by the sweep
  that runs with every resync and taken over by one replica.
* **Fan-out**: claims are batched; posts are paced under each platform's limits (``Pacer``)
  so thousands of slots in one minute do not bounce off 429s; database work runs on a small
  thread pool of its own so chat commands keep their threads.
* **Faults**: ``DeliveryError`` is retried with exponential backoff within the slot (the
  adapters already retried 429/5xx with ``Retry-After``); a retry continues from the first
  part of the briefing not yet posted (the parts posted are recorded in the ledger), and a
  briefing is "sent" only when all its parts are.  ``ChannelUnavailable`` pauses the
  subscription with the platform's reason.
* **Paused channels**: a subscription paused because its channel refused is checked again on
  its own, ``recheck_backoff`` after the pause and then at doubling intervals (at most
  ``recheck_cap``); when the platform accepts again (``ChannelChecker``), it is resumed.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, ParamSpec, Protocol, TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from bot import metrics
from bot.errors import BriefbotError, ChannelUnavailable, DeliveryError
from bot.models import Briefing, ChannelRef, Schedule
from bot.store import Store

from .content import SLOT_COUNT, compose_slot
from .ledger import Claim, DeliveryLedger, Due, ScheduledSubscription
from .pacing import DEFAULT_PACING, Pacer, Pacing
from .publisher import ChannelChecker, IdempotentPublisher, Publisher, delivery_key
from .slots import latest_slot, next_slot_after

__all__ = [
    "BriefingProvider",
    "BriefingScheduler",
    "Outcome",
    "SubscriptionPauser",
]

log = logging.getLogger(__name__)

Outcome = Literal["sent", "skipped", "already", "failed", "paused"]

_P = ParamSpec("_P")
_R = TypeVar("_R")

# A job may wake a little before its slot (clock granularity); the slot still counts as due.
_FIRE_TOLERANCE = timedelta(seconds=2)
_PRUNE_EVERY = timedelta(hours=1)
_KEEP_DELIVERIES = timedelta(days=90)
_CLAIM_BATCH = 500
_COMPOSE_LEAD = 1.0  # seconds before its turn a post's briefing is built


class BriefingProvider(Protocol):
    """What the scheduler needs from ``bot.briefing.BriefingService``."""

    def brief(
        self, topic: str, count: int = ..., *, exclude_channel: ChannelRef | None = ...
    ) -> Briefing: ...


class SubscriptionPauser(Protocol):
    """What the scheduler needs from ``bot.subscriptions.SubscriptionService``."""

    def pause(
        self, subscription_id: int, reason: str, *, recheck_at: datetime | None = ...
    ) -> object: ...


def _utcnow() -> datetime:
    return datetime.now(UTC)


class _Lost(Exception):
    """Our claim was taken over (our lease ran out): stop without posting."""


class _SlotTrigger(BaseTrigger):  # type: ignore[misc]  # APScheduler ships no type hints
    """APScheduler trigger firing at a schedule's slots, as seen on the scheduler's clock.

    APScheduler compares fire times with the wall clock; ``skew`` (scheduler clock minus
    wall clock, zero in production) maps our slots onto it so that an injected clock
    drives real jobs in tests.
    """

    __slots__ = ("last", "schedule", "skew")

    def __init__(self, schedule: Schedule, skew: Callable[[], timedelta]) -> None:
        self.schedule = schedule
        self.skew = skew
        self.last: tuple[datetime, datetime] | None = None  # (fire time, slot) last handed out

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        skew = self.skew()
        if previous_fire_time is not None:
            after = previous_fire_time + skew + timedelta(seconds=1)
        else:
            after = now + skew
        slot = next_slot_after(self.schedule, after.astimezone(UTC))
        if slot is None:
            return None
        self.last = (slot - skew, slot)
        return self.last[0]

    def slot_of(self, fire_time: datetime) -> datetime:
        """The slot behind a fire time this trigger handed out."""
        if self.last is not None and self.last[0] == fire_time:
            return self.last[1]
        return (fire_time + self.skew()).astimezone(UTC)

    def __str__(self) -> str:
        return f"slots[{self.schedule.describe()}]"


@dataclass(slots=True)
class _ClaimRequest:
    subscription_id: int
    slot_at: datetime
    future: asyncio.Future[Due] = field(repr=False)


class BriefingScheduler:
    """Delivers scheduled briefings exactly once per (subscription, slot), across replicas."""

    def __init__(
        self,
        *,
        store: Store,
        briefings: BriefingProvider,
        subscriptions: SubscriptionPauser,
        publishers: Mapping[str, Publisher],
        replica_id: str,
        misfire_grace: timedelta,
        lease: timedelta = timedelta(minutes=2),
        resync_every: timedelta = timedelta(seconds=10),
        clock: Callable[[], datetime] = _utcnow,
        count: int = SLOT_COUNT,
        max_attempts: int = 4,
        retry_backoff: timedelta = timedelta(seconds=2),
        pacing: Mapping[str, Pacing] = DEFAULT_PACING,
        db_threads: int = 4,
        drain_timeout: timedelta = timedelta(seconds=3),
        recheck_backoff: timedelta = timedelta(minutes=5),
        recheck_cap: timedelta = timedelta(hours=6),
    ) -> None:
        if misfire_grace < timedelta(0):
            raise ValueError("misfire_grace cannot be negative")
        self._store = store
        self._briefings = briefings
        self._subscriptions = subscriptions
        self._publishers = dict(publishers)
        self.replica_id = replica_id
        # claimed_by: the replica id plus a token for this process, so a restarted replica
        # with the same id never mistakes its predecessor's claims for its own.
        self._ledger = DeliveryLedger(
            store, holder=f"{replica_id[:110]}#{secrets.token_hex(4)}", lease=lease
        )
        self._grace = misfire_grace
        self._lease = lease
        self._resync_every = resync_every
        self._clock = clock
        self._count = count
        self._max_attempts = max(1, max_attempts)
        self._retry_backoff = retry_backoff
        self._pacer = Pacer(pacing)
        self._db_threads = db_threads
        self._executor: ThreadPoolExecutor | None = None
        self._drain_timeout = drain_timeout
        self._recheck_backoff = recheck_backoff
        self._recheck_cap = max(recheck_cap, recheck_backoff)

        self._aps: AsyncIOScheduler | None = None
        self._subs: dict[int, ScheduledSubscription] = {}
        self._inflight: set[tuple[int, datetime]] = set()
        self._held: dict[int, Claim] = {}
        self._tasks: set[asyncio.Task[Outcome]] = set()
        self._posting: set[asyncio.Task[Any]] = set()
        self._claim_queue: asyncio.Queue[_ClaimRequest] | None = None
        self._batcher: asyncio.Task[None] | None = None
        self._sweep_timer: asyncio.Task[None] | None = None
        self._background: list[asyncio.Task[None]] = []
        self._running = False
        self._stopping = False
        self._last_prune: datetime | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def running(self) -> bool:
        return self._running

    @property
    def ledger(self) -> DeliveryLedger:
        return self._ledger

    @property
    def pacer(self) -> Pacer:
        """The platform rate limits this scheduler posts within (``pacing=``)."""
        return self._pacer

    async def start(self) -> None:
        """Start inside the running loop: jobs from the table, catch-up, sweeps, heartbeat."""
        if self._running:
            return
        self._stopping = False
        subs = await self._db(self._ledger.subscriptions)
        self._aps = AsyncIOScheduler(
            timezone=UTC,
            # "Added job ..." once per subscription at start: under our name, so an operator
            # with 10,000 subscriptions can quiet it without quieting APScheduler elsewhere.
            logger=logging.getLogger(f"{__name__}.apscheduler"),
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                # APScheduler's own default is 1 s: a busy loop would silently drop slots.
                "misfire_grace_time": max(1, int(self._grace.total_seconds())),
            },
        )
        self._subs = {}
        for sub in subs.values():
            self._apply(sub)
        self._aps.start()
        self._running = True
        log.info(
            "scheduler started as %s: %d subscriptions, %d scheduled here",
            self._ledger.holder,
            len(subs),
            len(self._aps.get_jobs()),
        )
        await self._catch_up()
        await self._sweep()
        self._background = [
            asyncio.create_task(self._every(self._resync_every, self.resync), name="resync"),
            asyncio.create_task(self._every(self._lease / 3, self._heartbeat), name="heartbeat"),
        ]

    async def shutdown(self) -> None:
        """Stop: no new slots; posts in flight finish (briefly); other claims are released."""
        self._stopping = True
        was_running = self._running
        self._running = False
        if self._sweep_timer is not None:
            self._background.append(self._sweep_timer)
            self._sweep_timer = None
        for task in self._background:
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        self._background = []
        if self._aps is not None and was_running:
            self._aps.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the next loop iteration
        self._aps = None
        # Claims that are only waiting (for a claim batch, the pacer or a retry) are released
        # at once; posts already on the wire get ``drain_timeout`` to finish.
        for waiting in list(self._tasks - self._posting):
            waiting.cancel()
        pending = set(self._tasks)
        if pending:
            _, pending = await asyncio.wait(pending, timeout=self._drain_timeout.total_seconds())
            for overdue in pending:
                overdue.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._batcher is not None:  # idle now: every task that could ask for a claim is done
            self._batcher.cancel()
            await asyncio.gather(self._batcher, return_exceptions=True)
            self._batcher = None
            self._claim_queue = None
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        if was_running:
            log.info("scheduler stopped")

    async def _every(self, period: timedelta, action: Callable[[], Awaitable[None]]) -> None:
        while True:
            await asyncio.sleep(period.total_seconds())
            try:
                await action()
            except asyncio.CancelledError:
                raise
            except BriefbotError as exc:  # StoreError: the database is away; try again later
                log.warning("scheduler %s: %s", getattr(action, "__name__", "task"), exc)
            except Exception:
                log.exception("scheduler %s failed", getattr(action, "__name__", "task"))

    # ------------------------------------------------------------------ jobs

    def _skew(self) -> timedelta:
        return self._clock() - datetime.now(UTC)

    def _apply(self, sub: ScheduledSubscription) -> None:
        """Make the job for ``sub`` match it (add, rebuild or remove)."""
        assert self._aps is not None
        job_id = f"subscription-{sub.id}"
        old = self._subs.get(sub.id)
        self._subs[sub.id] = sub
        wanted = sub.active and sub.channel.platform in self._publishers
        if not wanted:
            if self._aps.get_job(job_id) is not None:
                self._aps.remove_job(job_id)
            return
        # The ledger hands back the same object for a row that did not change.
        unchanged = old is not None and (old is sub or old.fingerprint() == sub.fingerprint())
        if unchanged and self._aps.get_job(job_id) is not None:
            return
        try:
            self._aps.add_job(
                self._fire,
                trigger=_SlotTrigger(sub.schedule, self._skew),
                args=[sub.id],
                id=job_id,
                name=f"briefing {sub.id} {sub.topic_slug}",
                replace_existing=True,
            )
        except (BriefbotError, ValueError) as exc:
            log.error("subscription %d cannot be scheduled: %s", sub.id, exc)

    def _drop(self, subscription_id: int) -> None:
        self._subs.pop(subscription_id, None)
        if self._aps is not None and self._aps.get_job(f"subscription-{subscription_id}"):
            self._aps.remove_job(f"subscription-{subscription_id}")

    async def resync(self) -> None:
        """Bring the jobs in step with the table, and take over claims whose lease ran out."""
        if not self._running:
            return
        subs = await self._db(self._ledger.subscriptions)
        if not self._running:
            return
        for gone in set(self._subs) - set(subs):
            self._drop(gone)
        for sub in subs.values():
            self._apply(sub)
        await self._sweep()
        await self.recheck()
        now = self._clock()
        if self._last_prune is None or now - self._last_prune >= _PRUNE_EVERY:
            self._last_prune = now
            pruned = await self._db(self._ledger.prune, now - _KEEP_DELIVERIES)
            if pruned:
                log.info("pruned %d old delivery rows", pruned)

    def next_run_times(self) -> dict[int, datetime]:
        """When each scheduled subscription fires next, on the scheduler's clock."""
        if self._aps is None:
            return {}
        times: dict[int, datetime] = {}
        for job in self._aps.get_jobs():
            if job.next_run_time is not None and isinstance(job.trigger, _SlotTrigger):
                times[job.args[0]] = job.trigger.slot_of(job.next_run_time)
        return times

    async def _fire(self, subscription_id: int) -> None:
        """An APScheduler job: deliver the subscription's slot that is due now."""
        sub = self._subs.get(subscription_id)
        if sub is None or not sub.active or self._stopping:
            return
        now = self._clock()
        slot = latest_slot(sub.schedule, now - self._grace - _FIRE_TOLERANCE, now + _FIRE_TOLERANCE)
        if slot is None:
            log.debug("subscription %d woke with no slot due", subscription_id)
            return
        self._spawn(subscription_id, slot)

    def _spawn(self, subscription_id: int, slot_at: datetime) -> None:
        if (subscription_id, slot_at) in self._inflight or self._stopping:
            return
        task = asyncio.create_task(
            self.deliver_slot(subscription_id, slot_at),
            name=f"deliver-{subscription_id}-{slot_at:%Y%m%dT%H%M}",
        )
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Outcome]) -> None:
        self._tasks.discard(task)
        self._posting.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a delivery task failed", exc_info=task.exception())

    async def _catch_up(self) -> None:
        """Deliver, late and once, each subscription's newest slot missed while we were down."""
        now = self._clock()
        last = await self._db(self._ledger.last_slots)
        subs = [
            sub
            for sub in self._subs.values()
            if sub.active and sub.channel.platform in self._publishers
        ]
        # Slot arithmetic for thousands of subscriptions: off the event loop.
        due = await self._db(self._missed_slots, subs, last, now)
        for subscription_id, slot in due:
            self._spawn(subscription_id, slot)
        if due:
            log.info("catching up %d slots missed within the last %s", len(due), self._grace)

    def _missed_slots(
        self, subs: list[ScheduledSubscription], last: dict[int, datetime], now: datetime
    ) -> list[tuple[int, datetime]]:
        due = []
        for sub in subs:
            # Not before the grace window, the subscription's creation or last change (a
            # resumed subscription does not catch up what it missed while paused), or the
            # newest slot it already has a delivery row for.
            lower = max(now - self._grace, sub.updated_at, sub.created_at)
            if sub.id in last:
                lower = max(lower, last[sub.id])
            try:
                slot = latest_slot(sub.schedule, lower, now)
            except BriefbotError as exc:
                log.error("subscription %d: %s", sub.id, exc)
                continue
            if slot is not None:
                due.append((sub.id, slot))
        return due

    async def _sweep(self) -> None:
        """Take over claims left by replicas that stopped; close those too old to deliver."""
        now = self._clock()
        abandoned = await self._db(self._ledger.abandon_expired, now, slots_until=now - self._grace)
        if abandoned:
            log.warning("%d abandoned claims were older than the misfire grace", abandoned)
        for subscription_id, slot_at in await self._db(
            self._ledger.expired, now, slots_after=now - self._grace
        ):
            sub = self._subs.get(subscription_id)
            if sub is not None and sub.active and sub.channel.platform in self._publishers:
                self._spawn(subscription_id, slot_at)
        # A claim of another replica that runs out before the next resync: look again then,
        # so a dead replica's fan-out resumes one lease after it died, not lease + resync.
        expiry = await self._db(self._ledger.next_expiry, now, slots_after=now - self._grace)
        if expiry is not None and expiry - now < self._resync_every and self._running:
            self._arm_sweep((expiry - now).total_seconds() + 0.05)

    def _arm_sweep(self, delay: float) -> None:
        if self._sweep_timer is not None and not self._sweep_timer.done():
            return
        self._sweep_timer = asyncio.create_task(self._sweep_later(delay), name="sweep")

    async def _sweep_later(self, delay: float) -> None:
        await asyncio.sleep(delay)
        self._sweep_timer = None  # this sweep may arm the next one
        try:
            await self._sweep()
        except BriefbotError as exc:
            log.warning("scheduler sweep: %s", exc)

    async def _heartbeat(self) -> None:
        held = list(self._held)
        if not held:
            return
        still = await self._db(self._ledger.renew, held, self._clock())
        lost = [delivery_id for delivery_id in held if delivery_id not in still]
        for delivery_id in lost:
            claim = self._held.get(delivery_id)
            if claim is not None:
                log.warning(
                    "lost the claim on subscription %d slot %s (lease ran out)",
                    claim.subscription_id,
                    claim.slot_at.isoformat(),
                )

    # ------------------------------------------------------------------ database work

    async def _db(self, fn: Callable[_P, _R], *args: _P.args, **kwargs: _P.kwargs) -> _R:
        """Run blocking database work on the scheduler's own threads."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                max_workers=self._db_threads, thread_name_prefix="briefbot-scheduler"
            )
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    async def _claim(self, subscription_id: int, slot_at: datetime) -> Due:
        """Claim through the batcher: concurrent claims share one transaction."""
        if self._claim_queue is None or self._batcher is None or self._batcher.done():
            self._claim_queue = asyncio.Queue()
            self._batcher = asyncio.create_task(
                self._claim_batches(self._claim_queue), name="claims"
            )
        future: asyncio.Future[Due] = asyncio.get_running_loop().create_future()
        self._claim_queue.put_nowait(_ClaimRequest(subscription_id, slot_at, future))
        return await future

    async def _claim_batches(self, queue: asyncio.Queue[_ClaimRequest]) -> None:
        """Serve claim requests in batches (one transaction per batch), until cancelled."""
        try:
            while True:
                batch = [await queue.get()]
                await asyncio.sleep(0)  # let the other jobs of this wake-up enqueue theirs
                while len(batch) < _CLAIM_BATCH and not queue.empty():
                    batch.append(queue.get_nowait())
                batch = [request for request in batch if not request.future.done()]
                if not batch:
                    continue
                try:
                    found = await self._db(
                        self._ledger.claim_due,
                        [(r.subscription_id, r.slot_at) for r in batch],
                        self._clock(),
                        platforms=set(self._publishers),
                    )
                except BaseException as exc:
                    for request in batch:
                        if not request.future.done():
                            request.future.set_exception(
                                exc if isinstance(exc, Exception) else asyncio.CancelledError()
                            )
                    if not isinstance(exc, Exception):
                        raise
                    continue
                for request in batch:
                    due = found[(request.subscription_id, request.slot_at)]
                    if request.future.done():
                        if due.claim is not None:  # its task went away meanwhile: give it back
                            await self._db(
                                self._ledger.release, [due.claim.delivery_id], self._clock()
                            )
                        continue
                    request.future.set_result(due)
        finally:
            while not queue.empty():
                queue.get_nowait().future.cancel()

    # ------------------------------------------------------------------ delivery

    async def deliver_slot(self, subscription_id: int, slot_at: datetime) -> Outcome:
        """Claim (subscription, slot) and post its briefing; the outcome.

        ``"sent"``: posted (or found already posted by a replica that died) and recorded;
        ``"skipped"``: a quiet subscription with nothing new, or one this replica cannot
        post (no such subscription any more, no publisher for its platform);
        ``"already"``: another replica holds or finished the slot; ``"failed"``: retries
        exhausted, recorded with the error; ``"paused"``: the subscription is paused (or was
        just paused because its channel is unavailable).
        """
        if slot_at.tzinfo is None:
            raise ValueError("slot_at must be an aware datetime")
        slot_at = slot_at.astimezone(UTC)
        key = (subscription_id, slot_at)
        if key in self._inflight:
            return "already"
        self._inflight.add(key)
        try:
            outcome = await self._deliver(subscription_id, slot_at)
        finally:
            self._inflight.discard(key)
        metrics.delivered(outcome)
        return outcome

    async def _deliver(self, subscription_id: int, slot_at: datetime) -> Outcome:
        due = await self._claim(subscription_id, slot_at)
        sub, claim = due.subscription, due.claim
        if sub is None:
            return "skipped"
        if not sub.active:
            return "paused"
        publisher = self._publishers.get(sub.channel.platform)
        if publisher is None:
            return "skipped"  # another replica, with this platform configured, will post it
        if claim is None:
            return "already"
        self._held[claim.delivery_id] = claim
        try:
            return await self._post(claim, sub, publisher)
        except asyncio.CancelledError:
            # Shutdown: give the claim back so any replica can take it over straight away.
            await asyncio.shield(self._db(self._ledger.release, [claim.delivery_id], self._clock()))
            raise
        finally:
            self._held.pop(claim.delivery_id, None)

    async def _post(
        self, claim: Claim, sub: ScheduledSubscription, publisher: Publisher
    ) -> Outcome:
        key = delivery_key(sub.id, claim.slot_at)
        if claim.maybe_posted:
            # The replica before us died after posting began: its parts, or the post found in
            # the channel, are what the channel saw.  Record them with the articles it planned
            # (stored with the claim before it posted), so the next slot does not repeat them.
            found = claim.parts[0] if claim.parts else None
            if found is None:
                found = await self._find(publisher, sub.channel, key, claim.slot_at)
            if found is not None:
                await self._record(
                    self._ledger.mark_sent,
                    claim,
                    found,
                    channel=sub.channel,
                    article_ids=None,
                    now=self._clock(),
                )
                log.info("subscription %d slot %s was already posted", sub.id, claim.slot_at)
                return "sent"
            if not isinstance(publisher, IdempotentPublisher):
                log.warning(
                    "subscription %d slot %s: the replica before us may have posted it; "
                    "%s cannot check, so it may appear twice",
                    sub.id,
                    claim.slot_at.isoformat(),
                    sub.channel.platform,
                )
        # Compose just before this post's turn comes: a long fan-out holds a few briefings.
        await self._pacer.wait(sub.channel, lead=_COMPOSE_LEAD)
        try:
            briefing = await self._db(self._compose, sub, claim.slot_at)
        except BriefbotError as exc:
            await self._db(self._ledger.mark_failed, claim, str(exc), self._clock())
            log.warning("subscription %d slot %s: %s", sub.id, claim.slot_at, exc)
            return "failed"
        if briefing is None:
            await self._db(self._ledger.mark_skipped, claim, "quiet: nothing new", self._clock())
            return "skipped"
        return await self._publish_with_retries(claim, sub, publisher, briefing, key)

    def _compose(self, sub: ScheduledSubscription, slot_at: datetime) -> Briefing | None:
        # The same function previews use (briefbot brief --subscription ID): one definition
        # of what a slot posts.
        return compose_slot(
            self._briefings, self._ledger.last_sent_before, sub, slot_at, count=self._count
        )

    async def _publish_with_retries(
        self,
        claim: Claim,
        sub: ScheduledSubscription,
        publisher: Publisher,
        briefing: Briefing,
        key: str,
    ) -> Outcome:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._max_attempts),
            wait=wait_random_exponential(
                multiplier=self._retry_backoff.total_seconds(),
                max=max(self._retry_backoff.total_seconds() * 16, 1.0),
            ),
            retry=retry_if_exception(_retryable),
            reraise=True,
        )
        task = asyncio.current_task()
        try:
            return await self._attempts(retrying, claim, sub, publisher, briefing, key)
        finally:
            if task is not None:
                self._posting.discard(task)

    async def _attempts(
        self,
        retrying: AsyncRetrying,
        claim: Claim,
        sub: ScheduledSubscription,
        publisher: Publisher,
        briefing: Briefing,
        key: str,
    ) -> Outcome:
        # Every article each story showed: a story is "seen" until it has new articles.
        article_ids = [
            article_id
            for item in briefing.items
            for article_id in (item.article_ids or (item.article_id,))
            if article_id is not None
        ]
        progress = _Progress(claim, article_ids)
        try:
            async for attempt in retrying:
                with attempt:
                    message_id = await self._attempt(
                        progress, sub, publisher, briefing, key, attempt.retry_state.attempt_number
                    )
        except _Lost:
            log.warning("subscription %d slot %s: claim lost before posting", sub.id, claim.slot_at)
            return "already"
        except ChannelUnavailable as exc:
            reason = str(exc)
            await self._record(self._ledger.mark_failed, claim, reason, self._clock())
            await self._pause(sub, reason)
            return "paused"
        except DeliveryError as exc:
            await self._record(self._ledger.mark_failed, claim, str(exc), self._clock())
            log.error(
                "subscription %d slot %s failed after %d attempts: %s",
                sub.id,
                claim.slot_at.isoformat(),
                self._max_attempts,
                exc,
            )
            return "failed"
        except Exception as exc:
            await self._record(
                self._ledger.mark_failed, claim, f"unexpected {type(exc).__name__}", self._clock()
            )
            log.exception("subscription %d slot %s: unexpected failure", sub.id, claim.slot_at)
            return "failed"
        # Every part is out: record it even if shutdown cancels this task meanwhile.
        await self._record(
            self._ledger.mark_sent,
            claim,
            message_id,
            channel=sub.channel,
            article_ids=article_ids,
            now=self._clock(),
        )
        return "sent"

    async def _record(self, fn: Callable[_P, _R], *args: _P.args, **kwargs: _P.kwargs) -> _R:
        """A database write that must land even if this task is cancelled meanwhile."""
        write = asyncio.ensure_future(self._db(fn, *args, **kwargs))
        try:
            return await asyncio.shield(write)
        except asyncio.CancelledError:
            await write
            raise

    async def _attempt(
        self,
        progress: _Progress,
        sub: ScheduledSubscription,
        publisher: Publisher,
        briefing: Briefing,
        key: str,
        number: int,
    ) -> str:
        claim = progress.claim
        if number > 1 and not progress.parts:
            # The failed attempt's first part may have reached the platform after all (a
            # timeout): continue after it.
            found = await self._find(publisher, sub.channel, key, claim.slot_at)
            if found is not None:
                progress.parts.append(found)

        async def on_part(part: int, total: int, message_id: str) -> None:
            if part <= len(progress.parts):
                return
            progress.parts.append(message_id)
            if part < total:  # the last one is recorded by mark_sent
                await self._record(
                    self._ledger.record_parts, claim, list(progress.parts), self._clock()
                )

        task = asyncio.current_task()
        try:
            # 'posting' (a replica taking over reads it as "may be out", and looks before it
            # posts) is written just before the post's turn, outside the pacing gate: a
            # channel's posts are paced closed-loop, and a database write inside the gate
            # would space every post of a fan-out by the write's latency as well.
            marked = await self._db(
                self._ledger.mark_posting,
                claim,
                self._clock(),
                article_ids=progress.article_ids,
            )
            if marked is None:
                raise _Lost
            async with self._pacer.posting(sub.channel):
                # From here until the outcome is recorded, shutdown lets this task finish
                # (briefly) instead of cancelling it: the message may be on the wire.
                if task is not None:
                    self._posting.add(task)
                if isinstance(publisher, IdempotentPublisher):
                    return await publisher.publish_once(
                        sub.channel,
                        briefing,
                        key=key,
                        done=tuple(progress.parts),
                        on_part=on_part,
                    )
                return await publisher.publish(sub.channel, briefing)
        except ChannelUnavailable:
            raise
        except DeliveryError as exc:
            if task is not None:
                self._posting.discard(task)  # nothing in flight while we back off
            if number < self._max_attempts:
                await self._db(self._ledger.mark_retrying, claim, str(exc), self._clock())
                log.info(
                    "subscription %d slot %s: attempt %d failed (%s; %d parts posted); retrying",
                    sub.id,
                    claim.slot_at.isoformat(),
                    number,
                    exc,
                    len(progress.parts),
                )
            raise

    async def _find(
        self, publisher: Publisher, channel: ChannelRef, key: str, since: datetime
    ) -> str | None:
        if not isinstance(publisher, IdempotentPublisher):
            return None
        try:
            return await publisher.find_published(channel, key=key, since=since)
        except DeliveryError as exc:
            log.warning("could not check %s for an earlier post: %s", channel.platform, exc)
            return None

    async def _pause(self, sub: ScheduledSubscription, reason: str) -> None:
        log.warning("pausing subscription %d: %s", sub.id, reason)
        try:
            await self._db(
                self._subscriptions.pause,
                sub.id,
                reason,
                recheck_at=self._clock() + self._recheck_backoff,
            )
        except BriefbotError as exc:
            log.warning("could not pause subscription %d: %s", sub.id, exc)
        self._drop(sub.id)

    async def recheck(self) -> None:
        """Check the channels of paused subscriptions whose check is due (with every resync),
        and resume those the platform accepts again."""
        if not self._running:
            return
        due = await self._db(
            self._ledger.due_rechecks,
            self._clock(),
            platforms=set(self._publishers),
            backoff=self._recheck_backoff,
            cap=self._recheck_cap,
        )
        for sub in due:
            publisher = self._publishers.get(sub.channel.platform)
            if isinstance(publisher, ChannelChecker):
                try:
                    await publisher.check_channel(sub.channel)
                except ChannelUnavailable as exc:
                    log.info("subscription %d: its channel is still closed: %s", sub.id, exc)
                    await self._db(self._ledger.still_closed, sub.id, str(exc))
                    continue
                except DeliveryError as exc:
                    log.info("subscription %d: could not check its channel: %s", sub.id, exc)
                    continue
            if await self._db(self._ledger.reopen, sub.id, self._clock()):
                log.warning("subscription %d resumed: its channel accepts posts again", sub.id)
                current = await self._db(self._ledger.subscription, sub.id)
                if current is not None and self._running:
                    self._apply(current)


@dataclass(slots=True)
class _Progress:
    """One slot's delivery as its attempts go: the claim, what it posts, the parts posted."""

    claim: Claim
    article_ids: list[int]
    parts: list[str] = field(init=False)  # from the claim's (a takeover's), then as posted

    def __post_init__(self) -> None:
        self.parts = list(self.claim.parts)


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, DeliveryError) and not isinstance(exc, ChannelUnavailable)
