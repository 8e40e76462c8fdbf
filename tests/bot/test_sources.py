"""Feed parsing, the feed list, local files and the demo corpus."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import BadInput, SourceError
from bot.sources.feedlist import load_feed_list, packaged_feed_list, parse_feed_list
from bot.sources.feeds import html_to_text, parse_feed
from bot.sources.files import demo_documents, load_file
from bot.store.urls import normalize_url, split_url, url_host
from tests.support.content import FeedItem, atom, rss

PUBLISHED = datetime(2025, 6, 18, 9, 30, tzinfo=UTC)
ITEMS = [
    FeedItem(
        title="Korea, Japan leaders meet",
        link="https://news.test/a/1",
        guid="urn:kjd:1",
        summary="<p>President Lee met Prime Minister Ishiba.</p>",
        content_html="<p>First paragraph.</p><p>Second &amp; last.</p>",
        author="Editorial board",
        published=PUBLISHED,
    ),
    FeedItem(title="No link, only text", summary="Text only."),
]


@pytest.mark.parametrize("build", [rss, atom], ids=["rss", "atom"])
def test_rss_and_atom_entries_keep_their_metadata(build: object) -> None:
    data = build(ITEMS, title="Test outlet").encode()  # type: ignore[operator]
    feed = parse_feed(data, url="https://news.test/feed")
    assert feed.title == "Test outlet"
    first = feed.entries[0]
    assert first.title == "Korea, Japan leaders meet"
    assert first.link == "https://news.test/a/1"
    assert first.guid == "urn:kjd:1"
    assert first.author == "Editorial board"
    assert first.published == PUBLISHED
    assert first.summary == "President Lee met Prime Minister Ishiba."
    assert first.content == "First paragraph.\n\nSecond & last."
    assert feed.entries[1].link is None


@pytest.mark.parametrize("link", ["http://[", "https://\uff1f/a", "urn:kjd:7"])
def test_an_unreadable_item_link_is_dropped_not_the_feed(link: str) -> None:
    items = [FeedItem(title="Odd link", link=link, summary="Text."), *ITEMS]
    feed = parse_feed(rss(items).encode(), url="https://news.test/feed")
    assert [entry.title for entry in feed.entries][:2] == ["Odd link", ITEMS[0].title]
    assert feed.entries[0].link is None


def test_malformed_xml_is_a_source_error() -> None:
    with pytest.raises(SourceError, match=r"not an RSS or Atom feed|malformed"):
        parse_feed(b"<rss><channel><item><title>broken", url="https://x.test/f")


def test_an_html_page_is_not_a_feed() -> None:
    page = b"<!doctype html><html><body><h1>Welcome</h1><p>Hello</p></body></html>"
    with pytest.raises(SourceError, match="not an RSS or Atom feed"):
        parse_feed(page, url="https://x.test/f", content_type="text/html")


def test_feedparser_never_reads_a_path_or_url_it_is_given_as_bytes(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text(rss([FeedItem(title="secret", link="https://x.test/s")]))
    with pytest.raises(SourceError):
        parse_feed(str(secret).encode(), url="https://x.test/f")


def test_html_to_text_keeps_paragraphs() -> None:
    assert html_to_text("<p>One &amp; two</p>\n<p>Three<br>four</p>") == (
        "One & two\n\nThree\n\nfour"
    )


# ---------------------------------------------------------------- the feed list


def test_the_packaged_list_is_valid_and_covers_the_region() -> None:
    specs = load_feed_list(None)
    outlets = {spec.outlet for spec in specs}
    for outlet in (
        "Korea JoongAng Daily",
        "The Korea Herald",
        "Yonhap News Agency",
        "The Japan Times",
        "Kyodo News",
        "The Diplomat",
    ):
        assert outlet in outlets
    assert {spec.kind for spec in specs} == {"editorial", "news"}
    assert {spec.type for spec in specs} == {"feed", "page"}
    assert all(spec.url.startswith("https://") and spec.language == "en" for spec in specs)
    assert len({spec.url for spec in specs}) == len(specs)
    assert tomllib.loads(packaged_feed_list())["feeds"]
    # Every source says whose voice it is: perspectives by country need it.
    assert all(spec.country for spec in specs)
    assert {"KR", "JP"} <= {spec.country for spec in specs}
    # The seed's own outlet has no working feed: it is read from its pages.
    [joongang] = [spec for spec in specs if spec.outlet == "Korea JoongAng Daily"]
    assert joongang.type == "page"


def test_every_curated_source_states_its_evidence() -> None:
    """Each [[feeds]] table is preceded by a comment saying who checked it and when."""
    lines = packaged_feed_list().splitlines()
    starts = [n for n, line in enumerate(lines) if line.strip() == "[[feeds]]"]
    assert len(starts) == len(load_feed_list(None))
    for start in starts:
        comments = []
        for line in reversed(lines[:start]):
            if not line.startswith("#"):
                break
            comments.append(line)
        url = lines[start + 1]
        assert any("Evidence:" in line for line in comments), url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'url = "https://x.test/s.xml"\ntype = "sitemap"\nmatch = "/opinion/"\ncountry = "kr"',
            ("sitemap", "/opinion/", "KR"),
        ),
        ('url = "https://x.test/section"\ntype = "page"', ("page", None, None)),
        ('url = "https://x.test/rss"', ("feed", None, None)),
    ],
)
def test_source_types_match_and_country(text: str, expected: tuple[object, ...]) -> None:
    [spec] = parse_feed_list("[[feeds]]\n" + text + "\n", origin="feeds file f.toml")
    assert (spec.type, spec.match, spec.country) == expected


def test_a_file_with_no_feeds_means_no_feeds(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text("# nothing here\n")
    assert load_feed_list(path) == []


def test_a_feeds_file_replaces_the_list(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text('[[feeds]]\nurl = "https://mine.test/rss"\nkind = "editorial"\n')
    [spec] = load_feed_list(path)
    assert (spec.url, spec.kind, spec.language, spec.outlet) == (
        "https://mine.test/rss",
        "editorial",
        "en",
        None,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[feeds]\nurl=1", "not valid TOML"),
        ('[[feeds]]\nname = "x"\n', "`url` is required"),
        ('[[feeds]]\nurl = "ftp://x.test/f"\n', "not an http"),
        ('[[feeds]]\nurl = "https://[x.test/f"\n', "not an http"),  # urlsplit refuses it
        ('[[feeds]]\nurl = "https://x.test/f"\nkind = "blog"\n', "`kind` must be one of"),
        ('[[feeds]]\nurl = "https://x.test/f"\ncolour = "red"\n', "unknown key"),
        ('feeds = "https://x.test/f"\n', "must be \\[\\[feeds\\]\\] tables"),
        ('[[feeds]]\nurl = "https://x.test/f"\ntype = "api"\n', "`type` must be one of"),
        ('[[feeds]]\nurl = "https://x.test/f"\nmatch = "/op/"\n', "`match` is for sitemap"),
        ('[[feeds]]\nurl = "https://x.test/f"\ncountry = "Korea"\n', "ISO 3166 alpha-2"),
        ('[[feeds]]\nurl = "https://x.test/f"\ncountry = "XX"\n', "ISO 3166 alpha-2"),
    ],
)
def test_bad_feed_lists_are_one_clear_line(text: str, message: str) -> None:
    with pytest.raises(BadInput, match=message) as info:
        parse_feed_list(text, origin="feeds file f.toml")
    assert "\n" not in str(info.value)


def test_a_missing_feeds_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        load_feed_list(tmp_path / "nope.toml")


# ---------------------------------------------------------------- files and demo


def test_text_file_with_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "piece.txt"
    path.write_text("A title line\n\nSome text about Seoul.\n")
    (tmp_path / "piece.toml").write_text(
        'outlet = "The Outlet"\nkind = "editorial"\npublished = 2025-06-18\n'
    )
    doc = load_file(path)
    assert doc.text is not None
    assert doc.html is None
    assert (doc.title, doc.outlet, doc.kind) == ("A title line", "The Outlet", "editorial")
    assert doc.published == datetime(2025, 6, 18, tzinfo=UTC)


def test_html_files_are_recognised(tmp_path: Path) -> None:
    for name in ("page.html", "page.txt"):
        path = tmp_path / name
        path.write_text("<!doctype html><html><body><p>Hi</p></body></html>")
        assert load_file(path).html is not None


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary")],
)
def test_unusable_files_are_source_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        load_file(path)


def test_a_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="is not a file"):
        load_file(tmp_path / "missing.txt")


def test_the_demo_corpus_is_the_seed_with_its_metadata(seed_path: Path) -> None:
    [doc] = list(demo_documents())
    assert doc.text == seed_path.read_text(encoding="utf-8")
    assert doc.outlet == "Korea JoongAng Daily"
    assert doc.kind == "editorial"
    assert doc.title == "Korea, Japan leaders meet ahead of 60th anniversary of diplomatic ties"
    assert doc.published is not None
    assert doc.published.date().isoformat() == "2025-06-19"
    assert doc.url is not None
    assert doc.url.startswith("https://koreajoongangdaily.joins.com/news/2025-06-19/")
    assert "June 17" in doc.text


# ---------------------------------------------------------------- URL normalization


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM:443/a/b/", "https://example.com/a/b"),
        ("http://example.com:80/a?utm_source=rss&utm_medium=x", "http://example.com/a"),
        ("https://example.com/a?b=2&a=1&fbclid=zz&gclid=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a?id=7", "https://example.com/a?id=7"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


@pytest.mark.parametrize("url", ["http://[", "//[", "https://\uff1f/"])
def test_addresses_urlsplit_refuses_are_read_without_raising(url: str) -> None:
    assert split_url(url) is None
    assert url_host(url) is None
    assert normalize_url(url) == url  # its own key: still equal to itself


def test_a_bad_port_does_not_hide_the_host() -> None:
    assert url_host("http://www.a.test:99999999/x") == "a.test"
    assert normalize_url("http://a.test:99999999/x") == "http://a.test/x"
