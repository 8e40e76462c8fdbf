"""Slack `/brief` ack latency over real signed HTTP, side by side with Bolt's default runner.

    python benchmarks/slack_ack.py                  # 200 requests per scenario
    python benchmarks/slack_ack.py --requests 500 --concurrency 50

Everything is real except Slack: briefbot's aiohttp server (``adapters.http``) with the
``SlackAdapter`` mounted at ``POST /slack/events``, slack-bolt verifying each request's
HMAC-SHA256 signature, the demo corpus in a temporary SQLite store, and the fake Slack of
``tests/fakes/slack_fake.py`` answering the Web API and collecting the response_url posts.

Measured per request, from the client's side:

* ack: from sending the signed ``/brief korea-japan`` POST to reading Slack's HTTP answer
  (what the 3-second deadline applies to);
* answered: from sending it to the briefing arriving at the response_url (the user sees it).

Scenarios, for both apps:

* sequential: one command at a time, each waits for its briefing before the next;
* burst: ``--concurrency`` commands in flight at once (e.g. a channel all asking at 9:00).

The alternative, in the same run: the usual Bolt shape, ``AsyncApp`` with its default
``process_before_response=False`` runner and a listener that calls ``ack()`` and then does
the same work inline (``asyncio.to_thread(brief)``, render, ``respond``).  Bolt then polls
every 10 ms for the ack before it answers Slack.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.fakes (run from anywhere)

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request  # noqa: E402
from slack_bolt.app.async_app import AsyncApp  # noqa: E402
from slack_bolt.context.ack.async_ack import AsyncAck  # noqa: E402
from slack_bolt.context.respond.async_respond import AsyncRespond  # noqa: E402
from slack_sdk.web.async_client import AsyncWebClient  # noqa: E402

from adapters.http import bound_port, build_web_app, start_web_server  # noqa: E402
from adapters.slack import SlackAdapter  # noqa: E402
from adapters.slack.render import render_briefing  # noqa: E402
from bot.briefing import BriefingService  # noqa: E402
from bot.ingest import Ingestor  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.subscriptions import SubscriptionService  # noqa: E402
from bot.topics import TopicRegistry  # noqa: E402
from tests.fakes.slack_fake import SlackFake, sign_request, slash_command_body  # noqa: E402

SECRET = "benchmark-signing-secret"
T = TypeVar("T")


@dataclass
class Samples:
    ack: list[float] = field(default_factory=list)
    answered: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)


async def _health() -> dict[str, Any]:
    return {"ok": True}


def naive_bolt_app(fake: SlackFake, briefings: BriefingService) -> web.Application:
    """The alternative: Bolt's default runner, work done inline after ack()."""
    app = AsyncApp(
        client=AsyncWebClient(token=fake.bot_token, base_url=fake.api_url),
        signing_secret=SECRET,
        logger=logging.getLogger("benchmark.naive"),
    )

    @app.command("/brief")
    async def brief(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        briefing = await asyncio.to_thread(briefings.brief, command["text"])
        [message] = render_briefing(briefing)
        await respond(text=message["text"], blocks=message["blocks"], response_type="in_channel")

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = build_web_app(_health)
    web_app.router.add_post("/slack/events", events)
    return web_app


async def measure(
    base_url: str, fake: SlackFake, *, requests: int, concurrency: int, wait_each: bool
) -> Samples:
    samples = Samples()
    events = f"{base_url}/slack/events"
    answered_at: dict[str, float] = {}
    semaphore = asyncio.Semaphore(concurrency)

    async with aiohttp.ClientSession() as session:

        async def one(number: int) -> None:
            key = f"r{number}-{time.monotonic_ns()}"
            body = slash_command_body(
                "korea-japan", team_id=fake.team_id, response_url=fake.response_url(key)
            )
            async with semaphore:
                sent = time.perf_counter()
                headers = sign_request(SECRET, body)
                async with session.post(events, data=body.encode(), headers=headers) as response:
                    await response.read()
                    samples.ack.append(time.perf_counter() - sent)
                    samples.statuses[response.status] = samples.statuses.get(response.status, 0) + 1
                await fake.wait_for(lambda: any(p.channel == key for p in fake.posted), 30)
                answered_at[key] = time.perf_counter()
                samples.answered.append(answered_at[key] - sent)

        if wait_each:
            for number in range(requests):
                await one(number)
        else:
            await asyncio.gather(*(one(number) for number in range(requests)))
    fake.posted.clear()
    fake.calls.clear()
    return samples


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


class ClientSide:
    """The fake Slack and the load generator, on their own event loop in a thread, so the
    figures measure briefbot's loop and not the client's bookkeeping."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    async def call(self, coro: Coroutine[Any, Any, T]) -> T:
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self.loop))

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


async def run(requests: int, concurrency: int) -> list[tuple[str, str, Samples]]:
    workdir = Path(tempfile.mkdtemp(prefix="briefbot-slack-bench-"))
    url = f"sqlite:///{workdir / 'briefbot.sqlite3'}"
    store = Store.open(url)
    registry = TopicRegistry.default()
    settings = Settings(_env_file=None, database_url=url, data_dir=workdir)  # type: ignore[call-arg]
    Ingestor(store, settings, registry.tag).ingest_demo()
    briefings = BriefingService(store, registry)
    subscriptions = SubscriptionService(store, registry)
    client = ClientSide()
    fake = await client.call(SlackFake().start())
    fake.response_url_uses = 10**9

    adapter = SlackAdapter(
        Settings(  # type: ignore[call-arg]
            _env_file=None,
            slack_bot_token=SecretStr(fake.bot_token),
            slack_signing_secret=SecretStr(SECRET),
            slack_api_base_url=fake.api_url,
        ),
        briefings=briefings,
        topics=registry,
        subscriptions=subscriptions,
    )
    ours = build_web_app(_health)
    adapter.mount(ours)
    apps: list[tuple[str, web.Application, Callable[[], Awaitable[None]]]] = [
        ("briefbot SlackAdapter", ours, adapter.start),
        ("Bolt default runner", naive_bolt_app(fake, briefings), _nothing),
    ]
    results: list[tuple[str, str, Samples]] = []
    try:
        for name, app, start in apps:
            runner = await start_web_server(app, "127.0.0.1", 0)
            await start()
            base = f"http://127.0.0.1:{bound_port(runner)}"
            await client.call(measure(base, fake, requests=10, concurrency=1, wait_each=True))
            for scenario, wait_each, in_flight in (
                ("sequential", True, 1),
                (f"burst x{concurrency}", False, concurrency),
            ):
                samples = await client.call(
                    measure(
                        base, fake, requests=requests, concurrency=in_flight, wait_each=wait_each
                    )
                )
                results.append((name, scenario, samples))
            await runner.cleanup()
    finally:
        await adapter.close()
        await client.call(fake.stop())
        client.stop()
        store.close()
    return results


async def _nothing() -> None:
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    results = asyncio.run(run(args.requests, args.concurrency))

    table = Table(title=f"Slack /brief korea-japan: {args.requests} signed requests per row (ms)")
    for column in (
        "app",
        "scenario",
        "HTTP",
        "ack p50",
        "ack p99",
        "ack max",
        "answered p50",
        "answered p99",
    ):
        table.add_column(column, justify="left" if column in {"app", "scenario"} else "right")
    for name, scenario, samples in results:
        table.add_row(
            name,
            scenario,
            ", ".join(f"{status}x{count}" for status, count in sorted(samples.statuses.items())),
            f"{percentile(samples.ack, 50) * 1000:.1f}",
            f"{percentile(samples.ack, 99) * 1000:.1f}",
            f"{max(samples.ack) * 1000:.1f}",
            f"{percentile(samples.answered, 50) * 1000:.1f}",
            f"{percentile(samples.answered, 99) * 1000:.1f}",
        )
    console = Console(width=130)
    console.print(table)
    console.print(
        f"Python {sys.version.split()[0]} on {os.cpu_count()} CPU(s); briefbot's server on one "
        "event loop, the client and the fake Slack on another (127.0.0.1). Slack's deadline "
        "for the ack is 3,000 ms."
    )


if __name__ == "__main__":
    main()
