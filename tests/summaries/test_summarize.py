"""The public API: summarize, summarize_html, extract_page; bad input as one clear error."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from summaries import (
    ALGORITHMS,
    Page,
    Summary,
    default_sentence_count,
    extract_page,
    summarize,
    summarize_html,
)
from summaries.bullets import MAX_BULLET_CHARS
from summaries.errors import BadOptions, SummaryError, TooLong, Unsummarizable

PARAGRAPHS = [
    "Foreign ministers from Manila and Beijing met in Singapore on Tuesday to discuss the "
    "standoff at Second Thomas Shoal.",
    "The talks ended without a joint statement, but both sides agreed to keep a hotline open "
    "between their coast guards.",
    "Analysts in Manila said the hotline was a modest step that would matter only if it was "
    "used during the next incident at sea.",
    "The Philippines should insist that any code of conduct be binding, not another promise "
    "that Beijing can ignore when it suits it.",
]
TEXT = "\n\n".join(PARAGRAPHS)


def page(body: str, *, lang: str = "en", head: str = "") -> str:
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><title>Shoal talks | Northern Post</title>"
        f"{head}</head><body><header><nav><a href='/'>Home</a><a href='/world'>World</a>"
        "<a href='/login'>Sign in</a></nav></header><main><article>"
        "<h1>Manila and Beijing keep a hotline open</h1>"
        f"{body}</article></main><footer><p>© 2025 Northern Post. All rights reserved.</p>"
        "<p>About us | Contact | Privacy policy</p></footer></body></html>"
    )


BODY_HTML = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)


# --- summarize ---------------------------------------------------------------------------


def test_summary_shape_and_bullets_are_sentences_in_order() -> None:
    summary = summarize(TEXT, title="Manila and Beijing keep a hotline open")
    assert isinstance(summary, Summary)
    assert summary.title == "Manila and Beijing keep a hotline open"
    assert len(summary.bullets) == 3
    positions = [TEXT.index(b) for b in summary.bullets]
    assert positions == sorted(positions)
    assert len(set(summary.bullets)) == len(summary.bullets)
    assert summary.text == "\n\n".join(PARAGRAPHS)


def test_seed_bullets_carry_the_call_on_japan(seed_path: Path) -> None:
    raw = seed_path.read_text(encoding="utf-8")
    summary = summarize(raw)
    assert 3 <= len(summary.bullets) <= 5
    assert any(
        "Japan’s turn to reciprocate" in b and "concrete actions" in b for b in summary.bullets
    )
    assert all(b in raw for b in summary.bullets)
    assert not any(
        chrome in b
        for b in summary.bullets
        for chrome in ("PRESS CORPS", "Related", "print", "Translated", "log in")
    )


@pytest.mark.parametrize("kind", ["editorial", "news", None])
def test_seed_as_ingestion_sees_it(seed_path: Path, kind: str | None) -> None:
    """Ingestion passes the feed's kind and the first line as the title."""
    raw = seed_path.read_text(encoding="utf-8")
    title = raw.splitlines()[0]
    summary = summarize(raw, title=title, kind=kind)
    assert summary.title == title
    assert summary.bullets[0].startswith("President Lee Jae Myung held his first summit")
    if kind != "news":
        assert any("concrete actions" in b for b in summary.bullets)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_algorithm_gives_bullets_from_the_text(seed_path: Path, algorithm: str) -> None:
    raw = seed_path.read_text(encoding="utf-8")
    summary = summarize(raw, sentences=4, algorithm=algorithm)
    assert len(summary.bullets) == 4
    assert all(b in raw for b in summary.bullets)


def test_sentence_count_default_grows_with_length() -> None:
    assert default_sentence_count(10) == 3
    assert default_sentence_count(40) == 4
    assert default_sentence_count(200) == 5


def test_long_sentences_are_trimmed_for_phones() -> None:
    long_sentence = (
        "The agreement, which negotiators in Manila and Beijing spent the better part of two "
        "years drafting, revising and re-drafting under pressure from Washington, Tokyo and "
        "the members of Asean, would commit both coast guards to notify each other before "
        "operations near the shoal; it would also set up a joint panel to review incidents."
    )
    summary = summarize("\n\n".join([long_sentence, *PARAGRAPHS]), kind="news")
    assert all(len(b) <= MAX_BULLET_CHARS for b in summary.bullets)
    assert summary.bullets[0].endswith("…")
    assert long_sentence.startswith(summary.bullets[0].removesuffix("…"))


