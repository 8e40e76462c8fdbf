"""The explicit signals that file a piece under opinion (summaries.kind), and a real page
carrying only one of them at a time."""

from __future__ import annotations

import json

import pytest

from summaries import extract_page
from summaries.kind import (
    is_opinion_label,
    is_opinion_url,
    opinion_signal,
    opinion_title,
    page_opinion_signal,
)

BODY = "".join(
    f"<p>{sentence}</p>"
    for sentence in (
        "President Lee Jae Myung held his first summit with Prime Minister Shigeru Ishiba on "
        "the sidelines of the G7 meeting in Canada on Tuesday.",
        "The two leaders agreed to continue shuttle diplomacy and to expand exchanges between "
        "their peoples ahead of the sixtieth anniversary of diplomatic ties.",
        "Seoul and Tokyo also discussed cooperation on North Korea, trade and supply chains, "
        "according to officials from both governments who briefed reporters afterwards.",
    )
)


@pytest.mark.parametrize(
    "title",
    [
        "[Editorial] A summit that needs follow-through",
        "EDITORIAL | A summit that needs follow-through",
        "Editorial: A summit that needs follow-through",
        "Opinion | Seoul should not wait for Tokyo",
        "[Column] Why the shuttle diplomacy matters",
        "[Op-Ed] Trust is built one step at a time",
        "The Guardian view on Korea and Japan: a fragile thaw | Editorial",
    ],
)
def test_title_markers_are_opinion(title: str) -> None:
    assert opinion_title(title)
    assert opinion_signal(title=title) == "title"


@pytest.mark.parametrize(
    "title",
    [
        "Editorial board of Asahi meets Korean editors",  # the words, not a marker
        "Opinion polls show support for Lee rising",
        "Column of protesters marches on the embassy",
        "Korea, Japan leaders meet ahead of 60th anniversary",
    ],
)
def test_titles_that_only_use_the_words_are_not(title: str) -> None:
    assert not opinion_title(title)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Opinion", True),
        ("Editorials", True),
        ("Opinion > Columns", True),
        ("Opinion/Editorials", True),
        ("Op-Ed", True),
        ("Commentary", True),
        ("Analysis & Opinion", True),
        ("News", False),
        ("Analysis", False),
        ("North Korea", False),
        ("Opinion polls", False),
    ],
)
def test_category_labels(label: str, expected: bool) -> None:
    assert is_opinion_label(label) is expected
    assert (opinion_signal(categories=["World", label]) == "category") is expected


def test_url_paths() -> None:
    assert is_opinion_url(
        "https://koreajoongangdaily.joins.com/news/2025-06-19/opinion/editorials/Korea-Japan/2333269"
    )
    assert is_opinion_url("https://www.theguardian.com/commentisfree/2025/jun/19/x")
    assert not is_opinion_url("https://en.yna.co.kr/view/AEN20250619000100315")
    assert not is_opinion_url("https://news.test/opinionated-cat-video")


def test_page_metadata_signals() -> None:
    assert page_opinion_signal({"article:section": "Opinion"}, []) == "section"
    graph = json.dumps(
        {"@context": "https://schema.org", "@graph": [{"@type": ["OpinionNewsArticle"]}]}
    )
    assert page_opinion_signal({}, [graph]) == "schema.org"
    section = json.dumps({"@type": "NewsArticle", "articleSection": ["Editorials"]})
    assert page_opinion_signal({}, [section]) == "schema.org"
    board = json.dumps({"@type": "NewsArticle", "author": {"name": "The Editorial Board"}})
    assert page_opinion_signal({}, [board]) == "byline"
    assert page_opinion_signal({}, [], authors=["Korea Herald editorial"]) == "byline"
    news = json.dumps({"@type": "NewsArticle", "author": [{"name": "Kim Eun-jung"}]})
    assert page_opinion_signal({"article:section": "National"}, [news, "{not json"]) is None


def _page(head: str = "", url_path: str = "/news/2025/06/19/summit") -> tuple[str, str]:
    html = (
        f"<!doctype html><html lang='en'><head><title>Leaders meet</title>{head}</head>"
        f"<body><article><h1>Leaders meet</h1>{BODY}</article></body></html>"
    )
    return html, f"https://news.test{url_path}"


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="article:section" content="Opinion">',
        '<script type="application/ld+json">{"@type": "OpinionNewsArticle"}</script>',
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "author": {"@type": "Organization", '
        '"name": "The Japan Times Editorial Board"}}</script>',
    ],
    ids=["section", "json-ld type", "byline"],
)
def test_a_page_that_says_so_only_in_its_metadata_is_opinion(head: str) -> None:
    html, url = _page(head)
    assert extract_page(html, url).opinion is True


def test_a_plain_news_page_is_not_opinion() -> None:
    html, url = _page('<meta property="article:section" content="Diplomacy">')
    assert extract_page(html, url).opinion is False
    html, url = _page(url_path="/news/2025-06-19/opinion/editorials/x/1")
    assert extract_page(html, url).opinion is True


EDITORIAL = (
    "Seoul and Tokyo have wasted too many years on grievance.\n\n"
    "We believe the summit should be the start of something bigger. Why should a shared "
    "history keep two democracies apart when their interests plainly align? It is time for "
    "both leaders to act.\n\n"
    "Japan must do its part. Renewed claims over the islets would be a mistake, and a "
    "government that wants trust cannot keep testing it.\n\n"
    "Korea, for its part, should not let domestic politics hold diplomacy hostage. The "
    "glass is half full; it is now Japan's turn to fill the rest."
)
NEWS = (
    "President Lee Jae Myung met Prime Minister Shigeru Ishiba in Canada on Tuesday, "
    "officials said.\n\n"
    "The two leaders agreed to continue shuttle diplomacy, according to a statement released "
    "by the presidential office on Wednesday.\n\n"
    "Ishiba told reporters after the meeting that the talks had been constructive, and a "
    "spokesman for the foreign ministry said working-level contacts would follow next month.\n\n"
    "The meeting, which lasted 30 minutes, took place on the sidelines of the G7 summit, the "
    "office said."
)


def test_a_summary_says_what_it_was_summarized_as() -> None:
    from summaries import summarize

    assert summarize(EDITORIAL).kind == "editorial"
    assert summarize(NEWS).kind == "news"
    assert summarize(NEWS, kind="editorial").kind == "editorial"  # the caller's word wins
    labelled = "Opinion: " + NEWS.split("\n\n", 1)[0]
    assert summarize(NEWS, title=labelled).kind == "editorial"  # a headline prefix
