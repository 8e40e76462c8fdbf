"""The discord.py client: endpoints, intents, the command tree and its sync.

* ``DISCORD_API_BASE_URL`` and ``DISCORD_GATEWAY_URL`` are honoured by setting the two class
  attributes discord.py reads (``discord.http.Route.BASE``, also used by interaction callbacks
  and webhooks, and ``DiscordWebSocket.DEFAULT_GATEWAY``); a REST proxy such as nirn-proxy and
  the tests' fake both work this way.
* Intents: ``guilds`` only, nothing privileged (slash commands need no message content).
* ``AllowedMentions.none()`` is the client default; every send passes it again.
* Commands are synced in :meth:`BriefbotClient.setup_hook`, which runs once per login, never in
  ``on_ready`` (that fires on every reconnect).  With ``DISCORD_GUILD_IDS`` the commands are
  copied to each guild and synced there (instant); otherwise globally.
* Sharding (``DISCORD_SHARD_COUNT``, ``DISCORD_SHARD_IDS``): :class:`ShardedBriefbotClient` is
  the same client on discord.py's ``AutoShardedClient``, one gateway connection per shard of
  this process's range; Discord sends each guild's events, interactions included, over the
  connection of the shard that owns it (``(guild_id >> 22) % shard_count``).  Without the
  settings the bot keeps one unsharded connection, as Discord allows up to 2,500 guilds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord.commands import Handlers, build_commands, payload_problem
from adapters.discord.render import render_text
from bot import messages
from bot.logs import request_context

log = logging.getLogger(__name__)


def configure_endpoints(api_base_url: str, gateway_url: str) -> None:
    """Point discord.py at Discord (the defaults), a REST proxy, or a local fake."""
    Route.BASE = api_base_url.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


class BriefbotTree(app_commands.CommandTree[discord.Client]):
    """Anything a command lets escape is logged with context; the user gets a generic line.

    Before discord.py parses an interaction, :meth:`interaction_check` compares its options
    with the command as declared (``payload_problem``): an option we do not have, of the
    wrong type or missing, or a request for suggestions where there are none, is answered at
    once (one ephemeral line; an empty suggestion list) instead of failing inside
    discord.py's parser, which would leave the user without any answer.  Discord itself never
    sends such payloads; a stale command sync or a malformed event could.
    """

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        command = interaction.command
        if not isinstance(command, app_commands.Command):
            return True  # unknown command: discord.py raises, on_error answers
        try:
            problem = payload_problem(command, interaction.data)
        except Exception:
            log.exception("discord: could not check an interaction (%s)", interaction.id)
            problem = messages.DISCORD_OPTION_UNREADABLE
        if problem is None:
            return True
        with request_context("discord", command.qualified_name, request_id=str(interaction.id)):
            log.warning(
                "discord /%s: options do not match the command (%s; interaction=%s)",
                command.qualified_name,
                problem,
                interaction.id,
            )
            if interaction.type is discord.InteractionType.autocomplete:
                await interaction.response.autocomplete([])
            else:
                await interaction.response.send_message(
                    render_text(messages.DISCORD_BAD_OPTION.format(reason=problem)).content,
                    ephemeral=True,
                    allowed_mentions=discord.AllowedMentions.none(),
                )
        return False

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        if interaction.command is not None:
            command = interaction.command.qualified_name
        else:  # failed before discord.py found the command (e.g. a stale sync)
            data: Any = interaction.data or {}
            command = str(data.get("name", "?"))
        stale = isinstance(
            error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch
        )
        with request_context("discord", command, request_id=str(interaction.id)):
            if stale:  # the user's Discord app knows commands we no longer have (or not yet)
                log.warning(
                    "discord /%s is not one of our commands as synced: %s (interaction=%s)",
                    command,
                    error,
                    interaction.id,
                )
            else:
                log.error(
                    "discord /%s failed (interaction=%s guild=%s channel=%s)",
                    command,
                    interaction.id,
                    interaction.guild_id,
                    interaction.channel_id,
                    exc_info=error,
                )
            text = messages.DISCORD_STALE_COMMAND if stale else messages.GENERIC_FAILURE
            try:
                if interaction.response.is_done():
                    await interaction.followup.send(
                        text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
                    )
                else:
                    await interaction.response.send_message(
                        text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
                    )
            except Exception:  # the interaction may be gone, or the client closing
                log.warning("discord: could not tell the user about the failure", exc_info=True)


class BriefbotClient(discord.Client):
    """briefbot's client: intents, mentions, the command tree and its sync; one connection."""

    def __init__(
        self,
        handlers: Handlers,
        *,
        guild_ids: Sequence[int] = (),
        guild_ready_timeout: float = 2.0,
        **client_options: Any,
    ) -> None:
        # briefbot has no voice: silence discord.py's "PyNaCl / davey is not installed" warnings
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            intents=discord.Intents(guilds=True),
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
            chunk_guilds_at_startup=False,
            **client_options,
        )
        self.guild_ids = tuple(guild_ids)
        self.tree = BriefbotTree(self)
        for command in build_commands(handlers):
            self.tree.add_command(command)

    async def setup_hook(self) -> None:
        """Sync the commands once per login: to each configured guild, else globally.

        One guild refusing (the bot was not invited with ``applications.commands``) must not
        keep the bot from the others: it is logged and the rest go on.
        """
        if not self.guild_ids:
            try:
                synced = await self.tree.sync()
            except discord.HTTPException as err:
                log.error("discord: global command sync failed: %s %s", err.status, err.text)
            else:
                log.info("discord: synced %d global commands", len(synced))
            return
        for guild_id in self.guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            try:
                synced = await self.tree.sync(guild=guild)
            except discord.HTTPException as err:
                log.error(
                    "discord: command sync to guild %s failed: %s %s",
                    guild_id,
                    err.status,
                    err.text,
                )
            else:
                log.info("discord: synced %d commands to guild %s", len(synced), guild_id)

    @property
    def gateway_open(self) -> bool:
        """The gateway connection is up right now."""
        return self.ws is not None and self.ws.open

    async def on_ready(self) -> None:
        # Only a log line here: on_ready fires again on every reconnect.
        log.info("discord: connected as %s (%s guilds)", self.user, len(self.guilds))