def test_plain_text_that_is_html_is_routed_to_extraction() -> None:
    summary = summarize(page(BODY_HTML))
    assert summary.title == "Manila and Beijing keep a hotline open"
    assert all(b in TEXT for b in summary.bullets)


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no text"),
        (" \n\t ", "no text"),
        ("\x00\x01\x02\x03garbage" * 50, "binary"),
        ("x" * 200_001, "too long"),
        (
            "Die Regierung hat am Dienstag eine neue Reform angekündigt, die im Parlament "
            "beraten werden soll. " * 5,
            "not in English",
        ),
        ("東京と北京の外相がシンガポールで会談し、ホットラインの維持で合意した。" * 5, "English"),
        ("Home | News | World\nMenu\n2025-06-18\n12 34 56", "no article text"),
    ],
)
def test_bad_text_raises_one_clear_summary_error(text: str, message: str) -> None:
    with pytest.raises(Unsummarizable) as error:
        summarize(text)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"algorithm": "gpt"}, "Unknown algorithm 'gpt'"),
        ({"sentences": 0}, "from 1 to 10"),
        ({"sentences": 11}, "from 1 to 10"),
        ({"kind": "blog"}, "Unknown kind 'blog'"),
    ],
)
def test_bad_options_raise_bad_options(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(BadOptions, match=message):
        summarize(TEXT, **kwargs)  # type: ignore[arg-type]


def test_slow_sumy_algorithms_refuse_very_long_texts_clearly() -> None:
    def token(n: int) -> str:  # a distinct made-up word per number: "bab", "bac", ...
        return "".join("bcdfghjklmnpqrstvwz"[int(d)] for d in f"{n:04d}") + "a"

    sentences = [
        f"The envoys of {token(5 * n).title()} and {token(5 * n + 1).title()} argued over the "
        f"{token(5 * n + 2)} and the {token(5 * n + 3)} of the {token(5 * n + 4)} again."
        for n in range(200)
    ]
    text = "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, 200, 4))
    with pytest.raises(TooLong, match="kl algorithm is too slow for 200 sentences"):
        summarize(text, algorithm="kl")
    assert len(summarize(text, algorithm="lexrank").bullets) == 5
    assert len(summarize(text).bullets) == 5


def test_one_sentence_is_a_sensible_result() -> None:
    assert summarize("The talks in Singapore ended without a statement.").bullets == (
        "The talks in Singapore ended without a statement.",
    )


@pytest.mark.parametrize("algorithm", ["default", "lexrank"])
def test_sentences_sharing_no_weighted_word_still_summarize(algorithm: str) -> None:
    # Two sentences: every idf is log(2/2) = 0, so LexRank's similarity matrix is all zeros
    # and sumy's power iteration divided by a zero norm (found by the property test).
    text = "The the the. The the minister."
    bullets = summarize(text, sentences=1, algorithm=algorithm).bullets
    assert len(bullets) == 1
    assert bullets[0] in text


# --- HTML --------------------------------------------------------------------------------


def test_extract_page_reads_text_and_metadata() -> None:
    head = (
        "<meta property='article:published_time' content='2025-06-18T09:12:00+09:00'>"
        "<meta name='author' content='Maria Santos'>"
        "<meta property='og:site_name' content='Northern Post'>"
        "<link rel='canonical' href='https://post.example/opinion/2025/06/18/shoal'>"
    )
    result = extract_page(page(BODY_HTML, head=head), "https://post.example/x?utm=1")
    assert isinstance(result, Page)
    assert result.title == "Manila and Beijing keep a hotline open"
    assert result.published == datetime(2025, 6, 18, 0, 12, tzinfo=UTC)
    assert result.author == "Maria Santos"
    assert result.sitename == "Northern Post"
    assert result.canonical_url == "https://post.example/opinion/2025/06/18/shoal"
    assert result.language == "en"
    assert result.opinion  # filed under /opinion/
    assert all(p in result.text for p in PARAGRAPHS)
    assert "Sign in" not in result.text
    assert "©" not in result.text


def test_extract_page_from_bytes_with_a_declared_charset() -> None:
    html = page(BODY_HTML.replace("Manila", "Manilà")).replace(
        "<head>", "<head><meta charset='iso-8859-1'>"
    )
    result = extract_page(html.encode("iso-8859-1"))
    assert "Manilà" in result.text


def test_published_time_without_zone_is_utc_and_date_only_is_midnight() -> None:
    head = "<meta property='article:published_time' content='2025-06-18T09:12:00'>"
    assert extract_page(page(BODY_HTML, head=head)).published == datetime(
        2025, 6, 18, 9, 12, tzinfo=UTC
    )
    no_time = extract_page(page(BODY_HTML)).published
    assert no_time is None or no_time.tzinfo is not None


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "<html><body></body></html>",
        "not html at all <<<>>>",
    ],
)
def test_page_without_an_article(html: str) -> None:
    with pytest.raises(SummaryError, match="no article text"):
        summarize_html(html)


def test_non_english_page_is_refused() -> None:
    body = "".join(
        "<p>Les ministres des affaires étrangères se sont réunis mardi à Singapour pour "
        "discuter de la situation dans la mer de Chine méridionale et des garde-côtes.</p>"
        for _ in range(4)
    )
    with pytest.raises(SummaryError, match="not in English"):
        summarize_html(page(body, lang="fr"))


def test_summarize_html_uses_the_page_title_and_opinion_section() -> None:
    url = "https://post.example/opinion/editorials/shoal"
    summary = summarize_html(page(BODY_HTML), url=url, sentences=2)
    assert summary.title == "Manila and Beijing keep a hotline open"
    assert summary.bullets == (PARAGRAPHS[0], PARAGRAPHS[3])  # peg + the author's claim
