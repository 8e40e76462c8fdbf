"""Fan-out: thousands of subscriptions due in the same minute, against rate-limited fakes.

    python benchmarks/fanout.py                          # 10,000 subscriptions per platform
    python benchmarks/fanout.py --subs 1000 --platform slack
    python benchmarks/fanout.py --db "$BRIEFBOT_TEST_POSTGRES_URL"   # PostgreSQL (a fresh schema)

What runs: the real ``BriefingScheduler`` (APScheduler jobs firing at the slot, batched claims,
pacing, the deliveries ledger), the real ``BriefingService`` on a real store, and the real
adapters: ``DiscordAdapter`` (discord.py, logged in to the fake over REST and the gateway) and
``SlackAdapter`` (slack_sdk).  The platforms are the project's fakes (tests/fakes), each in
its own process and wrapped here with the limit the real platform enforces:

* Discord: at most 50 message posts in any one-second window across all channels (the
  global limit per bot); over it: 429 ``{"global": true}`` with ``Retry-After``;
* Slack: at most one ``chat.postMessage`` per second per channel; over it: 429, Retry-After 1.

Each platform runs twice on a fresh database and fresh fakes: **paced** (the scheduler's
default ``Pacer``) and **unpaced** (``pacing={}``: fire everything and let the adapters'
HTTP layers bounce off 429s and retry, the alternative a scheduler without pacing gets).

Figures: the rate-limit floor (Discord: (N-1)/50 s; Slack: the busiest channel's (n-1) x 1 s),
the time from the slot to the last message the fake accepted, 429s the fake sent, duplicates
(the same subscription's slot accepted twice), missing slots, and the bot process's peak RSS
(each case runs in a fresh process) with the part of it that came with the fan-out (the
scheduler's jobs, claims and posts, measured from just before the scheduler started).  The
fakes count; the bot's own view is not trusted.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import logging
import multiprocessing as mp
import os
import re
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402

from bot.briefing import BriefingService  # noqa: E402
from bot.scheduling import DEFAULT_PACING, BriefingScheduler  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.store.schema import Delivery, SubscriptionRow  # noqa: E402
from bot.subscriptions import SubscriptionService  # noqa: E402
from bot.topics import TopicRegistry  # noqa: E402
from tests.fakes.discord_fake import DiscordFake  # noqa: E402
from tests.fakes.slack_fake import SlackFake  # noqa: E402
from tests.support.scheduling import add_articles  # noqa: E402

SLOT = datetime(2025, 6, 18, 23, 0, tzinfo=UTC)  # 08:00 in Seoul
LEAD_SECONDS = 3.0  # the scheduler starts this long before the slot
DISCORD_LIMIT = 50  # message posts per second, all channels (Discord's global limit)
SLACK_INTERVAL = 1.0  # seconds between posts to one Slack channel
GUILD = 200000000000000001
CHANNEL_BASE = 300000000000000000
DISCORD_POST = re.compile(r"/api/v10/channels/(\d+)/messages")


# --- the fakes, with the platform's rate limit, in their own process --------------------------


class _Counts:
    def __init__(self) -> None:
        self.accepted = 0
        self.rejected = 0
        self.first: float | None = None
        self.last: float | None = None
        self.per_channel: collections.Counter[str] = collections.Counter()
        self.per_key: collections.Counter[str] = collections.Counter()

    def accept(self, channel: str, key: str | None) -> None:
        now = time.time()
        self.accepted += 1
        self.first = self.first or now
        self.last = now
        self.per_channel[channel] += 1
        if key:
            self.per_key[key] += 1

    def as_json(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "rejected": self.rejected,
            "first": self.first,
            "last": self.last,
            "per_channel": dict(self.per_channel),
            "per_key": dict(self.per_key),
        }


class LimitedDiscord(DiscordFake):
    """The fake Discord, refusing the 51st message post within any second (global 429)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.counts = _Counts()
        self._window: collections.deque[float] = collections.deque()

    def app(self) -> web.Application:
        app = super().app()
        app.middlewares.append(self._limit)
        app.router.add_get("/__bench/stats", self._stats)
        return app

    @web.middleware
    async def _limit(self, request: web.Request, handler: Any) -> web.StreamResponse:
        match = DISCORD_POST.fullmatch(request.path)
        if request.method != "POST" or match is None:
            return await handler(request)  # type: ignore[no-any-return]
        now = time.monotonic()
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        if len(self._window) >= DISCORD_LIMIT:
            self.counts.rejected += 1
            retry = max(self._window[0] + 1.0 - now, 0.001)
            body = {"message": "You are being rate limited.", "retry_after": retry, "global": True}
            return web.Response(
                status=429,
                body=json.dumps(body).encode(),
                headers={
                    "Content-Type": "application/json",
                    "Retry-After": f"{retry:.3f}",
                    "X-RateLimit-Global": "true",
                    "X-RateLimit-Scope": "global",
                    "Via": "1.1 google",
                },
            )
        self._window.append(now)
        response: web.StreamResponse = await handler(request)
        if response.status == 200:
            self.counts.accept(match.group(1), None)
        return response

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.counts.as_json())


