"""A fake Discord on 127.0.0.1 for tests and benchmarks: the real discord.py talks to it.

One aiohttp server, one port, two faces (DESIGN "Testing against the real libraries"):

    /api/v10/...    the REST API discord.py uses: ``GET /users/@me``,
                    ``GET /oauth2/applications/@me``, ``GET /gateway/bot`` (the gateway URL,
                    the recommended shard count, the session start limit), command sync
                    (``PUT /applications/{app}/commands``, ``.../guilds/{g}/commands``),
                    interaction callbacks (``POST /interactions/{id}/{token}/callback``),
                    followups and the original response (``/webhooks/{app}/{token}...``),
                    ``GET /channels/{id}``, ``POST /channels/{id}/messages`` and the channel's
                    history, ``GET /channels/{id}/messages`` (newest first, ``limit``,
                    ``after``, ``before``; without nonces, as Discord's history has none).
                    Anything else answers 404 like Discord.
    /gateway        the gateway websocket: HELLO -> (heartbeats acked) IDENTIFY -> READY ->
                    GUILD_CREATE for every guild; then whatever a test dispatches
                    (:meth:`DiscordFake.send_interaction`).  RESUME of a known session
                    answers RESUMED, of an unknown one INVALID_SESSION (op 9);
                    :meth:`DiscordFake.disconnect` drops connections as Discord's restarts do.

Sharding as Discord does it: an IDENTIFY carrying ``shard: [id, count]`` makes that connection
the shard's (an impossible pair is closed with 4010 "Invalid shard"); its READY echoes the pair
and lists, like the GUILD_CREATEs after it, only the guilds on that shard
(``(guild_id >> 22) % count``, :func:`shard_of`); every event about a guild, interactions
included, goes only to the connections of the shard that owns it (events without a guild to
shard 0).  A connection identified without ``shard`` is a single shard that sees every guild.

Behaving like Discord where it matters to a bot:

* the bot token is checked on every REST call (401 otherwise);
* every message payload (content, embeds, ``allowed_mentions``) is checked against Discord's
  documented limits and refused with 400 / code 50035 "Invalid Form Body", so a renderer bug
  shows up as a failed post, not as a silent pass;
* an interaction may be acknowledged once, and only within ``ack_deadline`` seconds of its
  INTERACTION_CREATE (later: 404 / 10062 "Unknown interaction"; twice: 400 / 40060);
* per-channel answers: :meth:`channel_status` (403 Missing Access, 404 Unknown Channel, 500 ...;
  reading the channel or its history meets the same 403/404), :meth:`rate_limit_channel` (the
  next N posts answer 429 with ``retry_after``), :meth:`fail_posts` (after N posts go through,
  the next ones fail: the second part of a briefing);
* ``nonce`` (at most 25 characters) with ``enforce_nonce``: a repeat of a nonce within
  ``nonce_window`` seconds (Discord says "a few minutes") answers the earlier message instead
  of posting again (counted in :attr:`nonce_replays`), or 404 / 10008 if it was deleted
  (:meth:`delete_message`);
* optional rate-limit enforcement (``enforce_rate_limits=True``): per-route buckets with the
  real ``X-RateLimit-*`` headers; a request over the limit gets a 429 and is counted in
  ``rate_limit_violations`` (a well-behaved client never triggers one).
* mentions are resolved as Discord does (:func:`message_mentions`: ``@everyone``/``@here``,
  ``<@id>``, ``<@!id>``, ``<@&id>`` in the content, filtered by ``allowed_mentions``, whose
  absence means "parse everything"), on new messages and on edits alike; every message that
  would notify someone is listed in :attr:`DiscordFake.pings`.

Everything is recorded (:attr:`requests`, :attr:`identifies`, :attr:`synced`); tests wait on
what they expect with :meth:`DiscordFake.wait_for` because failures inside discord.py only log.
Responses carry ``Content-Type: application/json`` exactly: discord.py parses nothing else.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes._server import LocalAiohttpServer

API_PREFIX = "/api/v10"
INVALID_SHARD = 4010  # gateway close code
DISCORD_EPOCH_MS = 1420070400000
EPHEMERAL = 1 << 6
MANAGE_CHANNELS = 1 << 4
NONCE_LIMIT = 25  # characters
# What an ordinary member may do in a channel: view, send, read history, use app commands.
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 16) | (1 << 31)
ADMIN_PERMISSIONS = MEMBER_PERMISSIONS | MANAGE_CHANNELS

# Discord's documented message limits.
CONTENT_LIMIT = 2000
EMBEDS_LIMIT = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER_TEXT = 2048
AUTHOR_NAME = 256
EMBED_TOTAL = 6000
AUTOCOMPLETE_CHOICES = 25


def shard_of(guild_id: int | str, shard_count: int) -> int:
    """The shard that owns a guild, by Discord's formula."""
    return (int(guild_id) >> 22) % shard_count


