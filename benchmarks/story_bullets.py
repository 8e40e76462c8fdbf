"""Story bullets and perspectives (bot/stories/summary.py) on real multi-outlet stories.

    python benchmarks/story_bullets.py             # the tables: ROUGE per count, held-out, speed
    python benchmarks/story_bullets.py --show 3    # also: perspectives beside the editors' notes

Reads ``../shared/data`` (stories_dev.jsonl: 232 AllSides stories of 2-3 articles each, the
first paragraphs of each; news_dev.jsonl and editorials_dev.jsonl for full-length texts); it
is not in the repo.

1. **Bullets** per count (3, 4, 5): ROUGE-1/2/L F1 (rouge-score, stemmer on) of each story's
   bullets against the editors' neutral roundup (``reference``), every row in the same run
   on the same cleaned sentences (``summaries.clean.clean_document`` of each article):

   * sumy LexRank: ``summaries.sumy_backend`` "lexrank" over all the story's sentences;
   * centroid + MMR: TF-IDF sentence vectors (stemmed content words, smooth IDF), relevance
     the cosine to their mean, maximal marginal relevance with lambda 0.7;
   * Lead: the first sentence of each article in turn, then the second ...;
   * ours: ``summarize_story``, its bullets as a reader sees them (trimmed to phone length).

   Two settings.  "every article as news" is the issue's: each gold story's articles, all of
   them read for facts.  "editorials out" is what a story shows: an article is an editorial
   when it says so itself (an /opinion/-style URL, a title marker, the outlet's "(Opinion)"
   label: the explicit signals ingest trusts; the text alone is not read here, since
   ``kind_score`` on ~90-word excerpts is unsure), and every row reads only the news
   members; a story without one scores 0 in every row.
2. **Held out**: ours minus centroid + MMR per story at each count, on even and odd story
   ids separately, with the standard error of the mean difference.  Nothing was fit by
   optimisation: summary.py's constants are round values, a few alternatives of each looked
   at on these stories (their comments say what was seen); the halves show how much the
   gain varies from one set of stories to another.
3. **One long article** (news_dev.jsonl, CNN/Daily Mail with their highlights): a story of a
   single full-length news article, beside Lead-3 and centroid + MMR: the lead window
   (``LEAD_SENTENCES``) is what keeps ours from picking background from deep in a long text.
4. **Perspectives** with the stories' ``side``: each side's line must be a sentence of that
   side's articles (checked on every story); ``--show N`` prints N stories whose editors
   wrote a ``coverage`` note, each side's line beside the note, for a human to judge.
5. **Speed**: ms per story for ``summarize_story`` + ``perspectives``: the dev stories read
   cold (the per-member cache cleared) and warm; a story of 30 full-length members (24 news
   articles of news_dev, 6 editorials of editorials_dev), cold and when its 30th member
   joins (29 already read).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import percentile, table  # noqa: E402
from bot.stories import summary as story_summary  # noqa: E402
from bot.stories.summary import Member, perspectives, summarize_story  # noqa: E402
from summaries.clean import clean_document  # noqa: E402
from summaries.kind import opinion_signal  # noqa: E402
from summaries.sentences import words  # noqa: E402
from summaries.sumy_backend import build_document, stemmer, stop_words, sumy_select  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
COUNTS = (3, 4, 5)
SIDES = {"left": "Left-rated outlets", "center": "Center outlets", "right": "Right-rated outlets"}
MMR_LAMBDA = 0.7

Selector = Callable[[Sequence[Sequence[str]], int], list[str]]


def load(name: str) -> list[dict[str, Any]]:
    path = DATA / name
    if not path.is_file():
        sys.exit(f"{path} not found: run from a checkout with ../shared/data beside it")
    with path.open(encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


# --- the stories as members --------------------------------------------------------------


def declared_editorial(article: dict[str, Any]) -> bool:
    """The article says it is opinion: its URL, a title marker, the outlet's label."""
    signal = opinion_signal(urls=(article["url"],), categories=(), title=article["title"])
    return bool(signal) or "(opinion)" in article["outlet"].lower()


