"""`briefbot brief`, `topics`, `subscribe`, `subscriptions`, `unsubscribe`, end to end.

Driven through ``bot.cli.main`` (the console script) against a real store named by
``BRIEFBOT_DATABASE_URL`` (SQLite file and PostgreSQL), plus one real subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from bot.store import NewArticle, Store
from bot.topics import TopicRegistry
from tests.support.cli import one_clear_line, run


@pytest.fixture
def stored(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The store the CLI will open, with three pieces tagged by the real tagger."""
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", database_url)
    registry = TopicRegistry.default()
    now = datetime.now(UTC)
    pieces = [
        (
            "Seoul and Tokyo agree to resume shuttle diplomacy",
            "South Korea and Japan agreed to resume shuttle diplomacy. Korean and Japanese "
            "leaders will meet in Tokyo. Seoul wants Japan to keep its word on the Sado mine.",
            "Korea Herald",
            now - timedelta(days=1),
        ),
        (
            "Japan and Korea coast guards hold a joint drill",
            "Japanese and Korean coast guard ships trained together off Busan. Japan sent two "
            "ships; Korea sent three. Officials in Seoul and Tokyo praised the drill.",
            "Japan Times",
            now - timedelta(days=10),
        ),
        (
            "Brazil's harvest breaks a record",
            "Brazil harvested more soy than ever. Brazilian farmers exported to China.",
            "Wire",
            now - timedelta(hours=2),
        ),
    ]
    with Store.open(database_url) as store:
        for title, text, outlet, published in pieces:
            store.add_article(
                NewArticle(
                    title=title,
                    text=text,
                    bullets=(f"{title}.", "A second point."),
                    outlet=outlet,
                    url=f"https://news.example/{outlet.replace(' ', '-').lower()}",
                    published_at=published,
                    mentions=registry.tag(title, text),
                )
            )
    return database_url


def test_brief_text_json_and_markdown(stored: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "brief", "korea-japan")
    assert code == 0, err
    assert out.startswith("Korea – Japan (korea-japan) · 2 stories · generated ")
    assert "1. Seoul and Tokyo agree to resume shuttle diplomacy\n   Korea Herald · " in out
    assert "   https://news.example/korea-herald\n" in out
    assert "   - Seoul and Tokyo agree to resume shuttle diplomacy.\n" in out
    assert "2. Japan and Korea coast guards hold a joint drill" in out
    assert "Brazil" not in out

    code, out, _ = run(capsys, "brief", "Japan Korea", "--format", "json", "--count", "1")
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {"topic", "generated_at", "items"}
    assert payload["topic"] == {"slug": "korea-japan", "title": "Korea – Japan"}
    datetime.fromisoformat(payload["generated_at"])
    (item,) = payload["items"]
    assert set(item) == {
        "title",
        "url",
        "source",
        "published",
        "bullets",
        "kind",
        "story_id",
        "sources",
        "perspectives",
        "update",
    }
    assert item["kind"] == "news"
    assert item["sources"] == [
        {"source": "Korea Herald", "url": "https://news.example/korea-herald", "country": None}
    ]
    assert item["perspectives"] == []
    assert item["update"] is False
    assert item["title"] == "Seoul and Tokyo agree to resume shuttle diplomacy"
    assert item["source"] == "Korea Herald"
    assert item["url"] == "https://news.example/korea-herald"
    assert datetime.fromisoformat(item["published"]).tzinfo is not None
    assert item["bullets"] == [
        "Seoul and Tokyo agree to resume shuttle diplomacy.",
        "A second point.",
    ]

    code, out, _ = run(capsys, "brief", "KR-JP", "--format", "markdown", "--since", "7d")
    assert code == 0
    assert out.startswith("## Korea – Japan\n")
    assert "### 1. [Seoul and Tokyo agree to resume shuttle diplomacy](<https://" in out
    assert "coast guards" not in out  # ten days old: outside --since 7d


def test_brief_with_nothing_to_say(stored: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "brief", "india-pakistan")
    assert code == 0
    assert out.splitlines()[-1] == "No recent pieces on india-pakistan yet."
    assert "briefbot ingest" not in err  # the store has articles, just none on this
    code, out, _ = run(capsys, "brief", "korea-japan", "--since", "90m", "--format", "json")
    assert code == 0
    assert json.loads(out)["items"] == []