@dataclass(frozen=True)
class Request:
    """One REST call as the fake received it, with the status it answered."""

    method: str
    path: str  # below /api/v10, e.g. "/interactions/1/tok/callback"
    query: Mapping[str, str]
    body: Any
    headers: Mapping[str, str]
    status: int
    at: float

    @property
    def json(self) -> Any:
        return self.body


@dataclass
class _Interaction:
    id: str
    token: str
    sent_at: float
    channel_id: str
    acknowledged: bool = False
    original: dict[str, Any] | None = None
    deleted: bool = False
    followups: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Bucket:
    remaining: int
    reset_at: float


def message_problems(payload: Mapping[str, Any]) -> list[str]:
    """Why Discord would refuse this message payload (empty list: it is fine)."""
    problems: list[str] = []
    content = payload.get("content") or ""
    embeds = payload.get("embeds") or []
    if len(content) > CONTENT_LIMIT:
        problems.append(f"content: {len(content)} > {CONTENT_LIMIT}")
    if len(embeds) > EMBEDS_LIMIT:
        problems.append(f"embeds: {len(embeds)} > {EMBEDS_LIMIT}")
    total = 0
    for index, embed in enumerate(embeds):
        where = f"embeds.{index}"
        title = embed.get("title") or ""
        description = embed.get("description") or ""
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        fields = embed.get("fields") or []
        for name, value, limit in (
            ("title", title, EMBED_TITLE),
            ("description", description, EMBED_DESCRIPTION),
            ("footer.text", footer, FOOTER_TEXT),
            ("author.name", author, AUTHOR_NAME),
        ):
            if len(value) > limit:
                problems.append(f"{where}.{name}: {len(value)} > {limit}")
        if len(fields) > EMBED_FIELDS:
            problems.append(f"{where}.fields: {len(fields)} > {EMBED_FIELDS}")
        for f_index, item in enumerate(fields):
            if len(item.get("name") or "") > FIELD_NAME:
                problems.append(f"{where}.fields.{f_index}.name too long")
            if len(item.get("value") or "") > FIELD_VALUE:
                problems.append(f"{where}.fields.{f_index}.value too long")
        url = embed.get("url")
        if url is not None and not re.match(r"^https?://\S+$", url):
            problems.append(f"{where}.url: not a well formed URL")
        if "timestamp" in embed:
            try:
                datetime.fromisoformat(str(embed["timestamp"]).replace("Z", "+00:00"))
            except ValueError:
                problems.append(f"{where}.timestamp: not ISO 8601")
        if not (title or description or fields or footer or author):
            problems.append(f"{where}: empty embed")
        total += len(title) + len(description) + len(footer) + len(author)
        total += sum(len(i.get("name") or "") + len(i.get("value") or "") for i in fields)
    if total > EMBED_TOTAL:
        problems.append(f"embeds: {total} characters > {EMBED_TOTAL}")
    if not content and not embeds:
        problems.append("message: cannot send an empty message")
    return problems


_EVERYONE = re.compile(r"@(everyone|here)")
_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


