"""Properties over generated input: nothing but a SummaryError escapes, and every bullet is
a sentence (or a clause-boundary prefix) of the text, within the limits."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summaries import summarize
from summaries.bullets import ELLIPSIS, MAX_BULLET_CHARS, trim_bullet
from summaries.errors import SummaryError
from summaries.sentences import split_sentences

WORDS_TEXT = (
    "the minister said talks would resume in Seoul Tokyo Beijing Manila after a summit of "
    "leaders on Tuesday and the coast guard U.S. Mr. No. 2 “quoted” — dash, however should "
    "must agree on trade security missiles budget it is time for Japan to act"
)
WORDS = WORDS_TEXT.split()

word = st.sampled_from(WORDS)
sentence = st.builds(
    lambda ws, end: " ".join(ws).capitalize() + end,
    st.lists(word, min_size=3, max_size=40),
    st.sampled_from([".", "?", "!", ".”", ""]),
)
paragraph = st.lists(sentence, min_size=1, max_size=6).map(" ".join)
chrome = st.sampled_from(
    [
        "Home > World > Asia",
        "Advertisement",
        "Share on Facebook",
        "Related Article",
        "Sign up for our newsletter.",
        "© 2025 Daily. All rights reserved.",
        "print dictionary print",
        "Photo: AFP",
    ]
)
document = st.lists(st.one_of(paragraph, paragraph, chrome), min_size=1, max_size=12).map(
    "\n\n".join
)
junk = st.text(min_size=0, max_size=400)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(document, junk), count=st.one_of(st.none(), st.integers(1, 10)))
def test_only_summary_errors_escape_and_bullets_come_from_the_text(
    text: str, count: int | None
) -> None:
    try:
        summary = summarize(text, sentences=count)
    except SummaryError as error:
        message = str(error)
    else:
        message = ""
    if message:
        assert "\n" not in message
        return
    flat = squash(text)
    assert 1 <= len(summary.bullets) <= (count or 5)
    assert len(set(summary.bullets)) == len(summary.bullets)
    for bullet in summary.bullets:
        assert len(bullet) <= MAX_BULLET_CHARS
        head = bullet.rstrip("”’\"')]").removesuffix(ELLIPSIS) if ELLIPSIS in bullet else bullet
        assert squash(head) in flat


@settings(max_examples=200, deadline=None)
@given(text=st.text(min_size=1, max_size=600), limit=st.integers(20, 300))
def test_trim_never_exceeds_the_limit_and_keeps_a_prefix(text: str, limit: int) -> None:
    trimmed = trim_bullet(text, limit)
    assert len(trimmed) <= max(limit, len(text.strip()) if len(text.strip()) <= limit else 0)
    if trimmed != text.strip():
        head = trimmed.rstrip("”’\"')]»").removesuffix(ELLIPSIS)
        assert text.strip().startswith(head)


@settings(max_examples=200, deadline=None)
@given(text=paragraph)
def test_splitting_loses_no_words(text: str) -> None:
    sentences = split_sentences(text)
    assert squash(" ".join(sentences)) == squash(text).strip()
