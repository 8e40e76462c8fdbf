"""Settings that only the composition root reads, followed from the environment to the part
they configure (through ``bot.app.start``, the code `briefbot run` uses), and their bad
values refused in one line through the real entry point."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import Core, Runtime, start, stop
from bot.models import ChannelRef
from bot.settings import Settings
from tests.support.cli import one_clear_line, run

# -- BRIEFBOT_DISCORD_POSTS_PER_SECOND -------------------------------------------------------


@contextlib.asynccontextmanager
async def started(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AsyncIterator[Runtime]:
    """`briefbot run`'s parts started as `run` starts them, from the environment the test
    set (no chat adapter configured: nothing leaves 127.0.0.1); stopped on exit."""
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("# no feeds: nothing to poll\n", "utf-8")
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'run.sqlite3'}")
    monkeypatch.setenv("BRIEFBOT_FEEDS_FILE", str(feeds))
    monkeypatch.setenv("BRIEFBOT_HTTP_HOST", "127.0.0.1")
    monkeypatch.setenv("BRIEFBOT_HTTP_PORT", "0")
    core = await asyncio.to_thread(Core.build, Settings())
    runtime = Runtime(core=core)
    try:
        await start(runtime)
        yield runtime
    finally:
        await stop(runtime)
        core.close()


def booked(runtime: Runtime, channels: list[ChannelRef]) -> tuple[list[float], float]:
    """The turns the running scheduler's pacer books for one post to each channel, in order,
    and how long booking them took on the loop's clock (a turn is never booked earlier than
    the budget allows, and later only by the time that passed)."""
    pacer = runtime.scheduler.pacer  # the scheduler's own pacer, as `run` built it
    loop = asyncio.get_running_loop()
    began = loop.time()
    turns = [pacer.reserve(channel) for channel in channels]
    return turns, loop.time() - began


@pytest.mark.parametrize(
    ("value", "per_second"),
    [(None, 50.0), ("0.5", 0.5), ("12.5", 12.5)],
)
async def test_the_discord_budget_setting_paces_the_schedulers_discord_posts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str | None, per_second: float
) -> None:
    if value is not None:
        monkeypatch.setenv("BRIEFBOT_DISCORD_POSTS_PER_SECOND", value)
    posts = 20
    async with started(monkeypatch, tmp_path) as runtime:
        channels = [ChannelRef("discord", str(300 + n), "200") for n in range(posts)]
        turns, took = booked(runtime, channels)
        span = turns[-1] - turns[0]
        interval = 1.0 / per_second  # one global budget, whatever the channel
        assert (posts - 1) * interval - 1e-9 <= span <= (posts - 1) * interval + took + 1e-9

        # Slack keeps its default: one post a second per channel, no global budget.
        c1, c2 = ChannelRef("slack", "C1", "T1"), ChannelRef("slack", "C2", "T1")
        (first, second, other), took = booked(runtime, [c1, c1, c2])
        assert first + 1.0 - 1e-9 <= second <= first + 1.0 + took + 1e-9
        assert other <= first + took + 1e-9  # another channel: at once


@pytest.mark.parametrize("value", ["0", "-1", "60", "abc", "nan", "inf"])
def test_a_bad_discord_budget_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    monkeypatch.setenv("BRIEFBOT_DISCORD_POSTS_PER_SECOND", value)
    code, out, err = run(capsys, "brief", "korea-japan", "--demo")
    assert code == 2
    assert out == ""
    line = one_clear_line(err)
    assert line.startswith("briefbot: bad setting BRIEFBOT_DISCORD_POSTS_PER_SECOND: ")


# -- DISCORD_SHARD_COUNT, DISCORD_SHARD_IDS --------------------------------------------------


@pytest.mark.parametrize(
    ("count", "ids", "shard_ids"),
    [
        (None, None, None),  # not sharded
        ("", "", None),  # blank lines in .env: unset
        ("4", None, None),  # every shard of four in this process
        ("12", "0-3", (0, 1, 2, 3)),
        ("12", "4,5,6,7", (4, 5, 6, 7)),
        ("12", " 8-10 , 11 ", (8, 9, 10, 11)),
        ("2", "1", (1,)),
    ],
)
def test_shard_settings_read_as_a_count_and_this_processs_ids(
    monkeypatch: pytest.MonkeyPatch, count: str | None, ids: str | None, shard_ids: object
) -> None:
    for name, value in (("DISCORD_SHARD_COUNT", count), ("DISCORD_SHARD_IDS", ids)):
        if value is not None:
            monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.discord_shard_count == (int(count) if count else None)
    assert settings.shard_ids == shard_ids


@pytest.mark.parametrize(
    ("count", "ids", "says"),
    [
        ("0", None, "DISCORD_SHARD_COUNT: must be at least 1"),
        ("-1", None, "DISCORD_SHARD_COUNT: must be at least 1"),
        ("two", None, "DISCORD_SHARD_COUNT: takes a whole number"),
        (None, "0-3", "DISCORD_SHARD_IDS: needs DISCORD_SHARD_COUNT"),
        ("4", "0-4", "DISCORD_SHARD_IDS: shard 4 is out of range"),
        ("4", "2,9", "DISCORD_SHARD_IDS: shard 9 is out of range"),
        ("4", "3-1", "DISCORD_SHARD_IDS: a shard range must run upwards"),
        ("4", "first", "DISCORD_SHARD_IDS: expected shard ids as a range"),
        ("4", "-1", "DISCORD_SHARD_IDS: expected shard ids as a range"),
        ("4", "0-1,1", "DISCORD_SHARD_IDS: a shard is listed twice"),
        ("x", "0", "DISCORD_SHARD_COUNT: takes a whole number"),  # only the count
    ],
)
def test_bad_shard_settings_are_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    count: str | None,
    ids: str | None,
    says: str,
) -> None:
    for name, value in (("DISCORD_SHARD_COUNT", count), ("DISCORD_SHARD_IDS", ids)):
        if value is not None:
            monkeypatch.setenv(name, value)
    code, out, err = run(capsys, "brief", "korea-japan", "--demo")
    assert code == 2
    assert out == ""
    line = one_clear_line(err)
    assert line.startswith(f"briefbot: bad setting {says}")
