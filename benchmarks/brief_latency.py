"""`brief` latency with 200,000 articles grouped in stories, on SQLite and on PostgreSQL.

    python benchmarks/brief_latency.py                      # SQLite; PostgreSQL too when
    BRIEFBOT_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        python benchmarks/brief_latency.py                  # ... the variable is set
    python benchmarks/brief_latency.py --articles 10000 --runs 100

The store is filled in bulk with realistic rows: ~600-word texts, 3-5 bullets, one to three
sources, publication dates over the last year, and ``article_mentions`` drawn the way the
tagger writes them (a lead country or two at high weight, a few passing mentions at low
weight, ``topic:<slug>`` for curated relationship terms), with the region's countries
(KR, JP, US, CN, KP, ...) more frequent than the rest of the world.  Real editorial texts
from ``../shared/data`` are used as article bodies when that folder is there.  Articles
come in stories of one to six (the sizes the grouping makes), each story with its stored
summary (bullets, an editorial's claim, a line per country), its outlets from several
countries.

Measured: ``BriefingService.brief`` end to end (resolve the topic, one ranked SQL query over
the articles, their stories read with their members and sources, stories ranked and
rendered to frozen values), warm, over a mix of topics: curated pairs, plain pairs, single
countries and a topic with few articles; and a scheduled briefing (``exclude_channel``)
for a channel briefed on a third of the stories.  Side by side, in the same run, the
alternative this design avoids: fetching every article that mentions the topic's countries
and ranking them in Python.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bot.briefing import (  # noqa: E402
    RECENCY_DAYS,
    TOPIC_BONUS,
    BriefingService,
    coverage_factor,
)
from bot.models import ChannelRef  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.store.schema import (  # noqa: E402
    Article,
    ArticleMention,
    ArticleSource,
    BriefedArticle,
    Story,
)
from bot.topics import SUBSTANTIVE, Topic, TopicRegistry  # noqa: E402
from bot.topics.tagging import with_pairs  # noqa: E402
from tests.support.postgres import scratch_schema  # noqa: E402

NOW = datetime(2025, 6, 20, 9, 0, tzinfo=UTC)
TOPICS = ["korea-japan", "us-china", "north-korea", "japan", "india-pakistan", "france-germany"]
OUTLETS = [
    "Korea JoongAng Daily", "The Korea Herald", "The Korea Times", "Yonhap", "The Japan Times",
    "NHK World", "The Diplomat", "Nikkei Asia", "South China Morning Post", "Reuters",
]  # fmt: skip
WORDS = [
    "government", "minister", "talks", "summit", "security", "trade", "agreement", "officials",
    "leaders", "alliance", "economy", "sanctions", "tariffs", "parliament", "election",
    "diplomacy", "visit", "cooperation", "dispute", "treaty", "history", "region", "military",
    "exports", "investment", "energy", "climate", "budget", "reform", "policy", "court",
]  # fmt: skip


def texts() -> list[str]:
    data = ROOT.parent / "shared" / "data" / "editorials_dev.jsonl"
    if data.is_file():
        lines = data.read_text(encoding="utf-8").splitlines()
        return [json.loads(line)["text"] for line in lines]
    rng = random.Random(1)
    return [" ".join(rng.choice(WORDS) for _ in range(600)).capitalize() + "." for _ in range(50)]


# How often a country leads a story in a store fed by Korea/Japan/regional outlets.
LEAD_SHARE = {
    "KR": 30, "JP": 22, "US": 18, "CN": 14, "KP": 8, "TW": 4, "RU": 4, "PH": 3, "IN": 3,
    "GB": 2, "FR": 2, "DE": 2, "UA": 2, "PK": 2, "VN": 2, "AU": 2, "BR": 1, "ZA": 1, "NG": 1,
    "EG": 1, "MX": 1, "CA": 1, "ID": 1, "TR": 1, "IR": 1, "SA": 1, "IL": 1, "PL": 1,
}  # fmt: skip


def mentions_for(rng: random.Random, curated: dict[frozenset[str], str]) -> dict[str, float]:
    """Entity weights shaped like the tagger's: leads high, passing mentions low."""
    codes, shares = list(LEAD_SHARE), list(LEAD_SHARE.values())
    leads = rng.choices(codes, weights=shares, k=rng.choice([1, 1, 2, 2, 2, 3]))
    weights: dict[str, float] = {}
    for code in dict.fromkeys(leads):
        weights[code] = round(rng.uniform(0.35, 1.0), 3)
    for code in rng.choices(codes, k=rng.randint(0, 4)):
        weights.setdefault(code, round(rng.uniform(0.05, 0.3), 3))
    for pair, slug in curated.items():
        if pair <= weights.keys() and rng.random() < 0.6:
            weights[f"topic:{slug}"] = round(rng.uniform(0.1, 0.8), 3)
    return with_pairs(weights)