def members_of(story: dict[str, Any], *, all_news: bool = False) -> list[Member]:
    when = datetime.fromisoformat(story["date"])
    return [
        Member(
            article_id=story["story_id"] * 10 + i,
            title=a["title"],
            text=a["text"],
            kind="news" if all_news or not declared_editorial(a) else "editorial",
            outlet=a["outlet"],
            country=None,
            published=when + timedelta(minutes=i),
        )
        for i, a in enumerate(story["articles"])
    ]


# --- baselines ---------------------------------------------------------------------------


def sentences_of(member: Member) -> list[str]:
    return list(clean_document(member.text, member.title).sentences)


def terms(sentence: str) -> list[str]:
    stem, stop = stemmer(), stop_words()
    return [stem(w) for w in (w.lower() for w in words(sentence)) if w not in stop]


def lexrank(docs: Sequence[Sequence[str]], k: int) -> list[str]:
    paragraphs = [list(d) for d in docs if d]
    flat = [s for p in paragraphs for s in p]
    document, _ = build_document(paragraphs)
    return [flat[i] for i in sumy_select("lexrank", document, k)]


def centroid_mmr(docs: Sequence[Sequence[str]], k: int) -> list[str]:
    """Classic centroid relevance + MMR over TF-IDF sentence vectors, plainly."""
    import numpy as np

    flat = [s for d in docs for s in d]
    if not flat:
        return []
    bags = [terms(s) for s in flat]
    vocab: dict[str, int] = {}
    for bag in bags:
        for t in bag:
            vocab.setdefault(t, len(vocab))
    tf = np.zeros((len(flat), max(1, len(vocab))))
    for i, bag in enumerate(bags):
        for t in bag:
            tf[i, vocab[t]] += 1
    df = (tf > 0).sum(axis=0)
    x = tf * (np.log((1 + len(flat)) / (1 + df)) + 1)
    norms = np.linalg.norm(x, axis=1)
    norms[norms == 0] = 1
    x /= norms[:, None]
    centre = x.mean(axis=0)
    relevance = x @ (centre / (np.linalg.norm(centre) or 1))
    similarity = x @ x.T
    chosen: list[int] = []
    while len(chosen) < min(k, len(flat)):
        redundancy = similarity[:, chosen].max(axis=1) if chosen else np.zeros(len(flat))
        score = MMR_LAMBDA * relevance - (1 - MMR_LAMBDA) * redundancy
        score[chosen] = -np.inf
        chosen.append(int(np.argmax(score)))
    return [flat[i] for i in chosen]


def lead(docs: Sequence[Sequence[str]], k: int) -> list[str]:
    out: list[str] = []
    depth = 0
    while len(out) < k and any(depth < len(d) for d in docs):
        out.extend(d[depth] for d in docs if depth < len(d))
        depth += 1
    return out[:k]


# --- scoring -----------------------------------------------------------------------------


def scorer() -> Any:
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)


def rouge(rs: Any, reference: str, bullets: Sequence[str]) -> tuple[float, float, float]:
    s = rs.score(reference, "\n".join(bullets))
    return (s["rouge1"].fmeasure, s["rouge2"].fmeasure, s["rougeL"].fmeasure)


def mean3(values: Sequence[tuple[float, float, float]]) -> list[str]:
    return [f"{100 * statistics.fmean(v[j] for v in values):.1f}" for j in range(3)]


