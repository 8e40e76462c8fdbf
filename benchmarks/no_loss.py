"""No entry is lost: this tree beside an earlier one, on the same local servers, in one run.

    python benchmarks/no_loss.py                  # against fb415a0 (before issue 11)
    python benchmarks/no_loss.py --against HEAD~5  # any other revision

Each tree runs in its own process (a ``git worktree`` of the earlier revision, the same
virtual environment) through its own ``Ingestor``, on a fresh SQLite store, against the
same scenarios served by local HTTP servers:

* **long feed**: a feed of 241 entries that does not change (it answers 304 to a
  conditional GET), polled six times: how many entries are stored after each poll.
* **pages failing for now**: a feed of 20 entries whose pages answer 503 on the first poll
  and work from the second (the feed itself answers 304 then): stored after two polls.
* **dead host**: a feed of 12 entries whose pages live on a host name that does not
  resolve, with the client's default retries and politeness: seconds for the poll.
* **text-only items**: an RSS feed of 10 items with a description and a GUID but no title
  and no link (RSS 2.0 allows it): stored after one poll.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PLACES = tuple(
    [
        "Seoul",
        "Tokyo",
        "Busan",
        "Osaka",
        "Incheon",
        "Sapporo",
        "Daegu",
        "Fukuoka",
        "Gwangju",
        "Kobe",
    ]
)
NOUNS = tuple(
    [
        "ministers",
        "lawmakers",
        "farmers",
        "unions",
        "exporters",
        "students",
        "pilots",
        "nurses",
        "engineers",
        "fishermen",
        "investors",
        "regulators",
        "diplomats",
        "mayors",
        "teachers",
        "shippers",
        "carmakers",
        "bankers",
    ]
)
VERBS = tuple(
    ["approved", "rejected", "delayed", "signed", "announced", "debated", "criticized", "welcomed"]
)
THINGS = tuple(
    [
        "tariff",
        "port",
        "visa",
        "subsidy",
        "fishing",
        "rail",
        "chip",
        "grain",
        "power",
        "water",
        "tax",
    ]
)


def story(n: int) -> tuple[str, str]:
    """A short news story of its own words (no two are near copies), in plain English."""
    rng = random.Random(n)

    def sentence() -> str:
        return (
            f"{rng.choice(NOUNS).capitalize()} in {rng.choice(PLACES)} {rng.choice(VERBS)} "
            f"{rng.randint(2, 900)} {rng.choice(THINGS)} plans after {rng.choice(NOUNS)} from "
            f"{rng.choice(PLACES)} {rng.choice(VERBS)} the {rng.choice(THINGS)} rules on "
            "Monday, officials said."
        )

    title = f"{rng.choice(PLACES)} {rng.choice(NOUNS)} {rng.choice(VERBS)} {n}"
    text = "\n\n".join(" ".join(sentence() for _ in range(2)) for _ in range(4))
    return title, text


def worker(tree: Path) -> dict[str, Any]:
    """Run every scenario with the ``bot`` package of ``tree``; results as JSON."""
    sys.path.insert(0, str(tree))
    from bot.ingest import Ingestor
    from bot.settings import Settings
    from bot.store import Store
    from bot.topics import TopicRegistry
    from tests.support.content import FeedItem, article_page, rss
    from tests.support.web import LocalWeb

    tagger = TopicRegistry.default().tag
    rss_type = "application/rss+xml; charset=utf-8"
    fast = {"host_delay": 0.0, "timeout": 2.0}
    results: dict[str, Any] = {}

    def fresh(tmp: Path, name: str) -> tuple[Store, Settings]:
        feeds = tmp / "feeds.toml"
        feeds.write_text("# none\n")
        settings = Settings(feeds_file=feeds, contact="bench@example.test")
        return Store.open(f"sqlite:///{tmp / name}.sqlite3"), settings

    def serve(web: LocalWeb, count: int, prefix: str, **page: Any) -> str:
        items = []
        for n in range(count):
            title, text = story(n + {"long": 0, "retry": 1000}[prefix])
            url = web.add(f"/{prefix}/{n}", article_page(title, text, chrome=False), **page)
            items.append(FeedItem(title=title, link=url, guid=f"{prefix}-{n}"))
        return web.add(f"/{prefix}/rss", rss(items), content_type=rss_type, etag=f'"{prefix}"')

    with tempfile.TemporaryDirectory() as name, LocalWeb() as web:
        tmp = Path(name)

        store, settings = fresh(tmp, "long")
        ingestor = Ingestor(store, settings, tagger, http_options=fast, entry_concurrency=8)
        feed = serve(web, 241, "long")
        stored = []
        for _ in range(6):
            asyncio.run(ingestor.ingest_feeds([feed]))
            stored.append(store.count_articles())
        results["long"] = stored
        store.close()

        store, settings = fresh(tmp, "retry")
        options: dict[str, Any] = {"http_options": {**fast, "attempts": 1}}
        if "entry_retry_delay" in Ingestor.__init__.__code__.co_varnames:
            from datetime import timedelta

            options["entry_retry_delay"] = timedelta(0)  # due again at the next poll
        ingestor = Ingestor(store, settings, tagger, **options)
        feed = serve(web, 20, "retry", status=503)
        asyncio.run(ingestor.ingest_feeds([feed]))
        first = store.count_articles()
        serve(web, 20, "retry")  # the pages work now; the feed is unchanged (304)
        asyncio.run(ingestor.ingest_feeds([feed]))
        results["retry"] = [first, store.count_articles()]
        store.close()

        store, settings = fresh(tmp, "dead")
        ingestor = Ingestor(store, settings, tagger)  # the client's defaults: retries, delays
        items = [
            FeedItem(title=f"Dead {n}", link=f"http://dead-host.invalid/a/{n}", guid=f"d{n}")
            for n in range(12)
        ]
        feed = web.add("/dead/rss", rss(items), content_type=rss_type)
        started = time.perf_counter()
        asyncio.run(ingestor.ingest_feeds([feed]))
        results["dead"] = time.perf_counter() - started
        store.close()

        store, settings = fresh(tmp, "text")
        ingestor = Ingestor(store, settings, tagger, http_options=fast)
        body = "".join(
            f"<item><guid isPermaLink='false'>t{n}</guid><description>"
            + story(5000 + n)[1].replace("\n\n", " ")
            + "</description></item>"
            for n in range(10)
        )
        feed = web.add(
            "/text/rss",
            f"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>{body}"
            "</channel></rss>",
            content_type=rss_type,
        )
        asyncio.run(ingestor.ingest_feeds([feed]))
        results["text"] = store.count_articles()
        store.close()
    return results


def run_tree(tree: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", str(tree)],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", default="fb415a0", help="the earlier revision")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return
    sys.path.insert(0, str(ROOT))
    from benchmarks._common import table

    with tempfile.TemporaryDirectory() as name:
        old_tree = Path(name) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(old_tree), args.against],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            old = run_tree(old_tree)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(old_tree)], cwd=ROOT, check=False
            )
    new = run_tree(ROOT)
    rows = [
        ["long feed (241): stored after polls 1-6"]
        + [" ".join(map(str, r["long"])) for r in (old, new)],
        ["pages 503 then fine (20): stored after polls 1, 2"]
        + [" ".join(map(str, r["retry"])) for r in (old, new)],
        ["dead host (12 entries): seconds for the poll"] + [f"{r['dead']:.2f}" for r in (old, new)],
        ["text-only items (10): stored"] + [str(r["text"]) for r in (old, new)],
    ]
    table(
        "No entry lost: the same scenarios, two trees",
        ["scenario", args.against, "this tree"],
        rows,
    )


if __name__ == "__main__":
    main()
