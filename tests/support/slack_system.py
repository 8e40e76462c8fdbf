"""The Slack adapter running for real on 127.0.0.1, for the end-to-end tests of tests/e2e/slack.

    async with running_slack(store, registry, sources=...) as slack:
        status, body, seconds = await slack.command("korea-japan")     # signed, over HTTP
        await slack.fake.wait_for(lambda: len(slack.replies()) == 1)

briefbot's own HTTP server (``adapters.http``) with the ``SlackAdapter`` mounted at
``POST /slack/events``, the real slack-bolt app behind it, and the fake Slack of
``tests/fakes/slack_fake.py`` answering the Web API and collecting response_url posts.
On the way out it asserts that nothing briefbot sent broke a Block Kit limit.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp

from adapters.http import bound_port, build_web_app, start_web_server
from adapters.slack import SlackAdapter
from bot.briefing import BriefingService
from bot.settings import Settings
from bot.store import Store
from bot.subscriptions import SubscriptionService
from bot.topics import TopicRegistry
from bot.user_sources import UserSourceService
from tests.fakes.slack_fake import Posted, SlackFake, sign_request, slash_command_body

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
ADMIN = "UADMIN"
MEMBER = "UMEMBER"
CHANNEL = "CBRIEF"
SOURCE_LIMIT = 3  # sources per workspace in the tests (production: 20)
SEED_TITLE = "Korea, Japan leaders meet ahead of 60th anniversary of diplomatic ties"


@dataclass
class Slack:
    """The running system: fake Slack, briefbot's server with the adapter mounted."""

    fake: SlackFake
    adapter: SlackAdapter
    base_url: str
    briefings: BriefingService
    subscriptions: SubscriptionService
    sources: UserSourceService | None
    session: aiohttp.ClientSession

    async def command(
        self,
        text: str,
        *,
        user: str = MEMBER,
        channel: str = CHANNEL,
        headers: dict[str, str] | None = None,
        response_key: str | None = None,
        team: str | None = None,
    ) -> tuple[int, str, float]:
        """POST a signed ``/brief`` invocation; (status, body, seconds until the answer)."""
        body = slash_command_body(
            text,
            user_id=user,
            channel_id=channel,
            team_id=self.fake.team_id if team is None else team,
            response_url=self.fake.response_url(response_key),
        )
        sent = time.perf_counter()
        async with self.session.post(
            f"{self.base_url}/slack/events",
            data=body.encode(),
            headers=sign_request(SECRET, body) if headers is None else headers,
        ) as response:
            text_body = await response.text()
            return response.status, text_body, time.perf_counter() - sent

    def replies(self, via: str = "response_url") -> list[Posted]:
        return [post for post in self.fake.posted if post.via == via]


async def start_adapter(
    store: Store,
    registry: TopicRegistry,
    *,
    sources: UserSourceService | None = None,
    socket_connect_timeout: float = 10.0,
    **settings: Any,
) -> tuple[SlackFake, SlackAdapter, Settings, BriefingService, SubscriptionService]:
    """A started fake Slack (an admin and a member) and an adapter configured against it."""
    fake = await SlackFake().start()
    fake.add_user(ADMIN, admin=True)
    fake.add_user(MEMBER)
    config = Settings(  # type: ignore[call-arg]
        _env_file=None,
        slack_bot_token=fake.bot_token,
        slack_signing_secret=SECRET,
        slack_api_base_url=fake.api_url,
        **settings,
    )
    briefings = BriefingService(store, registry)
    subscriptions = SubscriptionService(store, registry, default_tz="UTC")
    adapter = SlackAdapter(
        config,
        briefings=briefings,
        topics=registry,
        subscriptions=subscriptions,
        sources=sources,
        socket_connect_timeout=socket_connect_timeout,
    )
    return fake, adapter, config, briefings, subscriptions


@asynccontextmanager
async def running_slack(
    store: Store, registry: TopicRegistry, *, sources: UserSourceService | None = None
) -> AsyncIterator[Slack]:
    fake, adapter, _, briefings, subscriptions = await start_adapter(
        store, registry, sources=sources
    )

    async def health() -> dict[str, Any]:
        return {"ok": adapter.connected, "slack": "connected" if adapter.connected else "down"}

    web_app = build_web_app(health)
    adapter.mount(web_app)
    runner = await start_web_server(web_app, "127.0.0.1", 0)
    try:
        await adapter.start()
        assert [call.method for call in fake.calls] == ["auth.test"]  # the token, checked once
        fake.calls.clear()
        async with aiohttp.ClientSession() as session:
            yield Slack(
                fake,
                adapter,
                f"http://127.0.0.1:{bound_port(runner)}",
                briefings,
                subscriptions,
                sources,
                session,
            )
    finally:
        await adapter.close()
        await runner.cleanup()
        await fake.stop()
    assert fake.refused == []  # nothing briefbot sent broke a Block Kit limit


def sections(post: Posted) -> list[str]:
    """The mrkdwn text of each section block of a posted message."""
    return [b["text"]["text"] for b in post.blocks if b["type"] == "section"]
