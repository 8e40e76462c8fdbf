"""`briefbot ingest` and `briefbot feeds` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.support.content import FeedItem, article_page, rss
from tests.support.web import LocalWeb


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def seed_feed(web: LocalWeb, seed_path: Path, *, suffix: str = "") -> str:
    """A feed of one item, the seed editorial's page (both at paths ending ``suffix``)."""
    page = web.add(
        f"/ed/1{suffix}", article_page("Leaders meet", seed_path.read_text(encoding="utf-8"))
    )
    return web.add(
        f"/rss{suffix}",
        rss([FeedItem(title="Leaders meet", link=page, guid=f"1{suffix}")]),
        content_type="application/rss+xml",
    )


@pytest.fixture(autouse=True)
def _database(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", database_url)


def test_ingest_demo_then_again(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["ingest", "--demo"], capsys)
    assert code == 0
    assert out.splitlines()[0].startswith("added")
    assert "Korea, Japan leaders meet" in out
    assert out.splitlines()[-1] == "1 added, 0 duplicate, 0 syndicated, 0 failed."
    code, out, _err = run(["ingest", "--demo"], capsys)
    assert code == 0
    assert out.splitlines()[-1] == "0 added, 1 duplicate, 0 syndicated, 0 failed."


def test_ingest_feed_and_file_as_json(
    local_web: LocalWeb, capsys: pytest.CaptureFixture[str], seed_path: Path, tmp_path: Path
) -> None:
    feed = seed_feed(local_web, seed_path)
    broken = local_web.add("/broken", "", status=500)
    text = tmp_path / "note.txt"
    text.write_text(
        "Japan and the Philippines sign a defence pact\n\n"
        + "Japan and the Philippines signed a reciprocal access agreement in Manila on Monday, "
        "letting their forces train on each other's soil. The pact is Japan's first such "
        "agreement in Asia. Officials said it would deter coercion in the South China Sea. "
        "China's foreign ministry criticised the deal and warned against forming blocs.\n"
    )
    code, out, err = run(
        ["ingest", "--feed", feed, "--feed", broken, "--file", str(text), "--format", "json"],
        capsys,
    )
    assert code == 0
    report = json.loads(out)
    assert (report["added"], report["failed"]) == (2, 1)
    assert {f["url"]: f["status"] for f in report["feeds"]} == {feed: "ok", broken: "failed"}
    assert "Traceback" not in err


def test_ingest_missing_file_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["ingest", "--file", "/no/such/file.txt"], capsys)
    assert code == 2
    assert out == ""
    assert err.strip() == "briefbot: No such file: /no/such/file.txt."


@pytest.mark.parametrize("url", ["http://[bad", "ftp://x.test/feed"])
def test_ingest_a_bad_feed_url_is_one_line_exit_2(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["ingest", "--feed", url], capsys)
    assert code == 2
    assert out == ""
    assert err.strip() == f"briefbot: `{url}` is not an http(s) feed URL."


