"""The composition root: builds settings, store, services, adapters and scheduler, and wires
them by constructor.  Nothing else in the project reaches for globals or the environment.

    Core.build(settings)          store + topics + briefings + subscriptions + ingestor
    run(settings)                 `briefbot run`: every configured adapter, the HTTP server,
                                  the briefing scheduler and feed polling in one asyncio loop,
                                  until SIGINT/SIGTERM; then a clean stop within 10 seconds

Chat adapters are imported only when configured (the core never imports a platform; only
this root knows they exist).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import gc
import logging
import os
import signal
import socket
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot.briefing import BriefingService
from bot.errors import BadInput
from bot.ingest import Ingestor
from bot.metrics import feed_health
from bot.polling import FeedPoller
from bot.scheduling import DEFAULT_PACING, Pacing, Publisher
from bot.settings import Settings
from bot.sources.safety import UrlPolicy
from bot.store import Store
from bot.subscriptions import SubscriptionService
from bot.topics import TopicRegistry
from bot.user_sources import UserSourceService

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)

STOP_TIMEOUT_SECONDS = 8.0  # CONTRACT: `run` exits within 10 s of SIGTERM


@dataclass
class Core:
    """The platform-free services, built once per process."""

    settings: Settings
    store: Store
    topics: TopicRegistry
    briefings: BriefingService
    subscriptions: SubscriptionService
    ingestor: Ingestor
    sources: UserSourceService  # feeds chat workspaces add (untrusted; the SSRF guard)

    @classmethod
    def build(cls, settings: Settings) -> Core:
        store = Store.open(settings.resolved_database_url)
        topics = TopicRegistry.default()
        url_policy = UrlPolicy()  # public addresses only, for every user-added URL
        return cls(
            settings=settings,
            store=store,
            topics=topics,
            briefings=BriefingService(store, topics),
            subscriptions=SubscriptionService(store, topics, default_tz=settings.timezone),
            ingestor=Ingestor(store, settings, topics.tag, url_policy=url_policy),
            sources=UserSourceService(store, settings, policy=url_policy),
        )

    def close(self) -> None:
        self.store.close()


class ChatAdapter(Publisher, Protocol):
    """What `run` needs from a chat adapter: publishing, a lifecycle and its health."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    @property
    def connected(self) -> bool: ...


@dataclass
class Runtime:
    """Everything `run` started, so it can report health and stop it in order."""

    core: Core
    adapters: list[ChatAdapter] = field(default_factory=list)
    scheduler: Any = None
    poll_scheduler: Any = None
    poller: FeedPoller | None = None
    web_runner: web.AppRunner | None = None

    async def health(self) -> dict[str, Any]:
        # One query answers both "is the store reachable?" and "how are the feeds?".
        feeds = await asyncio.to_thread(_feed_health, self.core.store)
        database = feeds is not None
        report: dict[str, Any] = {
            "database": "ok" if database else "unreachable",
            "scheduler": "running"
            if self.scheduler is not None and self.scheduler.running
            else "stopped",
        }
        for adapter in self.adapters:
            report[adapter.platform] = "connected" if adapter.connected else "disconnected"
        if feeds is not None:  # failing feeds are reported, but do not make the replica unhealthy
            report["feeds"] = feeds
        report["ok"] = (
            database
            and report["scheduler"] == "running"
            and all(adapter.connected for adapter in self.adapters)
        )
        return report


def _feed_health(store: Store) -> dict[str, object] | None:
    """The feeds' summary, or None when the store cannot be reached."""
    try:
        return feed_health(store)
    except Exception:
        log.warning("health: database unreachable", exc_info=True)
        return None


def cannot_listen(host: str, port: int, exc: OSError) -> str:
    """Why `run` cannot serve HTTP on ``host:port``, naming the setting to change."""
    if exc.errno == errno.EADDRINUSE:
        return (
            f"BRIEFBOT_HTTP_PORT: port {port} on {host} is already in use by another "
            "program; stop it or choose another port"
        )
    if exc.errno == errno.EACCES:
        return (
            f"BRIEFBOT_HTTP_PORT: not allowed to listen on port {port} (ports below 1024 "
            "need privileges); choose a port from 1024 up"
        )
    if exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
        return f"BRIEFBOT_HTTP_HOST: {host} is not an address of this machine"
    reason = exc.strerror or type(exc).__name__
    return f"BRIEFBOT_HTTP_HOST/BRIEFBOT_HTTP_PORT: cannot listen on {host}:{port} ({reason})"


def replica_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def scheduler_pacing(settings: Settings) -> Mapping[str, Pacing]:
    """The scheduler's rate budgets: Discord's global one is this replica's share of the bot
    token's 50 requests/s (``BRIEFBOT_DISCORD_POSTS_PER_SECOND``, 50 / N for N replicas
    posting to Discord); every other platform keeps its default (Slack: per channel)."""
    discord = dataclasses.replace(
        DEFAULT_PACING.get("discord", Pacing()),
        global_per_second=settings.discord_posts_per_second,
    )
    return {**DEFAULT_PACING, "discord": discord}


