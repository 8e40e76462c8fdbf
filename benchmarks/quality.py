"""Summary quality, side by side in one run: the default selector, Lead-3 and every sumy
algorithm; and chrome removal on editorials wrapped in generated page chrome.

    python benchmarks/quality.py                 # all three tables
    python benchmarks/quality.py --sentences 4   # another bullet count
    python benchmarks/quality.py --show-leaks    # print every chrome bullet that got through

Reads ``../shared/data`` (news_dev.jsonl, editorials_dev.jsonl); it is not in the repo.

1. **News** (news_dev.jsonl, CNN/Daily Mail stories with human highlights): ROUGE-1/2/Lsum
   F1 (rouge-score, Porter stemmer on) of each selector's bullets against the reference
   highlights, and the time per article of the whole ``summarize`` call.  Every row sees
   the same cleaned sentences; rows differ only in which sentences they pick, except
   "sumy lexrank, raw text": sumy's own PlaintextParser on the text as given (the number
   the issue quotes).  "sumy lexrank" by name is sumy's LexRankSummarizer with its
   similarity matrix built by numpy (identical scores; tests/summaries/test_select.py).  "default"
   is what ``summarize`` does with no kind given (read from the text); "default, kind=news"
   is what ingestion does for a feed configured as news.
2. **Editorials** (editorials_dev.jsonl, Webis-EditorialSum-2020, with per-paragraph
   argument labels): does the summary carry the author's claim?  A sentence is a *claim*
   when most of its labelled text is ``assumption`` units (the authors' claims).  Columns:
   the share of bullets that are claims; the share of editorials with a claim bullet from
   the closing third (the argument an editorial ends on); the share with a bullet from the
   opening third (the news peg).  The labels measure; they are not features.
3. **Chrome** (editorials_dev.jsonl wrapped by benchmarks/chrome.py, as scraped text and as
   a whole HTML page): bullets that are chrome, bullets that are not sentences of the body,
   and articles whose bullets are unchanged from the clean text's.  Plain sumy LexRank on
   the same pages shows what the cleaning is for.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import table  # noqa: E402
from benchmarks.chrome import wrap  # noqa: E402
from bot.errors import BriefbotError  # noqa: E402
from summaries import summarize, summarize_html  # noqa: E402
from summaries.clean import CleanDocument, clean_document  # noqa: E402
from summaries.sumy_backend import SUMY_ALGORITHMS  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def load(name: str) -> list[dict[str, Any]]:
    path = DATA / name
    if not path.is_file():
        sys.exit(f"{path} not found: run from a checkout with ../shared/data beside it")
    with path.open(encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


# --- selectors: name -> (text, title) -> bullets ------------------------------------------

Selector = Callable[[str, str | None], list[str]]


def lead(count: int) -> Selector:
    def run(text: str, title: str | None) -> list[str]:
        document = clean_document(text, title)
        return list(document.sentences[:count])

    return run


def product(count: int, algorithm: str, kind: str | None = None) -> Selector:
    def run(text: str, title: str | None) -> list[str]:
        return list(
            summarize(text, title=title, sentences=count, algorithm=algorithm, kind=kind).bullets
        )

    return run


def selectors(count: int, *, kind: str) -> dict[str, Selector]:
    rows: dict[str, Selector] = {
        "default": product(count, "default"),
        f"default, kind={kind}": product(count, "default", kind),
        f"Lead-{count}": lead(count),
    }
    for name in SUMY_ALGORITHMS:
        rows[f"sumy {name}"] = product(count, name)
    rows["sumy lexrank, raw text"] = lambda text, _title: plain_lexrank(text, count)
    return rows


def timed(
    selector: Selector, items: Sequence[tuple[str, str | None]]
) -> tuple[list[list[str]], float]:
    for text, title in items[:3]:  # warm caches (Punkt model, sumy, stemmer)
        selector(text, title)
    started = time.perf_counter()
    results = [selector(text, title) for text, title in items]
    return results, (time.perf_counter() - started) * 1000 / len(items)


# --- 1. news ------------------------------------------------------------------------------


def news_table(count: int) -> None:
    from rouge_score import rouge_scorer

    rows = load("news_dev.jsonl")
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    items = [(r["text"], r.get("title")) for r in rows]
    out = []
    for name, selector in selectors(count, kind="news").items():
        results, ms = timed(selector, items)
        scores: dict[str, list[float]] = {"rouge1": [], "rouge2": [], "rougeLsum": []}
        for row, bullets in zip(rows, results, strict=True):
            s = scorer.score(row["reference_summary"], "\n".join(bullets))
            for metric, values in scores.items():
                values.append(s[metric].fmeasure)
        out.append(
            [name, *(f"{100 * statistics.mean(v):.2f}" for v in scores.values()), f"{ms:.1f}"]
        )
    table(
        f"News: news_dev.jsonl, {len(rows)} stories, {count} sentences (ROUGE F1, stemmed)",
        ["selector", "ROUGE-1", "ROUGE-2", "ROUGE-Lsum", "ms/article"],
        out,
    )


# --- 2. editorials: claims ----------------------------------------------------------------


@dataclass
class Labelled:
    claim: bool
    paragraph: int | None  # which labelled paragraph the sentence is in


def label_sentences(row: dict[str, Any], document: CleanDocument) -> list[Labelled]:
    units = [
        (key(u["text"]), u["label"], p)
        for p, paragraph in enumerate(row["segments"])
        for u in paragraph
        if len(key(u["text"])) > 3
    ]
    out = []
    for sentence in document.sentences:
        k = key(sentence)
        total = claims = 0
        where = None
        for text, label, p in units:
            if text and text in k:
                total += len(text)
                claims += len(text) if label == "assumption" else 0
                where = p if where is None else where
        out.append(Labelled(total > 0 and claims / total > 0.5, where))
    return out


def editorial_table(count: int) -> None:
    rows = load("editorials_dev.jsonl")
    items = [(r["text"], r["title"]) for r in rows]
    documents = [clean_document(text, title) for text, title in items]
    labels = [label_sentences(r, d) for r, d in zip(rows, documents, strict=True)]
    out = []
    for name, selector in selectors(count, kind="editorial").items():
        results, _ = timed(selector, items)
        share: list[bool] = []
        closing: list[bool] = []
        peg: list[bool] = []
        for row, document, labelled, bullets in zip(rows, documents, labels, results, strict=True):
            thirds = len(row["segments"])
            index = {key(s): i for i, s in enumerate(document.sentences)}
            picked = [
                labelled[index[k]] for b in bullets if (k := key(b.rstrip("…”’\"'"))) in index
            ]
            share.extend(x.claim for x in picked)
            closing.append(
                any(
                    x.claim and x.paragraph is not None and 3 * x.paragraph >= 2 * thirds
                    for x in picked
                )
            )
            peg.append(any(x.paragraph is not None and 3 * x.paragraph < thirds for x in picked))
        out.append(
            [
                name,
                f"{100 * statistics.mean(share):.1f} %",
                f"{100 * statistics.mean(closing):.1f} %",
                f"{100 * statistics.mean(peg):.1f} %",
            ]
        )
    base = sum(x.claim for ls in labels for x in ls) / sum(len(ls) for ls in labels)
    table(
        f"Editorials: editorials_dev.jsonl, {len(rows)} editorials, {count} sentences "
        f"(claims are {100 * base:.0f} % of all sentences)",
        ["selector", "bullets that are claims", "closing claim carried", "peg carried"],
        out,
    )


# --- 3. chrome ----------------------------------------------------------------------------


def plain_lexrank(text: str, count: int) -> list[str]:
    """sumy's LexRank on the page text as is (sumy's PlaintextParser, our offline tokenizer)."""
    from sumy.parsers.plaintext import PlaintextParser

    from summaries.sumy_backend import summarizer, tokenizer

    document = PlaintextParser.from_string(text, tokenizer()).document
    return [str(s) for s in summarizer("lexrank")(document, count)]


def plain_lexrank_html(page: str, count: int) -> list[str]:
    """trafilatura's main text, then plain sumy LexRank (no cleaning of our own)."""
    import trafilatura

    text = trafilatura.extract(page, include_comments=False, include_tables=False) or ""
    return plain_lexrank(text, count)