def message_mentions(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Who Discord would notify for this message (or edit): ``everyone`` (an ``@everyone`` or
    ``@here`` that counts), ``users`` and ``roles`` (ids).  Only the content can mention;
    ``allowed_mentions`` limits what counts, and without it everything does (Discord's
    default).  An empty result means the message pings nobody."""
    content = str(payload.get("content") or "")
    allowed = payload.get("allowed_mentions")
    if allowed is None:
        parse, users, roles = {"everyone", "users", "roles"}, set(), set()
    else:
        parse = set(allowed.get("parse") or ())
        users = {str(u) for u in allowed.get("users") or ()}
        roles = {str(r) for r in allowed.get("roles") or ()}
    found: dict[str, Any] = {}
    if "everyone" in parse and _EVERYONE.search(content):
        found["everyone"] = True
    mentioned_users = [u for u in _USER_MENTION.findall(content) if "users" in parse or u in users]
    mentioned_roles = [r for r in _ROLE_MENTION.findall(content) if "roles" in parse or r in roles]
    if mentioned_users:
        found["users"] = mentioned_users
    if mentioned_roles:
        found["roles"] = mentioned_roles
    return found


_MARKUP = frozenset("*_~|`[]")
_LINE_SYNTAX = re.compile(r"^\s*(#|>|-|\+|\*|\d+[.)](\s|$))")
_ANY_LINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_MENTION_SYNTAX = re.compile(r"@(everyone|here)|<(@|#|/|:|a:|t:|id:|https?:)", re.IGNORECASE)
_ALLOWED_FORMAT = frozenset("\u200b\u200c\u200d")  # zero-width space, ZWNJ, ZWJ


def live_syntax(text: str, *, markdown: bool = True) -> list[str]:
    """What in ``text`` Discord would turn into something other than the characters shown:
    mentions and Discord's ``<...>`` syntax (also after Unicode NFKC folding, so fullwidth
    look-alikes count), links (any ``scheme://``), invisible or direction-changing
    characters, and, where markdown renders (``markdown=True``: content, embed title and
    description), unescaped markdown characters and line-start syntax (headings, quotes,
    lists).  A backslash before punctuation escapes it, as in Discord.  Written from
    Discord's documentation, independently of the renderer; an empty list means inert."""
    problems: list[str] = []
    folded = unicodedata.normalize("NFKC", text)
    if m := _MENTION_SYNTAX.search(folded):
        problems.append(f"mention syntax {m.group(0)!r}")
    if m := _ANY_LINK.search(folded):
        problems.append(f"link {m.group(0)!r}")
    for ch in text:
        category = unicodedata.category(ch)
        if (category == "Cf" and ch not in _ALLOWED_FORMAT) or category == "Cs":
            problems.append(f"invisible U+{ord(ch):04X}")
        elif category == "Cc" and ch != "\n":
            problems.append(f"control U+{ord(ch):04X}")
    if not markdown:
        return problems
    index = 0
    while index < len(text):
        ch = text[index]
        if ch == "\\" and index + 1 < len(text):
            after = text[index + 1]
            if not after.isalnum() and not after.isspace():
                index += 2  # an escaped character: shown as itself
                continue
        if ch in _MARKUP:
            problems.append(f"markdown {ch!r} at {index}")
        index += 1
    for line in text.split("\n"):
        if m := _LINE_SYNTAX.match(line):
            problems.append(f"line syntax {m.group(1)!r} in {line[:40]!r}")
    return problems


def option(name: str, value: Any, kind: int = 3, *, focused: bool = False) -> dict[str, Any]:
    """One command option as Discord sends it (3 string, 4 integer; ``focused`` while typing)."""
    found: dict[str, Any] = {"name": name, "type": kind, "value": value}
    if focused:
        found["focused"] = True
    return found


class DiscordFake(LocalAiohttpServer):
    """The fake Discord.  ``async with DiscordFake() as fake:`` then point discord.py at it."""

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        application_id: int = 100000000000000001,
        guild_ids: Sequence[int] = (200000000000000001,),
        channel_ids: Sequence[int] = (300000000000000001,),
        ack_deadline: float = 3.0,
        enforce_rate_limits: bool = False,
        bucket_size: int = 5,
        bucket_window: float = 1.0,
        nonce_window: float = 300.0,
        recommended_shards: int = 1,
    ) -> None:
        self.token = token
        self.application_id = str(application_id)
        self.bot_user_id = str(application_id)
        self.guild_ids = [str(g) for g in guild_ids]
        self.channel_ids = [str(c) for c in channel_ids]
        self.ack_deadline = ack_deadline
        self.enforce_rate_limits = enforce_rate_limits
        self.bucket_size = bucket_size
        self.bucket_window = bucket_window
        self.nonce_window = nonce_window
        self.recommended_shards = recommended_shards  # ``GET /gateway/bot``'s ``shards``

        self.requests: list[Request] = []
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.sessions: set[str] = set()  # clear it to make the next RESUME fail (op 9)
        self.synced: dict[str | None, list[dict[str, Any]]] = {}  # guild id (None: global)
        self.channel_messages: dict[str, list[dict[str, Any]]] = {}
        self.nonce_replays = 0  # posts answered with an earlier message (``enforce_nonce``)
        self.rate_limit_violations = 0
        self.refused: list[tuple[str, list[str]]] = []  # (path, problems)
        self.pings: list[tuple[str, dict[str, Any]]] = []  # (path, message_mentions)
        self.port = 0

        self._channel_status: dict[str, int] = {}
        self._channel_429s: dict[str, tuple[int, float]] = {}
        self._post_failures: dict[str, list[list[int]]] = {}  # channel -> [[skip, times, status]]
        self._nonces: dict[str, tuple[float, dict[str, Any]]] = {}  # nonce -> (when, message)
        self._deleted: set[str] = set()  # message ids
        self._buckets: dict[str, _Bucket] = {}
        self._interactions: dict[str, _Interaction] = {}
        self._snowflakes = itertools.count(1)
        self._seq = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        # the (shard id, shard count) each connection identified as (None: unsharded)
        self._socket_shard: dict[web.WebSocketResponse, tuple[int, int] | None] = {}
        self._session_shard: dict[str, tuple[int, int] | None] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None

    # -- addresses -----------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        """For ``DISCORD_API_BASE_URL`` (``discord.http.Route.BASE``)."""
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """For ``DISCORD_GATEWAY_URL`` (``DiscordWebSocket.DEFAULT_GATEWAY``)."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- configuration -------------------------------------------------------------------

    def channel_status(self, channel_id: int | str, status: int) -> None:
        """Posts to this channel answer ``status`` (403, 404, 500, ...) until changed."""
        self._channel_status[str(channel_id)] = status

    def rate_limit_channel(
        self, channel_id: int | str, *, times: int = 1, retry_after: float = 0.05
    ) -> None:
        """The next ``times`` posts to this channel answer 429 with ``retry_after``."""
        self._channel_429s[str(channel_id)] = (times, retry_after)

    def fail_posts(
        self, channel_id: int | str, *, skip: int = 0, times: int = 1, status: int = 503
    ) -> None:
        """After the next ``skip`` posts to this channel go through, ``times`` posts answer
        ``status`` (503 by default: discord.py does not retry it itself)."""
        self._post_failures.setdefault(str(channel_id), []).append([skip, times, status])

    def delete_message(self, channel_id: int | str, message_id: int | str) -> None:
        """A moderator deletes a message the bot posted to a channel."""
        kept = self.channel_messages.get(str(channel_id), [])
        self.channel_messages[str(channel_id)] = [m for m in kept if m["id"] != str(message_id)]
        self._deleted.add(str(message_id))

    # -- lifecycle -----------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        return app

    # -- reading what happened -----------------------------------------------------------

    def calls(self, method: str, pattern: str) -> list[Request]:
        """Recorded requests whose method matches and whose path fully matches ``pattern``."""
        rx = re.compile(pattern)
        return [r for r in self.requests if r.method == method and rx.fullmatch(r.path)]

    def interaction_requests(self, interaction: Mapping[str, Any]) -> list[Request]:
        """Every callback / webhook request made for one interaction, in order."""
        token = interaction["token"]
        return [r for r in self.requests if f"/{token}" in r.path]

    def original_message(self, interaction: Mapping[str, Any]) -> dict[str, Any] | None:
        """The interaction's response message as it stands now (after edits); None when it
        was never created or was deleted."""
        state = self._interactions.get(str(interaction["token"]))
        if state is None or state.original is None or state.deleted:
            return None
        return state.original

    def followup_messages(self, interaction: Mapping[str, Any]) -> list[dict[str, Any]]:
        state = self._interactions.get(str(interaction["token"]))
        return list(state.followups) if state is not None else []

    @property
    def connected(self) -> bool:
        return any(not ws.closed for ws in self._sockets)

    def live_shards(self) -> list[tuple[int, int] | None]:
        """The shard of every open, identified (or resumed) connection, in connection order;
        None for a connection without sharding."""
        return [
            self._socket_shard[ws]
            for ws in self._sockets
            if not ws.closed and ws in self._socket_shard
        ]

    async def wait_for(self, condition: Callable[[], Any], within: float = 5.0) -> Any:
        """Wait until ``condition()`` is truthy (re-checked on every recorded event); return it."""
        result: Any = None

        def check() -> bool:
            nonlocal result
            result = condition()
            return bool(result)

        async def _wait() -> None:
            async with self._changed:
                await self._changed.wait_for(check)

        try:
            await asyncio.wait_for(_wait(), within)
        except TimeoutError:
            seen = [f"{r.method} {r.path} -> {r.status}" for r in self.requests]
            raise AssertionError(
                f"fake Discord: condition not met within {within}s; requests so far: {seen}; "
                f"refused: {self.refused}"
            ) from None
        return result

    async def wait_for_request(
        self, method: str, pattern: str, *, count: int = 1, within: float = 5.0
    ) -> list[Request]:
        found: list[Request] = await self.wait_for(
            lambda: (calls := self.calls(method, pattern)) and len(calls) >= count and calls,
            within,
        )
        return found

    def answers(self, interaction: Mapping[str, Any]) -> list[Request]:
        """The requests that carried the interaction's answer, in order: edits of the deferred
        response (``PATCH .../messages/@original``) and followups (``POST``)."""
        token = interaction["token"]
        base = f"/webhooks/{self.application_id}/{token}"
        return [
            r
            for r in self.requests
            if (r.method == "PATCH" and r.path == base + "/messages/@original")
            or (r.method == "POST" and r.path == base)
        ]

    async def wait_for_answers(
        self, interaction: Mapping[str, Any], count: int = 1, *, within: float = 5.0
    ) -> tuple[Request, list[Request]]:
        """The interaction's callback and the first ``count`` requests of its answer."""
        [callback] = await self.wait_for_request(
            "POST",
            rf"/interactions/{interaction['id']}/{interaction['token']}/callback",
            within=within,
        )
        found: list[Request] = await self.wait_for(
            lambda: len(answers := self.answers(interaction)) >= count and answers, within
        )
        return callback, found[:count]

    async def wait_connected(self, within: float = 5.0) -> None:
        """Until a client has identified and received READY + GUILD_CREATE."""
        await self.wait_for(lambda: self.identifies and self.connected, within)

    async def _changed_now(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- building and sending events -----------------------------------------------------

    def snowflake(self) -> str:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return str((ms << 22) | (next(self._snowflakes) & 0x3FFFFF))

    def user(self, user_id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
        return {
            "id": user_id,
            "username": name,
            "global_name": name,
            "discriminator": "0",
            "avatar": None,
            "bot": bot,
            "public_flags": 0,
        }

    @property
    def bot_user(self) -> dict[str, Any]:
        return self.user(self.bot_user_id, "briefbot", bot=True)

    def member(
        self, user_id: str = "400000000000000001", *, permissions: int = ADMIN_PERMISSIONS
    ) -> dict[str, Any]:
        return {
            "user": self.user(user_id, f"user{user_id[-3:]}"),
            "roles": [],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "permissions": str(permissions),
        }

    def _channel(self, channel_id: str, guild_id: str) -> dict[str, Any]:
        return {
            "id": channel_id,
            "type": 0,
            "guild_id": guild_id,
            "name": f"briefings-{channel_id[-3:]}",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }

    def _guild(self, guild_id: str) -> dict[str, Any]:
        return {
            "id": guild_id,
            "name": f"guild {guild_id[-3:]}",
            "icon": None,
            "owner_id": "400000000000000001",
            "unavailable": False,
            "member_count": 2,
            "large": False,
            "features": [],
            "roles": [
                {
                    "id": guild_id,
                    "name": "@everyone",
                    "permissions": str(MEMBER_PERMISSIONS),
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "emojis": [],
            "stickers": [],
            "channels": [self._channel(c, guild_id) for c in self.channel_ids],
            "threads": [],
            "members": [{**self.member(self.bot_user_id), "user": self.bot_user}],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "system_channel_flags": 0,
            "nsfw_level": 0,
        }

    def _owns(self, ws: web.WebSocketResponse, guild_id: str | None) -> bool:
        """Whether Discord would send this connection an event about ``guild_id`` (None: an
        event without a guild, which goes to shard 0)."""
        shard = self._socket_shard.get(ws)
        if shard is None:  # unsharded (or not identified yet): every guild
            return True
        shard_id, count = shard
        return shard_id == (0 if guild_id is None else shard_of(guild_id, count))

    async def dispatch(self, event: str, data: Mapping[str, Any]) -> None:
        """Send a DISPATCH (op 0) event to every connected client that should see it: with
        sharding, only the connections of the shard owning ``data["guild_id"]``."""
        frame = json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data})
        live = [ws for ws in self._sockets if not ws.closed]
        if not live:
            raise AssertionError("fake Discord: no client is connected to the gateway")
        guild_id = data.get("guild_id")
        owners = [ws for ws in live if self._owns(ws, None if guild_id is None else str(guild_id))]
        if not owners:
            raise AssertionError(
                f"fake Discord: no connected shard owns guild {guild_id} "
                f"(connected shards: {self.live_shards()})"
            )
        for ws in owners:
            await ws.send_str(frame)

    async def disconnect(self, code: int = 4000) -> None:
        """Drop every gateway connection, as Discord does during its restarts (4000: unknown
        error, the client should resume)."""
        for ws in list(self._sockets):
            await ws.close(code=code, message=b"fake Discord: going away")
        await self._changed_now()

    def _command_id(self, name: str, guild_id: str | None) -> str:
        for scope in (guild_id, None):
            for command in self.synced.get(scope, []):
                if command["name"] == name:
                    return str(command["id"])
        return self.snowflake()

    def interaction(
        self,
        name: str,
        options: Sequence[Mapping[str, Any]] = (),
        *,
        subcommand: str | None = None,
        autocomplete: bool = False,
        guild_id: str | None = None,
        channel_id: str | None = None,
        user_id: str = "400000000000000001",
        permissions: int = ADMIN_PERMISSIONS,
    ) -> dict[str, Any]:
        """An INTERACTION_CREATE payload for ``/name [group] [subcommand] options`` (or
        autocomplete); ``subcommand`` is ``"list"`` or, inside a group, ``"source add"``.

        ``options`` are ``{"name", "type", "value"[, "focused"]}`` dicts as Discord sends them.
        """
        guild_id = guild_id or self.guild_ids[0]
        channel_id = channel_id or self.channel_ids[0]
        opts: list[dict[str, Any]] = [dict(o) for o in options]
        if subcommand:  # "list", or "source add": a subcommand inside a group (type 2)
            *group, leaf = subcommand.split()
            opts = [{"name": leaf, "type": 1, "options": opts}]
            for group_name in reversed(group):
                opts = [{"name": group_name, "type": 2, "options": opts}]
        data: dict[str, Any] = {
            "id": self._command_id(name, guild_id),
            "name": name,
            "type": 1,
            "options": opts,
        }
        if guild_id in self.synced:
            data["guild_id"] = guild_id
        return {
            "id": self.snowflake(),
            "application_id": self.application_id,
            "type": 4 if autocomplete else 2,
            "token": f"itok{self.snowflake()}",
            "version": 1,
            "guild_id": guild_id,
            "channel_id": channel_id,
            "channel": self._channel(channel_id, guild_id),
            "member": self.member(user_id, permissions=permissions),
            "data": data,
            "app_permissions": str(ADMIN_PERMISSIONS),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": guild_id},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }

    async def send_interaction(self, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        """Dispatch INTERACTION_CREATE; the ack deadline starts now.  Returns the payload."""
        self._interactions[str(payload["token"])] = _Interaction(
            id=str(payload["id"]),
            token=str(payload["token"]),
            sent_at=time.monotonic(),
            channel_id=str(payload["channel_id"]),
        )
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    # -- the gateway -----------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 41250}})
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                op = frame.get("op")
                if op == 1:  # heartbeat
                    await ws.send_json({"op": 11})
                elif op == 2:  # identify
                    await self._identify(ws, frame["d"])
                elif op == 6:  # resume: known session -> RESUMED, else a fresh identify
                    await self._resume(ws, frame["d"])
        finally:
            self._socket_shard.pop(ws, None)
            await self._changed_now()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        shard = data.get("shard")
        if shard is not None and not (
            isinstance(shard, list)
            and len(shard) == 2
            and all(isinstance(n, int) for n in shard)
            and 0 <= shard[0] < shard[1]
        ):
            await ws.close(code=INVALID_SHARD, message=b"Invalid shard.")
            return
        self.identifies.append(data)
        session = f"session-{len(self.identifies)}"
        self.sessions.add(session)
        pair = (shard[0], shard[1]) if shard is not None else None
        self._socket_shard[ws] = self._session_shard[session] = pair
        guilds = [g for g in self.guild_ids if self._owns(ws, g)]
        ready: dict[str, Any] = {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": g, "unavailable": True} for g in guilds],
            "session_id": session,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": self.application_id, "flags": 0},
            "private_channels": [],
        }
        if pair is not None:
            ready["shard"] = list(pair)
        await ws.send_json({"op": 0, "t": "READY", "s": next(self._seq), "d": ready})
        for guild_id in guilds:
            frame = {"op": 0, "t": "GUILD_CREATE", "s": next(self._seq), "d": self._guild(guild_id)}
            await ws.send_json(frame)
        await self._changed_now()

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        if data.get("session_id") not in self.sessions:
            await ws.send_json({"op": 9, "d": False})  # invalid session: identify again
            return
        self.resumes.append(data)
        self._socket_shard[ws] = self._session_shard.get(data["session_id"])
        await ws.send_json({"op": 0, "t": "RESUMED", "s": next(self._seq), "d": {}})
        await self._changed_now()

    # -- REST ------------------------------------------------------------------------------

    def _json(self, status: int, data: Any = None) -> web.Response:
        if status == 204:
            return web.Response(status=204)
        return web.Response(
            status=status,
            body=json.dumps(data).encode(),
            headers={"Content-Type": "application/json"},
        )

    def _error(self, status: int, code: int, message: str, **extra: Any) -> web.Response:
        return self._json(status, {"code": code, "message": message, **extra})

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        raw = await request.read()
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        key = self._bucket_key(request.method, path)
        response = self._rate_limit(key) or await self._answer(request, path, body)
        response.headers.update(self._rate_headers(key))
        self.requests.append(
            Request(
                method=request.method,
                path=path,
                query=dict(request.query),
                body=body,
                headers=dict(request.headers),
                status=response.status,
                at=time.monotonic(),
            )
        )
        await self._changed_now()
        return response

    async def _answer(self, request: web.Request, path: str, body: Any) -> web.Response:
        method = request.method
        is_webhook = path.startswith(("/interactions/", "/webhooks/"))
        if not is_webhook and request.headers.get("Authorization") != f"Bot {self.token}":
            return self._error(401, 0, "401: Unauthorized")

        app = self.application_id
        if method == "GET" and path == "/users/@me":
            return self._json(200, self.bot_user)
        if method == "GET" and path == "/oauth2/applications/@me":
            return self._json(200, self._application())
        if method == "GET" and path == "/gateway/bot":
            return self._json(200, self._gateway_bot())
        if m := re.fullmatch(rf"/applications/{app}(?:/guilds/(\d+))?/commands", path):
            return self._sync(method, m.group(1), body)
        if method == "POST" and (m := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path)):
            return self._callback(m.group(1), m.group(2), body)
        if m := re.fullmatch(rf"/webhooks/{app}/([^/]+)(/messages/(@original|\d+))?", path):
            return self._webhook(method, m.group(1), m.group(3), body)
        if method == "POST" and (m := re.fullmatch(r"/channels/(\d+)/messages", path)):
            return self._channel_post(m.group(1), body)
        if method == "GET" and (m := re.fullmatch(r"/channels/(\d+)/messages", path)):
            return self._channel_history(m.group(1), request.query)
        if method == "GET" and (m := re.fullmatch(r"/channels/(\d+)", path)):
            return self._channel_get(m.group(1))
        return self._error(404, 0, "404: Not Found")

    @staticmethod
    def _bucket_key(method: str, path: str) -> str:
        """Route template + major parameter (channel, guild, webhook), as Discord buckets."""
        major = re.match(r"/(channels|guilds|webhooks|interactions)/(\d+)", path)
        template = re.sub(r"\d{5,}", "{id}", path)
        template = re.sub(r"/(webhooks/\{id\}|interactions/\{id\})/[^/]+", r"/\1/{token}", template)
        return f"{method} {template} {major.group(0) if major else ''}"

    def _too_many(self, retry_after: float, *, scope: str = "user") -> web.Response:
        response = self._json(
            429,
            {"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
        )
        # discord.py treats a 429 without ``Via`` as a Cloudflare ban; Discord's carry one.
        response.headers.update(
            {"Via": "1.1 google", "Retry-After": f"{retry_after:.3f}", "X-RateLimit-Scope": scope}
        )
        return response

    def _rate_limit(self, key: str) -> web.Response | None:
        if not self.enforce_rate_limits:
            return None
        now = time.monotonic()
        bucket = self._buckets.get(key)
        if bucket is None or now >= bucket.reset_at:
            bucket = self._buckets[key] = _Bucket(self.bucket_size, now + self.bucket_window)
        if bucket.remaining <= 0:
            self.rate_limit_violations += 1
            return self._too_many(max(bucket.reset_at - now, 0.001))
        bucket.remaining -= 1
        return None

    def _rate_headers(self, key: str) -> dict[str, str]:
        bucket = self._buckets.get(key)
        if not self.enforce_rate_limits or bucket is None:
            return {}
        return {
            "X-RateLimit-Limit": str(self.bucket_size),
            "X-RateLimit-Remaining": str(max(bucket.remaining, 0)),
            "X-RateLimit-Reset-After": f"{max(bucket.reset_at - time.monotonic(), 0.0):.3f}",
            "X-RateLimit-Bucket": f"b{abs(hash(key)):x}",
        }

    def _application(self) -> dict[str, Any]:
        return {
            "id": self.application_id,
            "name": "briefbot",
            "icon": None,
            "description": "",
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": self.user("400000000000000001", "owner"),
            "verify_key": "0" * 64,
            "flags": 0,
            "summary": "",
            "team": None,
            "interactions_endpoint_url": None,
        }

    def _gateway_bot(self) -> dict[str, Any]:
        """``GET /gateway/bot``: where to connect, how many shards Discord recommends, and
        how many sessions may still start today (each IDENTIFY uses one)."""
        total = 1000
        return {
            "url": self.gateway_url,
            "shards": self.recommended_shards,
            "session_start_limit": {
                "total": total,
                "remaining": max(total - len(self.identifies), 0),
                "reset_after": 86_400_000,
                "max_concurrency": 1,
            },
        }

    def _sync(self, method: str, guild_id: str | None, body: Any) -> web.Response:
        if method == "GET":
            return self._json(200, self.synced.get(guild_id, []))
        if method != "PUT" or not isinstance(body, list):
            return self._error(405, 0, "405: Method Not Allowed")
        stored = []
        for command in body:
            saved = {
                "type": 1,
                **command,
                "id": self._command_id(command["name"], guild_id)
                if guild_id in self.synced or None in self.synced
                else self.snowflake(),
                "application_id": self.application_id,
                "version": self.snowflake(),
            }
            if guild_id:
                saved["guild_id"] = guild_id
            stored.append(saved)
        self.synced[guild_id] = stored
        return self._json(200, stored)

    def _message(
        self, channel_id: str, payload: Mapping[str, Any], *, webhook: bool = False
    ) -> dict[str, Any]:
        mentions = message_mentions(payload)
        return {
            "id": self.snowflake(),
            "type": 0,
            "channel_id": channel_id,
            "author": self.bot_user,
            "content": payload.get("content") or "",
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": bool(mentions.get("everyone")),
            "mentions": [self.user(u, f"user{u[-3:]}") for u in mentions.get("users", [])],
            "mention_roles": list(mentions.get("roles", [])),
            "attachments": [],
            "embeds": list(payload.get("embeds") or []),
            "pinned": False,
            "flags": int(payload.get("flags") or 0),
            "components": [],
            **({"webhook_id": self.application_id} if webhook else {}),
        }

    def _invalid(self, path: str, payload: Any) -> web.Response | None:
        if not isinstance(payload, dict):
            return self._error(400, 50109, "The request body contains invalid JSON.")
        problems = message_problems(payload)
        if problems:
            self.refused.append((path, problems))
            return self._error(400, 50035, "Invalid Form Body", errors={"problems": problems})
        mentions = message_mentions(payload)
        if mentions:
            self.pings.append((path, mentions))
        return None

    def _callback(self, interaction_id: str, token: str, body: Any) -> web.Response:
        state = self._interactions.get(token)
        if state is None or state.id != interaction_id:
            return self._error(404, 10062, "Unknown interaction")
        if time.monotonic() - state.sent_at > self.ack_deadline:
            return self._error(404, 10062, "Unknown interaction")
        if state.acknowledged:
            return self._error(400, 40060, "Interaction has already been acknowledged.")
        kind = int(body.get("type", 0)) if isinstance(body, dict) else 0
        data = (body.get("data") if isinstance(body, dict) else None) or {}
        if kind == 4 and (bad := self._invalid(f"/interactions/{interaction_id}/callback", data)):
            return bad
        if kind == 8 and len(data.get("choices", [])) > AUTOCOMPLETE_CHOICES:
            return self._error(400, 50035, "Invalid Form Body")
        state.acknowledged = True
        answer: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": 2,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(int(data.get("flags") or 0) & EPHEMERAL),
            }
        }
        if kind in (4, 5):
            original = self._message(state.channel_id, data if kind == 4 else {}, webhook=True)
            original["flags"] = int(data.get("flags") or 0) | (128 if kind == 5 else 0)
            state.original = original
            answer["interaction"]["response_message_id"] = original["id"]
            answer["resource"] = {"type": kind, "message": original}
        else:
            answer["resource"] = {"type": kind}
        return self._json(200, answer)

    def _webhook(self, method: str, token: str, message: str | None, body: Any) -> web.Response:
        state = self._interactions.get(token)
        if state is None or not state.acknowledged:
            return self._error(404, 10015, "Unknown Webhook")
        if message is None:  # POST: a followup message
            if method != "POST":
                return self._error(405, 0, "405: Method Not Allowed")
            if bad := self._invalid(f"/webhooks/{token}", body):
                return bad
            sent = self._message(state.channel_id, body, webhook=True)
            state.followups.append(sent)
            return self._json(200, sent)
        if message == "@original":
            if state.original is None or state.deleted:
                return self._error(404, 10008, "Unknown Message")
            if method == "DELETE":
                state.deleted = True
                return self._json(204)
            if method == "PATCH":
                if bad := self._invalid(f"/webhooks/{token}/messages/@original", body):
                    return bad
                mentions = message_mentions(body)
                state.original.update(
                    content=body.get("content") or "",
                    embeds=list(body.get("embeds") or []),
                    mention_everyone=bool(mentions.get("everyone")),
                    mention_roles=list(mentions.get("roles", [])),
                )
                state.original["flags"] &= ~128
                return self._json(200, state.original)
            return self._json(200, state.original)
        return self._error(404, 10008, "Unknown Message")

    def _closed(self, channel_id: str) -> web.Response | None:
        """The answer of a channel the bot may not use (``channel_status`` 403 or 404)."""
        status = self._channel_status.get(channel_id)
        if status == 403:
            return self._error(403, 50001, "Missing Access")
        if status == 404:
            return self._error(404, 10003, "Unknown Channel")
        return None

    def _channel_get(self, channel_id: str) -> web.Response:
        if closed := self._closed(channel_id):
            return closed
        if channel_id not in self.channel_ids and channel_id not in self.channel_messages:
            return self._error(404, 10003, "Unknown Channel")
        return self._json(200, self._channel(channel_id, self.guild_ids[0]))

    def _channel_history(self, channel_id: str, query: Mapping[str, str]) -> web.Response:
        if closed := self._closed(channel_id):
            return closed
        try:
            limit = min(max(int(query.get("limit", "50")), 1), 100)
            after = int(query.get("after", "0"))
            before = int(query.get("before", str(2**64)))
        except ValueError:
            return self._error(400, 50035, "Invalid Form Body")
        found = [
            {key: value for key, value in message.items() if key != "nonce"}
            for message in reversed(self.channel_messages.get(channel_id, []))
            if after < int(message["id"]) < before
        ]
        return self._json(200, found[:limit])

    def _channel_post(self, channel_id: str, body: Any) -> web.Response:
        if closed := self._closed(channel_id):
            return closed
        status = self._channel_status.get(channel_id)
        if status is not None and status >= 500:
            return self._error(status, 0, "500: Internal Server Error")
        failures = self._post_failures.get(channel_id)
        if failures:
            if failures[0][0] > 0:
                failures[0][0] -= 1
            else:
                failures[0][1] -= 1
                failing = failures[0][2]
                if failures[0][1] <= 0:
                    failures.pop(0)
                return self._error(failing, 0, f"{failing}: Service Unavailable")
        if channel_id in self._channel_429s:
            times, retry_after = self._channel_429s[channel_id]
            if times > 0:
                self._channel_429s[channel_id] = (times - 1, retry_after)
                return self._too_many(retry_after)
        if bad := self._invalid(f"/channels/{channel_id}/messages", body):
            return bad
        nonce = body.get("nonce")
        if nonce is not None and len(str(nonce)) > NONCE_LIMIT:
            return self._error(400, 50035, "Invalid Form Body", errors={"nonce": "too long"})
        if nonce is not None and body.get("enforce_nonce"):
            # Discord: "if another message was created by the same author with the same nonce
            # [within a few minutes], that message will be returned and no new message will be
            # created"; one deleted since answers 404 Unknown Message.
            earlier = self._nonces.get(str(nonce))
            if earlier is not None and time.monotonic() - earlier[0] <= self.nonce_window:
                self.nonce_replays += 1
                if earlier[1]["id"] in self._deleted:
                    return self._error(404, 10008, "Unknown Message")
                return self._json(200, earlier[1])
        sent = self._message(channel_id, body)
        if nonce is not None:
            sent["nonce"] = str(nonce)
            self._nonces[str(nonce)] = (time.monotonic(), sent)
        self.channel_messages.setdefault(channel_id, []).append(sent)
        return self._json(200, sent)
