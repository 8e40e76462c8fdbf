"""Each piece summarized as what it is, through the real ingest path (issue 11, part 3).

    python benchmarks/mixed_feed.py        # also printed by benchmarks/quality.py

One local RSS feed, declared ``kind = "news"``, carries every editorial of
editorials_dev.jsonl and every story of news_dev.jsonl as full pages (no chrome, so no
breadcrumb gives anything away).  The editorials come in thirds:

* **url**: behind an editorial URL (``/opinion/editorials/<n>``);
* **category or title**: behind a plain URL, marked only by the feed's ``<category>Opinion``
  (even ones) or an ``[Editorial]`` title marker (odd ones);
* **nothing**: behind a plain URL with no marker at all: only the text can tell.

``briefbot``'s own ``Ingestor`` fetches, extracts, summarizes and stores them (SQLite, a
fresh file).  Then, on the stored bullets:

1. editorials: the share stored as editorials and the share whose bullets carry a *closing
   claim* (a sentence of the last third of the piece whose labelled text is mostly the
   author's claims; benchmarks/quality.py's measure), per third, beside ``summarize(...,
   kind="editorial")`` on the same texts at the same bullet count (what ``--kind editorial``
   gives);
2. news: the share stored as news, and ROUGE-1/2 of the stored bullets against the human
   highlights, beside Lead-k on the same cleaned text at the same count.
"""

from __future__ import annotations

import asyncio
import html
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import table  # noqa: E402

THIRDS = ("url", "category or title", "nothing")


def _page(title: str, text: str) -> str:
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body><article>"
        f"<h1>{html.escape(title)}</h1>{body}</article></body></html>"
    )


def _item(title: str, link: str, guid: str, *, category: str | None = None) -> str:
    extra = f"<category>{html.escape(category)}</category>" if category else ""
    return (
        f"<item><title>{html.escape(title)}</title><link>{html.escape(link)}</link>"
        f'<guid isPermaLink="false">{guid}</guid>{extra}</item>'
    )


def _ingest(
    editorials: list[dict[str, Any]], news: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, int]]:
    """Serve and ingest everything; (stored articles by guid, third of each editorial)."""
    from bot.ingest import Ingestor
    from bot.settings import Settings
    from bot.store import Store
    from bot.topics import TopicRegistry
    from tests.support.web import LocalWeb

    third: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as name, LocalWeb() as web:
        items = []
        for n, row in enumerate(editorials):
            guid, which = f"e{n}", n % 3
            third[guid] = which
            path = f"/opinion/editorials/{n}" if which == 0 else f"/articles/e{n}"
            link = web.add(path, _page(row["title"], row["text"]))
            title, category = row["title"], None
            if which == 1 and n % 2 == 0:
                category = "Opinion"
            elif which == 1:
                title = f"[Editorial] {title}"
            items.append(_item(title, link, guid, category=category))
        for n, row in enumerate(news):
            link = web.add(f"/articles/n{n}", _page(row["title"], row["text"]))
            items.append(_item(row["title"], link, f"n{n}"))
        feed = web.add(
            "/mixed/rss",
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>Mixed</title>{''.join(items)}</channel></rss>",
            content_type="application/rss+xml; charset=utf-8",
        )
        feeds_file = Path(name) / "feeds.toml"
        feeds_file.write_text(f'[[feeds]]\nurl = "{feed}"\nkind = "news"\n')
        settings = Settings(feeds_file=feeds_file, contact="bench@example.test")
        with Store.open(f"sqlite:///{Path(name) / 'mixed.sqlite3'}") as store:
            ingestor = Ingestor(
                store,
                settings,
                TopicRegistry.default().tag,
                http_options={"host_delay": 0.0},
                max_entries=1000,
                entry_concurrency=8,
            )
            report = asyncio.run(ingestor.ingest_feeds())
            failed = [(i.title, i.reason) for i in report.items if i.status == "failed"]
            if failed:
                print(f"{len(failed)} failed to ingest, e.g. {failed[:3]}", file=sys.stderr)
            stored = {a.sources[0].guid: a for a in store.articles()}
    return stored, third


def mixed_feed_tables() -> None:
    from rouge_score import rouge_scorer

    from benchmarks.quality import key, label_sentences, load
    from summaries import summarize
    from summaries.clean import clean_document

    editorials = load("editorials_dev.jsonl")
    news = load("news_dev.jsonl")
    stored, third = _ingest(editorials, news)

    rows = []
    per_third: dict[int, dict[str, list[bool]]] = {
        t: {"kind": [], "claim": [], "baseline": []} for t in range(3)
    }
    for n, row in enumerate(editorials):
        article = stored.get(f"e{n}")
        which = third[f"e{n}"]
        document = clean_document(row["text"], row["title"])
        labelled = label_sentences(row, document)
        index = {key(s): i for i, s in enumerate(document.sentences)}
        parts = len(row["segments"])

        def closing(
            bullets: list[str] | tuple[str, ...],
            labelled: list[Any] = labelled,
            index: dict[str, int] = index,
            parts: int = parts,
        ) -> bool:
            picked = [
                labelled[index[k]] for b in bullets if (k := key(b.rstrip("…”’\"'"))) in index
            ]
            return any(
                x.claim and x.paragraph is not None and 3 * x.paragraph >= 2 * parts for x in picked
            )

        count = len(article.bullets) if article else 3
        baseline = summarize(row["text"], title=row["title"], sentences=count, kind="editorial")
        per_third[which]["baseline"].append(closing(baseline.bullets))
        per_third[which]["kind"].append(bool(article) and article.kind == "editorial")
        per_third[which]["claim"].append(bool(article) and closing(article.bullets))
    for t, name in enumerate(THIRDS):
        got = per_third[t]
        rows.append(
            [
                f"editorials marked by {name}",
                str(len(got["kind"])),
                f"{100 * statistics.mean(got['kind']):.1f} %",
                f"{100 * statistics.mean(got['claim']):.1f} %",
                f"{100 * statistics.mean(got['baseline']):.1f} %",
            ]
        )
    table(
        "Editorials through one feed declared kind=news (closing claim carried by the stored "
        "bullets, beside --kind editorial at the same count)",
        ["pieces", "n", "stored as editorial", "closing claim", "--kind editorial"],
        rows,
    )

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    ours: dict[str, list[float]] = {"rouge1": [], "rouge2": []}
    lead: dict[str, list[float]] = {"rouge1": [], "rouge2": []}
    as_news = []
    for n, row in enumerate(news):
        article = stored.get(f"n{n}")
        bullets = list(article.bullets) if article else []
        as_news.append(bool(article) and article.kind == "news")
        document = clean_document(row["text"], row.get("title"))
        leading = list(document.sentences[: max(1, len(bullets) or 3)])
        for scores, picked in ((ours, bullets), (lead, leading)):
            s = scorer.score(row["reference_summary"], "\n".join(picked))
            for metric, values in scores.items():
                values.append(100 * s[metric].fmeasure)
    table(
        f"News through the same feed ({len(news)} stories, "
        f"{100 * statistics.mean(as_news):.1f} % stored as news; ROUGE F1, stemmed)",
        ["bullets", "ROUGE-1", "ROUGE-2"],
        [
            [
                "stored (ingest, kind per piece)",
                *(f"{statistics.mean(v):.2f}" for v in ours.values()),
            ],
            ["Lead-k, same count", *(f"{statistics.mean(v):.2f}" for v in lead.values())],
        ],
    )


if __name__ == "__main__":
    mixed_feed_tables()
