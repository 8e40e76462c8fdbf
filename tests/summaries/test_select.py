"""Selection: the default's invariants and behaviour on news and editorials; sumy by name;
our numpy LexRank against sumy's own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from summaries import ALGORITHMS
from summaries.clean import clean_document
from summaries.select import detect_kind, features, register, select_default
from summaries.sumy_backend import (
    SUMY_ALGORITHMS,
    build_document,
    lexrank_scores,
    summarizer,
    sumy_select,
)

NEWS = [
    [
        "Japan's parliament passed a defence budget of 8.7 trillion yen on Friday, the largest "
        "in the country's post-war history.",
        "The budget includes funds for long-range missiles and a new joint command, officials "
        "said.",
    ],
    [
        "Opposition lawmakers said the government had not explained how it would pay for the "
        "increase.",
        "Prime Minister Shigeru Ishiba told reporters the spending was needed to deter threats "
        "from China and North Korea.",
    ],
    [
        "China's foreign ministry said on Saturday that Tokyo was returning to militarism.",
        "The budget takes effect in April, according to the finance ministry.",
    ],
]
EDITORIAL = [
    [
        "Japan's parliament passed its largest defence budget on Friday, with funds for "
        "long-range missiles.",
        "The numbers are striking, but the numbers are not the point.",
    ],
    [
        "A country that spends more on defence owes its neighbours more transparency, not less.",
        "Tokyo has been vague about what the new missiles are for and when they would be used.",
    ],
    [
        "Indeed, that vagueness feeds the very suspicion in Seoul and Beijing it hopes to avoid.",
        "Japan should publish its targeting doctrine and invite Seoul to talks on it.",
        "It is time for Tokyo to show that a stronger Japan can also be a more open one.",
    ],
]


def flat(paragraphs: list[list[str]]) -> list[str]:
    return [s for p in paragraphs for s in p]


def select(paragraphs: list[list[str]], count: int, kind: str | None = None) -> list[int]:
    _, sentences = build_document(paragraphs)
    return select_default(
        paragraphs, count, kind=kind, centrality=lambda: lexrank_scores(sentences)
    )


# --- invariants --------------------------------------------------------------------------


@pytest.mark.parametrize("paragraphs", [NEWS, EDITORIAL])
@pytest.mark.parametrize("kind", [None, "news", "editorial"])
@pytest.mark.parametrize("count", [1, 2, 3, 4, 5])
def test_default_picks_count_distinct_sentences_in_order(
    paragraphs: list[list[str]], kind: str | None, count: int
) -> None:
    chosen = select(paragraphs, count, kind)
    assert len(chosen) == count
    assert chosen == sorted(set(chosen))
    assert all(0 <= i < len(flat(paragraphs)) for i in chosen)


def test_short_text_gives_all_its_sentences() -> None:
    paragraphs = [["One sentence about the summit in Calgary.", "Another about the talks."]]
    assert select(paragraphs, 3) == [0, 1]


def test_centrality_is_not_computed_for_news() -> None:
    def fail() -> list[float]:
        raise AssertionError("LexRank should not run for a news lead")

    assert select_default(NEWS, 3, kind="news", centrality=fail) == [0, 1, 2]


# --- news and editorials -----------------------------------------------------------------


def test_news_keeps_the_lead() -> None:
    assert select(NEWS, 3, "news") == [0, 1, 2]


def test_news_lead_skips_bylines_and_fragments() -> None:
    paragraphs = [["By . Daily Mail Reporter .", "PUBLISHED: 09:03 EST, 13 March 2013."], *NEWS]
    sentences = flat(paragraphs)
    chosen = [sentences[i] for i in select(paragraphs, 2, "news")]
    assert chosen == [NEWS[0][0], NEWS[0][1]]


def test_editorial_keeps_the_peg_and_the_closing_claim() -> None:
    sentences = flat(EDITORIAL)
    chosen = [sentences[i] for i in select(EDITORIAL, 3, "editorial")]
    assert chosen[0] == EDITORIAL[0][0]  # the news peg
    assert EDITORIAL[2][2] in chosen  # "It is time for Tokyo ..."
    assert EDITORIAL[2][1] in chosen  # "Japan should publish ..."


def test_register_tells_the_two_apart() -> None:
    assert register(NEWS) < 0 < register(EDITORIAL)
    assert detect_kind(NEWS) == "news"
    assert detect_kind(EDITORIAL) == "editorial"


def test_quoted_opinion_is_not_the_author_voice() -> None:
    quoted = [
        [
            "“Japan should apologise,” the minister said on Monday.",
            "Seoul must act now, he told reporters.",
        ]
    ]
    f = features(quoted)
    assert f[0].normative == 0  # the normative word is inside the quotation
    assert f[0].reported
    assert f[0].quote_share > 0.4


def test_seed_auto_mode_carries_the_argument(seed_path: Path) -> None:
    document = clean_document(seed_path.read_text(encoding="utf-8"))
    paragraphs = [list(p) for p in document.paragraphs]
    chosen = [document.sentences[i] for i in select(paragraphs, 3)]  # no kind, no hint
    assert any("concrete actions" in s for s in chosen)
    assert chosen[0].startswith("President Lee Jae Myung held his first summit")


# --- sumy by name ------------------------------------------------------------------------


def test_algorithm_names() -> None:
    assert ALGORITHMS[0] == "default"
    assert set(SUMY_ALGORITHMS) == {
        "lexrank",
        "lsa",
        "textrank",
        "luhn",
        "edmundson",
        "kl",
        "sumbasic",
        "reduction",
    }


@pytest.mark.parametrize("name", SUMY_ALGORITHMS)
def test_every_sumy_algorithm_runs_on_our_document_model(name: str, seed_path: Path) -> None:
    document = clean_document(seed_path.read_text(encoding="utf-8"))
    model, sentences = build_document(document.paragraphs, document.title)
    chosen = sumy_select(name, model, 3)
    assert len(chosen) == 3
    assert chosen == sorted(set(chosen))
    assert all(0 <= i < len(sentences) for i in chosen)


def test_fast_lexrank_matches_sumy_lexrank(seed_path: Path) -> None:
    document = clean_document(seed_path.read_text(encoding="utf-8"))
    _, sentences = build_document(document.paragraphs)
    plain, fast = summarizer("lexrank"), summarizer("lexrank-fast")
    words = [plain._to_words_set(s) for s in sentences]
    tf = plain._compute_tf(words)
    idf = plain._compute_idf(words)
    assert fast._compute_idf(words) == pytest.approx(idf)
    slow_matrix = plain._create_matrix(words, plain.threshold, tf, idf)
    fast_matrix = fast._create_matrix(words, fast.threshold, tf, idf)
    np.testing.assert_allclose(fast_matrix, slow_matrix)
    assert sumy_select("lexrank", *_model_and_count(document)) == sumy_select(
        "lexrank-fast", *_model_and_count(document)
    )


def _model_and_count(document: object) -> tuple[object, int]:
    model, _ = build_document(document.paragraphs)  # type: ignore[attr-defined]
    return model, 3


def test_lexrank_scores_are_normalised() -> None:
    _, sentences = build_document(EDITORIAL)
    scores = lexrank_scores(sentences)
    assert len(scores) == len(flat(EDITORIAL))
    assert max(scores) == pytest.approx(1.0)
    assert min(scores) >= 0
