"""Fuzz the page extractor, the cleaner and the summarizer with hostile and broken input:
nothing but ``SummaryError`` escapes, and the bullets keep their limits (count, length, no
invisible or control characters, no line breaks).

Bounded for CI (see tests/fuzz/budget.py); a failure prints the example to replay."""

from __future__ import annotations

import re

from hypothesis import event, given
from hypothesis import strategies as st

from summaries import clean_text, extract_page, summarize
from summaries.bullets import MAX_BULLET_CHARS
from summaries.core import MAX_SENTENCES
from summaries.errors import SummaryError
from tests.fuzz.budget import fuzz_settings

FUZZ = fuzz_settings(40)

INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
WORDS = [
    "Seoul",
    "Tokyo",
    "Beijing",
    "Washington",
    "summit",
    "minister",
    "talks",
    "agreed",
    "the",
    "a",
    "of",
    "to",
    "in",
    "and",
    "on",
    "that",
    "said",
    "would",
    "could",
    "trade",
    "security",
    "alliance",
    "missile",
    "sanctions",
    "government",
    "officials",
    "meeting",
    "president",
    "prime",
    "leaders",
    "week",
    "year",
    "economy",
    "border",
    "dispute",
    "historical",
    "apology",
    "cooperation",
]
TRICKS = [
    "@everyone",
    "@here",
    "<@123456789012345678>",
    "<@&987654321>",
    "<!channel>",
    "<!here|here>",
    "**bold**",
    "__underline__",
    "~~gone~~",
    "`code`",
    "```block```",
    "[click](https://evil.example)",
    "<https://evil.example|totally safe>",
    "> quoted",
    "# Heading",
    "\u200b",
    "\u200d",
    "\u202e",
    "\ufeff",
    "\u00ad",
    "\x00",
    "\x1b[31m",
    "&amp;",
    "&lt;script&gt;",
    "<script>alert(1)</script>",
    "😀",
    "Print",
    "Share this article",
    "Related Article",
    "Photo: Yonhap",
    "Subscribe to our newsletter",
]


@st.composite
def sentence(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=25))
    if draw(st.booleans()):
        words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(TRICKS)))
    text = " ".join(words)
    return text[:1].upper() + text[1:] + draw(st.sampled_from([".", ".", "?", "!", "", "..."]))


@st.composite
def article(draw: st.DrawFn) -> str:
    paragraphs = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["prose", "prose", "prose", "trick", "noise"]))
        if kind == "prose":
            paragraphs.append(" ".join(draw(st.lists(sentence(), min_size=1, max_size=6))))
        elif kind == "trick":
            paragraphs.append(draw(st.sampled_from(TRICKS)))
        else:
            paragraphs.append(draw(st.text(max_size=200)))
    return draw(st.sampled_from(["\n\n", "\n", " ", "\r\n"])).join(paragraphs)


def check_bullets(bullets: tuple[str, ...], most: int) -> None:
    assert 1 <= len(bullets) <= most
    for bullet in bullets:
        assert bullet.strip()
        assert len(bullet) <= MAX_BULLET_CHARS
        assert "\n" not in bullet
        assert not INVISIBLE.search(bullet), repr(bullet)


@FUZZ
@given(article(), st.one_of(st.none(), st.text(max_size=80)))
def test_clean_text_never_fails(text: str, title: str | None) -> None:
    cleaned = clean_text(text, title)
    assert isinstance(cleaned, str)
    assert not INVISIBLE.search(cleaned)


@FUZZ
@given(article(), st.one_of(st.none(), st.integers(1, MAX_SENTENCES)))
def test_summarize_keeps_its_limits(text: str, sentences: int | None) -> None:
    try:
        summary = summarize(text, sentences=sentences)
    except SummaryError as exc:
        message = str(exc)
        event("refused: " + message)
    else:
        event("summarized")
        check_bullets(summary.bullets, sentences or 5)
        return
    assert message
    assert "\n" not in message


@FUZZ
@given(st.text(max_size=3000))
def test_summarize_arbitrary_text(text: str) -> None:
    try:
        summary = summarize(text)
    except SummaryError:
        return
    check_bullets(summary.bullets, 5)


TAGS = [
    "p",
    "div",
    "article",
    "main",
    "span",
    "a",
    "h1",
    "h2",
    "nav",
    "footer",
    "script",
    "style",
    "li",
    "ul",
    "figure",
    "figcaption",
    "aside",
    "header",
    "br",
    "iframe",
]


@st.composite
def page(draw: st.DrawFn) -> str:
    def node(depth: int) -> str:
        tag = draw(st.sampled_from(TAGS))
        attrs = draw(
            st.sampled_from(
                [
                    "",
                    ' class="article-body"',
                    ' id="content"',
                    ' onclick="x()"',
                    ' href="javascript:alert(1)"',
                    ' lang="ko"',
                ]
            )
        )
        inner = []
        for _ in range(draw(st.integers(0, 3))):
            if depth < 3 and draw(st.booleans()):
                inner.append(node(depth + 1))
            else:
                inner.append(" ".join(draw(st.lists(sentence(), min_size=1, max_size=4))))
        closing = "" if draw(st.integers(0, 9)) == 0 else f"</{tag}>"  # broken markup too
        return f"<{tag}{attrs}>{''.join(inner)}{closing}"

    head = draw(
        st.sampled_from(
            [
                "<!doctype html><html><head><title>T</title></head><body>",
                '<html lang="en"><head><meta property="article:section" content="Opinion">'
                '<meta charset="bogus-charset"></head><body>',
                "<body>",
                "",
            ]
        )
    )
    return head + "".join(node(0) for _ in range(draw(st.integers(1, 5))))


@FUZZ
@given(page(), st.sampled_from([None, "https://news.example/opinion/1", "not a url", ""]))
def test_extract_page_and_summarize_a_page(html: str, url: str | None) -> None:
    try:
        extracted = extract_page(html, url)
    except SummaryError:
        return
    assert isinstance(extracted.text, str)
    assert extracted.title is None or isinstance(extracted.title, str)
    try:
        summary = summarize(html)
    except SummaryError:
        event("page refused")
        return
    event("page summarized")
    check_bullets(summary.bullets, 5)


@FUZZ
@given(st.binary(max_size=2000))
def test_extract_page_arbitrary_bytes(data: bytes) -> None:
    try:
        extracted = extract_page(data, None)
    except SummaryError:
        return
    assert isinstance(extracted.text, str)
