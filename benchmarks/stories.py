"""Stories: grouping quality on real multi-outlet stories, and what one assignment costs.

    python benchmarks/stories.py                 # grouping quality (stories_dev.jsonl)
    python benchmarks/stories.py --cost          # + assignment cost at 200,000 articles
    BRIEFBOT_TEST_POSTGRES_URL=... python benchmarks/stories.py --cost   # ... on PostgreSQL too

1. **Grouping** (../shared/data/stories_dev.jsonl: 232 AllSides stories, 682 articles from
   2-3 outlets each).  Every article is served as a page, one RSS feed per outlet, dated by
   its story's date, and ingested through briefbot's own ``Ingestor`` (fetch, extract,
   summarize, store, group: the real path, feeds polled concurrently, so articles arrive
   in no particular order).  Then the stories the store holds are compared with the gold
   ``story_id``s: BCubed precision, recall and F1, over all articles and over the stories
   with even and odd ids separately (the grouping's constants were set on this data; the
   halves show how much they depend on it).  Beside it, two *batch* baselines that see every
   article at once (which an online grouping cannot): TF-IDF (sublinear tf, smooth idf)
   average-link agglomerative clustering, cut at its best threshold, without and with
   articles more than two days apart kept apart.
2. **Cost** (``--cost``): a store filled with 200,000 synthetic articles over a year (about
   550 a day from 30 feeds, grouped into stories of 1-6 articles, their terms drawn from the
   stemmed vocabulary of the real dev articles by frequency), then ``StoryGrouper.assign``
   timed for 300 real articles (the dev news, editorials and story articles, dated in the
   last days of that year, as new articles are): p50/p99/mean milliseconds, from the stored
   article to its story (term extraction, document frequencies, candidate lookup, story
   update), SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import math
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import percentile, table  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "stories_dev.jsonl"


def load() -> list[dict[str, Any]]:
    if not DATA.is_file():
        sys.exit(f"{DATA} is missing: this benchmark needs ../shared/data beside the project")
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


def bcubed(pred: Sequence[Any], gold: Sequence[Any]) -> tuple[float, float, float]:
    by_pred: dict[Any, set[int]] = defaultdict(set)
    by_gold: dict[Any, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        by_pred[p].add(i)
        by_gold[g].add(i)
    precision = recall = 0.0
    for p, g in zip(pred, gold, strict=True):
        both = len(by_pred[p] & by_gold[g])
        precision += both / len(by_pred[p])
        recall += both / len(by_gold[g])
    precision, recall = precision / len(pred), recall / len(pred)
    return precision, recall, 2 * precision * recall / (precision + recall)


# --- 1. grouping through the real path -----------------------------------------------------


def _page(title: str, text: str) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return (
        f"<!doctype html><html lang='en'><head><title>{html.escape(title)}</title></head>"
        f"<body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>"
    )


def ingest_stories(stories: list[dict[str, Any]], database_url: str) -> dict[str, int | None]:
    """Serve and ingest every article; the story id the store gave each article, by URL."""
    from bot.ingest import Ingestor
    from bot.settings import Settings
    from bot.store import Store
    from bot.store.schema import Article, ArticleSource
    from bot.topics import TopicRegistry
    from tests.support.web import LocalWeb

    with LocalWeb() as web, tempfile.TemporaryDirectory() as tmp:
        feeds: dict[str, list[str]] = defaultdict(list)
        for story in stories:
            date = datetime.fromisoformat(story["date"]).astimezone(UTC)
            for n, article in enumerate(story["articles"]):
                path = f"/s{story['story_id']}/{n}"
                link = web.add(path, _page(article["title"], article["text"]))
                article["_link"] = link
                feeds[article["outlet"]].append(
                    f"<item><title>{html.escape(article['title'])}</title>"
                    f"<link>{html.escape(link)}</link><guid>{html.escape(link)}</guid>"
                    f"<pubDate>{date.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
                )
        lines = []
        for number, (outlet, items) in enumerate(sorted(feeds.items())):
            url = web.add(
                f"/feed/{number}",
                f"<?xml version='1.0'?><rss version='2.0'><channel><title>"
                f"{html.escape(outlet)}</title>{''.join(items)}</channel></rss>",
                content_type="application/rss+xml",
            )
            lines.append(f'[[feeds]]\nurl = "{url}"\noutlet = "{outlet}"\n')
        feeds_file = Path(tmp) / "feeds.toml"
        feeds_file.write_text("".join(lines))
        settings = Settings(feeds_file=feeds_file, contact="bench@example.test")
        with Store.open(database_url) as store:
            ingestor = Ingestor(
                store,
                settings,
                TopicRegistry.default().tag,
                http_options={"host_delay": 0.0},
                max_entries=1000,
            )
            report = asyncio.run(ingestor.ingest_feeds())
            failed = [i for i in report.items if i.status == "failed"]
            if failed:
                print(f"{len(failed)} not stored, e.g. {failed[0].reason}", file=sys.stderr)
            with store.session(write=False) as session:
                stored = dict(
                    session.execute(
                        ArticleSource.__table__.select()
                        .with_only_columns(ArticleSource.url, Article.story_id)
                        .join_from(ArticleSource, Article, ArticleSource.article_id == Article.id)
                    ).all()
                )
    return {a["_link"]: stored.get(a["_link"]) for s in stories for a in s["articles"]}


# --- batch baselines ---------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")


def tfidf(texts: Sequence[str]) -> Any:
    import numpy as np

    docs = [Counter(_WORD.findall(t.lower())) for t in texts]
    vocab = {w: i for i, w in enumerate(sorted({w for d in docs for w in d}))}
    df = np.zeros(len(vocab))
    for d in docs:
        for w in d:
            df[vocab[w]] += 1
    idf = np.log((1 + len(docs)) / (1 + df)) + 1
    matrix = np.zeros((len(docs), len(vocab)))
    for i, d in enumerate(docs):
        for w, c in d.items():
            matrix[i, vocab[w]] = (1 + math.log(c)) * idf[vocab[w]]
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix @ matrix.T


def average_link(similarity: Any, threshold: float) -> list[int]:
    """Agglomerative clustering, average linkage, merging while the best pair's average
    similarity is at least ``threshold`` (Lance-Williams updates, numpy)."""
    import numpy as np

    n = similarity.shape[0]
    sim = similarity.astype(float).copy()
    np.fill_diagonal(sim, -np.inf)
    size = np.ones(n)
    alive = np.ones(n, dtype=bool)
    label = list(range(n))
    while True:
        i, j = np.unravel_index(np.argmax(sim), sim.shape)
        if sim[i, j] < threshold or not np.isfinite(sim[i, j]):
            break
        merged = (size[i] * sim[i] + size[j] * sim[j]) / (size[i] + size[j])
        sim[i], sim[:, i] = merged, merged
        sim[i, i] = -np.inf
        sim[j], sim[:, j] = -np.inf, -np.inf
        size[i] += size[j]
        alive[j] = False
        label = [i if x == j else x for x in label]
    return label


def baselines(stories: list[dict[str, Any]]) -> list[list[str]]:
    import numpy as np

    articles = [(s, a) for s in stories for a in s["articles"]]
    gold = [s["story_id"] for s, _ in articles]
    texts = [a["title"] + "\n" + a["text"] for _, a in articles]
    sim = tfidf(texts)
    days = np.array([datetime.fromisoformat(s["date"]).timestamp() / 86400 for s, _ in articles])
    apart = np.abs(days[:, None] - days[None, :]) > 2
    rows = []
    for name, matrix in (
        ("batch TF-IDF average-link", sim),
        ("... with articles > 2 days apart kept apart", np.where(apart, -1.0, sim)),
    ):
        best = max(
            ((bcubed(average_link(matrix, t), gold), t) for t in np.arange(0.05, 0.61, 0.025)),
            key=lambda scored: scored[0][2],
        )
        (p, r, f), t = best
        rows.append([f"{name} (best threshold {t:.3f})", f"{p:.3f}", f"{r:.3f}", f"{f:.3f}"])
    return rows


def grouping_table() -> None:
    stories = load()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        assigned = ingest_stories(stories, f"sqlite:///{tmp}/stories.sqlite3")
        seconds = time.perf_counter() - started
    rows = []
    for name, keep in (
        ("briefbot, online, through ingest: all", lambda s: True),
        ("... stories with even ids", lambda s: s["story_id"] % 2 == 0),
        ("... stories with odd ids", lambda s: s["story_id"] % 2 == 1),
    ):
        pairs = [
            (assigned[a["_link"]], s["story_id"]) for s in stories if keep(s) for a in s["articles"]
        ]
        # an article the store did not keep is a story of its own
        pred = [p if p is not None else f"missing-{n}" for n, (p, _g) in enumerate(pairs)]
        p, r, f = bcubed(pred, [g for _p, g in pairs])
        rows.append([name, f"{p:.3f}", f"{r:.3f}", f"{f:.3f}"])
    rows += baselines(stories)
    missing = sum(1 for v in assigned.values() if v is None)
    table(
        f"Story grouping: stories_dev.jsonl, {len(stories)} stories, {len(assigned)} articles "
        f"({missing} not stored; ingest took {seconds:.1f} s)",
        ["grouping", "BCubed P", "BCubed R", "BCubed F1"],
        rows,
    )


# --- 2. cost ---------------------------------------------------------------------------------

ARTICLES = 200_000
DAYS = 365
VOCABULARY = 50_000


@contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/cost.sqlite3"
        return
    from tests.support.postgres import scratch_schema

    with scratch_schema(
        os.environ["BRIEFBOT_TEST_POSTGRES_URL"], f"bench_{uuid.uuid4().hex[:10]}"
    ) as url:
        yield url


def real_texts() -> list[tuple[str, str]]:
    """(title, text) of every real article in ../shared/data: news, editorials, stories."""
    out = []
    for name in ("news_dev.jsonl", "editorials_dev.jsonl"):
        path = DATA.parent / name
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out.append((row.get("title") or "", row["text"]))
    out += [(a["title"], a["text"]) for story in load() for a in story["articles"]]
    return out


class Vocabulary:
    """The stemmed terms of the real articles, drawn by how often they occur (a real
    Zipf-shaped distribution: synthetic articles share common words and rarely names)."""

    def __init__(self, texts: Sequence[tuple[str, str]]) -> None:
        from bot.stories.grouping import article_terms

        counts: Counter[str] = Counter()
        for title, text in texts:
            counts.update(article_terms(title, text))
        self.terms = list(counts)
        weights = [counts[t] for t in self.terms]
        total = float(sum(weights))
        self.cumulative = []
        running = 0.0
        for w in weights:
            running += w / total
            self.cumulative.append(running)

    def draw(self, rng: random.Random, n: int) -> list[str]:
        import bisect

        last = len(self.terms) - 1
        return [
            self.terms[min(last, bisect.bisect(self.cumulative, rng.random()))] for _ in range(n)
        ]


def fill(url: str, rng: random.Random, vocabulary: Vocabulary) -> None:
    """200,000 articles in stories over a year, with their terms and document frequencies,
    written in bulk (the grouping's own tables, as the grouping would have left them)."""
    import sqlalchemy as sa

    from bot.store import Store
    from bot.store.schema import Article, Story, StoryTerm, TermStat
    from bot.stories import grouping

    start = datetime(2026, 1, 1, tzinfo=UTC)
    with Store.open(url) as store:
        df: Counter[str] = Counter()
        article_id = story_id = 0
        articles: list[dict[str, Any]] = []
        stories: list[dict[str, Any]] = []
        terms: list[dict[str, Any]] = []
        while article_id < ARTICLES:
            story_id += 1
            day = start + timedelta(days=rng.random() * DAYS)
            topic = vocabulary.draw(rng, 25)
            size = rng.choice((1, 1, 2, 2, 3, 4, 6))
            centroid: Counter[str] = Counter()
            for _ in range(size):
                article_id += 1
                counts = Counter(rng.sample(topic, 15) + vocabulary.draw(rng, 150))
                df.update(counts.keys())
                vector = grouping.weigh(counts, df, article_id)
                centroid.update(vector)
                articles.append(
                    {
                        "id": article_id,
                        "title": "t",
                        "outlet": f"feed {article_id % 30}",
                        "kind": "news",
                        "language": "en",
                        "ingested_at": day,
                        "dated_at": day,
                        "text": " ".join(counts),
                        "bullets": [],
                        "content_hash": f"{article_id:064x}",
                        "story_id": story_id,
                    }
                )
            top = dict(centroid.most_common(grouping.TERMS_PER_STORY))
            stories.append(
                {
                    "id": story_id,
                    "title": "t",
                    "first_seen": day,
                    "last_seen": day,
                    "updated_at": day,
                    "articles": size,
                    "centroid": top,
                    "bullets": [],
                    "opinions": [],
                    "perspectives": {},
                    "created_at": day,
                }
            )
            d = (day - datetime(1970, 1, 1, tzinfo=UTC)).days
            terms += [
                {"story_id": story_id, "term": t, "weight": w, "first_day": d, "last_day": d}
                for t, w in top.items()
            ]
        with store.session() as session:
            for table_, rows in (
                (Story, stories),
                (Article, articles),
                (StoryTerm, terms),
                (TermStat, [{"term": t, "df": n} for t, n in df.items()]),
            ):
                for chunk in range(0, len(rows), 5000):
                    session.execute(sa.insert(table_), rows[chunk : chunk + 5000])
            session.execute(sa.insert(TermStat), [{"term": grouping._DOCUMENTS, "df": article_id}])
        if store.dialect == "postgresql":
            with store.engine.begin() as conn:
                for name in ("articles", "stories"):  # ids were given: move the sequences on
                    conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT max(id) FROM {name}))"
                    )
                conn.exec_driver_sql("ANALYZE")


