"""The slash commands and their handlers: interaction in, one core call, render, reply.

    /brief topic:<autocomplete> [count:1-5]
    /briefing subscribe topic time [timezone] [days]     (Manage Channels; guild only)
    /briefing list                                       (each one's next run, last delivery)
    /briefing remove id
    /briefing resume id                                  (a paused one)
    /briefing preview id                                 (what its next run would post; ephemeral)
    /briefing source add url                             (this server's own feeds; issue 7)
    /briefing source list
    /briefing source remove url                          (its URL or its id)

Every command runs inside :meth:`Handlers.command`: tracked (a clean stop lets it finish),
tagged with a request id for the logs (the interaction's id, so a log line and Discord's
records name the same thing; ``bot.logs.request_context``, whose platform also labels the
briefs-served metric) and timed from the handler's start to the acknowledgement
(``bot.metrics.acknowledged``).

Every handler acknowledges first (``defer``: a brief must never lose its interaction to the
3-second deadline), then runs the synchronous core call in a worker thread (adding a source is
async: it fetches), renders with the pure functions of :mod:`adapters.discord.render`, and
edits the deferred response into the first message (more go as followups), always with
``AllowedMentions.none()``.  While a burst of commands is still arriving, the work after each
ack waits for a lull (:mod:`adapters.acks_first`), so the burst's acks go out first.

Errors: a :class:`~bot.errors.BriefbotError` carries a user-facing sentence, shown only to the
person who asked; anything else is logged with context and the user sees
``messages.GENERIC_FAILURE``.  Because a public ``defer`` shows a public "thinking…"
placeholder, a failure after a public defer deletes it and then sends the error as an
ephemeral followup.  Options are checked again here (Discord enforces the declared types and
ranges, discord.py does not): a value outside them is one ephemeral line, never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import zoneinfo
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from contextvars import ContextVar
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

from adapters.acks_first import AcksFirst, Arrival
from adapters.discord.render import (
    CONTENT_LIMIT,
    DiscordMessage,
    next_run_text,
    render_briefing,
    render_source_added,
    render_source_removed,
    render_sources,
    render_subscriptions,
    render_text,
    shorten,
)
from bot import messages
from bot.errors import BadInput, BriefbotError
from bot.logs import request_context
from bot.metrics import acknowledged
from bot.models import ChannelRef, Subscription
from bot.subscriptions import alias_zones
from bot.user_sources import MAX_URL_LENGTH

if TYPE_CHECKING:
    from bot.briefing import BriefingService
    from bot.scheduling.content import SlotPreview
    from bot.store import FeedState
    from bot.subscriptions import SubscriptionService
    from bot.topics import TopicRegistry
    from bot.user_sources import UserSourceService

log = logging.getLogger(__name__)

T = TypeVar("T")
NO_MENTIONS = discord.AllowedMentions.none()
CHOICES_LIMIT = 25
CHOICE_TEXT_LIMIT = 100
DAY_SUGGESTIONS = ("daily", "weekdays", "mon,wed,fri", "sat,sun")
CORE_CONCURRENCY = 4
MAX_ID = 2**53  # what a JSON number carries exactly; Discord's integer option limit

# When the running command's handler started (perf_counter), for the acknowledgement metric.
_STARTED: ContextVar[float | None] = ContextVar("discord_command_started", default=None)
# The running command, counted by ``Handlers._acks_first`` until its work after the ack starts.
_ARRIVAL: ContextVar[Arrival | None] = ContextVar("discord_command_arrival", default=None)


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


def _acknowledged() -> None:
    started = _STARTED.get()
    if started is not None:
        acknowledged("discord", time.perf_counter() - started)
    arrival = _ARRIVAL.get()
    if arrival is not None:
        arrival.acked()


# -- option checks (Discord enforces them; a malformed payload must still get one line) -----


def text_option(name: str, value: object, low: int, high: int) -> str:
    if not isinstance(value, str) or not low <= len(value) <= high:
        raise BadInput(
            messages.DISCORD_BAD_OPTION.format(
                reason=messages.DISCORD_OPTION_TEXT.format(name=name, low=low, high=high)
            )
        )
    return value


def optional_text_option(name: str, value: object, low: int, high: int) -> str | None:
    return None if value is None else text_option(name, value, low, high)


def int_option(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BadInput(
            messages.DISCORD_BAD_OPTION.format(
                reason=messages.DISCORD_OPTION_NUMBER.format(name=name, low=low, high=high)
            )
        )
    return value


_VALUE_TYPES: dict[int, tuple[type, ...]] = {
    discord.AppCommandOptionType.string.value: (str,),
    discord.AppCommandOptionType.integer.value: (int,),
    discord.AppCommandOptionType.boolean.value: (bool,),
    discord.AppCommandOptionType.number.value: (int, float),
}


def payload_problem(command: app_commands.Command[Any, ..., Any], data: Any) -> str | None:
    """Why an interaction's options do not fit ``command`` as we declared it (a user-facing
    clause), or None.  Discord never sends such a payload; a stale sync or a malformed one
    would otherwise make discord.py fail inside its parser without answering the user."""
    options: Any = data.get("options") if isinstance(data, dict) else None
    while (
        isinstance(options, list)
        and len(options) == 1
        and isinstance(options[0], dict)
        and options[0].get("type") in (1, 2)  # subcommand, subcommand group: go inside
    ):
        options = options[0].get("options")
    if options is None:
        options = []
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        return messages.DISCORD_OPTION_UNREADABLE
    params = {param.display_name: param for param in command.parameters}
    given: set[str] = set()
    for item in options:
        name = str(item.get("name"))
        param = params.get(name)
        if param is None:
            return messages.DISCORD_OPTION_UNKNOWN.format(name=shorten(name, 40))
        given.add(name)
        if item.get("type") != param.type.value:
            return messages.DISCORD_OPTION_WRONG_TYPE.format(name=name)
        if item.get("focused"):
            if not param.autocomplete:
                return messages.DISCORD_OPTION_NO_SUGGESTIONS.format(name=name)
            continue  # the text being typed, whatever the option's type
        value = item.get("value")
        kinds = _VALUE_TYPES.get(param.type.value, ())
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            return messages.DISCORD_OPTION_WRONG_TYPE.format(name=name)
    missing = [
        p.display_name for p in command.parameters if p.required and p.display_name not in given
    ]
    if missing and not any(o.get("focused") for o in options):
        return messages.DISCORD_OPTION_MISSING.format(name=missing[0])
    return None


class Handlers:
    """The command callbacks, bound to the core services they call.

    ``sources`` is the user-added feed service; ``None`` turns ``/briefing source`` into a
    one-line "not enabled" answer.
    """

    def __init__(
        self,
        *,
        briefings: BriefingService,
        topics: TopicRegistry,
        subscriptions: SubscriptionService,
        sources: UserSourceService | None = None,
    ) -> None:
        self.briefings = briefings
        self.topics = topics
        self.subscriptions = subscriptions
        self.sources = sources
        self._inflight: set[asyncio.Task[Any]] = set()
        # At most CORE_CONCURRENCY core calls at once: in a burst, more worker threads only
        # fight the event loop for the GIL and delay the next defers (benchmarks/discord_ack.py)
        self._core_slots = asyncio.Semaphore(CORE_CONCURRENCY)
        # and none of them (nor a reply) while a burst is still coming in: acks first
        self._acks_first = AcksFirst()

    # -- one command: tracked, tagged, timed ----------------------------------------------

    @contextlib.asynccontextmanager
    async def command(self, interaction: discord.Interaction, name: str) -> AsyncIterator[None]:
        """Around one command: in-flight tracking for :meth:`drain`, the request id on every
        log line (and the ``discord`` platform on the metrics), the ack timer, and a
        ``BadInput`` raised before anything was sent answered as one ephemeral line."""
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        started = _STARTED.set(time.perf_counter())
        arrival = self._acks_first.arrived()
        counted = _ARRIVAL.set(arrival)
        try:
            with request_context("discord", name, request_id=str(interaction.id)):
                try:
                    yield
                except BadInput as err:
                    if interaction.response.is_done():
                        raise
                    log.info("discord /%s refused: %s (%s)", name, err, _context(interaction))
                    await self._tell(interaction, str(err))
        finally:
            arrival.done()
            _ARRIVAL.reset(counted)
            _STARTED.reset(started)
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

    async def _tell(self, interaction: discord.Interaction, text: str) -> None:
        """Answer at once, only to the asker, with one line (no defer needed)."""
        await interaction.response.send_message(
            render_text(text).content, ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        _acknowledged()

    async def _deliver(
        self,
        interaction: discord.Interaction,
        outgoing: Sequence[DiscordMessage],
        *,
        ephemeral: bool,
    ) -> None:
        """The first message becomes the deferred response (an edit); the rest follow it."""
        first, *rest = outgoing
        await interaction.edit_original_response(
            content=first.content or None,
            embeds=first.discord_embeds(),
            allowed_mentions=NO_MENTIONS,
        )
        for message in rest:
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
        message = render_text(text)
        try:
            if public_defer:
                await interaction.delete_original_response()
            await interaction.followup.send(
                content=message.content,
                allowed_mentions=NO_MENTIONS,
                ephemeral=True,
                wait=True,
            )
        except Exception:  # the interaction expired, or the client is closing
            log.exception("discord: could not deliver an error reply (%s)", _context(interaction))

    async def _core(
        self, work: Callable[[], T], render: Callable[[T], Sequence[DiscordMessage]]
    ) -> Sequence[DiscordMessage]:
        """A synchronous core call and its rendering, in a worker thread (rendering is pure:
        it runs there too, keeping the event loop free to acknowledge the next interactions
        of a burst); the request context goes along (``asyncio.to_thread`` copies it)."""
        async with self._core_slots:
            return await asyncio.to_thread(lambda: render(work()))

    async def _run(
        self,
        interaction: discord.Interaction,
        what: str,
        produce: Callable[[], Awaitable[Sequence[DiscordMessage]]],
        *,
        ephemeral: bool,
    ) -> None:
        """defer -> produce the messages -> deliver; errors as described in the module.  In a
        burst, producing and delivering wait for the other commands' acks (``AcksFirst``)."""
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        _acknowledged()
        arrival = _ARRIVAL.get()
        try:
            if arrival is not None:
                await arrival.settled()
            outgoing = await produce()
        except BriefbotError as err:
            log.info("discord %s refused: %s (%s)", what, err, _context(interaction))
            await self._fail(interaction, str(err), public_defer=not ephemeral)
            return
        except Exception:
            log.exception("discord %s failed (%s)", what, _context(interaction))
            await self._fail(interaction, messages.GENERIC_FAILURE, public_defer=not ephemeral)
            return
        try:
            await self._acks_first.lull()  # a new burst may have begun meanwhile
            await self._deliver(interaction, outgoing, ephemeral=ephemeral)
        except discord.HTTPException:
            log.exception("discord %s: posting the reply failed (%s)", what, _context(interaction))
            await self._fail(interaction, messages.GENERIC_FAILURE, public_defer=False)

    async def _may_manage(
        self,
        interaction: discord.Interaction,
        *,
        refusal: str = messages.DISCORD_NEED_MANAGE_CHANNELS,
        guild_only: str = messages.DISCORD_GUILD_ONLY,
    ) -> bool:
        """The handler's own check (``default_member_permissions`` is only the first line)."""
        if interaction.guild_id is None:
            await self._tell(interaction, guild_only)
            return False
        if not interaction.permissions.manage_channels:
            log.info("discord /briefing refused: no Manage Channels (%s)", _context(interaction))
            await self._tell(interaction, refusal)
            return False
        return True

    # -- /brief --------------------------------------------------------------------------

    async def brief(self, interaction: discord.Interaction, topic: object, count: object) -> None:
        topic_text = text_option("topic", topic, 1, CHOICE_TEXT_LIMIT)
        how_many = int_option("count", count, 1, 5)
        await self._run(
            interaction,
            "/brief",
            lambda: self._core(
                lambda: self.briefings.brief(topic_text, count=how_many), render_briefing
            ),
            ephemeral=False,
        )

    async def topic_choices(self, current: str) -> list[app_commands.Choice[str]]:
        typed = current.strip() if isinstance(current, str) else ""
        refs = await asyncio.to_thread(
            self.topics.suggest, typed[:CHOICE_TEXT_LIMIT], CHOICES_LIMIT
        )
        return [
            app_commands.Choice(
                name=shorten(f"{ref.title} ({ref.slug})", CHOICE_TEXT_LIMIT),
                value=ref.slug[:CHOICE_TEXT_LIMIT],
            )
            for ref in refs[:CHOICES_LIMIT]
        ]

    # -- /briefing subscribe | list | remove ---------------------------------------------

    async def subscribe(
        self,
        interaction: discord.Interaction,
        topic: object,
        time: object,
        timezone: object,
        days: object,
    ) -> None:
        if not await self._may_manage(interaction):
            return
        topic_text = text_option("topic", topic, 1, CHOICE_TEXT_LIMIT)
        at = text_option("time", time, 1, 16).strip()
        zone = optional_text_option("timezone", timezone, 1, 64)
        day_list = optional_text_option("days", days, 1, 60)
        channel = channel_of(interaction)
        user = str(interaction.user.id)

        def work() -> tuple[Subscription, bool]:
            return self.subscriptions.subscribe_or_resume(
                channel,
                topic_text,
                at=at,
                days=day_list.strip() if day_list else None,  # None: the default (daily)
                tz=zone.strip() if zone else None,  # None: BRIEFBOT_TIMEZONE
                created_by=user,
            )

        def render(done: tuple[Subscription, bool]) -> list[DiscordMessage]:
            sub, resumed = done
            if resumed:  # the same one, paused: asking again means "deliver it"
                text = messages.DISCORD_SUBSCRIBE_RESUMED.format(
                    id=sub.id,
                    slug=sub.topic.slug,
                    schedule=sub.schedule.describe(),
                    next=next_run_text(self.subscriptions.next_run(sub)),
                )
            else:
                text = messages.DISCORD_SUBSCRIBED.format(
                    slug=sub.topic.slug, schedule=sub.schedule.describe(), id=sub.id
                )
            return [_ours(text)]

        await self._run(
            interaction,
            "/briefing subscribe",
            lambda: self._core(work, render),
            ephemeral=False,
        )

    async def list(self, interaction: discord.Interaction) -> None:
        if not await self._may_manage(interaction):
            return
        channel = channel_of(interaction)

        await self._run(
            interaction,
            "/briefing list",
            lambda: self._core(lambda: self.subscriptions.listing(channel), render_subscriptions),
            ephemeral=True,
        )

    async def resume(self, interaction: discord.Interaction, sub_id: object) -> None:
        if not await self._may_manage(interaction):
            return
        which = int_option("id", sub_id, 1, MAX_ID)
        channel = channel_of(interaction)

        def work() -> tuple[Subscription, bool, datetime | None]:
            sub, was_paused = self.subscriptions.resume(which, channel)
            return sub, was_paused, self.subscriptions.next_run(sub)

        def render(done: tuple[Subscription, bool, datetime | None]) -> list[DiscordMessage]:
            sub, was_paused, next_run = done
            if not was_paused:
                text = messages.DISCORD_NOT_PAUSED.format(id=sub.id, next=next_run_text(next_run))
            else:
                text = messages.DISCORD_RESUMED.format(
                    id=sub.id,
                    slug=sub.topic.slug,
                    schedule=sub.schedule.describe(),
                    next=next_run_text(next_run),
                )
            return [_ours(text)]

        await self._run(
            interaction,
            "/briefing resume",
            lambda: self._core(work, render),
            ephemeral=False,
        )

    async def preview(self, interaction: discord.Interaction, sub_id: object) -> None:
        """What a subscription of this server would post at its next run, shown only to the
        member who asked; the scheduler's own composition, and nothing is recorded."""
        if not await self._may_manage(interaction):
            return
        which = int_option("id", sub_id, 1, MAX_ID)
        channel = channel_of(interaction)
        await self._run(
            interaction,
            "/briefing preview",
            lambda: self._core(
                lambda: self.briefings.preview_slot(which, asked_from=channel), _render_preview
            ),
            ephemeral=True,
        )

    async def remove(self, interaction: discord.Interaction, sub_id: object) -> None:
        if not await self._may_manage(interaction):
            return
        which = int_option("id", sub_id, 1, MAX_ID)
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
            lambda: self._core(lambda: self.subscriptions.remove(which, channel), render),
            ephemeral=False,
        )

    # -- /briefing source add | list | remove --------------------------------------------

    async def _source_service(self, interaction: discord.Interaction) -> UserSourceService | None:
        """The service when this member may change the server's sources, else None (answered)."""
        if not await self._may_manage(
            interaction,
            refusal=messages.DISCORD_SOURCES_NEED_MANAGE_CHANNELS,
            guild_only=messages.DISCORD_SOURCES_GUILD_ONLY,
        ):
            return None
        if self.sources is None:
            await self._tell(interaction, messages.DISCORD_SOURCES_DISABLED)
            return None
        return self.sources

    async def source_add(self, interaction: discord.Interaction, url: object) -> None:
        sources = await self._source_service(interaction)
        if sources is None:
            return
        address = text_option("url", url, 1, MAX_URL_LENGTH)
        server = str(interaction.guild_id)
        user = str(interaction.user.id)

        async def produce() -> Sequence[DiscordMessage]:
            # async: the fetch and the feed check happen on the event loop (the guarded
            # client), store calls in worker threads; no core slot is held while fetching
            feed = await sources.add("discord", server, address, added_by=user)
            return render_source_added(feed)

        await self._run(interaction, "/briefing source add", produce, ephemeral=False)

    async def source_list(self, interaction: discord.Interaction) -> None:
        sources = await self._source_service(interaction)
        if sources is None:
            return
        server = str(interaction.guild_id)

        def render(feeds: Sequence[FeedState]) -> list[DiscordMessage]:
            return render_sources(feeds, limit=sources.limit)

        await self._run(
            interaction,
            "/briefing source list",
            lambda: self._core(lambda: sources.list("discord", server), render),
            ephemeral=True,
        )

    async def source_remove(self, interaction: discord.Interaction, url: object) -> None:
        sources = await self._source_service(interaction)
        if sources is None:
            return
        which = text_option("url", url, 1, MAX_URL_LENGTH)
        server = str(interaction.guild_id)
        await self._run(
            interaction,
            "/briefing source remove",
            lambda: self._core(
                lambda: sources.remove("discord", server, which), render_source_removed
            ),
            ephemeral=False,
        )


