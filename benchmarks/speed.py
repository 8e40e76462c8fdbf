"""Speed and memory of the default summarizer against plain sumy LexRank, same articles,
same run; and where the default's time goes.

    python benchmarks/speed.py                # all 141 dev articles, 5 rounds
    python benchmarks/speed.py --rounds 20 --profile-top 25

Articles: every text in ``../shared/data`` (66 editorials, ~900 words; 75 news stories,
~600 words), as ingestion sees them.  Both contenders produce 3 sentences from the same
text, with the same offline tokenizer (sumy's own needs NLTK data we do not download):

* **default**: ``summaries.summarize(text)`` — cleaning, splitting, LexRank centrality,
  the selector, trimming: everything ingestion pays per article.
* **plain LexRank**: sumy's ``PlaintextParser`` + ``LexRankSummarizer`` (stemmer, stop
  words), built once and reused, as a sumy user would.

Rounds alternate the two per article, so cache and CPU-frequency effects fall on both.
Peak memory is measured in a separate pass with ``tracemalloc`` (Python allocations only;
it slows the code, so it is not mixed with the timings).  Then each stage of the default is
timed on its own, and one cProfile pass lists the hottest functions.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import percentile, table  # noqa: E402
from summaries import summarize  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
COUNT = 3


def articles() -> list[str]:
    texts = []
    for name in ("editorials_dev.jsonl", "news_dev.jsonl"):
        path = DATA / name
        if not path.is_file():
            sys.exit(f"{path} not found: run from a checkout with ../shared/data beside it")
        with path.open(encoding="utf-8") as stream:
            texts += [json.loads(line)["text"] for line in stream if line.strip()]
    return texts


def default(text: str) -> Any:
    return summarize(text, sentences=COUNT).bullets


def plain_lexrank() -> Callable[[str], Any]:
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    from summaries.sentences import SentenceTokenizer

    tokenizer = SentenceTokenizer()
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def run(text: str) -> Any:
        document = PlaintextParser.from_string(text, tokenizer).document
        return summarizer(document, COUNT)

    return run


def timings(
    contenders: dict[str, Callable[[str], Any]], texts: Sequence[str], rounds: int
) -> dict[str, list[float]]:
    for run in contenders.values():  # warm: Punkt model, sumy imports, stemmer
        for text in texts[:5]:
            run(text)
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    gc.disable()
    try:
        for r in range(rounds):
            order = list(contenders.items())
            if r % 2:
                order.reverse()
            for text in texts:
                for name, run in order:
                    started = time.perf_counter()
                    run(text)
                    samples[name].append(time.perf_counter() - started)
            gc.collect()
    finally:
        gc.enable()
    return samples


def peak_memory(run: Callable[[str], Any], texts: Sequence[str]) -> float:
    """The largest tracemalloc peak over single articles, in MiB."""
    peaks = []
    for text in texts:
        gc.collect()
        tracemalloc.start()
        run(text)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return max(peaks) / 2**20


def stages(texts: Sequence[str], rounds: int) -> None:
    """Time each stage of ``summarize`` on its own (the same calls, in the same order, each
    run over all articles with the earlier stages' results held in memory)."""
    from summaries.bullets import trim_bullet
    from summaries.clean import clean_document
    from summaries.language import looks_english
    from summaries.select import features, register_of, select_default
    from summaries.sumy_backend import build_document, lexrank_scores

    documents = [clean_document(t) for t in texts]
    built = [build_document(d.paragraphs, d.title)[1] for d in documents]
    needs_lexrank: list[bool] = []
    for document, sentences in zip(documents, built, strict=True):
        called: list[bool] = []

        def centrality(sentences: Any = sentences, called: list[bool] = called) -> Any:
            called.append(True)
            return lexrank_scores(sentences)

        select_default(document.paragraphs, COUNT, centrality=centrality)
        needs_lexrank.append(bool(called))
    chosen = [
        [document.sentences[i] for i in range(min(COUNT, len(document.sentences)))]
        for document in documents
    ]

    def select_all() -> Any:  # what summarize() does after cleaning (sumy model included)
        return [
            select_default(
                d.paragraphs,
                COUNT,
                centrality=lambda d=d: lexrank_scores(build_document(d.paragraphs, d.title)[1]),
            )
            for d in documents
        ]

    work: list[tuple[str, Callable[[], Any]]] = [
        (
            "cleaning: lines, prompts, related blocks, dedupe",
            lambda: [clean_document(t) for t in texts],
        ),
        (
            "  of which sentence splitting (Punkt)",
            lambda: [[split(" ".join(p)) for p in d.paragraphs] for d in documents],
        ),
        (
            "language checks (raw and cleaned)",
            lambda: [
                (looks_english(t), looks_english(d.text))
                for t, d in zip(texts, documents, strict=True)
            ],
        ),
        ("selection", select_all),
        (
            "  of which features and register",
            lambda: [register_of(features(d.paragraphs)) for d in documents],
        ),
        (
            f"  of which LexRank with word tokens ({sum(needs_lexrank)}/{len(texts)} articles)",
            lambda: [  # fresh sentences: sumy caches their words, summarize() cannot
                lexrank_scores(build_document(d.paragraphs)[1])
                for d, needed in zip(documents, needs_lexrank, strict=True)
                if needed
            ],
        ),
        ("bullet trimming", lambda: [[trim_bullet(x) for x in c] for c in chosen]),
    ]
    from summaries.sentences import split_sentences as split

    rows = []
    for name, job in work:
        best = min(_elapsed(job) for _ in range(rounds))
        rows.append([name, f"{1000 * best / len(texts):.2f}"])
    total = min(_elapsed(lambda: [default(t) for t in texts]) for _ in range(rounds))
    rows.append(
        ["whole summarize() call (stages + allocation and GC)", f"{1000 * total / len(texts):.2f}"]
    )
    table(
        f"Where the default's time goes (best of {rounds} runs, mean ms per article)",
        ["stage", "ms/article"],
        rows,
    )


def _elapsed(job: Callable[[], Any]) -> float:
    started = time.perf_counter()
    job()
    return time.perf_counter() - started


def profile(texts: Sequence[str], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        default(text)
    profiler.disable()
    print(f"\nTop {top} functions by own time (cProfile, {len(texts)} articles):")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile-top", type=int, default=15)
    args = parser.parse_args(argv)
    texts = articles()
    contenders = {"default (summaries.summarize)": default, "plain sumy LexRank": plain_lexrank()}
    samples = timings(contenders, texts, args.rounds)
    rows = []
    for name, values in samples.items():
        ms = [1000 * v for v in values]
        rows.append(
            [
                name,
                f"{len(values) / sum(values):.1f}",
                f"{statistics.median(ms):.2f}",
                f"{percentile(ms, 95):.2f}",
                f"{peak_memory(contenders[name], texts):.2f}",
            ]
        )
    words = statistics.mean(len(t.split()) for t in texts)
    table(
        f"Speed: {len(texts)} articles (mean {words:.0f} words) x {args.rounds} rounds, "
        f"{COUNT} sentences, one process",
        ["summarizer", "articles/s", "p50 ms", "p95 ms", "peak MiB (tracemalloc)"],
        rows,
    )
    stages(texts, args.rounds)
    if args.profile_top:
        profile(texts, args.profile_top)


if __name__ == "__main__":
    main()