def bullet_tables(stories: list[dict[str, Any]]) -> dict[int, dict[str, list[Any]]]:
    """Per count: per method, per story ROUGE triples (the all-news setting), printed."""
    rs = scorer()
    per_count: dict[int, dict[str, list[Any]]] = {}
    baselines: dict[str, Selector] = {
        "sumy LexRank": lexrank,
        "centroid + MMR (λ 0.7)": centroid_mmr,
        "Lead (round-robin)": lead,
    }
    settings = (("every article as news", True), ("editorials out", False))
    prepared = {
        label: [
            (s, members_of(s, all_news=flag), [m.kind == "news" for m in members_of(s)])
            for s in stories
        ]
        for label, flag in settings
    }
    docs_all = [[sentences_of(m) for m in members] for _, members, _ in prepared[settings[0][0]]]
    for k in COUNTS:
        rows = []
        for label, all_news in settings:
            results: dict[str, list[tuple[float, float, float]]] = {}
            for (story, members, is_news), docs in zip(prepared[label], docs_all, strict=True):
                use = [d for d, news in zip(docs, is_news, strict=True) if all_news or news]
                for name, fn in baselines.items():
                    got = fn(use, k) if use else []
                    results.setdefault(name, []).append(rouge(rs, story["reference"], got))
                ours = summarize_story(members, count=k).bullets
                results.setdefault("ours (summarize_story)", []).append(
                    rouge(rs, story["reference"], ours)
                )
            for name, values in results.items():
                rows.append([f"{name}, {label}", *mean3(values)])
            if all_news:
                per_count[k] = results
        table(
            f"Story bullets at {k} per story: ROUGE F1 against the editors' roundup "
            f"({len(stories)} stories)",
            ["method, input", "ROUGE-1", "ROUGE-2", "ROUGE-L"],
            rows,
        )
    return per_count


def held_out(stories: list[dict[str, Any]], per_count: dict[int, dict[str, list[Any]]]) -> None:
    rows = []
    for k in COUNTS:
        ours = per_count[k]["ours (summarize_story)"]
        mmr = per_count[k]["centroid + MMR (λ 0.7)"]
        for name, parity in (("even ids", 0), ("odd ids", 1), ("all", None)):
            idx = [
                i for i, s in enumerate(stories) if parity is None or s["story_id"] % 2 == parity
            ]
            cells = []
            for j in range(3):
                diffs = [100 * (ours[i][j] - mmr[i][j]) for i in idx]
                se = statistics.stdev(diffs) / math.sqrt(len(diffs))
                cells.append(f"{statistics.fmean(diffs):+.1f} ± {se:.1f}")
            rows.append([f"{k} bullets, {name} ({len(idx)})", *cells])
    table(
        "Ours minus centroid + MMR, every article as news (mean per story ± standard error)",
        ["count, stories", "ROUGE-1", "ROUGE-2", "ROUGE-L"],
        rows,
    )


def long_articles() -> None:
    rs = scorer()
    news = load("news_dev.jsonl")
    results: dict[str, list[tuple[float, float, float]]] = {}
    base = datetime(2024, 1, 1).astimezone()
    for i, row in enumerate(news):
        member = Member(i, row["title"], row["text"], "news", row["source"], None, base)
        docs = [sentences_of(member)]
        reference = row["reference_summary"]
        results.setdefault("Lead-3", []).append(rouge(rs, reference, lead(docs, 3)))
        results.setdefault("centroid + MMR", []).append(rouge(rs, reference, centroid_mmr(docs, 3)))
        ours = summarize_story([member], count=3).bullets
        results.setdefault("ours", []).append(rouge(rs, reference, ours))
    table(
        f"One full-length news article as a story, 3 bullets (news_dev, {len(news)} articles)",
        ["method", "ROUGE-1", "ROUGE-2", "ROUGE-L"],
        [[name, *mean3(values)] for name, values in results.items()],
    )


# --- perspectives ------------------------------------------------------------------------


def side_of_factory(story: dict[str, Any]) -> Callable[[Member], str | None]:
    sides = {story["story_id"] * 10 + i: a["side"] for i, a in enumerate(story["articles"])}
    return lambda member: sides.get(member.article_id)