def chrome_table(count: int, seeds: Sequence[int], show_leaks: bool) -> None:
    rows = load("editorials_dev.jsonl")
    others_all = [(r["title"], clean_document(r["text"], r["title"]).sentences[0]) for r in rows]
    cases = []
    for seed in seeds:
        rng = random.Random(seed)
        for i, row in enumerate(rows):
            paragraphs = [p.strip() for p in row["text"].split("\n\n") if p.strip()]
            others = [o for j, o in enumerate(others_all) if j != i]
            cases.append((row, paragraphs, wrap(row["title"], paragraphs, rng, others)))

    def bullets_for(how: str, row: dict[str, Any], wrapped: Any, kind: str | None) -> list[str]:
        try:
            if how == "text":
                return list(summarize(wrapped.text, sentences=count, kind=kind).bullets)
            return list(summarize_html(wrapped.html, sentences=count, kind=kind).bullets)
        except BriefbotError as exc:
            return [f"<error: {exc}>"]

    variants: list[
        tuple[
            str,
            str,
            Callable[[dict[str, Any], Any], list[str]],
            Callable[[dict[str, Any]], list[str]],
        ]
    ] = []
    for how in ("text", "html"):
        variants.append(
            (
                f"default, kind=editorial · {'scraped text' if how == 'text' else 'HTML page'}",
                how,
                lambda row, w, how=how: bullets_for(how, row, w, "editorial"),
                lambda row: list(
                    summarize(
                        row["text"], title=row["title"], sentences=count, kind="editorial"
                    ).bullets
                ),
            )
        )
        variants.append(
            (
                f"default, kind from page · {'scraped text' if how == 'text' else 'HTML page'}",
                how,
                lambda row, w, how=how: bullets_for(how, row, w, None),
                lambda row: list(
                    summarize(row["text"], title=row["title"], sentences=count).bullets
                ),
            )
        )
        variants.append(
            (
                f"plain sumy lexrank · {'scraped text' if how == 'text' else 'trafilatura text'}",
                how,
                (lambda row, w: plain_lexrank(w.text, count))
                if how == "text"
                else (lambda row, w: plain_lexrank_html(w.html, count)),
                lambda row: plain_lexrank(row["text"], count),
            )
        )
    out = []
    leaks: list[str] = []
    for name, _how, wrapped_bullets, clean_bullets in variants:
        n_bullets = n_chrome = n_foreign = n_same = 0
        for row, paragraphs, wrapped in cases:
            body = key(" ".join(paragraphs))
            chrome = [key(c) for c in wrapped.chrome if len(key(c).split()) >= 2]
            got = wrapped_bullets(row, wrapped)
            n_bullets += len(got)
            for bullet in got:
                k = key(bullet.rstrip("…”’\"'"))
                foreign = k not in body
                is_chrome = foreign and any(c in k or (k and k in c) for c in chrome)
                n_foreign += foreign
                n_chrome += is_chrome
                if foreign and show_leaks:
                    leaks.append(f"[{name}] {row['id']}: {bullet}")
            n_same += got == clean_bullets(row)
        out.append([name, len(cases), n_bullets, n_chrome, n_foreign, f"{n_same}/{len(cases)}"])
    table(
        f"Chrome: editorials_dev.jsonl wrapped in generated chrome (benchmarks/chrome.py, "
        f"seeds {', '.join(map(str, seeds))}: {len(cases)} pages), {count} sentences",
        [
            "summarizer · input",
            "articles",
            "bullets",
            "chrome bullets",
            "not from body",
            "unchanged vs clean",
        ],
        out,
    )
    for line in leaks:
        print(line)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=3)
    parser.add_argument(
        "--seeds",
        default="2025,7,99",
        help="chrome generator seeds, comma-separated (each wraps every editorial once)",
    )
    parser.add_argument("--show-leaks", action="store_true")
    parser.add_argument("--only", choices=["news", "editorials", "chrome"])
    args = parser.parse_args(argv)
    if args.only in (None, "news"):
        news_table(args.sentences)
    if args.only in (None, "editorials"):
        editorial_table(args.sentences)
    if args.only in (None, "chrome"):
        seeds = [int(x) for x in args.seeds.split(",") if x.strip()]
        chrome_table(args.sentences, seeds, args.show_leaks)


if __name__ == "__main__":
    main()