COUNTRIES = ["KR", "JP", "US", "CN", "HK", "PH", None]
CHANNEL = ChannelRef("slack", "C-bench", "T-bench")


def fill(store: Store, n: int, registry: TopicRegistry) -> None:
    rng = random.Random(42)
    bodies = texts()
    curated = {frozenset(t.entities): t.slug for t in registry.curated()}
    articles: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    mentions: list[dict[str, Any]] = []
    stories: list[dict[str, Any]] = []
    briefed: list[dict[str, Any]] = []
    story_id = 0
    left = 0  # articles still to come in the current story
    story_mentions: dict[str, float] = {}
    story_day = NOW
    for i in range(1, n + 1):
        if left == 0:
            story_id += 1
            left = rng.choice([1, 1, 2, 2, 3, 4, 6])
            story_mentions = mentions_for(rng, curated)
            story_day = NOW - timedelta(days=rng.uniform(0, 365))
            present = [c for c in rng.sample(COUNTRIES, 3) if c]
            stories.append(
                {
                    "id": story_id,
                    "title": f"Story {story_id}",
                    "lead_article_id": i,
                    "first_seen": story_day,
                    "last_seen": story_day + timedelta(hours=12),
                    "updated_at": story_day + timedelta(hours=12),
                    "articles": left,
                    "centroid": {},
                    "bullets": [f"Fact {k} of story {story_id}." for k in range(3)],
                    "opinions": [
                        {"article_id": i, "outlet": "The Korea Herald", "claim": "Seoul must act."}
                    ]
                    if rng.random() < 0.2
                    else [],
                    "perspectives": {c: f"How {c} outlets saw story {story_id}." for c in present},
                    "created_at": story_day,
                }
            )
            if story_id % 3 == 0:
                briefed.append(
                    {
                        "platform": CHANNEL.platform,
                        "channel_id": CHANNEL.channel_id,
                        "article_id": i,
                        "briefed_at": story_day,
                    }
                )
        left -= 1
        body = bodies[i % len(bodies)] + f" ({i})"
        published = story_day + timedelta(hours=rng.uniform(0, 12))
        undated = rng.random() < 0.1
        ingested = published + timedelta(hours=rng.uniform(0, 12))
        outlet = rng.choice(OUTLETS)
        articles.append(
            {
                "id": i,
                "title": f"Story {i}: " + " ".join(rng.choice(WORDS) for _ in range(8)),
                "url": f"https://news.example/{i}",
                "outlet": outlet,
                "author": None,
                "kind": rng.choice(["editorial", "news"]),
                "language": "en",
                "published_at": None if undated else published,
                "ingested_at": ingested,
                "dated_at": ingested if undated else published,
                "text": body,
                "bullets": [f"Point {k} of story {i}." for k in range(rng.randint(3, 5))],
                "content_hash": hashlib.sha256(body.encode()).hexdigest(),
                "story_id": story_id,
            }
        )
        for k, source_outlet in enumerate([outlet, *rng.sample(OUTLETS, rng.choice([0, 0, 1, 2]))]):
            sources.append(
                {
                    "article_id": i,
                    "feed_id": None,
                    "outlet": source_outlet,
                    "url": f"https://news.example/{i}/{k}",
                    "url_norm": f"https://news.example/{i}/{k}",
                    "guid": None,
                    "seen_at": ingested,
                    "country": rng.choice(COUNTRIES),
                }
            )
        for entity, weight in story_mentions.items():  # a story's articles share its subject
            mentions.append(
                {
                    "article_id": i,
                    "entity": entity,
                    "weight": weight,
                    "dated_at": ingested if undated else published,
                }
            )
    with store.engine.begin() as conn:
        for table, rows in (
            (Story.__table__, stories),
            (Article.__table__, articles),
            (ArticleSource.__table__, sources),
            (ArticleMention.__table__, mentions),
            (BriefedArticle.__table__, briefed),
        ):
            for start in range(0, len(rows), 2000):
                conn.execute(sa.insert(table), rows[start : start + 2000])
        if store.dialect == "postgresql":
            conn.execute(sa.text("SELECT setval('articles_id_seq', :n)"), {"n": n})
            conn.execute(sa.text("SELECT setval('stories_id_seq', :n)"), {"n": story_id})
            conn.execute(sa.text("ANALYZE"))
        else:
            conn.execute(sa.text("ANALYZE"))