def _ours(text: str) -> DiscordMessage:
    """A one-line reply of ours that carries a ``<t:…>`` timestamp (``render_text`` would
    break it up): every part of it is ours or the topic registry's, nothing a user typed."""
    return DiscordMessage(content=shorten(" ".join(text.split()), CONTENT_LIMIT))


def _render_preview(preview: SlotPreview) -> list[DiscordMessage]:
    """``/briefing preview``: a line saying what this is, then the briefing exactly as the
    slot would post it (or that it would post nothing: quiet, nothing new)."""
    sub = preview.subscription
    about = {
        "id": sub.id,
        "slug": shorten(sub.topic_slug.replace("`", ""), 100),
        "schedule": sub.schedule.describe() + (messages.DISCORD_SUB_QUIET if sub.quiet else ""),
    }
    if preview.paused:
        header = messages.DISCORD_PREVIEW_PAUSED.format(**about)
    else:
        header = messages.DISCORD_PREVIEW_HEADER.format(
            **about, next=next_run_text(preview.slot_at)
        )
    if preview.briefing is None:
        nothing = messages.DISCORD_PREVIEW_NOTHING.format(slug=about["slug"])
        return [_ours(f"{header} {nothing}")]
    first, *rest = render_briefing(preview.briefing)
    combined = f"{_ours(header).content}\n{first.content}"
    if len(combined) <= CONTENT_LIMIT:
        return [DiscordMessage(content=combined, embeds=first.embeds), *rest]
    return [_ours(header), first, *rest]


