"""Selection: the default's invariants and behaviour on news and editorials; sumy by name;
our numpy LexRank against sumy's own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from summaries import ALGORITHMS
from summaries.clean import clean_document
from summaries.select import (
    KIND_MARGIN,
    detect_kind,
    features,
    kind_features_of,
    kind_score,
    register,
    select_default,
    text_kind,
)
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
    assert kind_score(NEWS) < 0 < kind_score(EDITORIAL)
    assert detect_kind(NEWS) == "news"
    assert detect_kind(EDITORIAL) == "editorial"


# --- editorial or news from the text alone -----------------------------------------------

# An editorial that never says it is one: no "Editorial:" title, no opinion URL, a news peg
# ("on Tuesday") and then the author's argument.
UNLABELLED_EDITORIAL = [
    ["The city council voted on Tuesday to close three public libraries to save $4m a year."],
    [
        "That is a false economy.",
        "A library is not a luxury; for many families it is the only quiet room with a computer "
        "and a free internet connection.",
    ],
    [
        "Councillors say the buildings are old and little used.",
        "But the visitor figures they cite count only book loans, not the students who come "
        "every afternoon to do their homework.",
    ],
    [
        "We should be honest about what is being cut.",
        "If the council needs savings, it should look first at the consultancy contracts that "
        "have doubled since 2019.",
    ],
    [
        "Closing a library takes a vote.",
        "Reopening one takes a generation.",
        "The council must think again before the doors close.",
    ],
]
# The same story as news: the opinions are all quoted, one of them over two sentences.
NEWS_WITH_QUOTED_OPINION = [
    [
        "The city council voted 7-2 on Tuesday to close three public libraries, a move officials "
        "said would save $4 million a year."
    ],
    [
        '"We cannot keep paying to heat empty buildings," council leader Maria Lopez told '
        "reporters after the vote.",
        '"I think residents will understand.',
        'We must balance the books."',
    ],
    ["Opponents, who packed the public gallery, said the closures would hit students hardest."],
    [
        '"This is a disgrace," said Tom Reed, a retired teacher.',
        '"You should be ashamed of yourselves."',
    ],
    [
        "The libraries will close at the end of March, according to a council statement.",
        "Their books will be moved to the central library.",
    ],
]


def test_an_editorial_that_never_says_so_reads_as_one() -> None:
    assert kind_score(UNLABELLED_EDITORIAL) >= KIND_MARGIN
    assert text_kind(UNLABELLED_EDITORIAL) == "editorial"
    assert detect_kind(UNLABELLED_EDITORIAL) == "editorial"


def test_news_with_a_quoted_opinion_reads_as_news() -> None:
    assert kind_score(NEWS_WITH_QUOTED_OPINION) <= -KIND_MARGIN
    assert text_kind(NEWS_WITH_QUOTED_OPINION) == "news"
    assert detect_kind(NEWS_WITH_QUOTED_OPINION) == "news"


def test_a_quotation_over_sentences_is_not_the_author_voice() -> None:
    f = features(NEWS_WITH_QUOTED_OPINION)
    # '"I think residents will understand.' / 'We must balance the books."': Ms Lopez's words
    middle, closing = f[2], f[3]
    assert middle.argues == closing.argues == 0
    assert closing.normative == 0  # "must" is quoted
    assert middle.quote_share > 0.9
    assert closing.quote_share > 0.9
    assert middle.reports
    assert closing.reports


def test_single_quotes_and_apostrophes() -> None:
    """Daily Mail style: a quotation in straight single quotes running over sentences, each
    new paragraph of it reopened; apostrophes ("don't", "Joneses'") are not quotation marks."""
    paragraph = [
        "The Joneses' house was sold on Friday, the agent said.",
        "He said: 'We don't regret it.",
        "We should have sold it years ago.",
        "'We are moving to Spain.'",
        "The new owners don't plan to move in until the summer.",
    ]
    f = features([paragraph])
    assert f[0].quote_share == 0.0  # the plural possessive opens nothing
    assert [x.quote_share > 0.5 for x in f[2:4]] == [True, True]
    assert f[2].normative == 0  # "should" is his
    assert f[4].quote_share == 0.0  # the quotation closed; the author speaks again


def test_an_unclosed_quotation_does_not_swallow_the_rest() -> None:
    opening = 'Critics called the plan "a betrayal of everything the party stood for.'
    author = [
        "The party should listen to them.",
        "It must also explain where the money will come from.",
        "Voters deserve an honest account of the costs.",
        "Nobody is served by a budget that hides them.",
        "The minister would be wise to publish the figures.",
        "Only then can the debate begin.",
        "Anything less is a failure of leadership.",
    ]
    f = features([[opening, *author]])
    assert f[0].quote_share > 0.5
    assert all(x.quote_share == 0.0 for x in f[1:])
    assert f[1].normative > 0
    assert f[1].argues >= 1


def test_a_transcript_line_is_quoted_speech() -> None:
    f = features(
        [["Joy Smith: If you don't hurry, he's gone.", "The reason is simple: we must act."]]
    )
    assert f[0].argues == 0
    assert f[0].reports
    assert f[1].argues >= 2  # a lower-case lead-in is the author's own colon


def test_a_bare_weekday_dates_the_news() -> None:
    """US wire style dates the news without "on": "announced Monday", "said Tuesday"."""
    f = features(
        [
            [
                "The agency announced Monday that the program would end in March.",
                "Shares of the company fell 4 percent Tuesday.",
                "The program began in 2019 and served 40,000 families.",
            ]
        ]
    )
    assert [x.reports for x in f] == [True, True, False]


def test_the_author_speaking_as_i_is_counted_in_their_own_words_only() -> None:
    f = features(
        [
            [
                "I have covered this council for a decade.",
                "My view has not changed.",
                '"I will not resign," the mayor said.',
                "The mayor said I had misread the figures.",
                "World leaders met in Paris.",
            ]
        ]
    )
    assert [x.first_person for x in f] == [True, True, False, True, False]
    assert kind_features_of(f)[-1] == pytest.approx(3 / 5)


def test_the_i_share_pushes_toward_editorial() -> None:
    """Two texts alike in every share but the author's "I" (we / I both mark the author's
    voice): the one who speaks as I reads more as an editorial."""
    plain = [["We watched the council vote to close the library.", "The building is old."]]
    first = [["I watched the council vote to close the library.", "The building is old."]]
    fp, ff = features(plain), features(first)
    assert kind_features_of(fp)[:3] == kind_features_of(ff)[:3]
    assert kind_score(first) > kind_score(plain)


def test_a_short_text_is_unsure() -> None:
    """Two sentences carry too little evidence for a confident answer either way."""
    snippet = [UNLABELLED_EDITORIAL[0], UNLABELLED_EDITORIAL[1][:1]]
    assert abs(kind_score(snippet)) < KIND_MARGIN
    assert text_kind(snippet) is None
    assert text_kind(snippet, margin=0.0) == detect_kind(snippet)


def test_text_kind_margin_is_on_the_score() -> None:
    score = kind_score(UNLABELLED_EDITORIAL)
    assert text_kind(UNLABELLED_EDITORIAL, margin=score + 0.01) is None
    assert text_kind(UNLABELLED_EDITORIAL, margin=score - 0.01) == "editorial"
    assert kind_score([]) == 0.0
    assert text_kind([]) is None


def test_unknown_kind_summarizes_an_unlabelled_editorial_as_one() -> None:
    sentences = flat(UNLABELLED_EDITORIAL)
    auto = select(UNLABELLED_EDITORIAL, 3)
    assert auto == select(UNLABELLED_EDITORIAL, 3, "editorial")
    assert sentences[auto[0]] == UNLABELLED_EDITORIAL[0][0]  # the peg
    assert "The council must think again before the doors close." in [sentences[i] for i in auto]


def test_unknown_kind_keeps_the_lead_of_news_with_quoted_opinion() -> None:
    assert select(NEWS_WITH_QUOTED_OPINION, 3) == select(NEWS_WITH_QUOTED_OPINION, 3, "news")


def test_unsure_news_keeps_the_lead_and_hedges_on_an_own_voice_closing_claim() -> None:
    """A text leaning news but not clearly (-KIND_MARGIN < score <= 0) keeps its lead and
    gives one slot to a closing claim, only if the author makes one."""
    story = [
        "The council voted on Tuesday to close three libraries, officials said.",
        "The closures take effect in March, according to a council statement.",
        "Opponents said students would be hit hardest.",
        "The central library will take the books.",
        "Opening hours there will not change.",
        "Its reading room seats 200 people.",
    ]
    claim = "The council should publish the consultants' report before the closures begin."
    dated = "The council will publish the consultants' report on Friday, a spokesman said."
    for last, hedged in ((claim, True), (dated, False)):
        paragraphs = [[s] for s in [*story, last]]
        _, sentences = build_document(paragraphs)
        chosen = select_default(
            paragraphs, 3, centrality=lambda s=sentences: lexrank_scores(s), opinion=-0.5
        )
        assert (6 in chosen) is hedged
        assert chosen[:2] == [0, 1]


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
