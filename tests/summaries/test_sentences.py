"""Sentence splitting: offline Punkt plus our two repairs, on the cases that matter."""

from __future__ import annotations

import pytest

from summaries.sentences import SentenceTokenizer, split_sentences, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. said it would act. Seoul agreed.",
            ["The U.S. said it would act.", "Seoul agreed."],
        ),
        (
            "He lives in the U.S. Then he moved to Tokyo.",
            ["He lives in the U.S.", "Then he moved to Tokyo."],
        ),
        ("The U.S. Army arrived on Monday.", ["The U.S. Army arrived on Monday."]),
        (
            "Mr. Kim met Sen. John Smith and Gov. Lee. They talked.",
            ["Mr. Kim met Sen. John Smith and Gov. Lee.", "They talked."],
        ),
        (
            "The No. 2 official resigned. No. 3 stayed.",
            ["The No. 2 official resigned.", "No. 3 stayed."],
        ),
        (
            "There was no. Absolutely none.",
            ["There was no.", "Absolutely none."],
        ),
        (
            "“Is it over?” she asked. “Not yet,” he said.",
            ["“Is it over?” she asked.", "“Not yet,” he said."],
        ),
        (
            '"We will go," he said. "Now."',
            ['"We will go," he said.', '"Now."'],
        ),
        (
            "The deal — signed on Tuesday — expires in 2030. Critics object.",
            ["The deal — signed on Tuesday — expires in 2030.", "Critics object."],
        ),
        (
            "It is now Japan’s turn — not just with words, but with actions. Seoul waits.",
            ["It is now Japan’s turn — not just with words, but with actions.", "Seoul waits."],
        ),
        (
            "Use a tool, e.g. a hammer. Then stop.",
            ["Use a tool, e.g. a hammer.", "Then stop."],
        ),
        (
            "They met at 3 p.m. on Monday in Washington, D.C. and left.",
            ["They met at 3 p.m. on Monday in Washington, D.C. and left."],
        ),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_whitespace_and_unicode_inside_a_sentence_are_kept() -> None:
    text = "Lee called ties “inseparable, like neighbors sharing a yard.” Ishiba agreed."
    assert split_sentences(text) == [
        "Lee called ties “inseparable, like neighbors sharing a yard.”",
        "Ishiba agreed.",
    ]


def test_words_keep_initialisms_and_apostrophes_and_drop_numbers() -> None:
    assert words("The U.S. and Japan’s 60-year ties, in 2025.") == (
        "The",
        "U.S.",
        "and",
        "Japan’s",
        "year",
        "ties",
        "in",
    )


def test_tokenizer_is_what_sumy_calls() -> None:
    tok = SentenceTokenizer()
    assert tok.language == "english"
    assert tok.to_sentences("One here. Two there.") == ("One here.", "Two there.")
    assert tok.to_words("One here.") == ("One", "here")


def test_no_nltk_data_is_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Splitting works with NLTK's data path pointing nowhere (a fresh, offline machine)."""
    import nltk

    monkeypatch.setattr(nltk.data, "path", [])
    assert split_sentences("Dr. Smith went home. He was tired.") == [
        "Dr. Smith went home.",
        "He was tired.",
    ]
