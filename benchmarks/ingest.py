"""Ingest throughput (pages/s) from local HTTP servers, side by side.

    python benchmarks/ingest.py                     # SQLite; PostgreSQL too when
    BRIEFBOT_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        python benchmarks/ingest.py                 # ... the variable is set

The 66 real editorials of ../shared/data/editorials_dev.jsonl are served as full pages with
chrome (navigation, share bar, related links, comments) by six local servers, one feed
each (six "hosts": the client's per-host limit of two requests in flight applies, with the
politeness delay set to 0 so the figures measure the pipeline, not the courtesy).  Every
page is fetched, its main text extracted (trafilatura), summarized (sumy-based), tagged and
stored with dedup.  Scenarios, each on a fresh database:

* sequential: one feed at a time, one entry at a time;
* concurrent: the defaults (4 feeds x 4 entries in flight);
* re-poll, 304: the same feeds again; the server answers Not Modified;
* re-poll, changed feeds: the feeds changed (no validators) but every entry is known:
  no page fetches, no summarizing.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bot.ingest import Ingestor  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.topics import TopicRegistry  # noqa: E402
from tests.support.content import FeedItem, article_page, rss  # noqa: E402
from tests.support.postgres import scratch_schema  # noqa: E402
from tests.support.web import LocalWeb  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "editorials_dev.jsonl"
SERVERS = 6


def load_editorials() -> list[dict[str, str]]:
    if not DATA.is_file():
        sys.exit(f"{DATA} is missing: this benchmark needs ../shared/data beside the project")
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


def serve(
    stack: ExitStack, pieces: list[dict[str, str]], *, etag: str | None
) -> tuple[list[str], list[LocalWeb]]:
    webs = [stack.enter_context(LocalWeb()) for _ in range(SERVERS)]
    feeds: list[list[FeedItem]] = [[] for _ in webs]
    for number, piece in enumerate(pieces):
        web = webs[number % SERVERS]
        url = web.add(f"/opinion/{number}", article_page(piece["title"], piece["text"]))
        feeds[number % SERVERS].append(FeedItem(title=piece["title"], link=url, guid=str(number)))
    urls = [
        web.add("/rss", rss(items), content_type="application/rss+xml", etag=etag)
        for web, items in zip(webs, feeds, strict=True)
    ]
    return urls, webs


def page_fetches(webs: list[LocalWeb]) -> int:
    return sum(1 for web in webs for r in web.requests if r.path.startswith("/opinion/"))


@contextmanager
def fresh_database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.sqlite3"
        return
    with scratch_schema(
        os.environ["BRIEFBOT_TEST_POSTGRES_URL"], f"bench_{uuid.uuid4().hex[:10]}"
    ) as url:
        yield url


def run(ingestor: Ingestor, feeds: list[str]) -> tuple[float, int, int]:
    started = time.perf_counter()
    report = asyncio.run(ingestor.ingest_feeds(feeds))
    elapsed = time.perf_counter() - started
    return elapsed, report.added, report.duplicates + report.syndicated


def main() -> None:
    pieces = load_editorials()
    tagger = TopicRegistry.default().tag
    kinds = ["sqlite"] + (["postgresql"] if os.environ.get("BRIEFBOT_TEST_POSTGRES_URL") else [])
    table = Table(title=f"Ingest: {len(pieces)} real editorials as pages with chrome, 6 feeds")
    columns = (
        "store",
        "scenario",
        "entries",
        "page fetches",
        "seconds",
        "entries/s",
        "added",
        "known",
    )
    for column in columns:
        table.add_column(column, justify="left" if column in ("store", "scenario") else "right")
    http = {"host_delay": 0.0, "timeout": 30.0}
    n = len(pieces)

    def row(kind: str, label: str, seconds: float, fetched: int, added: int, known: int) -> None:
        table.add_row(
            kind,
            label,
            str(n),
            str(fetched),
            f"{seconds:.2f}",
            f"{n / seconds:.1f}",
            str(added),
            str(known),
        )

    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "feeds.toml"
        empty.write_text("")
        settings = Settings(feeds_file=empty, contact="benchmark@localhost")

        @contextmanager
        def fresh(
            kind: str, *, etag: str | None, **concurrency: int
        ) -> Iterator[tuple[Ingestor, list[str], list[LocalWeb]]]:
            """A fresh database, the servers with their feeds, and an ingestor over both."""
            with ExitStack() as stack, fresh_database(kind) as url:
                feeds, webs = serve(stack, pieces, etag=etag)
                store = stack.enter_context(Store.open(url))
                yield (
                    Ingestor(store, settings, tagger, http_options=http, **concurrency),
                    feeds,
                    webs,
                )

        for kind in kinds:
            # first ingest, one thing at a time
            with fresh(kind, etag='"v1"', feed_concurrency=1, entry_concurrency=1) as (
                ingestor,
                feeds,
                webs,
            ):
                seconds, added, known = run(ingestor, feeds)
                row(
                    kind,
                    "first ingest, sequential (1 feed x 1 entry)",
                    seconds,
                    page_fetches(webs),
                    added,
                    known,
                )
            # first ingest with the defaults, then the same feeds again: 304 Not Modified
            with fresh(kind, etag='"v1"') as (ingestor, feeds, webs):
                seconds, added, known = run(ingestor, feeds)
                row(
                    kind,
                    "first ingest, concurrent (4 feeds x 4 entries)",
                    seconds,
                    page_fetches(webs),
                    added,
                    known,
                )
                before = page_fetches(webs)
                seconds, added, known = run(ingestor, feeds)
                row(
                    kind,
                    "re-poll: 304 Not Modified",
                    seconds,
                    page_fetches(webs) - before,
                    added,
                    known,
                )
            # feeds without validators: re-poll reads them, every entry already known
            with fresh(kind, etag=None) as (ingestor, feeds, webs):
                run(ingestor, feeds)
                before = page_fetches(webs)
                seconds, added, known = run(ingestor, feeds)
                row(
                    kind,
                    "re-poll: feed re-read, entries known",
                    seconds,
                    page_fetches(webs) - before,
                    added,
                    known,
                )
    Console(width=140).print(table)
    print(f"machine: {os.cpu_count()} CPU(s); python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