def test_brief_on_an_empty_store_says_how_to_fill_it(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", database_url)
    code, out, err = run(capsys, "brief", "korea-japan")
    assert code == 0
    assert out.splitlines()[-1] == "No recent pieces on korea-japan yet."
    hint = "run `briefbot ingest` (or see a sample briefing: `briefbot brief korea-japan --demo`)"
    assert hint in err
    # the sample is about Korea and Japan: it used to be suggested for india-pakistan too,
    # where it briefs nothing
    code, _, err = run(capsys, "brief", "india-pakistan")
    assert code == 0
    assert hint in err
    assert "india-pakistan --demo" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("brief", "korea-japn"), "Unknown topic 'korea-japn'; closest: korea-japan"),
        (("brief", "korea-japan", "--count", "0"), "from 1 to 10"),
        (("brief", "korea-japan", "--count", "11"), "from 1 to 10"),
        (("brief", "korea-japan", "--since", "soon"), "90m, 36h, 7d, 2w or 1y"),
        (("brief", "korea-japan", "--format", "pdf"), "--format"),
        (("brief",), "TOPIC"),
    ],
)
def test_brief_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in one_clear_line(err)


def test_topics(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "topics")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Curated topics:"
    assert lines[1].split()[:4] == ["korea-japan", "Korea", "–", "Japan"]
    assert "north-korea" in out
    assert "Any country or pair of countries works too" in out
    assert len(lines) < 30  # the curated list and a note, not every pair
    code, out, _ = run(capsys, "topics", "--format", "json")
    payload = json.loads(out)
    assert payload["topics"][0]["slug"] == "korea-japan"
    assert payload["topics"][0]["countries"] == ["KR", "JP"]
    assert {"slug", "title", "countries", "description", "curated"} <= set(payload["topics"][0])
    assert "Any country" in payload["note"]


def test_subscription_commands_round_trip(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", database_url)
    monkeypatch.setenv("BRIEFBOT_TIMEZONE", "Asia/Seoul")
    code, out, err = run(
        capsys,
        "subscribe",
        "--platform", "slack",
        "--channel", "C0123",
        "--workspace", "T1",
        "--topic", "japan korea",
        "--at", "8:00",
        "--days", "weekdays",
    )  # fmt: skip
    assert code == 0, err
    first = int(out.strip())
    assert "korea-japan: 08:00 Asia/Seoul weekdays" in err
    code, out, _ = run(
        capsys,
        "subscribe",
        "--platform", "discord",
        "--channel", "300000000000000042",
        "--topic", "north-korea",
        "--cron", "0 9 * * 1",
        "--tz", "Europe/London",
        "--quiet",
    )  # fmt: skip
    assert code == 0
    second = int(out.strip())
    assert second != first

    code, out, _ = run(capsys, "subscriptions")
    lines = out.splitlines()
    assert lines[0].split() == [
        "ID",
        "PLATFORM",
        "WORKSPACE",
        "CHANNEL",
        "TOPIC",
        "SCHEDULE",
        "NEXT",
        "RUN",
        "LAST",
        "DELIVERY",
        "STATUS",
    ]
    assert lines[1].split()[:5] == [str(first), "slack", "T1", "C0123", "korea-japan"]
    assert "08:00 Asia/Seoul weekdays" in lines[1]
    assert "cron `0 9 * * 1` (Europe/London) quiet" in lines[2]

    code, out, _ = run(capsys, "subscriptions", "--format", "json")
    subs = json.loads(out)
    assert [s["id"] for s in subs] == [first, second]
    assert subs[0]["schedule"]["days"] == [1, 2, 3, 4, 5]
    assert subs[0]["topic"] == {"slug": "korea-japan", "title": "Korea – Japan"}
    assert subs[1]["quiet"] is True

    code, out, _ = run(capsys, "unsubscribe", str(first))
    assert code == 0
    assert out.strip() == f"Removed subscription {first} (korea-japan, 08:00 Asia/Seoul weekdays)."
    code, _, err = run(capsys, "unsubscribe", str(first))
    assert code == 2
    assert f"no subscription {first}" in one_clear_line(err)
    code, out, _ = run(capsys, "subscriptions", "--format", "json")
    assert [s["id"] for s in json.loads(out)] == [second]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--topic", "korea-japn", "--at", "08:00"), "closest: korea-japan"),
        (("--topic", "korea-japan", "--at", "25:00"), "HH:MM"),
        (("--topic", "korea-japan", "--at", "08:00", "--tz", "Asia/Seol"), "Asia/Seoul"),
        (("--topic", "korea-japan", "--at", "08:00", "--days", "someday"), "weekdays"),
        (("--topic", "korea-japan", "--cron", "0 8 * *"), "needs 5 fields"),
        (("--topic", "korea-japan"), "Say when"),
        (("--topic", "korea-japan", "--at", "08:00", "--cron", "0 8 * * *"), "not both"),
    ],
)
def test_subscribe_validation_is_one_line_exit_2(
    tmp_path: object, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, "subscribe", "--platform", "slack", "--channel", "C1", *extra)
    assert code == 2
    assert out == ""
    assert message in one_clear_line(err)
    code, out, _ = run(capsys, "subscriptions", "--format", "json")
    assert json.loads(out) == []  # nothing stored


def test_console_script_exit_code_without_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "brief", "korea-japn"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip() == (
        "briefbot: Unknown topic 'korea-japn'; closest: korea-japan, korea-us, korea."
    )
