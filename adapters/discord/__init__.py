"""The Discord adapter: a thin translator between discord.py and the core (DESIGN).

    DiscordAdapter(settings, briefings=..., topics=..., subscriptions=..., sources=...)
        await start()             log in (REST), sync commands, connect the gateway in a task
                                  (one connection, or one per shard with DISCORD_SHARD_COUNT)
        await wait_ready(timeout) until the gateway session is READY
        connected                 the gateway is up right now
        await publish(channel, briefing) -> first message id   (the scheduler's entry point)
        await publish_once(channel, briefing, key=...)  the same, deduplicated by Discord
        await find_published(channel, key=..., since=...)  the channel's history, by marker
        await check_channel(channel)  may the bot post there again (a paused subscription)
        await close()             close the gateway and the HTTP session (SIGTERM path)

Modules: ``client`` (endpoints, intents, tree, sync), ``commands`` (slash commands and their
handlers; in a burst the work after each ack waits for a lull, ``adapters.acks_first``),
``render`` (pure: briefing -> messages, every Discord limit), ``publish``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Literal

import aiohttp
import discord

from adapters.discord.client import BriefbotClient, ShardedBriefbotClient, configure_endpoints
from adapters.discord.commands import Handlers
from adapters.discord.publish import check_channel as _check_channel
from adapters.discord.publish import find_published as _find_published
from adapters.discord.publish import publish as _publish
from bot import messages
from bot.errors import BadInput, DeliveryError
from bot.models import Briefing, ChannelRef

if TYPE_CHECKING:
    from bot.briefing import BriefingService
    from bot.scheduling.publisher import PartPosted
    from bot.settings import Settings
    from bot.subscriptions import SubscriptionService
    from bot.topics import TopicRegistry
    from bot.user_sources import UserSourceService

__all__ = ["DiscordAdapter"]

log = logging.getLogger(__name__)

# Discord deduplicates a repeated nonce for "a few minutes" (discord-api-docs#6647); a claim
# taken over later than this after its poster died is found by its marker in the channel's
# history instead, which needs Read Message History.
NONCE_WINDOW_SECONDS = 180


class DiscordAdapter:
    """Discord for briefbot: slash commands in, briefings out."""

    platform: Literal["discord"] = "discord"

    def __init__(
        self,
        settings: Settings,
        *,
        briefings: BriefingService,
        topics: TopicRegistry,
        subscriptions: SubscriptionService,
        sources: UserSourceService | None = None,
        guild_ready_timeout: float = 2.0,
        drain_seconds: float = 2.5,
        shard_identify_interval: float = 5.0,
    ) -> None:
        self._settings = settings
        self._shard_identify_interval = shard_identify_interval
        self._drain_seconds = drain_seconds
        self._handlers = Handlers(
            briefings=briefings,
            topics=topics,
            subscriptions=subscriptions,
            sources=sources,
        )
        self._guild_ready_timeout = guild_ready_timeout
        self._client: BriefbotClient | None = None
        self._task: asyncio.Task[None] | None = None

    def __repr__(self) -> str:  # never the token
        return f"<DiscordAdapter connected={self.connected}>"

    @property
    def client(self) -> discord.Client | None:
        return self._client

    @property
    def connected(self) -> bool:
        client = self._client
        return bool(
            client is not None
            and not client.is_closed()
            and client.is_ready()
            and client.gateway_open
        )

    async def start(self) -> None:
        """Log in over REST (which syncs the commands), then run the gateway in a task.

        Raises ``BadInput`` for a missing or refused token, ``DeliveryError`` when Discord
        (or the configured API base) cannot be reached.
        """
        if self._client is not None:
            raise RuntimeError("the Discord adapter is already started")
        token = self._settings.discord_token
        if token is None:
            raise BadInput(messages.DISCORD_NO_TOKEN)
        configure_endpoints(self._settings.discord_api_base_url, self._settings.discord_gateway_url)
        client = self._build_client()
        try:
            await client.login(token.get_secret_value())
        except discord.LoginFailure:
            await client.close()
            raise BadInput(messages.DISCORD_BAD_TOKEN) from None
        except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as err:
            await client.close()
            log.error("discord: login failed: %r", err)
            raise DeliveryError(
                messages.DISCORD_UNREACHABLE.format(url=self._settings.discord_api_base_url)
            ) from None
        self._client = client
        self._task = asyncio.create_task(self._run_gateway(client), name="discord-gateway")
        if self._settings.delivery_lease_seconds > NONCE_WINDOW_SECONDS:
            log.warning(
                "discord: BRIEFBOT_DELIVERY_LEASE_SECONDS=%d is longer than Discord keeps a "
                "message nonce (about %d s): a scheduled briefing whose poster died mid-post "
                "is found again only in channels where the bot may Read Message History",
                self._settings.delivery_lease_seconds,
                NONCE_WINDOW_SECONDS,
            )

    def _build_client(self) -> BriefbotClient:
        """One unsharded connection, or this process's shards (``DISCORD_SHARD_COUNT``,
        ``DISCORD_SHARD_IDS``)."""
        settings = self._settings
        if settings.discord_shard_count is None:
            return BriefbotClient(
                self._handlers,
                guild_ids=settings.guild_ids,
                guild_ready_timeout=self._guild_ready_timeout,
            )
        return ShardedBriefbotClient(
            self._handlers,
            shard_count=settings.discord_shard_count,
            shard_ids=settings.shard_ids,
            guild_ids=settings.guild_ids,
            guild_ready_timeout=self._guild_ready_timeout,
            identify_interval=self._shard_identify_interval,
        )

    async def _run_gateway(self, client: BriefbotClient) -> None:
        try:
            await client.connect(reconnect=True)
        except asyncio.CancelledError:
            raise
        except discord.PrivilegedIntentsRequired:
            log.error("discord: the gateway asks for privileged intents; briefbot needs none")
            raise
        except Exception as err:
            log.error("discord: the gateway connection ended: %r", err)
            raise

    async def wait_ready(self, timeout: float) -> None:  # noqa: ASYNC109 (the lead's API)
        """Until the gateway session is READY; ``DeliveryError`` if it fails or times out."""
        client, task = self._client, self._task
        if client is None or task is None:
            raise RuntimeError("start() the Discord adapter first")
        ready = asyncio.ensure_future(client.wait_until_ready())
        try:
            done, _ = await asyncio.wait(
                {ready, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            if not ready.done():
                ready.cancel()
        if ready in done:
            return
        if task in done:
            raise DeliveryError(messages.DISCORD_GATEWAY_FAILED)
        raise DeliveryError(messages.DISCORD_NOT_READY.format(seconds=timeout))

    async def close(self) -> None:
        """Let running commands finish (up to ``drain_seconds``), then close the gateway
        (code 1000) and the HTTP session; idempotent."""
        client, task = self._client, self._task
        if client is None:
            return
        unfinished = await self._handlers.drain(within=self._drain_seconds)
        if unfinished:
            log.warning("discord: closing with %d command(s) still running", unfinished)
        await client.close()
        if task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout=1.0)
            except TimeoutError:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            except Exception:
                pass  # already logged by _run_gateway
        log.info("discord: closed")

    async def publish(self, channel: ChannelRef, briefing: Briefing) -> str:
        """Post ``briefing`` to ``channel``; the first message's id.

        403/404 raise ``ChannelUnavailable`` (pause the subscription); other failures raise
        ``DeliveryError``; rate limits are waited out by discord.py's limiter.
        """
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
        """``publish``, each message with a nonce made from the scheduler's delivery ``key``
        (``bot.scheduling.IdempotentPublisher``), the first with the key's marker in its
        footer; the parts whose ids are in ``done`` are not posted again."""
        return await _publish(
            self._live_client(), channel, briefing, key=key, done=done, on_part=on_part
        )

    async def find_published(self, channel: ChannelRef, *, key: str, since: datetime) -> str | None:
        """The id of the first message of delivery ``key`` posted since ``since``, found in
        the channel's recent history by its marker (None when the bot may not read it: then
        ``publish_once``'s nonces still make Discord answer a repeat within its window)."""
        return await _find_published(self._live_client(), channel, key, since)

    async def check_channel(self, channel: ChannelRef) -> None:
        """Whether the bot may post in ``channel`` again (``bot.scheduling.ChannelChecker``)."""
        await _check_channel(self._live_client(), channel)

    def _live_client(self) -> BriefbotClient:
        client = self._client
        if client is None or client.is_closed():
            raise DeliveryError(messages.DISCORD_NOT_STARTED)
        return client
