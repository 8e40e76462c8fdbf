"""`briefbot run` as a real process against the fakes, for the scheduling end-to-end tests.

``SlowSlack`` and ``SlowDiscord`` are the project's fakes answering a channel post only after a
delay, *after* recording the message: a process killed in that window has posted a briefing it
never heard back about, which is the case exactly-once delivery has to survive.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.fakes.discord_fake import DiscordFake
from tests.fakes.slack_fake import SlackFake

SIGNING_SECRET = "e2e-scheduling-signing-secret"
LEASE_SECONDS = 6


@dataclass
class SlowSlack(SlackFake):
    reply_delay: float = 0.0

    async def _post_message(self, params: dict[str, Any]) -> Any:
        response = await super()._post_message(params)
        if self.reply_delay:
            await asyncio.sleep(self.reply_delay)
        return response

    def delivery_keys(self) -> Counter[str]:
        """How many times each scheduled delivery key reached a channel (threads excluded)."""
        found: Counter[str] = Counter()
        for post in self.posted:
            if post.via != "chat.postMessage" or post.thread_ts:
                continue
            metadata = post.payload.get("metadata") or {}
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            key = (metadata.get("event_payload") or {}).get("key")
            if key:
                found[key] += 1
        return found


class SlowDiscord(DiscordFake):
    def __init__(self, *, reply_delay: float = 0.0, **options: Any) -> None:
        super().__init__(**options)
        self.reply_delay = reply_delay

    async def _answer(self, request: web.Request, path: str, body: Any) -> web.Response:
        response = await super()._answer(request, path, body)
        if self.reply_delay and request.method == "POST" and path.startswith("/channels/"):
            await asyncio.sleep(self.reply_delay)
        return response

    def briefings(self) -> Counter[tuple[str, str]]:
        """How many briefings each (channel, topic) received, read from the header of each
        briefing's first message, "**Title** (`slug`) · ...": independent of nonces."""
        found: Counter[tuple[str, str]] = Counter()
        for channel, posted in self.channel_messages.items():
            for message in posted:
                if header := re.match(r"\*\*[^*]+\*\* \(`([^`]+)`\) · ", message["content"]):
                    found[(channel, header.group(1))] += 1
        return found


def run_env(slack: SlackFake, database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        **_common_env(database_url, data_dir),
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_BASE_URL": slack.api_url,
    }


def discord_run_env(discord: DiscordFake, database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        **_common_env(database_url, data_dir),
        "DISCORD_TOKEN": discord.token,
        "DISCORD_API_BASE_URL": discord.api_base,
        "DISCORD_GATEWAY_URL": discord.gateway_url,
        "DISCORD_GUILD_IDS": ",".join(discord.guild_ids),
    }


def _common_env(database_url: str, data_dir: Path) -> dict[str, str]:
    feeds = data_dir / "feeds.toml"
    feeds.write_text("# no feeds: these tests are about scheduled delivery\n", "utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DISCORD_"))  # only the platform under test
    }
    return {
        **env,
        "BRIEFBOT_DATABASE_URL": database_url,
        "BRIEFBOT_DATA_DIR": str(data_dir),
        "BRIEFBOT_FEEDS_FILE": str(feeds),
        "BRIEFBOT_HTTP_HOST": "127.0.0.1",
        "BRIEFBOT_HTTP_PORT": "0",
        "BRIEFBOT_DELIVERY_LEASE_SECONDS": str(LEASE_SECONDS),
        "BRIEFBOT_LOG_LEVEL": "INFO",
    }


@dataclass
class BotProcess:
    """One `python -m bot run`, its stderr collected."""

    env: dict[str, str]
    name: str
    lines: list[str] = field(default_factory=list)
    process: asyncio.subprocess.Process | None = None
    _reader: asyncio.Task[None] | None = None
    _listening: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> BotProcess:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=self.env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self.process is not None
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            line = raw.decode("utf-8", "replace")
            self.lines.append(line)
            if re.search(r"briefbot running", line):
                self._listening.set()

    async def ready(self, within: float = 30.0) -> None:
        try:
            await asyncio.wait_for(self._listening.wait(), within)
        except TimeoutError:
            raise AssertionError(f"{self.name} did not start:\n{self.log[-3000:]}") from None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def log(self) -> str:
        return "".join(self.lines)

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, claims stay as they are."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await asyncio.wait_for(self.process.wait(), 10)
        await self._drain()

    async def stop(self) -> int:
        """SIGTERM, as an operator would; the exit code (must come within 10 s)."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.process.wait(), 10)
        await self._drain()
        return code

    async def _drain(self) -> None:
        if self._reader is not None:
            await asyncio.wait_for(self._reader, 5)

    async def ensure_stopped(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()
        if self._reader is not None and not self._reader.done():
            self._reader.cancel()


async def wait_for(condition: Any, within: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)
