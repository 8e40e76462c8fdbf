"""Quality floors on the shared dev data (skipped where ../shared/data is absent).

These are the issue's bars, checked on every run so a change that breaks them fails:
the default at or above Lead-3 on news ROUGE-1/2, carrying editorials' closing claims in
most of them, and no chrome in bullets of editorials wrapped in generated
page chrome.  The full tables are benchmarks/quality.py.
"""

from __future__ import annotations

import json
import random
import re
import statistics
from pathlib import Path
from typing import Any

from summaries import summarize, summarize_html
from summaries.clean import clean_document
from summaries.errors import SummaryError


def rows(shared_data: Path, name: str) -> list[dict[str, Any]]:
    lines = (shared_data / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def test_default_matches_lead3_on_news(shared_data: Path) -> None:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    ours: dict[str, list[float]] = {"rouge1": [], "rouge2": []}
    lead: dict[str, list[float]] = {"rouge1": [], "rouge2": []}
    for row in rows(shared_data, "news_dev.jsonl"):
        bullets = summarize(row["text"], title=row["title"], sentences=3).bullets
        first = clean_document(row["text"], row["title"]).sentences[:3]
        for out, picked in ((ours, bullets), (lead, first)):
            score = scorer.score(row["reference_summary"], "\n".join(picked))
            for metric, values in out.items():
                values.append(score[metric].fmeasure)
    for metric in ("rouge1", "rouge2"):
        assert statistics.mean(ours[metric]) >= statistics.mean(lead[metric]), metric


def test_default_carries_the_closing_claim_of_editorials(shared_data: Path) -> None:
    """Share of editorials whose bullets include a sentence labelled as the author's claim
    (``assumption``) from the closing third.  Floors well above plain sumy's best (about
    50 %, see benchmarks/quality.py) and far above Lead-3 (0 %)."""

    def carried(kind: str | None) -> float:
        hits = []
        for row in rows(shared_data, "editorials_dev.jsonl"):
            closing = {
                key(unit["text"])
                for paragraph in row["segments"][2 * len(row["segments"]) // 3 :]
                for unit in paragraph
                if unit["label"] == "assumption" and len(unit["text"]) > 20
            }
            bullets = summarize(row["text"], title=row["title"], sentences=3, kind=kind).bullets
            hits.append(any(c in key(b) for b in bullets for c in closing))
        return statistics.mean(hits)

    assert carried("editorial") >= 0.75
    assert carried(None) >= 0.6


def test_no_chrome_in_bullets_of_wrapped_editorials(shared_data: Path) -> None:
    from tests.support.chrome import wrap

    editorials = rows(shared_data, "editorials_dev.jsonl")[:8]
    others = [(r["title"], clean_document(r["text"]).sentences[0]) for r in editorials]
    rng = random.Random(4)
    leaks = []
    unchanged = 0
    for i, row in enumerate(editorials):
        paragraphs = [p.strip() for p in row["text"].split("\n\n") if p.strip()]
        wrapped = wrap(row["title"], paragraphs, rng, others[:i] + others[i + 1 :])
        body = key(" ".join(paragraphs))
        clean = summarize(row["text"], title=row["title"], kind="editorial").bullets
        for source in ("text", "html"):
            try:
                if source == "text":
                    bullets = summarize(wrapped.text, kind="editorial").bullets
                else:
                    bullets = summarize_html(wrapped.html, kind="editorial").bullets
            except SummaryError as error:  # pragma: no cover - reported by the assert
                leaks.append(f"{row['id']} {source}: {error}")
                continue
            leaks += [f"{row['id']} {source}: {b}" for b in bullets if key(b) not in body]
            unchanged += bullets == clean
    assert leaks == []
    assert unchanged >= 0.9 * 2 * len(editorials)


def test_kind_from_the_text_alone(shared_data: Path) -> None:
    """Editorial or news with nothing but the text (no title, URL or category): each kind
    read right in at least 90 % of the dev texts (95 % / 94 % when written, 93 % / 94 %
    leave-one-out, see benchmarks/quality.py), and ``text_kind`` asserting the wrong kind for
    few of them."""
    from summaries.select import KIND_MARGIN, kind_score

    for name, kind in (("news_dev.jsonl", "news"), ("editorials_dev.jsonl", "editorial")):
        scores = []
        for row in rows(shared_data, name):
            paragraphs = clean_document(row["text"]).paragraphs
            scores.append(kind_score(paragraphs) * (1 if kind == "editorial" else -1))
        assert sum(s > 0 for s in scores) >= 0.9 * len(scores), kind
        assert sum(s <= -KIND_MARGIN for s in scores) <= 0.075 * len(scores), kind


def test_kind_out_of_sample_on_short_news(shared_data: Path) -> None:
    """stories_dev's articles, which the kind weights never saw: short leads (most 3-5
    sentences) of US outlets.  Those not filed under opinion (by URL or AllSides' outlet
    name) are mostly read as news (83 % when written; some unmarked opinion remains among
    them), and ``text_kind`` calls few of them editorial; the opinion pieces mostly lean
    editorial (76 % when written, 35 of 46)."""
    from summaries.select import KIND_MARGIN, kind_score

    opinion_url = re.compile(
        r"/opinions?/|/columns?/|/columnists?/|/editorials?/|/ideas/|/commentisfree/"
    )
    news: list[float] = []
    opinion: list[float] = []
    for story in rows(shared_data, "stories_dev.jsonl"):
        for article in story["articles"]:
            score = kind_score(clean_document(article["text"]).paragraphs)
            marked = opinion_url.search(article["url"]) or re.search(
                r"\(Opinion\)|^Guest Writer", article["outlet"]
            )
            (opinion if marked else news).append(score)
    assert len(news) > 500
    assert len(opinion) > 30
    assert sum(s <= 0 for s in news) >= 0.8 * len(news)
    assert sum(s >= KIND_MARGIN for s in news) <= 0.05 * len(news)
    assert sum(s > 0 for s in opinion) >= 0.65 * len(opinion)
