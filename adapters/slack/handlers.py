"""The ``/brief`` slash command: acknowledge at once, then one core call, then a reply.

    ack()            immediately: shape errors and help are answered in the ack itself
                     (ephemeral); everything else acks empty and runs on a tracked task
    core call        sync, in a worker thread (``asyncio.to_thread``)
    reply            briefings in the channel: ``respond`` (response_type in_channel) for a
                     one-message briefing, ``chat.postMessage`` + thread for a longer one, each
                     falling back to the other when it cannot post; errors, help, listings
                     ephemeral; subscription changes in the channel, so everyone sees them

Domain errors (``BriefbotError``) are shown as their one-line message, except ``StoreError``
(the operator's database, nothing the user can act on); that and anything unexpected is logged
with the invocation's context, and the user sees ``messages.GENERIC_FAILURE``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import render
from adapters.slack.commands import (
    Brief,
    Command,
    Help,
    ListSubscriptions,
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
from bot.models import ChannelRef

if TYPE_CHECKING:
    from bot.briefing import BriefingService
    from bot.subscriptions import SubscriptionService
    from bot.topics import TopicRegistry

log = logging.getLogger(__name__)

Spawn = Callable[[Coroutine[Any, Any, None]], None]


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
    ) -> None:
        self._briefings = briefings
        self._topics = topics
        self._subscriptions = subscriptions
        self._policy = policy
        self._spawn = spawn

    async def on_brief(
        self,
        ack: AsyncAck,
        command: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        """The Bolt listener: nothing slow happens before ``ack``."""
        invocation = Invocation.from_payload(command)
        try:
            parsed = parse_command(invocation.text)
        except BadInput as exc:
            await ack(text=str(exc), response_type="ephemeral")
            return
        if isinstance(parsed, Help):
            await ack(text=render.render_help()["text"], response_type="ephemeral")
            return
        await ack()
        self._spawn(self.run(parsed, invocation, _Reply(respond, client, invocation)))

    async def run(self, parsed: Command, invocation: Invocation, reply: _Reply) -> None:
        """The work after the ack: one core call, one reply; never raises."""
        try:
            await self._dispatch(parsed, invocation, reply)
        except StoreError as exc:
            # The operator's problem, not the user's: their line would only leak internals.
            log.error(
                "/brief %r failed (team %s, channel %s): %s",
                invocation.text,
                invocation.team_id,
                invocation.channel_id,
                exc,
            )
            await reply.ephemeral(render.render_text(messages.GENERIC_FAILURE))
        except BriefbotError as exc:
            await reply.ephemeral(render.render_text(str(exc)))
        except Exception:
            log.exception(
                "/brief %r failed (team %s, channel %s, user %s)",
                invocation.text,
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
                    text = messages.SLACK_NO_TOPIC_MATCH.format(query=render.escape(query))
                    await reply.ephemeral(render.render_text(text))
                else:
                    await reply.ephemeral(render.render_topics(found, footer=False))
            case ListSubscriptions():
                subs = await asyncio.to_thread(self._subscriptions.list, invocation.channel)
                await reply.ephemeral(render.render_subscriptions(subs))
            case Subscribe():
                if await self._refused(reply, invocation):
                    return
                created = await asyncio.to_thread(
                    self._subscriptions.subscribe,
                    invocation.channel,
                    parsed.topic,
                    at=parsed.at,
                    days=parsed.days,
                    tz=parsed.zone,
                    created_by=invocation.user_id,
                )
                await reply.in_channel([render.render_subscribed(created)])
            case Unsubscribe(subscription_id=sub_id):
                if await self._refused(reply, invocation):
                    return
                removed = await asyncio.to_thread(
                    self._subscriptions.remove, sub_id, invocation.channel
                )
                await reply.in_channel([render.render_unsubscribed(removed)])
            case Help():  # answered in the ack; kept for exhaustiveness
                await reply.ephemeral(render.render_help())

    async def _refused(self, reply: _Reply, invocation: Invocation) -> bool:
        if await self._policy.allows(reply.client, invocation.user_id):
            return False
        log.info(
            "refused /brief %r to user %s in team %s (not allowed to manage subscriptions)",
            invocation.text,
            invocation.user_id,
            invocation.team_id,
        )
        await reply.ephemeral(render.render_text(messages.SLACK_NOT_ALLOWED))
        return True


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
            try:
                if len(rendered) == 1:
                    await post_message(self.client, channel, rendered[0])
                else:
                    await post_messages(self.client, channel, rendered)
            except (ChannelUnavailable, DeliveryError) as exc:
                log.info("chat.postMessage to %s failed: %s", channel, exc)
                return False
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
