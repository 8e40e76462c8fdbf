"""The Slack adapter: ``/brief`` with slack-bolt (async), HTTP or Socket Mode, and ``publish``.

A thin translator (DESIGN): a slash command in, one core call, a pure Block Kit renderer out.

    adapter = SlackAdapter(settings, briefings=..., topics=..., subscriptions=...,
                           sources=...)   # a UserSourceService: /brief source add|list|remove
    adapter.mount(web_app)        HTTP mode: POST /slack/events on briefbot's aiohttp server
    await adapter.start()         check the bot token; Socket Mode: connect (SLACK_APP_TOKEN)
    adapter.connected             HTTP mode: mounted and open; Socket Mode: the socket is up
    await adapter.publish(channel, briefing) -> ts of the first message   (the scheduler)
    await adapter.publish_once(channel, briefing, key=...) / find_published(channel, key, since)
                                  the scheduler's IdempotentPublisher: the key rides in message
                                  metadata, conversations.history finds it after a crash
    await adapter.check_channel(channel)  may the bot post there again (a paused subscription)
    await adapter.close()         finish in-flight commands (bounded), close the socket

Modules: ``commands`` (text -> command), ``handlers`` (the Bolt listener and its replies;
in a burst the work after each ack waits for a lull, ``adapters.acks_first``), ``render`` (pure
Block Kit, every limit), ``publish`` (chat.postMessage, threads, errors), ``permissions`` (who
may manage subscriptions).

Requests are verified by Bolt (``X-Slack-Signature``, timestamps older than 5 minutes refused:
401, and no listener runs).  The app runs with ``process_before_response=True`` and its
listener returns right after ``ack()``, handing the work to a task the adapter tracks: Slack
gets its answer as soon as ``ack()`` is called (Bolt's default runner polls for the ack every
10 ms), and ``close()`` can let in-flight briefings finish instead of cutting them off.

One workspace, one bot token (``SLACK_BOT_TOKEN``), checked once with ``auth.test`` and then
handed to Bolt by a small ``authorize`` function, so no request waits on ``auth.test``.
Multi-workspace installs slot in at two seams: replace that ``authorize`` with an
``installation_store`` (Bolt then authorizes each request per team), and make
:meth:`SlackAdapter._client_for` look the team's bot token up in the same store, so
``publish`` posts with the token of the workspace that owns the channel.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack.handlers import RECEIVED_AT, SlashCommands
from adapters.slack.permissions import SubscribePolicy
from adapters.slack.publish import check_channel, find_delivery, post_messages, retry_handlers
from adapters.slack.render import render_briefing
from bot import messages
from bot.errors import BadInput, DeliveryError
from bot.logs import request_context
from bot.models import Briefing, ChannelRef

if TYPE_CHECKING:
    from bot.briefing import BriefingService
    from bot.scheduling.publisher import PartPosted
    from bot.settings import Settings
    from bot.subscriptions import SubscriptionService
    from bot.topics import TopicRegistry
    from bot.user_sources import UserSourceService

__all__ = ["EVENTS_PATH", "SlackAdapter"]

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
COMMAND = "/brief"
API_TIMEOUT_SECONDS = 30
SOCKET_CONNECT_TIMEOUT_SECONDS = 30.0
DRAIN_TIMEOUT_SECONDS = 3.0  # `briefbot run` gives each adapter 4 s to close


class _EnvTokenNotice(logging.Filter):
    """Bolt reads ``SLACK_BOT_TOKEN`` from the environment on its own, then warns that the
    ``client`` we give it wins over that token.  It does (the token reaches Bolt through
    ``authorize``, from our settings), so the warning is noise in every `briefbot run`."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("adapters.slack.bolt")
    if not any(isinstance(f, _EnvTokenNotice) for f in logger.filters):
        logger.addFilter(_EnvTokenNotice())
    return logger


