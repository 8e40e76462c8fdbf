"""`briefbot feeds` (read only) and `briefbot feeds check` against local servers serving
good, stale, empty, dateless and broken sources."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.bot.test_ingest_backlog import story
from tests.support.cli import run
from tests.support.content import FeedItem, article_page, rss
from tests.support.web import LocalWeb

RSS = "application/rss+xml; charset=utf-8"
NOW = datetime.now(UTC)
TEXT = "Seoul and Tokyo agreed on Monday to resume talks on export controls and supply chains."


def use_list(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, toml: str) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(toml)
    monkeypatch.setenv("BRIEFBOT_FEEDS_FILE", str(path))


def item(n: int, *, age: timedelta | None, text: str | None = TEXT) -> FeedItem:
    return FeedItem(
        title=f"Item {n}",
        link=f"https://news.test/a/{n}",
        guid=f"g{n}",
        summary=text,
        published=NOW - age if age is not None else None,
    )


def serve_sources(web: LocalWeb) -> dict[str, str]:
    good = web.add(
        "/good", rss([item(n, age=timedelta(hours=n + 2)) for n in range(5)]), content_type=RSS
    )
    stale = web.add(
        "/stale", rss([item(n, age=timedelta(days=20 + n)) for n in range(3)]), content_type=RSS
    )
    empty = web.add("/empty", rss([]), content_type=RSS)
    dateless = web.add(
        "/dateless", rss([item(n, age=None, text=None) for n in range(4)]), content_type=RSS
    )
    broken = web.add("/broken", "<rss><channel><item><title>half", content_type=RSS)
    missing = web.add("/missing", "", status=404)
    home = web.add(
        "/home",
        '<html><head><link rel="alternate" type="application/rss+xml" href="/good"></head>'
        "<body><p>Welcome</p></body></html>",
    )
    title, text = story(7)
    article = web.add(
        "/news/2026/opinion/editorials/seven",
        article_page(title, text, published=NOW - timedelta(hours=5), chrome=False),
    )
    section = web.add(
        "/section/opinion",
        "<html><body><nav><a href='/about'>About</a></nav>"
        f"<a href='{article}'>{title}</a></body></html>",
    )
    return {
        "good": good,
        "stale": stale,
        "empty": empty,
        "dateless": dateless,
        "broken": broken,
        "missing": missing,
        "home": home,
        "section": section,
    }


def test_feeds_check_reports_every_source_and_exits_3_when_any_fails(
    local_web: LocalWeb,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    urls = serve_sources(local_web)
    toml = "".join(
        f'[[feeds]]\nurl = "{url}"\nname = "{name}"\n'
        + ('type = "page"\n' if name == "section" else "")
        for name, url in urls.items()
    )
    use_list(monkeypatch, tmp_path, toml)
    code, out, err = run(capsys, "feeds", "check", "--format", "json")
    assert code == 3, err
    checks = {c["name"]: c for c in json.loads(out)}
    good = checks["good"]
    assert good["ok"] is True
    assert (good["reachable"], good["parses"], good["items"]) == (True, True, 5)
    assert (good["items_with_dates"], good["items_with_text"]) == (5, 5)
    assert 1.9 < good["newest_age_hours"] < 2.5
    assert "stale" in checks["stale"]["problem"]
    assert checks["stale"]["newest_age_hours"] > 24 * 19
    assert checks["empty"]["problem"] == "lists no items"
    assert checks["dateless"]["problem"] == "no item carries a date"
    assert (checks["dateless"]["items"], checks["dateless"]["items_with_text"]) == (4, 0)
    assert checks["broken"]["reachable"] is True
    assert checks["broken"]["parses"] is False
    assert "malformed feed XML" in checks["broken"]["problem"]
    assert checks["missing"]["reachable"] is False
    assert "HTTP 404" in checks["missing"]["problem"]
    # A feed address that serves a web page: the feeds the page advertises are suggested.
    assert checks["home"]["notes"] == [f"the page advertises: {urls['good']}"]
    section = checks["section"]
    assert section["ok"] is True, section
    assert (section["items"], section["pages_sampled"], section["items_with_dates"]) == (1, 1, 1)
    assert local_web.hits("/about") == 0

    code, out, _err = run(capsys, "feeds", "check")
    assert code == 3
    assert "pass  feed     good" in out
    assert "FAIL  feed     stale" in out
    assert out.strip().endswith("2 source(s) pass, 6 fail.")


def test_feeds_check_passes_with_exit_0_when_all_work(
    local_web: LocalWeb,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    urls = serve_sources(local_web)
    use_list(monkeypatch, tmp_path, f'[[feeds]]\nurl = "{urls["good"]}"\n')
    code, out, _err = run(capsys, "feeds", "check")
    assert code == 0
    assert "1 source(s) pass, 0 fail." in out
    # A check is not a poll: nothing was written.
    code, out, _err = run(capsys, "feeds", "--format", "json")
    [row] = json.loads(out)
    assert (row["status"], row["last_attempt"]) == ("new", None)


def test_feeds_only_reads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    use_list(monkeypatch, tmp_path, '[[feeds]]\nurl = "https://a.test/rss"\ncountry = "JP"\n')
    code, out, _err = run(capsys, "feeds", "--format", "json")
    assert code == 0
    [row] = json.loads(out)
    assert (row["status"], row["country"], row["type"], row["id"]) == ("new", "JP", "feed", None)
    # Listing changed nothing: the store has no feed rows (a poll would have added one).
    from bot.settings import Settings
    from bot.store import Store

    with Store.open(Settings().resolved_database_url) as store:
        assert store.feeds() == []