def check_perspectives(stories: list[dict[str, Any]], show: int) -> None:
    """Each side's line as the product makes it (not repeating the story's fact bullets),
    and, beside it, how often a line chosen without that rule is a fact bullet."""
    lines = wrong = one_sided = repeats = repeats_unguarded = empty = 0
    shown = 0
    for story in stories:
        members = members_of(story)
        side_of = side_of_factory(story)
        bullets = summarize_story(members).bullets
        got = perspectives(members, SIDES, side_of, shown=bullets)
        unguarded = perspectives(members, SIDES, side_of)
        repeats_unguarded += sum(
            any(b in bullets for b in p.bullets) for p in unguarded if p.label in SIDES.values()
        )
        by_label = {label: key for key, label in SIDES.items()}
        for p in got:
            key = by_label.get(p.label)
            if key is None:
                one_sided += 1
                continue
            lines += 1
            empty += not p.bullets
            own = {s for m in members if side_of(m) == key for s in _shown_sentences(m)}
            wrong += any(b not in own for b in p.bullets)
            repeats += any(b in bullets for b in p.bullets)
        if shown < show and story["coverage"]:
            shown += 1
            print(f"\n=== {story['story_id']} · {story['title']}")
            print(f"editors' coverage note: {story['coverage']}")
            for p in got:
                print(f"  {p.label}: {' '.join(p.bullets)}")
    table(
        "Perspectives by side (left / center / right) on every story",
        [
            "lines",
            "not a sentence of that side's articles",
            "one-sided notes",
            "a fact bullet again",
            "(without the rule)",
            "no line: all it says is in the bullets",
        ],
        [[lines, wrong, one_sided, repeats, repeats_unguarded, empty]],
    )


def _shown_sentences(member: Member) -> set[str]:
    from summaries.bullets import trim_bullet

    return {trim_bullet(s) for s in sentences_of(member)}


# --- speed -------------------------------------------------------------------------------


def _time(fn: Callable[[], object], repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) * 1000 / repeat


def speed(stories: list[dict[str, Any]]) -> None:
    sides = {"left": "Left", "center": "Center", "right": "Right"}

    def whole(members: list[Member], side_of: Callable[[Member], str | None]) -> None:
        summarize_story(members)
        perspectives(members, sides, side_of)

    rows = []
    summarize_story(members_of(stories[0]))  # imports, the stemmer, the Punkt model
    for label, clear in (("cold (every member read)", True), ("warm (members read before)", False)):
        times = []
        for story in stories:
            members, side_of = members_of(story), side_of_factory(story)
            if clear:
                story_summary._read.cache_clear()
            else:
                whole(members, side_of)
            times.append(_time(lambda m=members, f=side_of: whole(m, f)))
        rows.append(
            [
                f"stories_dev, 2-3 members, {label}",
                f"{statistics.median(times):.1f}",
                f"{percentile(times, 95):.1f}",
                f"{max(times):.1f}",
            ]
        )
    news = load("news_dev.jsonl")[:24]
    editorials = load("editorials_dev.jsonl")[:6]
    base = datetime(2024, 1, 1).astimezone()
    big = [
        Member(i, r["title"], r["text"], kind, r["source"], "KR" if i % 2 else "JP", base)
        for i, (r, kind) in enumerate(
            [(r, "news") for r in news] + [(r, "editorial") for r in editorials]
        )
    ]
    by_country = {"KR": "Korean", "JP": "Japanese"}
    cold, join = [], []
    for _ in range(5):
        story_summary._read.cache_clear()
        cold.append(_time(lambda: (summarize_story(big), perspectives(big, by_country, _country))))
        story_summary._read.cache_clear()
        for m in big[:-1]:
            story_summary._read(m)
        join.append(_time(lambda: (summarize_story(big), perspectives(big, by_country, _country))))
    words_each = statistics.fmean(len(m.text.split()) for m in big)
    for label, times in (("cold (every member read)", cold), ("30th member joins", join)):
        rows.append(
            [
                f"30 members (~{words_each:.0f} words each), {label}",
                f"{statistics.median(times):.1f}",
                f"{percentile(times, 95):.1f}",
                f"{max(times):.1f}",
            ]
        )
    table(
        "ms per story: summarize_story + perspectives",
        ["story", "median ms", "p95 ms", "max ms"],
        rows,
    )


def _country(member: Member) -> str | None:
    return member.country


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=0, help="print N stories' perspectives")
    args = parser.parse_args()
    stories = load("stories_dev.jsonl")
    per_count = bullet_tables(stories)
    held_out(stories, per_count)
    long_articles()
    check_perspectives(stories, args.show)
    speed(stories)


if __name__ == "__main__":
    main()