class SlackAdapter:
    """Slack for briefbot: ``/brief`` in, briefings out."""

    platform: Literal["slack"] = "slack"

    def __init__(
        self,
        settings: Settings,
        *,
        briefings: BriefingService,
        topics: TopicRegistry,
        subscriptions: SubscriptionService,
        sources: UserSourceService | None = None,
        socket_connect_timeout: float = SOCKET_CONNECT_TIMEOUT_SECONDS,
        drain_timeout: float = DRAIN_TIMEOUT_SECONDS,
    ) -> None:
        bot_token = settings.slack_bot_token
        signing_secret = settings.slack_signing_secret
        self._app_token = settings.slack_app_token
        if bot_token is None or (signing_secret is None and self._app_token is None):
            raise BadInput(messages.SLACK_NOT_CONFIGURED)
        base_url = settings.slack_api_base_url
        base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._bot_token = bot_token
        # Ours (publish, checks) carries the token; Bolt's gets it per request from authorize.
        self._client = AsyncWebClient(
            token=bot_token.get_secret_value(),
            base_url=base_url,
            timeout=API_TIMEOUT_SECONDS,
            retry_handlers=retry_handlers(),
        )
        self._identity: AsyncSlackResponse | None = None
        self._app = AsyncApp(
            name="briefbot",
            client=AsyncWebClient(
                base_url=base_url, timeout=API_TIMEOUT_SECONDS, retry_handlers=retry_handlers()
            ),
            authorize=self._authorizer(),
            signing_secret=signing_secret.get_secret_value() if signing_secret else "",
            # Socket Mode requests are not signed; HTTP requests always are (see mount).
            request_verification_enabled=signing_secret is not None,
            process_before_response=True,
            logger=_bolt_logger(),
        )
        self._commands = SlashCommands(
            briefings=briefings,
            topics=topics,
            subscriptions=subscriptions,
            sources=sources,
            policy=SubscribePolicy(settings.slack_subscribe_allowed),
            spawn=self._spawn,
        )
        self._app.command(COMMAND)(self._commands.on_brief)
        self._verifies_requests = signing_secret is not None
        self._socket_connect_timeout = socket_connect_timeout
        self._drain_timeout = drain_timeout
        self._socket: AsyncSocketModeHandler | None = None
        self._session: aiohttp.ClientSession | None = None  # opened by start()
        self._tasks: set[asyncio.Task[None]] = set()
        self._mounted = False
        self._closed = False

    def __repr__(self) -> str:  # never a token
        mode = "socket" if self.socket_mode else "http"
        return f"<SlackAdapter mode={mode} connected={self.connected}>"

    @property
    def socket_mode(self) -> bool:
        return self._app_token is not None

    @property
    def app(self) -> AsyncApp:
        """The Bolt app (to add listeners; tests and benchmarks)."""
        return self._app

    @property
    def connected(self) -> bool:
        if self._closed:
            return False
        if not self.socket_mode:
            return self._mounted
        session = self._socket.client.current_session if self._socket else None
        stale = self._socket.client.stale if self._socket else True
        return session is not None and not session.closed and not stale

    # -- HTTP mode --------------------------------------------------------------------------

    def mount(self, web_app: web.Application) -> None:
        """Serve ``POST /slack/events`` on ``web_app`` (call before the server starts).

        In Socket Mode without a signing secret there is nothing to verify requests with, so
        nothing is mounted (the path answers 404)."""
        if not self._verifies_requests:
            log.info("Slack runs in Socket Mode; %s is not served", EVENTS_PATH)
            return
        web_app.router.add_post(EVENTS_PATH, self._handle_http)
        self._mounted = True

    async def _handle_http(self, request: web.Request) -> web.Response:
        received = time.perf_counter()
        if self._closed:
            return web.Response(status=503, text="shutting down")
        # The request id starts here, so Bolt's own lines about the request carry it too; the
        # listener names the command under the same id.
        with request_context("slack"):
            bolt_request = AsyncBoltRequest(  # slack_bolt's to_bolt_request, plus arrival time
                body=await request.text(),
                query=request.query_string,
                headers=dict(request.headers),
                context={RECEIVED_AT: received},
            )
            bolt_response = await self._app.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Check the bot token (``auth.test``, once: the answer authorizes every request), then
        connect Socket Mode when ``SLACK_APP_TOKEN`` is set.

        Raises ``BadInput`` when Slack rejects the bot token, and ``DeliveryError`` when the
        socket does not come up within the timeout (a rejected app token makes slack_sdk
        retry forever; we stop waiting and say so).  Slack being unreachable for the token
        check is only logged: HTTP mode checks again on the first command."""
        if self._session is None:
            # One HTTP session for every Web API call of both clients: a fan-out of thousands
            # of chat.postMessage calls reuses its connections (slack_sdk otherwise opens a
            # session, and a TLS connection, per call).  Closed in ``close``.
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=API_TIMEOUT_SECONDS)
            )
            self._client.session = self._session
            self._app.client.session = self._session
        try:
            await self._whoami()
        except SlackApiError as exc:
            error = str(exc.response.get("error") or exc.response.status_code)
            raise BadInput(messages.SLACK_BAD_TOKEN.format(error=error)) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("Slack auth.test failed (%r); will retry on the first command", exc)
        if self._app_token is None or self._socket is not None:
            return
        self._socket = AsyncSocketModeHandler(
            self._app,
            app_token=self._app_token.get_secret_value(),
            web_client=self._client,
            logger=logging.getLogger("adapters.slack.socket_mode"),
        )
        try:
            await asyncio.wait_for(
                self._socket.connect_async(),  # type: ignore[no-untyped-call]
                timeout=self._socket_connect_timeout,
            )
        except TimeoutError:
            await self._close_socket()
            raise DeliveryError(
                messages.SLACK_SOCKET_TIMEOUT.format(seconds=self._socket_connect_timeout)
            ) from None
        log.info("Slack Socket Mode connected")

    async def close(self) -> None:
        """Stop taking commands, let in-flight ones finish (bounded), close the socket."""
        if self._closed:
            return
        self._closed = True
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=self._drain_timeout)
            for task in pending:
                task.cancel()
            if pending:
                log.warning("cancelled %d Slack command(s) still running at shutdown", len(pending))
                await asyncio.gather(*pending, return_exceptions=True)
        await self._close_socket()
        if self._session is not None:
            session, self._session = self._session, None
            self._client.session = self._app.client.session = None
            await session.close()

    async def _close_socket(self) -> None:
        if self._socket is not None:
            socket, self._socket = self._socket, None
            try:
                await socket.close_async()  # type: ignore[no-untyped-call]
            except Exception:
                log.warning("closing the Slack Socket Mode connection failed", exc_info=True)

    async def _whoami(self) -> AsyncSlackResponse:
        """``auth.test`` for the bot token, asked once and remembered."""
        if self._identity is None:
            identity = await self._client.auth_test()
            log.info("Slack bot %s in team %s", identity.get("user_id"), identity.get("team_id"))
            self._identity = identity
        return identity if self._identity is None else self._identity

    def _authorizer(self) -> Callable[..., Awaitable[AuthorizeResult]]:
        """Bolt's ``authorize``: the one bot token for every request.  (Bolt reads the
        parameter names, so this is a plain function, not a method.)"""

        async def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
            identity = await self._whoami()
            return AuthorizeResult.from_auth_test_response(
                auth_test_response=identity, bot_token=self._bot_token.get_secret_value()
            )

        return authorize

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- the scheduler's entry point ---------------------------------------------------------

    async def publish(self, channel: ChannelRef, briefing: Briefing) -> str:
        """Post ``briefing`` to ``channel``: the ``ts`` of the first message (the rest are in
        its thread).  ``ChannelUnavailable`` when the channel is gone, archived or closed to
        the bot (pause the subscription); ``DeliveryError`` for other refusals."""
        return await self.publish_once(channel, briefing, key=None)

    async def publish_once(
        self,
        channel: ChannelRef,
        briefing: Briefing,
        *,
        key: str | None,
        done: Sequence[str] = (),
        on_part: PartPosted | None = None,
    ) -> str:
        """``publish``, with the scheduler's delivery ``key`` in the first message's metadata
        (``bot.scheduling.IdempotentPublisher``); the parts in ``done`` (their ``ts``) are
        not posted again, the rest go into the first one's thread."""
        self._check_platform(channel)
        client = self._client_for(channel.workspace_id)
        return await post_messages(
            client,
            channel.channel_id,
            render_briefing(briefing),
            key=key,
            done=done,
            on_part=on_part,
        )

    async def find_published(self, channel: ChannelRef, *, key: str, since: datetime) -> str | None:
        """The ``ts`` of a briefing posted with ``key`` since ``since``, if Slack has one."""
        client = self._client_for(channel.workspace_id)
        return await find_delivery(client, channel.channel_id, key, since)

    async def check_channel(self, channel: ChannelRef) -> None:
        """Whether the bot may post in ``channel`` again (``bot.scheduling.ChannelChecker``)."""
        self._check_platform(channel)
        await check_channel(self._client_for(channel.workspace_id), channel.channel_id)

    @staticmethod
    def _check_platform(channel: ChannelRef) -> None:
        if channel.platform != "slack":
            raise DeliveryError(
                messages.SLACK_WRONG_PLATFORM.format(
                    channel=channel.channel_id, platform=channel.platform
                )
            )

    def _client_for(self, workspace_id: str | None) -> AsyncWebClient:
        """The Web API client for a workspace: the one bot token (see the module docstring
        for where an installation store plugs in)."""
        return self._client