def cost_table(n: int = 300) -> None:
    texts = real_texts()
    vocabulary = Vocabulary(texts)
    from bot.store import NewArticle, Store
    from bot.stories.grouping import StoryGrouper

    kinds = ["sqlite"] + (["postgresql"] if os.environ.get("BRIEFBOT_TEST_POSTGRES_URL") else [])
    rows = []
    for kind in kinds:
        rng = random.Random(7)
        with database(kind) as url:
            started = time.perf_counter()
            fill(url, rng, vocabulary)
            filled = time.perf_counter() - started
            with Store.open(url) as store:
                grouper = StoryGrouper(store)
                timings = []
                for k, (title, text) in enumerate(rng.sample(texts, n)):
                    # the newest days of the year: where new articles arrive
                    day = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=DAYS - 3 * rng.random())
                    added = store.add_article(
                        NewArticle(
                            title=title or "untitled",
                            text=text,
                            bullets=(),
                            outlet=f"feed {k % 30}",
                            published_at=day,
                        )
                    )
                    started = time.perf_counter()
                    grouper.assign(added.article_id)
                    timings.append(1000 * (time.perf_counter() - started))
            print(
                f"{kind}: p50 {percentile(timings, 50):.2f} ms, "
                f"p99 {percentile(timings, 99):.2f} ms",
                file=sys.stderr,
            )
            rows.append(
                [
                    kind,
                    f"{ARTICLES:,}",
                    f"{filled:.0f} s",
                    f"{percentile(timings, 50):.2f}",
                    f"{percentile(timings, 99):.2f}",
                    f"{statistics.mean(timings):.2f}",
                ]
            )
    table(
        f"Assigning one new article to a story ({n} real articles, news to long editorials)",
        ["store", "articles stored", "fill", "p50 ms", "p99 ms", "mean ms"],
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cost", action="store_true", help="also time assignment at 200k")
    parser.add_argument("--only-cost", action="store_true")
    args = parser.parse_args()
    if not args.only_cost:
        grouping_table()
    if args.cost or args.only_cost:
        cost_table()


if __name__ == "__main__":
    main()