class ShardedBriefbotClient(BriefbotClient, discord.AutoShardedClient):
    """:class:`BriefbotClient` for a range of shards: ``shard_ids`` of ``shard_count`` (all of
    them when ``shard_ids`` is None), one gateway connection each, in one process.

    Shards identify one at a time, ``identify_interval`` seconds apart (discord.py's 5 s:
    Discord starts one session per 5 s unless the bot's ``max_concurrency`` is higher).
    """

    def __init__(
        self,
        handlers: Handlers,
        *,
        shard_count: int,
        shard_ids: Sequence[int] | None = None,
        guild_ids: Sequence[int] = (),
        guild_ready_timeout: float = 2.0,
        identify_interval: float = 5.0,
    ) -> None:
        self._identify_interval = identify_interval
        super().__init__(
            handlers,
            guild_ids=guild_ids,
            guild_ready_timeout=guild_ready_timeout,
            shard_count=shard_count,
            shard_ids=list(shard_ids) if shard_ids is not None else None,
        )

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        if not initial:
            await asyncio.sleep(self._identify_interval)

    @property
    def own_shards(self) -> list[int]:
        """The shard ids this process connects."""
        count = self.shard_count or 0
        return list(self.shard_ids) if self.shard_ids is not None else list(range(count))

    @property
    def gateway_open(self) -> bool:
        """Every shard of this process has its gateway connection up right now."""
        shards = self.shards
        return set(shards) >= set(self.own_shards) and all(
            not shard.is_closed() for shard in shards.values()
        )

    async def on_ready(self) -> None:
        log.info(
            "discord: connected as %s (%s guilds on shards %s of %s)",
            self.user,
            len(self.guilds),
            _ranges(self.own_shards),
            self.shard_count,
        )


def _ranges(ids: Sequence[int]) -> str:
    """``[0, 1, 2, 5]`` as ``"0-2,5"`` (for log lines)."""
    spans: list[list[int]] = []
    for shard in sorted(ids):
        if spans and shard == spans[-1][1] + 1:
            spans[-1][1] = shard
        else:
            spans.append([shard, shard])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
