"""Feed polling for ``briefbot run``: shares the asyncio loop with the chat adapters.

    scheduler = AsyncIOScheduler()                  # started inside the running loop
    poller = FeedPoller(ingestor)
    poller.register(scheduler)                      # one interval job; feeds polled when due

One APScheduler job wakes every ``check_every`` (a minute by default) and polls the feeds
that are *due*: a feed is due ``Settings.poll_minutes`` after its last success, or after its
backoff when it failed (see ``bot.ingest``); disabled feeds never are.  Before fetching, each
feed is *claimed* in the database, so several replicas sharing one store poll every feed
once.  The job never overlaps itself (``max_instances=1``) and coalesces missed runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.ingest import Ingestor, IngestReport
from bot.store import FeedState

log = logging.getLogger(__name__)

JOB_ID = "briefbot-feed-poll"
DEFAULT_CHECK_EVERY = timedelta(minutes=1)
CLAIM_LEASE = timedelta(minutes=15)


async def poll_due_feeds(
    ingestor: Ingestor, *, now: datetime | None = None, lease: timedelta = CLAIM_LEASE
) -> IngestReport:
    """Poll every feed that is due at ``now`` and that this process manages to claim."""
    now = now or datetime.now(UTC)
    store = ingestor.store

    def claim() -> list[FeedState]:
        return [
            feed for feed in store.due_feeds(now) if store.claim_feed(feed.id, now=now, lease=lease)
        ]

    claimed = await asyncio.to_thread(claim)
    if not claimed:
        return IngestReport()
    log.info("polling %d due feed(s)", len(claimed))
    report = await ingestor.ingest_feed_states(claimed)
    if report.items or report.failed:
        log.info(
            "poll: %d added, %d duplicate, %d syndicated, %d failed",
            report.added,
            report.duplicates,
            report.syndicated,
            report.failed,
        )
    return report


class FeedPoller:
    """Registers feed polling on an APScheduler ``AsyncIOScheduler`` (3.x)."""

    def __init__(self, ingestor: Ingestor, *, check_every: timedelta = DEFAULT_CHECK_EVERY):
        self.ingestor = ingestor
        self.check_every = check_every
        self.last_report: IngestReport | None = None
        self._polling: asyncio.Task[IngestReport] | None = None

    async def run_once(self) -> IngestReport:
        """One poll; never raises (a failure is logged and the next run tries again).

        The poll runs in a task of its own, shielded from the scheduler: APScheduler cancels
        running jobs when it shuts down, and :meth:`aclose` decides instead whether the poll
        may finish.
        """
        self._polling = asyncio.create_task(poll_due_feeds(self.ingestor))
        try:
            self.last_report = await asyncio.shield(self._polling)
        except asyncio.CancelledError:  # the scheduler is shutting down; aclose() takes over
            log.info("feed poll handed over to shutdown")
            return IngestReport()
        except Exception:
            log.exception("feed poll failed")
            self.last_report = IngestReport()
        return self.last_report

    async def aclose(self, grace: float) -> None:
        """Let a poll in flight finish within ``grace`` seconds, else cancel it.

        Each article is stored in its own transaction, so a cancelled poll leaves nothing
        half-written; its claimed feeds are polled again once their lease runs out.
        """
        polling = self._polling
        if polling is None or polling.done():
            return
        try:
            await asyncio.wait_for(asyncio.shield(polling), grace)
        except TimeoutError:
            log.info("feed poll still running after %.1fs: cancelling it", grace)
            polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await polling
        except Exception:
            pass  # run_once logged it

    def register(
        self, scheduler: Any, *, sync_feed_list: bool = True, start_now: bool = True
    ) -> Any:
        """Add the polling job to ``scheduler`` and return it.

        ``sync_feed_list`` first upserts the operator's feed list into the store.
        ``start_now`` makes the first poll run as soon as the scheduler starts.
        """
        from apscheduler.triggers.interval import IntervalTrigger

        if sync_feed_list:
            feeds = self.ingestor.sync_feed_list()
            log.info("polling %d configured feed(s)", len(feeds))
        options: dict[str, Any] = {}
        if start_now:  # APScheduler reads next_run_time=None as "paused": only pass a time
            options["next_run_time"] = datetime.now(UTC)
        return scheduler.add_job(
            self.run_once,
            trigger=IntervalTrigger(seconds=self.check_every.total_seconds()),
            id=JOB_ID,
            name="poll due feeds",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=int(self.check_every.total_seconds()),
            **options,
        )
