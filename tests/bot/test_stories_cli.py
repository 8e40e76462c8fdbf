"""`briefbot stories` and story briefings through the CLI: real ingest of a multi-outlet
story from local feeds (Korean and Japanese outlets), then what a reader sees."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.bot.test_story_grouping import HERALD_FOLLOW_UP, KYODO, OTHER_EVENT, YONHAP
from tests.support.cli import run
from tests.support.content import FeedItem, article_page, rss
from tests.support.web import LocalWeb

RSS = "application/rss+xml"


@pytest.fixture
def ingested(
    local_web: LocalWeb,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> datetime:
    """Yonhap (KR) and the Korea Herald (KR) and Kyodo (JP) feeds, ingested by the CLI."""
    now = datetime.now(UTC).replace(microsecond=0)
    feeds = []
    for name, country, pieces in (
        ("yonhap", "KR", [(YONHAP, now - timedelta(hours=10)), (OTHER_EVENT, now)]),
        ("kyodo", "JP", [(KYODO, now - timedelta(hours=8))]),
        ("herald", "KR", [(HERALD_FOLLOW_UP, now - timedelta(hours=2))]),
    ):
        items = []
        for n, ((title, text), when) in enumerate(pieces):
            url = local_web.add(
                f"/{name}/{n}", article_page(title, text, outlet=name, chrome=False)
            )
            items.append(FeedItem(title=title, link=url, guid=f"{name}-{n}", published=when))
        feed = local_web.add(f"/{name}/rss", rss(items, title=name), content_type=RSS)
        feeds.append(
            f'[[feeds]]\nurl = "{feed}"\noutlet = "{name.title()}"\ncountry = "{country}"\n'
        )
    feeds_file = tmp_path / "feeds.toml"
    feeds_file.write_text("".join(feeds))
    monkeypatch.setenv("BRIEFBOT_FEEDS_FILE", str(feeds_file))
    code, _out, err = run(capsys, "ingest")
    assert code == 0, err
    return now


def test_stories_lists_the_grouped_event_with_every_article(
    ingested: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "stories", "--format", "json")
    assert code == 0, err
    listed = json.loads(out)
    datetime.fromisoformat(listed["generated_at"])
    stories = listed["stories"]
    assert len(stories) == 2
    summit = next(s for s in stories if len(s["articles"]) == 3)
    assert set(summit) == {
        "id",
        "title",
        "first_seen",
        "last_seen",
        "outlets",
        "bullets",
        "perspectives",
        "articles",
    }
    assert summit["outlets"] == 3
    assert {a["source"]: a["country"] for a in summit["articles"]} == {
        "Yonhap": "KR",
        "Kyodo": "JP",
        "Herald": "KR",
    }
    assert all(a["kind"] == "news" and a["url"] for a in summit["articles"])
    assert 3 <= len(summit["bullets"]) <= 5
    assert datetime.fromisoformat(summit["first_seen"]) < datetime.fromisoformat(
        summit["last_seen"]
    )
    # The most recently updated first; the id is stable between calls.
    code, again, _ = run(capsys, "stories", "--format", "json")
    assert [s["id"] for s in json.loads(again)["stories"]] == [s["id"] for s in stories]

    code, out, _ = run(capsys, "stories", "korea-japan", "--limit", "1")
    assert code == 0
    assert out.startswith("1 story on Korea – Japan (korea-japan)")
    assert "* Kyodo (JP):" in out

    code, out, _ = run(capsys, "stories", "--since", "1h", "--format", "json")
    assert [len(s["articles"]) for s in json.loads(out)["stories"]] == [1]  # only today's other


def test_a_briefing_shows_the_story_once_with_who_covered_it(
    ingested: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "brief", "korea-japan", "--format", "json")
    assert code == 0, err
    (item,) = json.loads(out)["items"]
    assert set(item) >= {
        "title",
        "url",
        "source",
        "published",
        "bullets",
        "story_id",
        "kind",
        "sources",
        "perspectives",
    }
    assert len(item["sources"]) == 3
    assert {s["country"] for s in item["sources"]} == {"KR", "JP"}
    labels = [p["label"] for p in item["perspectives"]]
    assert labels[:2] == ["Korean outlets", "Japanese outlets"]
    lines = [line for p in item["perspectives"] for line in p["bullets"]]
    assert not set(lines) & set(item["bullets"]), lines  # a side's line is never a bullet again
    code, out, _ = run(capsys, "brief", "korea-japan")
    assert "2 Korean, 1 Japanese outlets" in out
    assert "> Korean outlets: " in out
    assert "> Japanese outlets: " in out


def test_unknown_topic_and_bad_limit_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "stories", "korea-japn")
    assert code == 2
    assert "korea-japan" in err
    code, _out, err = run(capsys, "stories", "--limit", "-1")
    assert code == 2
    code, out, _ = run(capsys, "stories")
    assert code == 0
    assert "No stories in that window yet." in out


JAPAN_TIMES_EDITORIAL = (
    "Tokyo and Seoul must make shuttle diplomacy last this time",
    "The first summit between Prime Minister Shigeru Ishiba and President Lee Jae Myung in "
    "Kananaskis, Canada, on the sidelines of the G7 meeting was a welcome start.\n\n"
    "Both leaders agreed to resume shuttle diplomacy, and both promised to look to the future "
    "rather than the past. Such promises have been made before, and they have not lasted.\n\n"
    "Tokyo should not treat the thaw as a favor to Seoul. Japan needs a stable partner on "
    "North Korea and on supply chains as much as Korea does.\n\n"
    "The two governments must now build habits that survive a change of leader: regular "
    "visits, working-level talks and exchanges that do not depend on the mood of the day.",
)


def test_an_editorial_joins_the_story_as_opinion_not_as_facts(
    local_web: LocalWeb,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    feeds = []
    for name, country, path, (title, text), hours in (
        ("yonhap", "KR", "/yonhap/news/1", YONHAP, 10),
        ("kyodo", "JP", "/kyodo/news/1", KYODO, 8),
        ("japantimes", "JP", "/japantimes/opinion/editorials/1", JAPAN_TIMES_EDITORIAL, 4),
    ):
        url = local_web.add(path, article_page(title, text, outlet=name, chrome=False))
        item = FeedItem(title=title, link=url, guid=path, published=now - timedelta(hours=hours))
        feed = local_web.add(f"/{name}/rss", rss([item], title=name), content_type=RSS)
        feeds.append(
            f'[[feeds]]\nurl = "{feed}"\noutlet = "{name.title()}"\ncountry = "{country}"\n'
        )
    feeds_file = tmp_path / "feeds.toml"
    feeds_file.write_text("".join(feeds))
    monkeypatch.setenv("BRIEFBOT_FEEDS_FILE", str(feeds_file))
    assert run(capsys, "ingest")[0] == 0

    code, out, _ = run(capsys, "stories", "--format", "json")
    assert code == 0
    [story] = json.loads(out)["stories"]
    kinds = {a["source"]: a["kind"] for a in story["articles"]}
    assert kinds == {"Yonhap": "news", "Kyodo": "news", "Japantimes": "editorial"}
    editorial_text = JAPAN_TIMES_EDITORIAL[1]
    # its claim is an opinion line, never a fact bullet
    assert all(bullet not in editorial_text for bullet in story["bullets"])
    [opinion] = [p for p in story["perspectives"] if p["label"].startswith("Opinion")]
    assert opinion["label"] == "Opinion, Japantimes"
    [claim] = opinion["bullets"]
    assert claim.rstrip("…") in editorial_text.replace("\n\n", " ")

    code, out, _ = run(capsys, "brief", "korea-japan", "--format", "json")
    assert code == 0
    (item,) = json.loads(out)["items"]
    assert item["kind"] == "news"  # headed by its most central report
    assert "Opinion, Japantimes" in [p["label"] for p in item["perspectives"]]
    code, out, _ = run(capsys, "brief", "korea-japan")
    assert code == 0
    assert "> Opinion, Japantimes: " in out
