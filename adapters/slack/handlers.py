"""The ``/brief`` slash command: acknowledge at once, then one core call, then a reply.

    ack()            immediately: shape errors and help are answered in the ack itself
                     (ephemeral); everything else acks empty and runs on a tracked task
                     (in a burst, once no new command has arrived for a moment:
                     ``adapters.acks_first``, so the burst's acks go out first)
    core call        sync, in a worker thread (``asyncio.to_thread``)
    reply            briefings in the channel: ``respond`` (response_type in_channel) for a
                     one-message briefing, ``chat.postMessage`` + thread for a longer one, each
                     falling back to the other when it cannot post; errors, help, listings
                     ephemeral; subscription changes in the channel, so everyone sees them

Domain errors (``BriefbotError``) are shown as their one-line message, except ``StoreError``
(the operator's database, nothing the user can act on); that and anything unexpected is logged
with the invocation's context and request id, and the user sees ``messages.GENERIC_FAILURE``.

Each invocation runs inside ``bot.logs.request_context("slack", <command>)``: every log line
about it (ours, the core's in worker threads, Bolt's) carries one request id, and the briefs
it builds are counted under ``platform="slack"`` (``bot.metrics``).  The time from the request's
arrival to ``ack()`` is observed as ``briefbot_ack_seconds{platform="slack"}``.

User-added sources (``/brief source add|list|remove``) go to ``bot.user_sources``: anyone may
list them; adding and removing takes the subscribe permission (``SubscribePolicy``).  Without
a ``UserSourceService`` the commands answer that sources are not enabled.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.acks_first import AcksFirst, Arrival
from adapters.slack import render
from adapters.slack.commands import (
    AddSource,
    Brief,
    Command,
    Help,
    ListSources,
    ListSubscriptions,
    Preview,
    RemoveSource,
    Resume,
    Subscribe,
    Topics,
    Unsubscribe,
    parse_command,
)
from adapters.slack.permissions import SubscribePolicy
from adapters.slack.publish import post_message, post_messages
from adapters.slack.render import SlackMessage
from bot import messages
from bot.errors import BadInput, BriefbotError, ChannelUnavailable, DeliveryError, StoreError
from bot.logs import current_request, request_context
from bot.metrics import acknowledged
from bot.models import ChannelRef

if TYPE_CHECKING:
    from bot.briefing import BriefingService
    from bot.scheduling.content import SlotPreview
    from bot.subscriptions import SubscriptionService
    from bot.topics import TopicRegistry
    from bot.user_sources import UserSourceService

log = logging.getLogger(__name__)

Spawn = Callable[[Coroutine[Any, Any, None]], None]

RECEIVED_AT = "briefbot_received_at"
"""Bolt context key: ``time.perf_counter()`` when the HTTP request arrived (set by the
adapter before Bolt verifies it); Socket Mode invocations are timed from the listener."""

_COMMAND_NAMES: dict[type, str] = {
    Brief: "brief",
    Topics: "topics",
    Help: "help",
    Subscribe: "subscribe",
    ListSubscriptions: "list",
    Unsubscribe: "unsubscribe",
    Resume: "resume",
    Preview: "preview",
    AddSource: "source-add",
    ListSources: "source-list",
    RemoveSource: "source-remove",
}


@dataclass(frozen=True, slots=True)
class Invocation:
    """Who typed what, where (the fields of a slash command payload we use)."""

    team_id: str
    channel_id: str
    user_id: str
    text: str

    @classmethod
    def from_payload(cls, command: dict[str, Any]) -> Invocation:
        return cls(
            team_id=str(command.get("team_id") or ""),
            channel_id=str(command.get("channel_id") or ""),
            user_id=str(command.get("user_id") or ""),
            text=str(command.get("text") or ""),
        )

    @property
    def channel(self) -> ChannelRef:
        return ChannelRef("slack", self.channel_id, self.team_id or None)


class SlashCommands:
    """Bolt listener for ``/brief`` plus the work it schedules."""

    def __init__(
        self,
        *,
        briefings: BriefingService,
        topics: TopicRegistry,
        subscriptions: SubscriptionService,
        policy: SubscribePolicy,
        spawn: Spawn,
        sources: UserSourceService | None = None,
    ) -> None:
        self._briefings = briefings
        self._topics = topics
        self._subscriptions = subscriptions
        self._sources = sources
        self._policy = policy
        self._spawn = spawn
        # In a burst, the work after each ack waits for a lull: the burst's acks go out first.
        self._acks_first = AcksFirst()

    async def on_brief(
        self,
        ack: AsyncAck,
        command: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        """The Bolt listener: nothing slow happens before ``ack``."""
        received = context.get(RECEIVED_AT)
        received = received if isinstance(received, float) else time.perf_counter()
        invocation = Invocation.from_payload(command)
        parsed: Command | BadInput
        try:
            parsed = parse_command(invocation.text)
        except BadInput as exc:
            parsed = exc
        name = "bad-input" if isinstance(parsed, BadInput) else _COMMAND_NAMES[type(parsed)]
        outer = current_request()  # HTTP mode: the adapter opened one for the request
        with request_context("slack", name, request_id=outer.id if outer else None):
            answer = self._immediate_answer(parsed)
            if answer is not None:
                self._log_asked(name, invocation)
                await ack(text=answer, response_type="ephemeral")
            else:
                await ack()
            acknowledged("slack", time.perf_counter() - received)
            if answer is None and not isinstance(parsed, BadInput):
                # The task copies this context: its log lines carry the same request id.
                # (A listener runs from the request to its ack without yielding: counting
                # the command from here on is counting it from its arrival.)
                arrival = self._acks_first.arrived(acked=True)
                reply = _Reply(respond, client, invocation)
                self._spawn(self._after_ack(arrival, name, parsed, invocation, reply))

    async def _after_ack(
        self, arrival: Arrival, name: str, parsed: Command, invocation: Invocation, reply: _Reply
    ) -> None:
        """:meth:`run`, once a burst's acks are out (``AcksFirst``).  The command's log line
        is written here too: Slack's HTTP answer waits for the listener to return, and a
        line costs a formatted, redacted write."""
        try:
            await arrival.settled()
            self._log_asked(name, invocation)
            await self.run(parsed, invocation, reply)
        finally:
            arrival.done()

    @staticmethod
    def _log_asked(name: str, invocation: Invocation) -> None:
        log.info(
            "/brief %s: %r (user %s, team %s, channel %s)",
            name,
            invocation.text[:200],
            invocation.user_id,
            invocation.team_id,
            invocation.channel_id,
        )

    def _immediate_answer(self, parsed: Command | BadInput) -> str | None:
        """What can be answered in the ack itself (no I/O): shape errors, help, and source
        commands when sources are not enabled."""
        if isinstance(parsed, BadInput):
            return str(render.render_text(str(parsed))["text"])
        if isinstance(parsed, Help):
            return str(render.render_help()["text"])
        if isinstance(parsed, AddSource | ListSources | RemoveSource) and self._sources is None:
            return str(render.render_text(messages.SLACK_SOURCES_DISABLED)["text"])
        return None

    async def run(self, parsed: Command, invocation: Invocation, reply: _Reply) -> None:
        """The work after the ack: one core call, one reply; never raises."""
        try:
            await self._dispatch(parsed, invocation, reply)
        except StoreError as exc:
            # The operator's problem, not the user's: their line would only leak internals.
            log.error(
                "/brief %r failed (request %s, team %s, channel %s): %s",
                invocation.text[:200],
                _request_id(),
                invocation.team_id,
                invocation.channel_id,
                exc,
            )
            await reply.ephemeral(render.render_text(messages.GENERIC_FAILURE))
        except BriefbotError as exc:
            log.info("/brief %r answered: %s", invocation.text[:200], exc)
            await reply.ephemeral(render.render_text(str(exc)))
        except Exception:
            log.exception(
                "/brief %r failed (request %s, team %s, channel %s, user %s)",
                invocation.text[:200],
                _request_id(),
                invocation.team_id,
                invocation.channel_id,
                invocation.user_id,
            )
            await reply.ephemeral(render.render_text(messages.GENERIC_FAILURE))

    async def _dispatch(self, parsed: Command, invocation: Invocation, reply: _Reply) -> None:
        match parsed:
            case Brief(topic=topic, count=count):
                briefing = await asyncio.to_thread(self._briefings.brief, topic, count)
                await reply.in_channel(render.render_briefing(briefing))
            case Topics(query=None):
                await reply.ephemeral(render.render_topics(self._topics.curated()))
            case Topics(query=str(query)):
                found = await asyncio.to_thread(self._topics.suggest, query)
                if not found:
                    text = messages.SLACK_NO_TOPIC_MATCH.format(query=query)
                    await reply.ephemeral(render.render_text(text))
                else:
                    await reply.ephemeral(render.render_topics(found, footer=False))
            case ListSubscriptions():
                listed = await asyncio.to_thread(self._subscriptions.listing, invocation.channel)
                await reply.ephemeral(render.render_subscriptions(listed))
            case Subscribe():
                if await self._refused(reply, invocation):
                    return
                created, resumed = await asyncio.to_thread(
                    self._subscriptions.subscribe_or_resume,
                    invocation.channel,
                    parsed.topic,
                    at=parsed.at,
                    days=parsed.days,
                    tz=parsed.zone,
                    created_by=invocation.user_id,
                )
                if resumed:  # the same one, paused: asking again means "deliver it"
                    text = messages.SLACK_SUBSCRIBE_RESUMED.format(
                        id=created.id,
                        slug=render.escape(created.topic.slug),
                        schedule=render.escape(created.schedule.describe()),
                        next=render.next_run_text(self._subscriptions.next_run(created)),
                    )
                    await reply.in_channel([{"text": text}])
                else:
                    await reply.in_channel([render.render_subscribed(created)])
            case Resume(subscription_id=sub_id):
                if await self._refused(reply, invocation):
                    return
                sub, was_paused = await asyncio.to_thread(
                    self._subscriptions.resume, sub_id, invocation.channel
                )
                next_run = render.next_run_text(self._subscriptions.next_run(sub))
                if not was_paused:
                    text = messages.SLACK_NOT_PAUSED.format(id=sub.id, next=next_run)
                    await reply.ephemeral({"text": text})
                    return
                text = messages.SLACK_RESUMED.format(
                    id=sub.id,
                    slug=render.escape(sub.topic.slug),
                    schedule=render.escape(sub.schedule.describe()),
                    next=next_run,
                )
                await reply.in_channel([{"text": text}])
            case Preview(subscription_id=sub_id):
                if await self._refused(reply, invocation, messages.SLACK_PREVIEW_NOT_ALLOWED):
                    return
                preview = await asyncio.to_thread(
                    self._briefings.preview_slot, sub_id, asked_from=invocation.channel
                )
                for message in _render_preview(preview):
                    await reply.ephemeral(message)
            case Unsubscribe(subscription_id=sub_id):
                if await self._refused(reply, invocation):
                    return
                removed = await asyncio.to_thread(
                    self._subscriptions.remove, sub_id, invocation.channel
                )
                await reply.in_channel([render.render_unsubscribed(removed)])
            case AddSource() | ListSources() | RemoveSource():
                await self._source(parsed, invocation, reply)
            case Help():  # answered in the ack; kept for exhaustiveness
                await reply.ephemeral(render.render_help())

    async def _source(
        self, parsed: AddSource | ListSources | RemoveSource, invocation: Invocation, reply: _Reply
    ) -> None:
        sources = self._sources
        if sources is None:  # answered in the ack; kept for safety
            raise BadInput(messages.SLACK_SOURCES_DISABLED)
        workspace = invocation.team_id
        if not workspace:
            raise BadInput(messages.SLACK_NO_WORKSPACE)
        match parsed:
            case ListSources():
                feeds = await asyncio.to_thread(sources.list, "slack", workspace)
                await reply.ephemeral(render.render_sources(feeds, limit=sources.limit))
            case AddSource(url=url):
                if await self._refused(reply, invocation, messages.SLACK_SOURCES_NOT_ALLOWED):
                    return
                feed = await sources.add("slack", workspace, url, added_by=invocation.user_id)
                await reply.in_channel([render.render_source_added(feed)])
            case RemoveSource(which=which):
                if await self._refused(reply, invocation, messages.SLACK_SOURCES_NOT_ALLOWED):
                    return
                removed = await asyncio.to_thread(sources.remove, "slack", workspace, which)
                await reply.in_channel([render.render_source_removed(removed)])

    async def _refused(
        self, reply: _Reply, invocation: Invocation, refusal: str = messages.SLACK_NOT_ALLOWED
    ) -> bool:
        if await self._policy.allows(reply.client, invocation.user_id):
            return False
        log.info(
            "refused /brief %r to user %s in team %s (not allowed)",
            invocation.text[:200],
            invocation.user_id,
            invocation.team_id,
        )
        await reply.ephemeral(render.render_text(refusal))
        return True


def _render_preview(preview: SlotPreview) -> list[SlackMessage]:
    """``/brief preview``: a line saying what this is, then the briefing exactly as the slot
    would post it (or that it would post nothing: quiet, nothing new)."""
    sub = preview.subscription
    about = {
        "id": sub.id,
        "slug": render.escape(sub.topic_slug),
        "schedule": render.escape(
            sub.schedule.describe() + (messages.SLACK_SUB_QUIET if sub.quiet else "")
        ),
    }
    if preview.paused:
        header = messages.SLACK_PREVIEW_PAUSED.format(**about)
    else:
        header = messages.SLACK_PREVIEW_HEADER.format(
            **about, next=render.next_run_text(preview.slot_at)
        )
    if preview.briefing is None:
        return [{"text": header + " " + messages.SLACK_PREVIEW_NOTHING.format(slug=about["slug"])}]
    return [{"text": header}, *render.render_briefing(preview.briefing)]


def _request_id() -> str:
    request = current_request()
    return request.id if request else "-"


class _Reply:
    """Answers one invocation: through its response_url, or the Web API when that fails."""

    def __init__(
        self, respond: AsyncRespond, client: AsyncWebClient, invocation: Invocation
    ) -> None:
        self._respond = respond
        self.client = client
        self._invocation = invocation

    async def ephemeral(self, message: SlackMessage) -> None:
        if await self._via_response_url(message, "ephemeral"):
            return
        try:
            await self.client.chat_postEphemeral(
                channel=self._invocation.channel_id,
                user=self._invocation.user_id,
                text=message["text"],
                blocks=message.get("blocks"),
            )
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning(
                "could not reply to user %s in Slack channel %s: %s",
                self._invocation.user_id,
                self._invocation.channel_id,
                exc,
            )

    async def in_channel(self, rendered: Sequence[SlackMessage]) -> None:
        """Post for the whole channel to see.  One message: the response_url first (works in
        channels the bot has not joined), the Web API when that is spent.  Several: the Web
        API, so the rest can be threaded; the response_url, one by one, if the bot cannot post
        there."""
        if len(rendered) == 1:
            if await self._via_response_url(rendered[0], "in_channel"):
                return
            attempts: list[Callable[[], Awaitable[bool]]] = [self._via_web_api(rendered)]
        else:
            attempts = [self._via_web_api(rendered), self._each_via_response_url(rendered)]
        for attempt in attempts:
            if await attempt():
                return
        await self.ephemeral(render.render_text(messages.SLACK_CANNOT_POST))

    def _via_web_api(self, rendered: Sequence[SlackMessage]) -> Callable[[], Awaitable[bool]]:
        async def attempt() -> bool:
            channel = self._invocation.channel_id
            posted = 0

            async def count(number: int, total: int, ts: str) -> None:
                nonlocal posted
                posted = number

            try:
                if len(rendered) == 1:
                    await post_message(self.client, channel, rendered[0])
                else:
                    await post_messages(self.client, channel, rendered, on_part=count)
            except (ChannelUnavailable, DeliveryError) as exc:
                log.info("chat.postMessage to %s failed: %s", channel, exc)
                # Parts already in the channel are not posted again another way.
                return posted > 0
            return True

        return attempt

    def _each_via_response_url(
        self, rendered: Sequence[SlackMessage]
    ) -> Callable[[], Awaitable[bool]]:
        async def attempt() -> bool:
            for message in rendered:
                if not await self._via_response_url(message, "in_channel"):
                    return False
            return True

        return attempt

    async def _via_response_url(self, message: SlackMessage, response_type: str) -> bool:
        try:
            response = await self._respond(
                text=message["text"],
                blocks=message.get("blocks"),
                response_type=response_type,
                unfurl_links=False,
                unfurl_media=False,
            )
        except ValueError:  # no response_url in this payload
            return False
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.info("response_url unreachable: %r", exc)
            return False
        if response.status_code != 200:
            log.info("response_url refused (%s): %s", response.status_code, response.body)
            return False
        return True
