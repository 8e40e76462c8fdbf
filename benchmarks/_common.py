"""What several benchmarks share: percentiles, a plain results table, a second event loop for
the fakes, and the core over a temporary SQLite store with the demo corpus.

The core's modules are imported where the core is built, so that the summarizer benchmarks
(speed, quality) that only want ``percentile``/``table`` do not load the store.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

if TYPE_CHECKING:
    from bot.briefing import BriefingService
    from bot.store import Store
    from bot.subscriptions import SubscriptionService
    from bot.topics import TopicRegistry

T = TypeVar("T")


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


class ClientSide:
    """A fake platform (and load generator) on its own event loop in a thread, so the figures
    measure the bot's loop and not the client's bookkeeping."""

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
