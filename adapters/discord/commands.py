"""The slash commands and their handlers: interaction in, one core call, render, reply.

    /brief topic:<autocomplete> [count:1-5]
    /briefing subscribe topic time [timezone] [days]     (Manage Channels; guild only)
    /briefing list
    /briefing remove id

Every handler acknowledges first (``defer``: a brief must never lose its interaction to the
3-second deadline), then runs the synchronous core call in a worker thread, then renders with
the pure functions of :mod:`adapters.discord.render` and sends followups with
``AllowedMentions.none()``.

Errors: a :class:`~bot.errors.BriefbotError` carries a user-facing sentence, shown only to the
person who asked; anything else is logged with context and the user sees
``messages.GENERIC_FAILURE``.  Because a public ``defer`` makes the first followup public too,
a failure after a public defer deletes the "thinking…" placeholder and then sends the error as
an ephemeral followup.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zoneinfo
from collections.abc import AsyncIterator, Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

from adapters.discord.render import (
    DiscordMessage,
    render_briefing,
    render_subscriptions,
    render_text,
    shorten,
)
from bot import messages
from bot.errors import BriefbotError
from bot.models import ChannelRef, Subscription

if TYPE_CHECKING:
    from bot.briefing import BriefingService
    from bot.subscriptions import SubscriptionService
    from bot.topics import TopicRegistry

log = logging.getLogger(__name__)

T = TypeVar("T")
NO_MENTIONS = discord.AllowedMentions.none()
CHOICES_LIMIT = 25
CHOICE_TEXT_LIMIT = 100
DAY_SUGGESTIONS = ("daily", "weekdays", "mon,wed,fri", "sat,sun")
CORE_CONCURRENCY = 4


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def _context(interaction: discord.Interaction) -> str:
    """Where an interaction came from, for logs (ids only; never tokens)."""
    user = interaction.user.id if interaction.user else None
    return (
        f"interaction={interaction.id} guild={interaction.guild_id} "
        f"channel={interaction.channel_id} user={user}"
    )


def channel_of(interaction: discord.Interaction) -> ChannelRef:
    return ChannelRef(
        "discord",
        str(interaction.channel_id),
        str(interaction.guild_id) if interaction.guild_id else None,
    )


class Handlers:
    """The command callbacks, bound to the core services they call."""

    def __init__(
        self,
        *,
        briefings: BriefingService,
        topics: TopicRegistry,
        subscriptions: SubscriptionService,
    ) -> None:
        self.briefings = briefings
        self.topics = topics
        self.subscriptions = subscriptions
        self._inflight: set[asyncio.Task[Any]] = set()
        # At most CORE_CONCURRENCY core calls at once: in a burst, more worker threads only
        # fight the event loop for the GIL and delay the next defers (benchmarks/discord_ack.py)
        self._core_slots = asyncio.Semaphore(CORE_CONCURRENCY)

    # -- in-flight commands (a clean stop lets them finish) -------------------------------

    @contextlib.asynccontextmanager
    async def tracked(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._inflight.discard(task)

    async def drain(self, within: float) -> int:
        """Wait up to ``within`` seconds for running commands; return how many did not finish."""
        pending = {t for t in self._inflight if t is not asyncio.current_task() and not t.done()}
        if not pending:
            return 0
        _, still = await asyncio.wait(pending, timeout=within)
        return len(still)

    # -- plumbing ------------------------------------------------------------------------

    async def _send(
        self,
        interaction: discord.Interaction,
        outgoing: Sequence[DiscordMessage],
        *,
        ephemeral: bool,
    ) -> None:
        for message in outgoing:
            await interaction.followup.send(
                content=message.content,
                embeds=message.discord_embeds(),
                allowed_mentions=NO_MENTIONS,
                ephemeral=ephemeral,
                wait=True,
            )

    async def _fail(
        self, interaction: discord.Interaction, text: str, *, public_defer: bool
    ) -> None:
        """Tell only the asker; after a public defer, remove the public placeholder first."""
        try:
            if public_defer:
                await interaction.delete_original_response()
            await self._send(interaction, [render_text(text)], ephemeral=True)
        except Exception:  # the interaction expired, or the client is closing
            log.exception("discord: could not deliver an error reply (%s)", _context(interaction))

    async def _run(
        self,
        interaction: discord.Interaction,
        what: str,
        work: Callable[[], T],
        render: Callable[[T], Sequence[DiscordMessage]],
        *,
        ephemeral: bool,
    ) -> None:
        """defer -> core call and render in a thread -> followups; errors as described above."""
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        try:
            # rendering is pure: it runs in the worker thread too, keeping the event loop free
            # to acknowledge the next interactions of a burst
            async with self._core_slots:
                outgoing = await asyncio.to_thread(lambda: render(work()))
        except BriefbotError as err:
            log.info("discord %s refused: %s (%s)", what, err, _context(interaction))
            await self._fail(interaction, str(err), public_defer=not ephemeral)
            return
        except Exception:
            log.exception("discord %s failed (%s)", what, _context(interaction))
            await self._fail(interaction, messages.GENERIC_FAILURE, public_defer=not ephemeral)
            return
        try:
            await self._send(interaction, outgoing, ephemeral=ephemeral)
        except discord.HTTPException:
            log.exception("discord %s: posting the reply failed (%s)", what, _context(interaction))
            await self._fail(interaction, messages.GENERIC_FAILURE, public_defer=False)

    async def _may_manage(self, interaction: discord.Interaction) -> bool:
        """The handler's own check (``default_member_permissions`` is only the first line)."""
        if interaction.guild_id is None:
            await interaction.response.send_message(
                messages.DISCORD_GUILD_ONLY, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return False
        if not interaction.permissions.manage_channels:
            log.info("discord /briefing refused: no Manage Channels (%s)", _context(interaction))
            await interaction.response.send_message(
                messages.DISCORD_NEED_MANAGE_CHANNELS, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return False
        return True

    # -- /brief --------------------------------------------------------------------------

    async def brief(self, interaction: discord.Interaction, topic: str, count: int) -> None:
        await self._run(
            interaction,
            "/brief",
            lambda: self.briefings.brief(topic, count=count),
            render_briefing,
            ephemeral=False,
        )

    async def topic_choices(self, current: str) -> list[app_commands.Choice[str]]:
        refs = await asyncio.to_thread(self.topics.suggest, current.strip(), CHOICES_LIMIT)
        return [
            app_commands.Choice(
                name=shorten(f"{ref.title} ({ref.slug})", CHOICE_TEXT_LIMIT),
                value=ref.slug[:CHOICE_TEXT_LIMIT],
            )
            for ref in refs[:CHOICES_LIMIT]
        ]

    # -- /briefing -----------------------------------------------------------------------

    async def subscribe(
        self,
        interaction: discord.Interaction,
        topic: str,
        time: str,
        timezone: str | None,
        days: str | None,
    ) -> None:
        if not await self._may_manage(interaction):
            return
        channel = channel_of(interaction)
        user = str(interaction.user.id)

        def work() -> Subscription:
            return self.subscriptions.subscribe(
                channel,
                topic,
                at=time.strip(),
                days=days.strip() if days else None,  # None: the service's default (daily)
                tz=timezone.strip() if timezone else None,  # None: BRIEFBOT_TIMEZONE
                created_by=user,
            )

        def render(sub: Subscription) -> list[DiscordMessage]:
            return [
                render_text(
                    messages.DISCORD_SUBSCRIBED.format(
                        slug=sub.topic.slug, schedule=sub.schedule.describe(), id=sub.id
                    )
                )
            ]

        await self._run(interaction, "/briefing subscribe", work, render, ephemeral=False)

    async def list(self, interaction: discord.Interaction) -> None:
        if not await self._may_manage(interaction):
            return
        channel = channel_of(interaction)
        await self._run(
            interaction,
            "/briefing list",
            lambda: self.subscriptions.list(channel),
            render_subscriptions,
            ephemeral=True,
        )

    async def remove(self, interaction: discord.Interaction, sub_id: int) -> None:
        if not await self._may_manage(interaction):
            return
        channel = channel_of(interaction)

        def render(sub: Subscription) -> list[DiscordMessage]:
            return [
                render_text(
                    messages.DISCORD_UNSUBSCRIBED.format(
                        id=sub.id, slug=sub.topic.slug, schedule=sub.schedule.describe()
                    )
                )
            ]

        await self._run(
            interaction,
            "/briefing remove",
            lambda: self.subscriptions.remove(sub_id, channel),
            render,
            ephemeral=False,
        )


def _timezone_choices(current: str) -> list[app_commands.Choice[str]]:
    needle = current.strip().lower().replace(" ", "_")
    starts = [z for z in _zones() if z.lower().startswith(needle)]
    contains = [z for z in _zones() if needle in z.lower() and z not in starts]
    return [app_commands.Choice(name=z, value=z) for z in (starts + contains)[:CHOICES_LIMIT]]


def _day_choices(current: str) -> list[app_commands.Choice[str]]:
    typed = current.strip().lower()
    options = [d for d in DAY_SUGGESTIONS if d.startswith(typed)]
    if typed and typed not in options:
        options.insert(0, typed[:CHOICE_TEXT_LIMIT])
    return [app_commands.Choice(name=d, value=d) for d in options]


def build_commands(
    handlers: Handlers,
) -> list[app_commands.Command[Any, ..., None] | app_commands.Group]:
    """The ``/brief`` command and the ``/briefing`` group, wired to ``handlers``."""

    async def topic_autocomplete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        try:
            return await handlers.topic_choices(current)
        except Exception:
            log.exception("discord topic autocomplete failed (%s)", _context(interaction))
            return []

    async def timezone_autocomplete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return _timezone_choices(current)

    async def days_autocomplete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return _day_choices(current)

    @app_commands.command(name="brief", description="A short briefing on a foreign-affairs topic")
    @app_commands.describe(
        topic="A topic such as korea-japan, us-china or a country", count="How many pieces (1-5)"
    )
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def brief(
        interaction: discord.Interaction,
        topic: app_commands.Range[str, 1, 100],
        count: app_commands.Range[int, 1, 5] = 3,
    ) -> None:
        async with handlers.tracked():
            await handlers.brief(interaction, topic, count)

    briefing = app_commands.Group(
        name="briefing",
        description="Scheduled briefings for this channel",
        guild_only=True,  # dm_permission: false (older clients)
        allowed_contexts=app_commands.AppCommandContext(guild=True),  # contexts: [0]
        default_permissions=discord.Permissions(manage_channels=True),
    )

    @briefing.command(name="subscribe", description="Post a briefing here on a schedule")
    @app_commands.describe(
        topic="A topic such as korea-japan",
        time="Time of day, 24-hour HH:MM (e.g. 08:30)",
        timezone="IANA time zone, e.g. Asia/Seoul (default: the bot's)",
        days="daily, weekdays, or days such as mon,wed,fri (default: daily)",
    )
    @app_commands.autocomplete(
        topic=topic_autocomplete, timezone=timezone_autocomplete, days=days_autocomplete
    )
    async def subscribe(
        interaction: discord.Interaction,
        topic: app_commands.Range[str, 1, 100],
        time: app_commands.Range[str, 1, 16],
        timezone: app_commands.Range[str, 1, 64] | None = None,
        days: app_commands.Range[str, 1, 60] | None = None,
    ) -> None:
        async with handlers.tracked():
            await handlers.subscribe(interaction, topic, time, timezone, days)

    @briefing.command(name="list", description="Show this channel's scheduled briefings")
    async def list_(interaction: discord.Interaction) -> None:
        async with handlers.tracked():
            await handlers.list(interaction)

    @briefing.command(name="remove", description="Stop a scheduled briefing")
    @app_commands.describe(sub_id="The subscription id, from /briefing list")
    @app_commands.rename(sub_id="id")
    async def remove(
        interaction: discord.Interaction, sub_id: app_commands.Range[int, 1, 2**53]
    ) -> None:
        async with handlers.tracked():
            await handlers.remove(interaction, sub_id)

    return [brief, briefing]
