"""What several benchmarks share: percentiles, a plain results table, a fake platform (with
its load generator) in a process of its own, and the core over a temporary SQLite store with
the demo corpus.

The core's modules (and aiohttp) are imported where they are used, so that the summarizer
benchmarks (speed, quality) that only want ``percentile``/``table`` do not load the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing as mp
import os
import queue
import tempfile
from collections.abc import AsyncIterator, Sequence
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import aiohttp

    from bot.briefing import BriefingService
    from bot.store import Store
    from bot.subscriptions import SubscriptionService
    from bot.topics import TopicRegistry
    from tests.fakes._server import LocalAiohttpServer


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by the nearest rank of ``q/100 * (n-1)``; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a results table: first column left-aligned, the rest right-aligned."""
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # pragma: no cover - rich is a dependency, but keep plain output
        print(f"\n{title}")
        print(" | ".join(header))
        for row in rows:
            print(" | ".join(str(c) for c in row))
        return
    out = Table(title=title, title_justify="left")
    for i, name in enumerate(header):
        out.add_column(name, justify="left" if i == 0 else "right")
    for row in rows:
        out.add_row(*(str(c) for c in row))
    Console(width=120).print(out)


def bot_logging(level: str | None, *, quiet: int) -> None:
    """The bot's process logs like this: without ``level``, plainly to stderr from ``quiet``
    up (the figures then leave out logging); with one (``--log-level INFO``), as
    ``briefbot run`` logs at that level (``bot.logs.configure``: request ids, redaction) but
    into /dev/null, so each line's cost is in the figures and none is printed."""
    if level is None:
        logging.basicConfig(level=quiet)
        return
    from bot.logs import configure

    configure(level, secrets=(), stream=open(os.devnull, "w"))  # noqa: SIM115 (process-long)


class Remote:
    """A fake served by :func:`own_process`: its port, and ``call`` for the control routes a
    benchmark adds to it (``POST`` a JSON object, get the JSON answer; no time limit)."""

    def __init__(self, port: int, session: aiohttp.ClientSession) -> None:
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self._session = session

    async def call(self, path: str, **payload: Any) -> Any:
        async with self._session.post(self.base_url + path, json=payload) as response:
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}: {await response.text()}")
            return await response.json()


@contextlib.asynccontextmanager
async def own_process(server: type[LocalAiohttpServer], **options: Any) -> AsyncIterator[Remote]:
    """Serve ``server(**options)`` (a fake of tests/fakes, or a benchmark's subclass adding
    its control routes) in a fresh process of its own, for as long as the ``async with``.

    The bot's process then holds only the bot: the fake's answers, and the load generator or
    bookkeeping a benchmark runs inside the fake, no longer take the bot's GIL and event loop
    (on a 2-core machine each process gets a core).  ``server`` must be importable by the new
    interpreter: a benchmark script's own classes are (it imports the script as
    ``__mp_main__``).  The process ends when the block exits, or when this process dies.
    """
    import aiohttp

    context = mp.get_context("spawn")
    ports = context.Queue()
    stop = context.Event()
    process = context.Process(
        target=_serve, args=(server, options, ports, stop, os.getpid()), daemon=True
    )
    process.start()
    try:
        port = await asyncio.to_thread(_port_of, process, ports)
        timeout = aiohttp.ClientTimeout(total=None)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            yield Remote(port, session)
    finally:
        stop.set()
        await asyncio.to_thread(process.join, 10)
        if process.is_alive():
            process.kill()


def _port_of(process: BaseProcess, ports: Any) -> int:
    while True:
        try:
            return int(ports.get(timeout=0.5))
        except queue.Empty:
            if not process.is_alive():
                raise RuntimeError(f"the fake's process ended ({process.exitcode})") from None


def _serve(
    server: type[LocalAiohttpServer], options: dict[str, Any], ports: Any, stop: Any, parent: int
) -> None:
    """The fake's process: start it, report its port, serve until told to stop (or orphaned)."""
    logging.basicConfig(level=logging.ERROR)

    async def main() -> None:
        fake = server(**options)
        await fake.start()
        ports.put(fake.port)

        def wait() -> None:
            while not stop.wait(1.0) and os.getppid() == parent:
                pass

        await asyncio.get_running_loop().run_in_executor(None, wait)
        await fake.stop()

    asyncio.run(main())


class DemoCore(NamedTuple):
    store: Store
    registry: TopicRegistry
    briefings: BriefingService
    subscriptions: SubscriptionService


def demo_core(articles: int, *, prefix: str) -> DemoCore:
    """The core over a new SQLite file in a temporary directory named ``prefix...``: the demo
    corpus plus ``articles`` synthetic ones (as benchmarks/brief_latency.py fills them).
    The caller closes the store."""
    from benchmarks.brief_latency import fill
    from bot.briefing import BriefingService
    from bot.ingest import Ingestor
    from bot.settings import Settings
    from bot.store import Store
    from bot.subscriptions import SubscriptionService
    from bot.topics import TopicRegistry

    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    url = f"sqlite:///{workdir / 'briefbot.sqlite3'}"
    store = Store.open(url)
    registry = TopicRegistry.default()
    if articles:
        fill(store, articles, registry)
    settings = Settings(_env_file=None, database_url=url, data_dir=workdir)  # type: ignore[call-arg]
    Ingestor(store, settings, registry.tag).ingest_demo()
    return DemoCore(
        store, registry, BriefingService(store, registry), SubscriptionService(store, registry)
    )