def _timezone_choices(current: object) -> list[app_commands.Choice[str]]:
    typed = current if isinstance(current, str) else ""
    needle = typed.strip().lower().replace(" ", "_")
    aliased = alias_zones(typed)  # "kst": Asia/Seoul, the name to use, first
    starts = [z for z in _zones() if z.lower().startswith(needle) and z not in aliased]
    contains = [z for z in _zones() if needle in z.lower() and z not in starts + aliased]
    found = aliased + starts + contains
    return [app_commands.Choice(name=z, value=z) for z in found[:CHOICES_LIMIT]]


def _day_choices(current: object) -> list[app_commands.Choice[str]]:
    typed = (current if isinstance(current, str) else "").strip().lower()[:CHOICE_TEXT_LIMIT]
    options = [d for d in DAY_SUGGESTIONS if d.startswith(typed)]
    if typed and typed not in options:
        options.insert(0, typed)
    return [app_commands.Choice(name=d, value=d) for d in options]


def build_commands(
    handlers: Handlers,
) -> list[app_commands.Command[Any, ..., None] | app_commands.Group]:
    """The ``/brief`` command and the ``/briefing`` group, wired to ``handlers``."""

    def guarded(
        suggest: Callable[[str], Awaitable[list[app_commands.Choice[str]]]],
    ) -> Callable[[discord.Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]:
        async def autocomplete(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            with request_context("discord", "autocomplete", request_id=str(interaction.id)):
                try:
                    return await suggest(current)
                except Exception:
                    log.exception("discord autocomplete failed (%s)", _context(interaction))
                    return []

        return autocomplete

    async def timezones(current: str) -> list[app_commands.Choice[str]]:
        return _timezone_choices(current)

    async def day_lists(current: str) -> list[app_commands.Choice[str]]:
        return _day_choices(current)

    topic_autocomplete = guarded(handlers.topic_choices)
    timezone_autocomplete = guarded(timezones)
    days_autocomplete = guarded(day_lists)

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
        async with handlers.command(interaction, "brief"):
            await handlers.brief(interaction, topic, count)

    briefing = app_commands.Group(
        name="briefing",
        description="Scheduled briefings and sources for this server",
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
        async with handlers.command(interaction, "briefing subscribe"):
            await handlers.subscribe(interaction, topic, time, timezone, days)

    @briefing.command(name="list", description="Show this channel's scheduled briefings")
    async def list_(interaction: discord.Interaction) -> None:
        async with handlers.command(interaction, "briefing list"):
            await handlers.list(interaction)

    @briefing.command(
        name="preview", description="See what a scheduled briefing would post at its next run"
    )
    @app_commands.describe(sub_id="The subscription id, from /briefing list")
    @app_commands.rename(sub_id="id")
    async def preview(
        interaction: discord.Interaction, sub_id: app_commands.Range[int, 1, MAX_ID]
    ) -> None:
        async with handlers.command(interaction, "briefing preview"):
            await handlers.preview(interaction, sub_id)

    @briefing.command(name="remove", description="Stop a scheduled briefing")
    @app_commands.describe(sub_id="The subscription id, from /briefing list")
    @app_commands.rename(sub_id="id")
    async def remove(
        interaction: discord.Interaction, sub_id: app_commands.Range[int, 1, MAX_ID]
    ) -> None:
        async with handlers.command(interaction, "briefing remove"):
            await handlers.remove(interaction, sub_id)

    @briefing.command(name="resume", description="Resume a paused scheduled briefing")
    @app_commands.describe(sub_id="The subscription id, from /briefing list")
    @app_commands.rename(sub_id="id")
    async def resume(
        interaction: discord.Interaction, sub_id: app_commands.Range[int, 1, MAX_ID]
    ) -> None:
        async with handlers.command(interaction, "briefing resume"):
            await handlers.resume(interaction, sub_id)

    source = app_commands.Group(
        name="source",
        description="RSS or Atom feeds this server adds to briefings",
        parent=briefing,
    )

    @source.command(name="add", description="Add an RSS or Atom feed to briefings")
    @app_commands.describe(url="The feed's address, e.g. https://example.com/rss.xml")
    async def source_add(
        interaction: discord.Interaction, url: app_commands.Range[str, 1, MAX_URL_LENGTH]
    ) -> None:
        async with handlers.command(interaction, "briefing source add"):
            await handlers.source_add(interaction, url)

    @source.command(name="list", description="Show the feeds this server added, with their health")
    async def source_list(interaction: discord.Interaction) -> None:
        async with handlers.command(interaction, "briefing source list"):
            await handlers.source_list(interaction)

    @source.command(name="remove", description="Remove a feed this server added")
    @app_commands.describe(url="The feed's address, or its id from /briefing source list")
    async def source_remove(
        interaction: discord.Interaction, url: app_commands.Range[str, 1, MAX_URL_LENGTH]
    ) -> None:
        async with handlers.command(interaction, "briefing source remove"):
            await handlers.source_remove(interaction, url)

    return [brief, briefing]
