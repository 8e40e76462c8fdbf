"""A fake Slack on 127.0.0.1 for tests and benchmarks: the real slack_sdk / slack-bolt talk to it.

What it serves (aiohttp, one port):

    POST|GET /api/{method}    the Web API: ``auth.test``, ``chat.postMessage``,
                              ``chat.postEphemeral``, ``conversations.history``,
                              ``conversations.info``, ``users.info``,
                              ``usergroups.users.list``, ``apps.connections.open``; anything else
                              answers ``unknown_method``.  Bearer tokens are checked.
    POST /respond/{key}       a response_url sink (5 uses per key, then 404 ``used_url``)
    GET  /link                the Socket Mode websocket (``apps.connections.open`` hands it out)

Every call is recorded; tests wait on what they expect with :meth:`SlackFake.wait_for`.
Block Kit payloads posted to ``chat.postMessage`` and to response URLs are checked against
Slack's documented limits (:func:`block_kit_problems`) and refused with ``invalid_blocks`` the
way Slack refuses them, so a renderer bug shows up as a failed post, not as a silent pass.

Also: :func:`sign_request` and :func:`slash_command_body`, which build a slash command POST
exactly as Slack does (``v0=`` + HMAC-SHA256 of ``v0:{timestamp}:{body}``).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlencode

from aiohttp import WSMsgType, web

from tests.fakes._server import LocalAiohttpServer

# Slack's documented Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks).
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_TEXT_FIELD = 40_000  # chat.postMessage truncates `text` beyond this


@dataclass(frozen=True)
class ApiCall:
    """One Web API call as the fake received it."""

    method: str
    params: dict[str, Any]
    token: str | None
    at: float
    client_port: int | None = None  # the caller's TCP port: one per connection


@dataclass(frozen=True)
class Posted:
    """A message that reached Slack: via chat.postMessage or a response_url."""

    via: str  # "chat.postMessage" | "chat.postEphemeral" | "response_url"
    channel: str | None
    payload: dict[str, Any]
    ts: str | None
    at: float

    @property
    def blocks(self) -> list[dict[str, Any]]:
        blocks = self.payload.get("blocks") or []
        return list(json.loads(blocks) if isinstance(blocks, str) else blocks)

    @property
    def text(self) -> str:
        return str(self.payload.get("text") or "")

    @property
    def thread_ts(self) -> str | None:
        value = self.payload.get("thread_ts")
        return str(value) if value else None

    @property
    def response_type(self) -> str | None:
        value = self.payload.get("response_type")
        return str(value) if value else None


@dataclass
class _RateLimit:
    remaining: int
    retry_after: int


@dataclass
class SlackFake(LocalAiohttpServer):
    """The fake Slack.  Configure it before use; read what it recorded after."""

    bot_token: str = "xoxb-fake-bot-token"
    app_token: str = "xapp-fake-app-token"
    team_id: str = "T0FAKE"
    bot_user_id: str = "UBRIEFBOT"
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    channel_errors: dict[str, str] = field(default_factory=dict)
    calls: list[ApiCall] = field(default_factory=list)
    posted: list[Posted] = field(default_factory=list)
    refused: list[tuple[str, list[str]]] = field(default_factory=list)  # (via, problems)
    socket_acks: dict[str, dict[str, Any]] = field(default_factory=dict)
    socket_connections: int = 0
    response_url_uses: int = 5

    def __post_init__(self) -> None:
        self._rate_limits: dict[str, _RateLimit] = {}
        self._failures: dict[str, list[tuple[int, int, str]]] = {}  # channel -> [(skip, n, err)]
        self._response_uses: dict[str, int] = {}
        self._ts = itertools.count(1)
        self._changed = asyncio.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- configuration -------------------------------------------------------------------

    def add_user(
        self, user_id: str, *, admin: bool = False, owner: bool = False, name: str | None = None
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name or user_id.lower(),
            "is_admin": admin,
            "is_owner": owner,
            "is_primary_owner": False,
            "is_bot": False,
            "deleted": False,
        }

    def rate_limit(self, channel: str, *, times: int = 1, retry_after: int = 1) -> None:
        """The next ``times`` posts to ``channel`` answer 429 with ``Retry-After``."""
        self._rate_limits[channel] = _RateLimit(times, retry_after)

    def fail_posts(
        self, channel: str, *, skip: int = 0, times: int = 1, error: str = "internal_error"
    ) -> None:
        """After the next ``skip`` posts to ``channel`` go through, ``times`` posts answer
        ``error`` (e.g. the second part of a briefing: ``skip=1``)."""
        self._failures.setdefault(channel, []).append((skip, times, error))

    # -- addresses -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """For ``AsyncWebClient(base_url=...)``: note the trailing slash."""
        return f"{self.base_url}/api/"

    def response_url(self, key: str | None = None) -> str:
        return f"{self.base_url}/respond/{key or uuid.uuid4().hex}"

    # -- lifecycle -----------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_get("/link", self._socket)
        return app

    # -- reading what happened -----------------------------------------------------------

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, condition: Callable[[], bool], within: float = 5.0) -> None:
        """Wait until ``condition()`` holds (re-checked on every recorded event)."""
        try:
            async with asyncio.timeout(within), self._changed:
                await self._changed.wait_for(condition)
        except TimeoutError:
            raise AssertionError(
                f"fake Slack: condition not met within {within}s; "
                f"calls={[c.method for c in self.calls]}, posted={len(self.posted)}, "
                f"refused={self.refused}"
            ) from None

    async def _record(self, action: Callable[[], object]) -> None:
        async with self._changed:
            action()
            self._changed.notify_all()

    # -- Socket Mode -----------------------------------------------------------------------

    async def send_envelope(
        self, payload_type: str, payload: Mapping[str, Any], *, accepts_response_payload: bool
    ) -> str:
        """Push an envelope (e.g. ``slash_commands``) to the connected Socket Mode client."""
        if not self._sockets:
            raise AssertionError("no Socket Mode client is connected")
        envelope_id = uuid.uuid4().hex
        await self._sockets[-1].send_str(
            json.dumps(
                {
                    "envelope_id": envelope_id,
                    "type": payload_type,
                    "accepts_response_payload": accepts_response_payload,
                    "retry_attempt": 0,
                    "retry_reason": "",
                    "payload": dict(payload),
                }
            )
        )
        return envelope_id

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await self._record(lambda: setattr(self, "socket_connections", self.socket_connections + 1))
        await ws.send_str(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "connection_info": {"app_id": "AFAKE"},
                    "debug_info": {"host": "fake", "approximate_connection_time": 18060},
                }
            )
        )
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    data = json.loads(message.data)
                    if "envelope_id" in data:
                        ack = partial(self.socket_acks.__setitem__, str(data["envelope_id"]), data)
                        await self._record(ack)
        finally:
            self._sockets.remove(ws)
        return ws

    # -- the Web API -----------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update(await request.post())
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip() or params.pop("token", None)
        peer = request.transport.get_extra_info("peername") if request.transport else None
        port = peer[1] if isinstance(peer, tuple) and len(peer) > 1 else None
        call = ApiCall(method, params, token, time.monotonic(), client_port=port)
        await self._record(lambda: self.calls.append(call))

        handler = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "conversations.history": self._history,
            "conversations.info": self._info,
            "users.info": self._users_info,
            "usergroups.users.list": self._usergroup_users,
            "apps.connections.open": self._connections_open,
        }.get(method)
        if handler is None:
            return _slack_error("unknown_method")
        expected = self.app_token if method == "apps.connections.open" else self.bot_token
        if token != expected:
            return _slack_error("invalid_auth" if token else "not_authed")
        return await handler(params)

    async def _auth_test(self, params: dict[str, Any]) -> web.Response:
        return _ok(
            url="https://fake.slack.com/",
            team="Fake Team",
            user="briefbot",
            team_id=self.team_id,
            user_id=self.bot_user_id,
            bot_id="BFAKE",
            is_enterprise_install=False,
        )

    async def _post_message(self, params: dict[str, Any]) -> web.Response:
        channel = str(params.get("channel") or "")
        if not channel:
            return _slack_error("channel_not_found")
        limit = self._rate_limits.get(channel)
        if limit is not None and limit.remaining > 0:
            limit.remaining -= 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(limit.retry_after)},
            )
        if channel in self.channel_errors:
            return _slack_error(self.channel_errors[channel])
        failures = self._failures.get(channel)
        if failures:
            skip, times, error = failures[0]
            if skip > 0:
                failures[0] = (skip - 1, times, error)
            else:
                failures[0] = (0, times - 1, error)
                if times - 1 <= 0:
                    failures.pop(0)
                return _slack_error(error)
        problems = block_kit_problems(params)
        if problems:
            await self._record(lambda: self.refused.append(("chat.postMessage", problems)))
            return _slack_error("invalid_blocks", errors=problems)
        ts = f"{int(time.time())}.{next(self._ts):06d}"  # now, and unique
        posted = Posted("chat.postMessage", channel, params, ts, time.monotonic())
        await self._record(lambda: self.posted.append(posted))
        return _ok(channel=channel, ts=ts, message={"text": params.get("text"), "ts": ts})

    async def _history(self, params: dict[str, Any]) -> web.Response:
        channel = str(params.get("channel") or "")
        if channel in self.channel_errors:
            return _slack_error(self.channel_errors[channel])
        oldest = float(params.get("oldest") or 0)
        with_metadata = str(params.get("include_all_metadata")).lower() in {"1", "true"}
        found = []
        for post in reversed(self.posted):  # newest first, like Slack
            if post.via != "chat.postMessage" or post.channel != channel or post.thread_ts:
                continue
            if post.ts is None or float(post.ts) < oldest:
                continue
            message: dict[str, Any] = {"type": "message", "ts": post.ts, "text": post.text}
            metadata = post.payload.get("metadata")
            if with_metadata and metadata:
                parsed = json.loads(metadata) if isinstance(metadata, str) else metadata
                message["metadata"] = parsed
            found.append(message)
        return _ok(messages=found, has_more=False)

    async def _info(self, params: dict[str, Any]) -> web.Response:
        """``conversations.info``: ``channel_errors`` says what a post would meet there."""
        channel = str(params.get("channel") or "")
        error = self.channel_errors.get(channel)
        if not channel or error in ("channel_not_found", "missing_scope"):
            return _slack_error(error or "channel_not_found")
        info = {
            "id": channel,
            "name": f"briefings-{channel.lower()}",
            "is_channel": True,
            "is_archived": error == "is_archived",
            "is_member": error != "not_in_channel",
        }
        return _ok(channel=info)

    async def _post_ephemeral(self, params: dict[str, Any]) -> web.Response:
        channel = str(params.get("channel") or "")
        if channel in self.channel_errors:
            return _slack_error(self.channel_errors[channel])
        if str(params.get("user")) not in self.users:
            return _slack_error("user_not_in_channel")
        problems = block_kit_problems(params)
        if problems:
            await self._record(lambda: self.refused.append(("chat.postEphemeral", problems)))
            return _slack_error("invalid_blocks", errors=problems)
        posted = Posted("chat.postEphemeral", channel, params, None, time.monotonic())
        await self._record(lambda: self.posted.append(posted))
        return _ok(message_ts=f"{1_750_000_000 + next(self._ts)}.000200")

    async def _users_info(self, params: dict[str, Any]) -> web.Response:
        user = self.users.get(str(params.get("user")))
        if user is None:
            return _slack_error("user_not_found")
        return _ok(user=user)

    async def _usergroup_users(self, params: dict[str, Any]) -> web.Response:
        members = self.usergroups.get(str(params.get("usergroup")))
        if members is None:
            return _slack_error("no_such_subteam")
        return _ok(users=members)

    async def _connections_open(self, params: dict[str, Any]) -> web.Response:
        return _ok(url=f"ws://127.0.0.1:{self.port}/link")

    # -- response_url ----------------------------------------------------------------------

    async def _respond(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        used = self._response_uses.get(key, 0)
        if used >= self.response_url_uses:
            return web.Response(status=404, text="used_url")
        self._response_uses[key] = used + 1
        payload = await request.json()
        problems = block_kit_problems(payload)
        if problems:
            await self._record(lambda: self.refused.append(("response_url", problems)))
            return web.Response(status=400, text="invalid_blocks")
        posted = Posted("response_url", key, payload, None, time.monotonic())
        await self._record(lambda: self.posted.append(posted))
        return web.Response(text="ok")


def _ok(**fields: Any) -> web.Response:
    return web.json_response({"ok": True, **fields})


def _slack_error(error: str, **fields: Any) -> web.Response:
    # Slack answers API errors with HTTP 200 and ok=false.
    return web.json_response({"ok": False, "error": error, **fields})


def block_kit_problems(payload: Mapping[str, Any]) -> list[str]:
    """What Slack would refuse in a message payload (empty list: acceptable)."""
    problems: list[str] = []
    blocks: Any = payload.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    text = payload.get("text")
    if not blocks and not text:
        problems.append("no text and no blocks")
    if blocks and not text:
        problems.append("blocks without a text fallback")
    if text and len(str(text)) > MAX_TEXT_FIELD:
        problems.append(f"text longer than {MAX_TEXT_FIELD}")
    if len(blocks) > MAX_BLOCKS:
        problems.append(f"{len(blocks)} blocks > {MAX_BLOCKS}")
    for index, block in enumerate(blocks):
        kind = block.get("type")
        for element in [block.get("text"), *block.get("elements", [])]:
            if isinstance(element, Mapping):
                problems += [f"block {index}: {p}" for p in _text_object_problems(element)]
        if kind == "header":
            element = block.get("text", {})
            if element.get("type") != "plain_text":
                problems.append(f"block {index}: header text must be plain_text")
            if not 0 < len(element.get("text", "")) <= MAX_HEADER_TEXT:
                problems.append(f"block {index}: header text length not in 1..{MAX_HEADER_TEXT}")
        elif kind == "section":
            element = block.get("text", {})
            if not 0 < len(element.get("text", "")) <= MAX_SECTION_TEXT:
                problems.append(f"block {index}: section text length not in 1..{MAX_SECTION_TEXT}")
        elif kind == "context":
            elements = block.get("elements", [])
            if not 0 < len(elements) <= MAX_CONTEXT_ELEMENTS:
                problems.append(f"block {index}: context needs 1..{MAX_CONTEXT_ELEMENTS} elements")
            for element in elements:
                if not 0 < len(element.get("text", "")) <= MAX_SECTION_TEXT:
                    problems.append(f"block {index}: context element text too long or empty")
        elif kind != "divider":
            problems.append(f"block {index}: unexpected block type {kind!r}")
    return problems


def _text_object_problems(element: Mapping[str, Any]) -> list[str]:
    """A text object's type and flags (docs.slack.dev, "Text object"): ``verbatim`` only on
    mrkdwn, ``emoji`` only on plain_text, both booleans."""
    kind = element.get("type")
    if kind not in ("plain_text", "mrkdwn"):
        return [f"text object of type {kind!r}"]
    problems = []
    for flag, allowed_on in (("verbatim", "mrkdwn"), ("emoji", "plain_text")):
        if flag in element:
            if kind != allowed_on:
                problems.append(f"{flag} on a {kind} text object")
            if not isinstance(element[flag], bool):
                problems.append(f"{flag} must be a boolean")
    return problems


# -- signing, as Slack does it ------------------------------------------------------------


def sign_request(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack sends with a request: timestamp and ``v0=`` HMAC-SHA256 signature."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def slash_command_payload(
    text: str,
    *,
    response_url: str,
    user_id: str = "UMEMBER",
    channel_id: str = "CBRIEF",
    team_id: str = "T0FAKE",
    command: str = "/brief",
) -> dict[str, str]:
    """The fields of a slash command invocation, as Slack sends them."""
    return {
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "team_domain": "fake",
        "channel_id": channel_id,
        "channel_name": "foreign-affairs",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": "AFAKE",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"{uuid.uuid4().int % 10**10}.{uuid.uuid4().int % 10**10}.fake",
    }


def slash_command_body(text: str, **fields: Any) -> str:
    """A slash command POST body (form-encoded), ready to sign."""
    return urlencode(slash_command_payload(text, **fields))