class LimitedSlack(SlackFake):
    """The fake Slack, refusing a second ``chat.postMessage`` to a channel within a second."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.counts = _Counts()
        self._last_post: dict[str, float] = {}

    def app(self) -> web.Application:
        app = super().app()
        app.router.add_get("/__bench/stats", self._stats)
        return app

    async def _post_message(self, params: dict[str, Any]) -> web.Response:
        channel = str(params.get("channel") or "")
        now = time.monotonic()
        if now - self._last_post.get(channel, -10.0) < SLACK_INTERVAL:
            self.counts.rejected += 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        self._last_post[channel] = now
        response = await super()._post_message(params)
        body = json.loads(response.text or "{}")
        if body.get("ok") and not params.get("thread_ts"):
            metadata = params.get("metadata") or {}
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            self.counts.accept(channel, (metadata.get("event_payload") or {}).get("key"))
        return response

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.counts.as_json())


def _fake_main(platform: str, channels: int, ports: Any, stop: Any) -> None:
    async def main() -> None:
        if platform == "discord":
            fake: Any = LimitedDiscord(guild_ids=[GUILD])  # posts to any channel id are taken
        else:
            fake = LimitedSlack()
        await fake.start()
        ports.put(fake.port)
        await asyncio.get_running_loop().run_in_executor(None, stop.wait)
        await fake.stop()

    logging.basicConfig(level=logging.ERROR)
    asyncio.run(main())


@contextmanager
def fake_platform(platform: str, channels: int) -> Iterator[int]:
    context = mp.get_context("spawn")
    ports = context.Queue()
    stop = context.Event()
    process = context.Process(target=_fake_main, args=(platform, channels, ports, stop))
    process.start()
    try:
        yield int(ports.get(timeout=60))
    finally:
        stop.set()
        process.join(timeout=10)
        if process.is_alive():
            process.kill()


# --- databases ---------------------------------------------------------------------------------


@contextmanager
def fresh_database(url: str | None) -> Iterator[str]:
    if url is None or url.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/fanout.sqlite3"
        return
    schema = f"fanout_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def add_subscriptions(store: Store, platform: str, subs: int, channels: int) -> None:
    created = SLOT - timedelta(days=1)
    rows = [
        {
            "platform": platform,
            "workspace_id": str(GUILD) if platform == "discord" else "T0FAKE",
            "channel_id": str(CHANNEL_BASE + 1 + n % channels)
            if platform == "discord"
            else f"C{n % channels:05d}",
            "topic_slug": "korea-japan",
            "timezone": "Asia/Seoul",
            "at_time": "08:00",
            "days": "1,2,3,4,5,6,7",
            "cron": None,
            "quiet": False,
            "status": "active",
            "created_at": created,
            "updated_at": created,
        }
        for n in range(subs)
    ]
    with store.session() as session:
        for start in range(0, len(rows), 1000):
            session.execute(insert(SubscriptionRow), rows[start : start + 1000])


def outcomes(store: Store) -> dict[str, int]:
    with store.session(write=False) as session:
        return dict(
            session.execute(select(Delivery.status, func.count()).group_by(Delivery.status)).all()  # type: ignore[arg-type]
        )


# --- one run -----------------------------------------------------------------------------------


@dataclass
class Result:
    platform: str
    mode: str
    subs: int
    channels: int
    floor: float
    first: float | None
    done: float | None
    rejected: int
    duplicates: int
    missing: int
    failed: int
    rss_growth_mb: float
    rss_peak_mb: float
    timed_out: bool


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def floor_seconds(platform: str, subs: int, channels: int) -> float:
    if platform == "discord":
        return (subs - 1) / DISCORD_LIMIT
    busiest = -(-subs // channels)
    return (busiest - 1) * SLACK_INTERVAL


async def run_case(
    platform: str, subs: int, channels: int, paced: bool, db: str | None, give_up_after: float
) -> Result:
    with fake_platform(platform, channels) as port, fresh_database(db) as url:
        store = Store.open(url)
        registry = TopicRegistry.default()
        add_articles(store, registry)
        add_subscriptions(store, platform, subs, channels)
        offset = SLOT - timedelta(seconds=LEAD_SECONDS) - datetime.now(UTC)

        def clock() -> datetime:
            return datetime.now(UTC) + offset

        briefings = BriefingService(store, registry, clock=clock)
        subscriptions = SubscriptionService(store, registry)
        base = f"http://127.0.0.1:{port}"
        adapter: Any
        if platform == "discord":
            from adapters.discord import DiscordAdapter

            settings = Settings(
                discord_token="fake-bot-token",
                discord_api_base_url=f"{base}/api/v10",
                discord_gateway_url=f"ws://127.0.0.1:{port}/gateway",
            )
            adapter = DiscordAdapter(
                settings, briefings=briefings, topics=registry, subscriptions=subscriptions
            )
            await adapter.start()
            await adapter.wait_ready(10)
        else:
            from adapters.slack import SlackAdapter

            settings = Settings(
                slack_bot_token="xoxb-fake-bot-token",
                slack_signing_secret="bench-secret",
                slack_api_base_url=f"{base}/api/",
            )
            adapter = SlackAdapter(
                settings, briefings=briefings, topics=registry, subscriptions=subscriptions
            )
            await adapter.start()  # as `briefbot run` does: one HTTP session for every call
        scheduler = BriefingScheduler(
            store=store,
            briefings=briefings,
            subscriptions=subscriptions,
            publishers={platform: adapter},
            replica_id=f"bench-{platform}",
            misfire_grace=timedelta(hours=2),
            clock=clock,
            pacing=DEFAULT_PACING if paced else {},
        )
        rss_before = _rss_mb()
        await scheduler.start()
        slot_at = time.time() + (SLOT - clock()).total_seconds()
        deadline = slot_at + give_up_after
        timed_out = False
        async with aiohttp.ClientSession() as http:
            while True:
                await asyncio.sleep(0.5)
                counts = outcomes(store)
                finished = sum(counts.get(s, 0) for s in ("sent", "failed", "skipped"))
                if finished >= subs:
                    break
                if time.time() > deadline:
                    timed_out = True
                    break
            await scheduler.shutdown()
            await adapter.close()
            async with http.get(f"{base}/__bench/stats") as response:
                stats = await response.json()
        rss_growth = _rss_mb() - rss_before
        counts = outcomes(store)
        store.close()

    per_channel = collections.Counter({k: int(v) for k, v in stats["per_channel"].items()})
    expected = collections.Counter()
    for n in range(subs):
        expected[
            str(CHANNEL_BASE + 1 + n % channels)
            if platform == "discord"
            else f"C{n % channels:05d}"
        ] += 1
    duplicates = sum(max(per_channel[c] - expected[c], 0) for c in per_channel)
    if platform == "slack":  # every message carries its delivery key: count exact repeats
        duplicates = sum(count - 1 for count in stats["per_key"].values() if count > 1)
    missing = sum(max(expected[c] - per_channel[c], 0) for c in expected)
    return Result(
        platform=platform,
        mode="paced" if paced else "unpaced",
        subs=subs,
        channels=channels,
        floor=floor_seconds(platform, subs, channels),
        first=stats["first"] - slot_at if stats["first"] else None,
        done=stats["last"] - slot_at if stats["last"] else None,
        rejected=int(stats["rejected"]),
        duplicates=duplicates,
        missing=missing,
        failed=counts.get("failed", 0),
        rss_growth_mb=rss_growth,
        rss_peak_mb=_rss_mb(),
        timed_out=timed_out,
    )


def _case_main(
    platform: str,
    subs: int,
    channels: int,
    paced: bool,
    db: str | None,
    give_up_after: float,
    results: Any,
) -> None:
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    result = asyncio.run(run_case(platform, subs, channels, paced, db, give_up_after))
    results.put(asdict(result))


def run_isolated(
    platform: str, subs: int, channels: int, paced: bool, db: str | None, give_up_after: float
) -> Result:
    """One case in a fresh process: its peak RSS is its own, not the previous case's."""
    context = mp.get_context("spawn")
    results = context.Queue()
    process = context.Process(
        target=_case_main, args=(platform, subs, channels, paced, db, give_up_after, results)
    )
    process.start()
    try:
        found = results.get(timeout=give_up_after + 600)
    finally:
        process.join(timeout=30)
        if process.is_alive():
            process.kill()
    return Result(**found)


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def render(results: list[Result], db: str) -> Table:
    table = Table(title=f"Fan-out of one slot against rate-limited fakes ({db})")
    for column in (
        "platform",
        "pacing",
        "subs",
        "channels",
        "floor s",
        "first post s",
        "all posted s",
        "vs floor",
        "429s",
        "dupes",
        "missing",
        "failed",
        "peak RSS MB",
        "of it fan-out",
    ):
        table.add_column(column, justify="left" if column in ("platform", "pacing") else "right")
    for r in results:
        ratio = f"{r.done / r.floor:.3f}x" if r.done and r.floor else "-"
        table.add_row(
            r.platform,
            r.mode + (" (timed out)" if r.timed_out else ""),
            f"{r.subs:,}",
            f"{r.channels:,}",
            _fmt(r.floor),
            _fmt(r.first, 2),
            _fmt(r.done),
            ratio,
            f"{r.rejected:,}",
            str(r.duplicates),
            str(r.missing),
            str(r.failed),
            _fmt(r.rss_peak_mb, 0),
            _fmt(r.rss_growth_mb, 0),
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subs", type=int, default=10_000)
    parser.add_argument("--platform", choices=["discord", "slack", "both"], default="both")
    parser.add_argument(
        "--discord-channels", type=int, default=None, help="default: one channel per subscription"
    )
    parser.add_argument(
        "--slack-channels",
        type=int,
        default=None,
        help="default: subscriptions / 100 (100 briefings per channel)",
    )
    parser.add_argument(
        "--db",
        default=os.environ.get("BRIEFBOT_BENCH_DATABASE_URL"),
        help="SQLAlchemy URL of a PostgreSQL server (a fresh schema); "
        "default: a temporary SQLite file",
    )
    parser.add_argument("--only", choices=["paced", "unpaced"], default=None)
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds after the slot to give up (default: 3 x floor + 60)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)

    platforms = ["discord", "slack"] if args.platform == "both" else [args.platform]
    modes = [args.only == "paced"] if args.only else [True, False]
    results: list[Result] = []
    console = Console(width=max(Console().width, 150))
    for platform in platforms:
        channels = (
            args.discord_channels or args.subs
            if platform == "discord"
            else args.slack_channels or max(1, args.subs // 100)
        )
        for paced in modes:
            timeout = args.timeout or 3 * floor_seconds(platform, args.subs, channels) + 60
            console.print(
                f"[dim]{platform}, {'paced' if paced else 'unpaced'}: {args.subs:,} "
                f"subscriptions in {channels:,} channels ...[/dim]"
            )
            results.append(run_isolated(platform, args.subs, channels, paced, args.db, timeout))
    db = "PostgreSQL" if args.db and args.db.startswith("postgresql") else "SQLite"
    console.print(render(results, db))


if __name__ == "__main__":
    main()