def test_ingest_with_a_bad_feeds_file_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bad = tmp_path / "feeds.toml"
    bad.write_text("[[feeds]\nurl = 'x'")
    monkeypatch.setenv("BRIEFBOT_FEEDS_FILE", str(bad))
    code, _out, err = run(["ingest"], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "is not valid TOML" in err


@pytest.mark.parametrize(
    ("body", "content_type", "status", "reason"),
    [
        ("", "text/plain", 404, "HTTP 404 Not Found"),
        ("<html><body><p>Not a feed.</p></body></html>", "text/html", 200, "not an RSS or Atom"),
        (
            '<?xml version="1.0"?><rss><channel><title>x</title><item><title>A',
            "application/rss+xml",
            200,
            "malformed feed XML",
        ),
        ("\x00\x01\x02binary\xff", "application/xml", 200, "not an RSS or Atom"),
        ("", "application/rss+xml", 200, "not an RSS or Atom"),
    ],
    ids=["404", "html", "malformed", "binary", "empty"],
)
def test_a_given_feed_that_fails_is_bad_input_exit_2_never_1(
    local_web: LocalWeb,
    capsys: pytest.CaptureFixture[str],
    body: str,
    content_type: str,
    status: int,
    reason: str,
) -> None:
    url = local_web.add("/feed", body, status=status, content_type=content_type)
    code, out, err = run(["ingest", "--feed", url], capsys)
    assert code == 2
    assert f"failed      {url}: {reason}" in out  # the report says which and why
    assert err.splitlines()[-1] == (
        "briefbot: nothing was ingested: 1 failed, each with its reason above (is the URL a feed?)"
    )
    assert "Traceback" not in err


def test_the_configured_list_failing_as_a_whole_is_a_reported_failure_exit_3(
    local_web: LocalWeb,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    down = local_web.add("/down", "", status=503)
    gone = local_web.add("/gone", "", status=410)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nurl = "{down}"\n\n[[feeds]]\nurl = "{gone}"\n', "utf-8")
    monkeypatch.setenv("BRIEFBOT_FEEDS_FILE", str(feeds))
    code, out, err = run(["ingest"], capsys)
    assert code == 3
    assert f"failed      {down}: HTTP 503" in out
    assert err.splitlines()[-1].startswith("briefbot: nothing was ingested: 2 failed")


def test_feeds_lists_the_curated_list_and_health(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["feeds", "--format", "json"], capsys)
    assert code == 0
    listed = json.loads(out)
    assert {"The Korea Herald", "The Japan Times", "The Diplomat"} <= {f["outlet"] for f in listed}
    assert {f["status"] for f in listed} == {"new"}
    code, out, _err = run(["feeds"], capsys)
    assert code == 0
    assert "Korea JoongAng Daily" in out
    assert "last success never" in out


def test_feeds_with_an_empty_feeds_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "feeds.toml"
    empty.write_text("")
    monkeypatch.setenv("BRIEFBOT_FEEDS_FILE", str(empty))
    code, out, _err = run(["feeds"], capsys)
    assert code == 0
    assert out.strip().startswith("No feeds configured")


def test_a_feed_given_once_is_not_left_in_feeds_as_disabled(
    local_web: LocalWeb,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    seed_path: Path,
) -> None:
    feed = seed_feed(local_web, seed_path)
    listed = tmp_path / "feeds.toml"
    listed.write_text("# no sources yet\n", "utf-8")
    monkeypatch.setenv("BRIEFBOT_FEEDS_FILE", str(listed))
    code, out, _ = run(["ingest", "--feed", feed], capsys)
    assert code == 0
    assert out.splitlines()[-1].startswith("1 added")
    run(["ingest"], capsys)  # a poll of the configured list (it used to retire the feed)
    code, out, _ = run(["feeds", "--format", "json"], capsys)
    assert code == 0
    assert json.loads(out) == []  # not "disabled: no longer in the feed list", for good
    code, out, _ = run(["ingest", "--feed", feed], capsys)  # still read when named
    assert code == 0
    assert out.splitlines()[-1] == "0 added, 0 duplicate, 0 syndicated, 0 failed."
    # listed later, it is a source like any other
    listed.write_text(f'[[feeds]]\nurl = "{feed}"\n', "utf-8")
    run(["ingest"], capsys)
    code, out, _ = run(["feeds", "--format", "json"], capsys)
    (row,) = json.loads(out)
    assert row["url"] == feed
    assert row["disabled_reason"] is None
    assert row["articles"] == 1


def test_ingest_shows_progress_on_stderr_and_quiet_silences_it(
    local_web: LocalWeb, capsys: pytest.CaptureFixture[str], seed_path: Path
) -> None:
    page = local_web.add(
        "/ed/1", article_page("Leaders meet", seed_path.read_text(encoding="utf-8"))
    )
    gone = local_web.add("/ed/2", "", status=404)
    items = [
        FeedItem(title="Leaders meet", link=page, guid="1"),
        FeedItem(title="Gone", link=gone, guid="2"),
    ]
    feed = local_web.add("/rss", rss(items), content_type="application/rss+xml")
    code, out, err = run(["ingest", "--feed", feed], capsys)
    assert code == 0
    # not a terminal: one plain line per source as it finishes, with what its entries became
    assert err.splitlines() == [
        f"feed ok: {feed} (2 entries, 2 new: 1 added, 1 failed, 0 left for later)"
    ]
    assert out.splitlines()[-1] == "1 added, 0 duplicate, 0 syndicated, 1 failed."
    # the same article at a second address, in a second feed: a duplicate
    other = seed_feed(local_web, seed_path, suffix="-copy")
    code, out, err = run(["ingest", "--quiet", "--feed", other], capsys)
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[-1] == "0 added, 1 duplicate, 0 syndicated, 0 failed."
    # where "duplicate" is printed, what it means is said
    assert lines[-2].startswith("(duplicate: already stored, found by its address or its text;")


def test_on_a_terminal_ingest_draws_a_progress_bar(
    local_web: LocalWeb, seed_path: Path, database_url: str
) -> None:
    import os
    import pty
    import subprocess
    import sys

    feed = seed_feed(local_web, seed_path)
    leader, follower = pty.openpty()  # stderr is a terminal, as a person's would be
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "ingest", "--feed", feed],
            stdout=subprocess.PIPE,
            stderr=follower,
            env={**os.environ, "BRIEFBOT_DATABASE_URL": database_url, "COLUMNS": "100"},
            timeout=60,
            check=False,
        )
        os.close(follower)
        drawn = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: all of it was read
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0
    assert done.stdout.decode().splitlines()[-1] == "1 added, 0 duplicate, 0 syndicated, 0 failed."
    screen = drawn.decode("utf-8", "replace")
    assert "sources" in screen
    assert "1/1" in screen
    assert "1 added" in screen
