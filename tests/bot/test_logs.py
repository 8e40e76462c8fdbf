"""Logging (bot/logs.py): secrets redacted from every record, request ids, JSON lines; and
settings errors as one line through the real CLI entry point."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.cli import main
from bot.logs import (
    REDACTED,
    configure,
    current_request,
    redact,
    request_context,
    secret_values,
)
from bot.settings import Settings

DISCORD_TOKEN = "MTA4NjQ5MzI1NzY3MjQ2MjM3Ng.GxYz12.abcdefghijklmnopqrstuvwxyz0123456789AB"
SLACK_BOT = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
SLACK_APP = "xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef0123456789"
SIGNING = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """Our handler on a string stream; the previous root handlers are put back after."""
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    out = io.StringIO()
    yield out
    for handler in root.handlers[:]:
        root.removeHandler(handler)
    for handler in saved:
        root.addHandler(handler)
    root.setLevel(level)


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        (f"token={SLACK_BOT}", SLACK_BOT),
        (f"app token {SLACK_APP} opened", SLACK_APP),
        ("refresh xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4OTAxMjM0LTU2Nzg5MA and more", "Mi0yLTEyMzQ1"),
        (f"identify {{'token': '{DISCORD_TOKEN}'}}", DISCORD_TOKEN),
        (f"headers {{'Authorization': 'Bot {DISCORD_TOKEN}'}}", DISCORD_TOKEN),
        ("Authorization: Bearer abcdefghijklmnop0123456789", "abcdefghijklmnop0123456789"),
        ("db postgresql+psycopg://briefbot:s3cr3t-pw@db.internal/briefbot", "s3cr3t-pw"),
        (
            "POST https://discord.com/api/v10/webhooks/1001/aW50ZXJhY3Rpb246MTIzNDU2Nzg5OnRva2Vu",
            "aW50ZXJhY3Rpb246MTIzNDU2Nzg5OnRva2Vu",
        ),
        (
            "POST /api/v10/interactions/1234/aW50ZXJhY3Rpb246MTIzNDU2Nzg5OnRva2Vu/callback",
            "aW50ZXJhY3Rpb246MTIzNDU2Nzg5OnRva2Vu",
        ),
        (
            "respond to https://hooks.slack.com/commands/T0/123/AbCdEfGhIjKlMnOp",
            "AbCdEfGhIjKlMnOp",
        ),
        (
            "body: token=x&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0%2F1%2FAbCdEf"
            "&trigger_id=1",
            "AbCdEf",
        ),
        ("sig v0=" + "a" * 64, "a" * 64),
    ],
)
def test_credential_shapes_are_redacted_even_unconfigured(text: str, gone: str) -> None:
    cleaned = redact(text)
    assert gone not in cleaned
    assert REDACTED in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "Bot connected to the gateway as briefbot#0001",
        "bot.sources.safety refused http://127.0.0.1:8080/rss",
        "feed https://www.joongang.co.kr/opinion/editorial.xml: 12 entries, 3 added",
        "Bearer of bad news: the feed is down",
        "subscription 12 slot 2025-06-18T08:00:00+09:00 sent",
    ],
)
def test_ordinary_log_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


def test_configured_secrets_are_redacted_whatever_their_shape(stream: io.StringIO) -> None:
    configure("DEBUG", secrets=[SIGNING], stream=stream)
    log = logging.getLogger("tests.logs")
    log.debug("verifying with %s", SIGNING)
    try:
        raise RuntimeError(f"signature check failed for {SIGNING} / {SLACK_BOT}")
    except RuntimeError:
        log.exception("handler crashed")
    log.warning("stack of %s", SIGNING, stack_info=True)
    out = stream.getvalue()
    assert SIGNING not in out
    assert SLACK_BOT not in out
    assert out.count(REDACTED) >= 3
    assert "Traceback (most recent call last)" in out  # the traceback is kept, redacted


def test_secret_values_come_from_the_settings() -> None:
    settings = Settings(
        discord_token=DISCORD_TOKEN,
        slack_bot_token=SLACK_BOT,
        slack_signing_secret=SIGNING,
        slack_app_token=SLACK_APP,
        database_url="postgresql+psycopg://briefbot:pg-password-1@db/briefbot",
    )
    assert set(secret_values(settings)) == {
        DISCORD_TOKEN,
        SLACK_BOT,
        SIGNING,
        SLACK_APP,
        "pg-password-1",
    }
    shown = repr(settings) + str(settings)
    for secret in secret_values(settings):
        assert secret not in shown
    assert "postgresql+psycopg://briefbot:***@db/briefbot" in shown


def test_each_line_carries_its_request_id(stream: io.StringIO) -> None:
    configure("INFO", stream=stream)
    log = logging.getLogger("tests.logs")
    log.info("outside")
    with request_context("slack", "brief", request_id="req-1") as context:
        assert current_request() == context
        log.info("inside")
        with request_context("slack", "source") as inner:
            log.info("nested")
        log.info("back")
    assert current_request() is None
    lines = stream.getvalue().splitlines()
    assert "[-] tests.logs: outside" in lines[0]
    assert "[req-1] tests.logs: inside" in lines[1]
    assert f"[{inner.id}] tests.logs: nested" in lines[2]
    assert len(inner.id) == 12
    assert "[req-1] tests.logs: back" in lines[3]


async def test_the_request_id_follows_tasks_and_worker_threads(stream: io.StringIO) -> None:
    configure("INFO", stream=stream)
    log = logging.getLogger("tests.logs")

    async def two(name: str) -> None:
        with request_context("discord", name, request_id=name):
            await asyncio.sleep(0.01)
            await asyncio.to_thread(log.info, "from a thread")
            log.info("from the task")

    await asyncio.gather(two("a"), two("b"))
    lines = stream.getvalue().splitlines()
    assert sorted(line.split(" [", 1)[1].split("]")[0] for line in lines) == ["a", "a", "b", "b"]


def test_json_lines(stream: io.StringIO) -> None:
    configure("INFO", json=True, secrets=[SIGNING], stream=stream)
    log = logging.getLogger("tests.logs")
    with request_context("discord", "brief", request_id="1234"):
        log.info("brief %s for %s", "korea-japan", SIGNING)
    try:
        raise ValueError(f"boom with {SIGNING}")
    except ValueError:
        log.exception("failed")
    assert SIGNING not in stream.getvalue()  # in the traceback too
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == f"brief korea-japan for {REDACTED}"
    assert (first["request_id"], first["platform"], first["command"]) == (
        "1234",
        "discord",
        "brief",
    )
    assert (first["level"], first["logger"]) == ("INFO", "tests.logs")
    assert second["request_id"] == "-"
    assert "ValueError: boom" in second["exception"]


# -- settings: one line, exit 2, through the real entry point ------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("BRIEFBOT_HTTP_PORT", "notaport", "BRIEFBOT_HTTP_PORT: takes a whole number"),
        ("BRIEFBOT_HTTP_PORT", "70000", "BRIEFBOT_HTTP_PORT: must be at most 65535"),
        ("BRIEFBOT_POLL_MINUTES", "0", "BRIEFBOT_POLL_MINUTES"),
        ("BRIEFBOT_LOG_FORMAT", "xml", "BRIEFBOT_LOG_FORMAT: takes text or json"),
        ("DISCORD_GUILD_IDS", "general,42", "DISCORD_GUILD_IDS"),
        # a typo in the level used to become INFO without a word
        ("BRIEFBOT_LOG_LEVEL", "verbose", "BRIEFBOT_LOG_LEVEL: expected one of DEBUG, INFO"),
        # a typo in the zone used to surface later, to chat users, as "Unknown time zone"
        ("BRIEFBOT_TIMEZONE", "Asia/Seol", "BRIEFBOT_TIMEZONE: unknown time zone"),
        ("BRIEFBOT_TIMEZONE", "localtime", "BRIEFBOT_TIMEZONE: unknown time zone"),
    ],
)
def test_a_bad_setting_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variable: str,
    value: str,
    says: str,
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SystemExit) as exited:
        main(["brief", "korea-japan", "--demo"])
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("briefbot: bad setting ")
    assert says in err
    assert "Traceback" not in err
    assert "pydantic" not in err.lower()
    assert value not in err.replace(variable, "")  # values are not echoed (they may be secrets)


def test_a_bad_setting_in_dotenv_is_one_line_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    # The autouse fixture chdir'ed into tmp_path: a .env there is read.
    with open(".env", "w", encoding="utf-8") as env:
        env.write("BRIEFBOT_MISFIRE_GRACE_MINUTES=-5\n")
    with pytest.raises(SystemExit) as exited:
        main(["brief", "korea-japan", "--demo"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "BRIEFBOT_MISFIRE_GRACE_MINUTES" in err


def test_scheduler_job_chatter_is_kept_for_debug_only(stream: io.StringIO) -> None:
    job_log = logging.getLogger("apscheduler.executors.default")
    for level, expect_chatter in (("INFO", False), ("DEBUG", True)):
        stream.seek(0)
        stream.truncate()
        configure(level, stream=stream)
        job_log.info('Running job "poll due feeds"')
        job_log.warning("Run time of job was missed")
        out = stream.getvalue()
        assert ("Running job" in out) is expect_chatter
        assert "Run time of job was missed" in out


async def test_a_job_cancelled_by_scheduler_shutdown_is_one_info_line(stream: io.StringIO) -> None:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    configure("INFO", stream=stream)
    started = asyncio.Event()

    async def poll() -> None:
        started.set()
        await asyncio.sleep(30)

    async def broken() -> None:
        raise RuntimeError("a real failure")

    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(poll, "interval", minutes=1, next_run_time=datetime.now(UTC))
    scheduler.add_job(broken, "interval", minutes=1, next_run_time=datetime.now(UTC))
    scheduler.start()
    await asyncio.wait_for(started.wait(), 5)
    await asyncio.sleep(0.05)  # the broken job has run and failed by now
    scheduler.shutdown(wait=False)  # cancels the poll, as `briefbot run` does on SIGTERM
    await asyncio.sleep(0.05)
    out = stream.getvalue()
    cancelled = [line for line in out.splitlines() if "poll" in line and "raised" in line]
    assert len(cancelled) == 1, out
    assert " INFO " in cancelled[0]
    assert cancelled[0].endswith("cancelled by shutdown")
    assert "CancelledError" not in out
    # a job that really fails still says so, with its traceback
    assert "ERROR" in out
    assert "RuntimeError: a real failure" in out