def _build_adapters(core: Core) -> list[ChatAdapter]:
    settings = core.settings
    adapters: list[ChatAdapter] = []
    if settings.discord_enabled:
        from adapters.discord import DiscordAdapter

        adapters.append(
            DiscordAdapter(
                settings,
                briefings=core.briefings,
                topics=core.topics,
                subscriptions=core.subscriptions,
                sources=core.sources,
            )
        )
    if settings.slack_enabled:
        from adapters.slack import SlackAdapter

        adapters.append(
            SlackAdapter(
                settings,
                briefings=core.briefings,
                topics=core.topics,
                subscriptions=core.subscriptions,
                sources=core.sources,
            )
        )
    return adapters


async def start(runtime: Runtime) -> None:
    """Start every part in dependency order, recording each in ``runtime`` as it comes up,
    so that :func:`stop` can stop what did start when a later part fails."""
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from adapters.http import build_web_app, start_web_server
    from bot.scheduling import BriefingScheduler

    core = runtime.core
    settings = core.settings
    runtime.adapters = _build_adapters(core)
    if not runtime.adapters:
        log.warning(
            "no chat adapter configured (DISCORD_TOKEN, SLACK_BOT_TOKEN + "
            "SLACK_SIGNING_SECRET): serving /healthz and polling feeds only"
        )

    web_app = build_web_app(runtime.health)
    for adapter in runtime.adapters:  # HTTP-mode adapters (Slack) add their routes
        mount = getattr(adapter, "mount", None)
        if mount is not None:
            mount(web_app)
    try:
        runtime.web_runner = await start_web_server(web_app, settings.http_host, settings.http_port)
    except OSError as exc:  # the operator's setting, not our failure: one line, exit 2
        raise BadInput(cannot_listen(settings.http_host, settings.http_port, exc)) from None

    for adapter in runtime.adapters:  # stop() closes every built adapter, started or not
        await adapter.start()

    publishers: dict[str, Publisher] = {adapter.platform: adapter for adapter in runtime.adapters}
    runtime.scheduler = BriefingScheduler(
        store=core.store,
        briefings=core.briefings,
        subscriptions=core.subscriptions,
        publishers=publishers,
        replica_id=replica_id(),
        misfire_grace=timedelta(minutes=settings.misfire_grace_minutes),
        lease=timedelta(seconds=settings.delivery_lease_seconds),
        pacing=scheduler_pacing(settings),
    )
    await runtime.scheduler.start()

    runtime.poll_scheduler = AsyncIOScheduler(timezone="UTC")
    runtime.poller = FeedPoller(core.ingestor)
    runtime.poller.register(runtime.poll_scheduler)
    runtime.poll_scheduler.start()
    log.info("briefbot running (%s)", ", ".join(a.platform for a in runtime.adapters) or "no chat")


async def stop(runtime: Runtime) -> None:
    """Stop in reverse order: no new work, finish or release in-flight work, then close.

    All parts share one budget (``STOP_TIMEOUT_SECONDS``), so `run` exits within the
    contract's 10 seconds even when a part hangs; a part past the budget is abandoned.
    """
    deadline = asyncio.get_running_loop().time() + STOP_TIMEOUT_SECONDS
    if runtime.poll_scheduler is not None and runtime.poll_scheduler.running:
        runtime.poll_scheduler.shutdown(wait=False)
    if runtime.poller is not None:
        await _quietly("feed polling", runtime.poller.aclose(STOP_TIMEOUT_SECONDS / 4), deadline)
    if runtime.scheduler is not None:
        await _quietly("scheduler", runtime.scheduler.shutdown(), deadline)
    for adapter in reversed(runtime.adapters):
        await _quietly(adapter.platform, adapter.close(), deadline)
    if runtime.web_runner is not None:
        await _quietly("http server", runtime.web_runner.cleanup(), deadline)


async def _quietly(what: str, closing: Coroutine[Any, Any, None], deadline: float) -> None:
    """Await one part's close within its share of the budget; log, never raise."""
    remaining = deadline - asyncio.get_running_loop().time()
    try:
        await asyncio.wait_for(closing, max(0.1, min(STOP_TIMEOUT_SECONDS / 2, remaining)))
    except TimeoutError:
        log.warning("stopping %s took too long; abandoned", what)
    except Exception:
        log.exception("error while stopping %s", what)


def freeze_startup_objects() -> None:
    """Once started: what start-up built lives as long as the process; out of the cyclic
    collector's sight, a full collection (120-190 ms over ~200,000 objects here) no longer
    lands in the middle of a burst of commands (``benchmarks/discord_ack.py`` and
    ``slack_ack.py`` call this too, to measure what ``run`` serves)."""
    gc.collect()
    gc.freeze()


async def run(settings: Settings) -> None:
    """`briefbot run`: until SIGINT/SIGTERM."""
    core = await asyncio.to_thread(Core.build, settings)
    stop_requested = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop_requested.set)
    runtime = Runtime(core=core)
    try:
        await start(runtime)
        freeze_startup_objects()
        await stop_requested.wait()
        log.info("stopping")
    finally:
        await stop(runtime)
        core.close()
    log.info("stopped")