def python_ranked(store: Store, registry: TopicRegistry, slug: str, count: int = 3) -> list[int]:
    """The alternative: fetch every mention of the topic's countries, rank in Python."""
    topic: Topic = registry.resolve(slug)
    entities = [*topic.entities, topic.entity]
    with store.session(write=False) as session:
        rows = session.execute(
            sa.select(
                ArticleMention.article_id, ArticleMention.entity, ArticleMention.weight
            ).where(ArticleMention.entity.in_(entities))
        ).all()
        weights: dict[int, dict[str, float]] = {}
        for article_id, entity, weight in rows:
            weights.setdefault(article_id, {})[entity] = weight
        ids = [
            a
            for a, w in weights.items()
            if all(w.get(e, 0.0) >= SUBSTANTIVE for e in topic.entities)
        ]
        query = sa.select(Article.id, Article.dated_at).where(Article.id.in_(ids))
        dated: dict[int, datetime] = {row.id: row.dated_at for row in session.execute(query)}

    def score(article_id: int) -> float:
        w = weights[article_id]
        relevance = math.prod(w[e] for e in topic.entities)
        if topic.curated:
            relevance += TOPIC_BONUS * w.get(topic.entity, 0.0)
        age = max(0.0, (NOW - dated[article_id]).total_seconds() / 86400)
        return relevance / (1 + age / RECENCY_DAYS)

    with store.session(write=False) as session:
        story_of = dict(
            session.execute(
                sa.select(Article.id, Article.story_id).where(Article.id.in_(ids))
            ).all()
        )
        outlets: dict[int, set[str]] = {}
        for story, outlet in session.execute(
            sa.select(Article.story_id, ArticleSource.outlet)
            .join(ArticleSource, ArticleSource.article_id == Article.id)
            .where(Article.story_id.in_(set(story_of.values())))
        ):
            outlets.setdefault(story, set()).add(outlet.casefold())
    best: dict[int, float] = {}
    for article_id in ids:
        story = story_of[article_id]
        best[story] = max(best.get(story, 0.0), score(article_id))
    ranked = sorted(best, key=lambda s: best[s] * coverage_factor(len(outlets[s])), reverse=True)
    return ranked[:count]


def sql_ranked(service: BriefingService, slug: str) -> list[int]:
    return [int(item.story_id or 0) for item in service.brief(slug).items]


def scheduled(service: BriefingService, slug: str) -> list[int]:
    return [int(item.story_id or 0) for item in service.brief(slug, exclude_channel=CHANNEL).items]


def measure(fn: Callable[[], object], runs: int) -> list[float]:
    for _ in range(3):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


@contextmanager
def postgres_url() -> Iterator[str | None]:
    url = os.environ.get("BRIEFBOT_TEST_POSTGRES_URL")
    if not url:
        yield None
        return
    with scratch_schema(url, f"bench_{uuid.uuid4().hex[:10]}") as schema_url:
        yield schema_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=50, help="timed runs per topic")
    args = parser.parse_args()
    console = Console(width=110)
    registry = TopicRegistry.default()
    table = Table(
        title=f"brief latency, {args.articles:,} articles, {args.runs} warm runs per topic (ms)"
    )
    for column in ("database", "approach", "topic", "candidates", "p50", "p99", "max"):
        table.add_column(
            column, justify="left" if column in {"database", "approach", "topic"} else "right"
        )
    with tempfile.TemporaryDirectory() as tmp, postgres_url() as pg:
        databases = [("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")]
        if pg:
            databases.append(("PostgreSQL", pg))
        else:
            console.print("[yellow]BRIEFBOT_TEST_POSTGRES_URL unset: PostgreSQL skipped[/]")
        for name, url in databases:
            with Store.open(url) as store:
                start = time.perf_counter()
                fill(store, args.articles, registry)
                console.print(f"{name}: filled in {time.perf_counter() - start:.1f} s")
                service = BriefingService(store, registry, clock=lambda: NOW)
                approaches: list[tuple[str, Callable[[str], list[int]]]] = [
                    ("SQL ranking (brief)", lambda s, sv=service: sql_ranked(sv, s)),
                    ("scheduled (brief, exclude channel)", lambda s, sv=service: scheduled(sv, s)),
                    (
                        "fetch all, rank in Python",
                        lambda s, st=store: python_ranked(st, registry, s),
                    ),
                ]
                for label, run in approaches:
                    every: list[float] = []
                    for slug in TOPICS:
                        times = measure(lambda r=run, t=slug: r(t), args.runs)
                        every += times
                        table.add_row(
                            name,
                            label,
                            slug,
                            str(len(python_ranked(store, registry, slug, count=10**9))),
                            f"{statistics.median(times):.1f}",
                            f"{pct(times, 0.99):.1f}",
                            f"{max(times):.1f}",
                        )
                    table.add_row(
                        name,
                        label,
                        "[b]all topics[/]",
                        "",
                        f"[b]{statistics.median(every):.1f}[/]",
                        f"[b]{pct(every, 0.99):.1f}[/]",
                        f"{max(every):.1f}",
                        end_section=True,
                    )
                # Both approaches agree on the stories and their order (same formula, data).
                for slug in TOPICS:
                    assert sql_ranked(service, slug) == python_ranked(store, registry, slug), slug
    console.print(table)


if __name__ == "__main__":
    main()
