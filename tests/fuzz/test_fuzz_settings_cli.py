"""Fuzz the settings loader and the CLI entry point: any environment and any command line
give a result or one clear line (exit 0 or 2), never a traceback or "unexpected failure"
(exit 1).  In-process through ``bot.cli.main``, so each example costs milliseconds."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from bot.cli import bad_settings_line, main
from bot.settings import Settings
from tests.fuzz.budget import fuzz_settings

ENV_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=24
)
SETTINGS = [
    "BRIEFBOT_HTTP_PORT",
    "BRIEFBOT_HTTP_HOST",
    "BRIEFBOT_POLL_MINUTES",
    "BRIEFBOT_MISFIRE_GRACE_MINUTES",
    "BRIEFBOT_LOG_FORMAT",
    "BRIEFBOT_LOG_LEVEL",
    "BRIEFBOT_DISCORD_POSTS_PER_SECOND",
    "BRIEFBOT_TIMEZONE",
    "BRIEFBOT_CONTACT",
    "DISCORD_TOKEN",
    "DISCORD_GUILD_IDS",
    "DISCORD_SHARD_COUNT",
    "DISCORD_SHARD_IDS",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_SUBSCRIBE_ALLOWED",
]
MARK = "Zq9sEcReT"  # a value carrying this must never be echoed back
VALUES = st.one_of(
    ENV_TEXT,
    ENV_TEXT.map(lambda text: MARK + text),
    st.sampled_from(["0", "-1", "65536", "3000", "1e3", " 42 ", "json", "text", "true", ""]),
    st.integers(-(10**20), 10**20).map(str),
)


@fuzz_settings(150)
@given(st.dictionaries(st.sampled_from(SETTINGS), VALUES, max_size=5))
def test_settings_load_or_say_which_variable_is_wrong(env: dict[str, str]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        try:
            Settings(_env_file=None)  # type: ignore[call-arg]
        except Exception as exc:  # what main() would see
            error: Exception | None = exc
        else:
            error = None
    if error is None:
        event("loaded")
        return
    event("refused")
    line = bad_settings_line(error)
    assert line is not None, f"not a settings error: {error!r}"
    assert "\n" not in line
    assert line.startswith("bad setting ")
    named = {part.split(":", 1)[0] for part in line[12:].split("; ")}
    assert named <= set(env), (named, env)
    assert MARK not in line  # values are never echoed (some settings are secrets)


COMMANDS = [
    "brief",
    "topics",
    "summarize",
    "subscribe",
    "subscriptions",
    "unsubscribe",
    "version",
    "ingest",
    "--help",
    "bogus",
    "",
]
OPTIONS = [
    "--count",
    "--since",
    "--format",
    "--demo",
    "--platform",
    "--channel",
    "--workspace",
    "--topic",
    "--at",
    "--days",
    "--tz",
    "--cron",
    "--quiet",
    "--sentences",
    "--algorithm",
    "--batch",
    "--file",
    "--feed",
    "-h",
    "--nope",
]
ARGS = st.one_of(
    st.sampled_from(
        [
            "korea-japan",
            "us-china",
            "json",
            "text",
            "markdown",
            "0",
            "-1",
            "6",
            "99999999999999999999",
            "08:00",
            "25:61",
            "Asia/Seoul",
            "Mars/Phobos",
            "* * * * *",
            "61 25 * * *",
            "discord",
            "slack",
            "C123",
            "1d",
            "90m",
            "forever",
            "-",
            "missing.txt",
            "lexrank",
            "nope",
            "mon,xyz",
            "weekdays",
            "ftp://x/y",
            "http://",
            "--",
            "' OR 1=1 --",
        ]
    ),
    ENV_TEXT,
    st.sampled_from(OPTIONS),
)


@fuzz_settings(60)
@given(command=st.sampled_from(COMMANDS), args=st.lists(ARGS, max_size=6))
def test_the_cli_answers_or_refuses_in_one_line(
    command: str, args: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    argv = [command, *args] if command else args
    base: Path = tmp_path_factory.getbasetemp()
    feeds = base / "fuzz-no-feeds.toml"
    feeds.write_text("# no feeds: `ingest` must not go to the network\n")
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(b""))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFBOT_DATA_DIR", str(base / "fuzz-data"))
        patch.setenv("BRIEFBOT_FEEDS_FILE", str(feeds))
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        patch.setattr(sys, "stdin", stdin)
        with pytest.raises(SystemExit) as exited:
            main(argv)
    code = exited.value.code
    event(f"exit {code}")
    errors = err.getvalue()
    assert code in (0, 2), (argv, code, errors[-2000:])
    assert "Traceback" not in errors
    assert "unexpected failure" not in errors
    if code == 2 and "Usage:" not in errors:  # help screens aside, a refusal is one line
        assert errors.count("\n") == 1, (argv, errors)
