"""Secrets never leave `briefbot run`: a real process with real-looking tokens, both adapters
against the fakes, DEBUG logging from every library; ALL its output, `/healthz` and `/metrics`
are searched for any piece of any secret."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from collections.abc import Iterable
from pathlib import Path

import aiohttp
import pytest

from bot.ingest import Ingestor
from bot.logs import REDACTED
from bot.settings import Settings
from bot.store import Store
from bot.topics import TopicRegistry
from tests.fakes.discord_fake import DiscordFake
from tests.fakes.slack_fake import SlackFake, sign_request, slash_command_body

# Shaped like the real ones (so shape-based redaction is exercised too), random enough that no
# 12-character piece of them occurs in ordinary output by chance.
DISCORD_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.GqZ7kP.Vb3xR9tLw2mNc8YhJ4sEa6UoKd1fTgQz0pXiBnM"
SLACK_BOT_TOKEN = "xoxb-7315550912-8824401937760-qWfE3rTy7UiOp9AsDfGh2JkL"
SLACK_SIGNING_SECRET = "5c1f0e9ab7d24c6f83e2a9d07b61c4f2"
GUILD = 200000000000000001
WINDOW = 12  # no run of this many characters of a secret may appear anywhere


def secret_pieces(secrets: Iterable[str]) -> set[str]:
    return {s[i : i + WINDOW] for s in secrets for i in range(len(s) - WINDOW + 1)}


def leaks(text: str, secrets: Iterable[str]) -> list[str]:
    return sorted(piece for piece in secret_pieces(secrets) if piece in text)


@pytest.fixture
def demo_database(tmp_path: Path) -> Path:
    path = tmp_path / "run.sqlite3"
    with Store.open(f"sqlite:///{path}") as store:
        report = Ingestor(store, Settings(data_dir=tmp_path), TopicRegistry.default().tag)
        assert report.ingest_demo().added >= 1
    return path


def test_the_search_itself_finds_a_leak() -> None:
    assert leaks(f"Authorization: Bot {DISCORD_TOKEN}", [DISCORD_TOKEN])
    assert leaks("...qWfE3rTy7UiOp9As...", [SLACK_BOT_TOKEN])
    assert leaks(f"token={REDACTED}", [SLACK_BOT_TOKEN]) == []


def test_settings_repr_hides_the_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", DISCORD_TOKEN)
    monkeypatch.setenv("SLACK_BOT_TOKEN", SLACK_BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SLACK_SIGNING_SECRET)
    settings = Settings()
    assert settings.discord_token is not None  # read, and hidden
    shown = repr(settings) + str(settings) + repr(settings.model_dump())
    assert leaks(shown, [DISCORD_TOKEN, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET]) == []


@pytest.mark.slow
async def test_a_debug_run_logs_no_secret(demo_database: Path, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("# no feeds\n", "utf-8")
    discord = await DiscordFake(token=DISCORD_TOKEN, guild_ids=(GUILD,)).start()
    slack = await SlackFake(bot_token=SLACK_BOT_TOKEN).start()
    env = {
        **os.environ,
        "DISCORD_TOKEN": DISCORD_TOKEN,
        "DISCORD_API_BASE_URL": discord.api_base,
        "DISCORD_GATEWAY_URL": discord.gateway_url,
        "DISCORD_GUILD_IDS": str(GUILD),
        "SLACK_BOT_TOKEN": SLACK_BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
        "SLACK_API_BASE_URL": slack.api_url,
        "BRIEFBOT_DATABASE_URL": f"sqlite:///{demo_database}",
        "BRIEFBOT_FEEDS_FILE": str(feeds),
        "BRIEFBOT_HTTP_HOST": "127.0.0.1",
        "BRIEFBOT_HTTP_PORT": "0",
        "BRIEFBOT_LOG_LEVEL": "DEBUG",
        "PYTHONASYNCIODEBUG": "0",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    assert process.stdout is not None
    err_lines: list[str] = []
    port: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def read_stderr() -> None:
        assert process.stderr is not None
        async for raw in process.stderr:
            line = raw.decode("utf-8", "replace")
            err_lines.append(line)
            found = re.search(r"HTTP server listening on 127\.0\.0\.1:(\d+)", line)
            if found and not port.done():
                port.set_result(int(found.group(1)))

    reader = asyncio.create_task(read_stderr())
    bodies: list[str] = []
    try:
        base = f"http://127.0.0.1:{await asyncio.wait_for(port, 30)}"
        await discord.wait_connected(within=30)
        interaction = await discord.send_interaction(
            discord.interaction("brief", [{"type": 3, "name": "topic", "value": "korea-japan"}])
        )
        answer = f"/webhooks/{discord.application_id}/{interaction['token']}"
        await discord.wait_for(  # a followup or an edit of the deferred reply
            lambda: any(r.path.startswith(answer) for r in discord.requests), within=10
        )
        async with aiohttp.ClientSession() as session:
            for text in ("korea-japan", "narnia"):
                body = slash_command_body(
                    text, team_id=slack.team_id, response_url=slack.response_url()
                )
                headers = sign_request(SLACK_SIGNING_SECRET, body)
                async with session.post(
                    f"{base}/slack/events", data=body.encode(), headers=headers
                ) as response:
                    assert response.status == 200
            forged = slash_command_body("korea-japan", response_url=slack.response_url())
            async with session.post(
                f"{base}/slack/events", data=forged.encode(), headers=sign_request("x", forged)
            ) as response:
                assert response.status == 401
            await slack.wait_for(lambda: len(slack.posted) >= 2, within=10)
            for _ in range(100):  # discord.py is "ready" once its guilds have streamed in
                async with session.get(f"{base}/healthz") as response:
                    if response.status == 200:
                        break
                await asyncio.sleep(0.1)
            for path in ("/healthz", "/metrics"):
                async with session.get(base + path) as response:
                    bodies.append(await response.text())
                    assert response.status == 200, (path, bodies[-1])
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        out = await asyncio.wait_for(process.stdout.read(), timeout=15)
        await asyncio.wait_for(process.wait(), timeout=15)
        await asyncio.wait_for(reader, timeout=5)
        await discord.stop()
        await slack.stop()

    assert process.returncode == 0, "".join(err_lines[-30:])
    everything = "".join(err_lines) + out.decode("utf-8", "replace") + "".join(bodies)
    assert sum(" DEBUG " in line for line in err_lines) > 50  # it really was a DEBUG run
    assert any("discord" in line for line in err_lines)  # discord.py and slack-bolt logged
    assert any("slack" in line for line in err_lines)
    assert leaks(everything, [DISCORD_TOKEN, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET]) == []
    health = json.loads(bodies[0])
    assert health["ok"] is True
    assert (health["discord"], health["slack"]) == ("connected", "connected")
    assert "feeds" in health
    assert 'briefbot_briefs_total{outcome="ok",platform=' in bodies[1]
