"""Prometheus metrics (prometheus_client), served by ``briefbot run`` at ``GET /metrics``.

    briefbot_briefs_total{platform, outcome}     briefings built: ok | empty | bad_input | error
    briefbot_brief_seconds{platform}             time to build one (histogram)
    briefbot_deliveries_total{outcome}           scheduled slots: sent | skipped | already |
                                                 failed | paused
    briefbot_feed_fetches_total{trusted, outcome} feed polls: ok | not-modified | failed
    briefbot_feed_failures_total{trusted}        feed polls that failed (fetch, guard, parse)
    briefbot_summarize_seconds                   time to summarize one article at ingest
    briefbot_ack_seconds{platform}               chat command acknowledged (adapters)
    process_* / python_*                         the standard process and runtime collectors

``platform`` is the chat platform of the command being served (``request_context`` in
``bot.logs``), or ``internal`` outside one (scheduled slots, the CLI).  The metrics live in
``REGISTRY``, a registry of our own (not prometheus_client's global one), so a process
that imports another instrumented library exports only what it chose to.  Metrics are
process-wide by nature (Prometheus scrapes each replica); they are module-level here like
loggers, the one exception to "nothing reaches for globals".
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Final, ParamSpec

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    gc_collector,
    generate_latest,
    platform_collector,
    process_collector,
)

from bot.errors import BadInput
from bot.logs import current_request

if TYPE_CHECKING:
    from bot.models import Briefing
    from bot.store import Store

P = ParamSpec("P")

REGISTRY: Final = CollectorRegistry(auto_describe=True)
process_collector.ProcessCollector(registry=REGISTRY)
platform_collector.PlatformCollector(registry=REGISTRY)
gc_collector.GCCollector(registry=REGISTRY)

_FAST = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

BRIEFS: Final = Counter(
    "briefbot_briefs",
    "Briefings built, by the platform asking and the outcome",
    ["platform", "outcome"],
    registry=REGISTRY,
)
BRIEF_SECONDS: Final = Histogram(
    "briefbot_brief_seconds",
    "Time to build one briefing from the store",
    ["platform"],
    buckets=_FAST,
    registry=REGISTRY,
)
DELIVERIES: Final = Counter(
    "briefbot_deliveries",
    "Scheduled briefing slots, by outcome",
    ["outcome"],
    registry=REGISTRY,
)
FEED_FETCHES: Final = Counter(
    "briefbot_feed_fetches",
    "Feed polls, by trust and outcome",
    ["trusted", "outcome"],
    registry=REGISTRY,
)
FEED_FAILURES: Final = Counter(
    "briefbot_feed_failures",
    "Feed polls that failed (fetch, SSRF guard, parse), by trust",
    ["trusted"],
    registry=REGISTRY,
)
SUMMARIZE_SECONDS: Final = Histogram(
    "briefbot_summarize_seconds",
    "Time to summarize one article at ingest",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
ACK_SECONDS: Final = Histogram(
    "briefbot_ack_seconds",
    "Time from a chat command's arrival to its acknowledgement (platform limit: 3 s)",
    ["platform"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0),
    registry=REGISTRY,
)

for _platform in ("discord", "slack", "internal"):  # every series exists from the start
    BRIEF_SECONDS.labels(_platform)
    for _outcome in ("ok", "empty", "bad_input", "error"):
        BRIEFS.labels(_platform, _outcome)
for _outcome in ("sent", "skipped", "already", "failed", "paused"):
    DELIVERIES.labels(_outcome)
for _trusted in ("true", "false"):
    FEED_FAILURES.labels(_trusted)


def exposition() -> tuple[bytes, str]:
    """The body and content type of a ``/metrics`` answer (Prometheus text format)."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def current_platform() -> str:
    context = current_request()
    return (context.platform if context else None) or "internal"


def timed_brief(build: Callable[P, Briefing]) -> Callable[P, Briefing]:
    """Decorates ``BriefingService.brief``: counts each briefing by platform and outcome and
    observes how long it took.  The function itself is unchanged."""

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Briefing:
        platform = current_platform()
        started = time.perf_counter()
        outcome = "error"
        try:
            briefing = build(*args, **kwargs)
        except BadInput:
            outcome = "bad_input"
            raise
        else:
            outcome = "ok" if briefing.items else "empty"
            return briefing
        finally:
            BRIEFS.labels(platform, outcome).inc()
            BRIEF_SECONDS.labels(platform).observe(time.perf_counter() - started)

    return wrapper


@contextmanager
def summarizing() -> Iterator[None]:
    """Times one summarization at ingest."""
    with SUMMARIZE_SECONDS.time():
        yield


def feed_polled(*, trusted: bool, outcome: str) -> None:
    """One feed poll finished: ``ok``, ``not-modified`` or ``failed``."""
    label = "true" if trusted else "false"
    FEED_FETCHES.labels(label, outcome).inc()
    if outcome == "failed":
        FEED_FAILURES.labels(label).inc()


def delivered(outcome: str) -> None:
    """One scheduled slot finished with ``outcome`` (the scheduler's ``Outcome``)."""
    DELIVERIES.labels(outcome).inc()


def acknowledged(platform: str, seconds: float) -> None:
    """A chat command was acknowledged ``seconds`` after it arrived (adapters call this)."""
    ACK_SECONDS.labels(platform).observe(seconds)


def feed_health(store: Store) -> dict[str, object]:
    """The feeds at a glance, for ``/healthz``: how many are ok, failing, disabled or not yet
    polled, and how many users added.  Counts only: ``/healthz`` is reachable by whoever
    reaches the Slack endpoint, and feed addresses and errors are the operator's business
    (``briefbot feeds`` shows them)."""
    from sqlalchemy import func, select

    from bot.store.schema import Feed, feed_status

    status = feed_status()
    with store.session(write=False) as session:
        counts = {
            str(name): int(n)
            for name, n in session.execute(select(status, func.count()).group_by(status))
        }
        user_added = session.scalar(
            select(func.count()).select_from(Feed).where(Feed.trusted.is_(False))
        )
    summary: dict[str, object] = {
        key: counts.get(key, 0) for key in ("ok", "failing", "disabled", "new")
    }
    summary["user_added"] = int(user_added or 0)
    summary["healthy"] = counts.get("failing", 0) == 0
    return summary
