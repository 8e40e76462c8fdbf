"""Posting rendered briefings with ``chat.postMessage``: the first message in the channel, the
rest threaded under it; Slack's refusals mapped onto the domain's delivery errors.

Rate limits are slack_sdk's job: the client carries ``AsyncRateLimitErrorRetryHandler``, which
sleeps for the ``Retry-After`` of a 429 and tries again.  What still fails becomes:

    channel_not_found, not_in_channel, is_archived,
    restricted_action*                               -> ChannelUnavailable (pause the subscription)
    anything else Slack answers (auth, 429 after retries, ...)  -> DeliveryError
    network failure                                  -> DeliveryError

A briefing of several parts (the first in the channel, the rest in its thread) is posted only
when all of them are: a part failing raises, and the retry passes the parts already posted
(``done``) so it continues from the first missing one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import SlackMessage
from bot import messages
from bot.errors import ChannelUnavailable, DeliveryError

if TYPE_CHECKING:
    from bot.scheduling.publisher import PartPosted

log = logging.getLogger(__name__)

CHANNEL_GONE = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "restricted_action_non_threadable_channel",
    }
)
RATE_LIMIT_RETRIES = 3
DELIVERY_EVENT = "briefbot_delivery"  # message metadata event type of scheduled deliveries
HISTORY_LIMIT = 200


def retry_handlers() -> list[AsyncRetryHandler]:
    """429 (honouring Retry-After) and dropped connections are retried by slack_sdk itself."""
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
    ]


async def post_messages(
    client: AsyncWebClient,
    channel_id: str,
    rendered: Sequence[SlackMessage],
    *,
    key: str | None = None,
    done: Sequence[str] = (),
    on_part: PartPosted | None = None,
) -> str:
    """Post ``rendered`` to ``channel_id``; return the ``ts`` of the first message.

    ``key`` (a scheduled delivery's key) rides on the first message as Slack message metadata,
    where :func:`find_delivery` can see it later.

    The briefing is posted only when every part is: a part failing raises (``DeliveryError``
    or ``ChannelUnavailable``), whichever it is.  ``done`` holds the ``ts`` of the parts an
    earlier attempt posted: they are not posted again, and the rest go into the thread of
    the first one.  ``on_part(number, total, ts)`` is awaited after each part Slack took.
    """
    if not rendered:
        raise ValueError("nothing to post")
    total = len(rendered)
    metadata = {"event_type": DELIVERY_EVENT, "event_payload": {"key": key}} if key else None
    posted = list(done[:total])
    for number, part in enumerate(rendered[len(posted) :], start=len(posted) + 1):
        try:
            if number == 1:
                ts = await post_message(client, channel_id, part, metadata=metadata)
            else:
                ts = await post_message(client, channel_id, part, thread_ts=posted[0])
        except DeliveryError as exc:
            if number > 1:
                log.warning(
                    "part %d of %d of a briefing in Slack channel %s was not posted: %s",
                    number,
                    total,
                    channel_id,
                    exc,
                )
            raise
        posted.append(ts)
        if on_part is not None:
            await on_part(number, total, ts)
    return posted[0]


async def post_message(
    client: AsyncWebClient,
    channel_id: str,
    message: SlackMessage,
    *,
    thread_ts: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> str:
    """One ``chat.postMessage``; its ``ts``.  Raises ``ChannelUnavailable``/``DeliveryError``."""
    try:
        response = await client.chat_postMessage(
            channel=channel_id,
            text=message["text"],
            blocks=message.get("blocks"),
            thread_ts=thread_ts,
            metadata=metadata,
            unfurl_links=False,
            unfurl_media=False,
        )
    except SlackApiError as exc:
        raise _refusal(exc, channel_id) from None
    except (aiohttp.ClientError, TimeoutError) as exc:
        log.warning("Slack unreachable posting to %s: %r", channel_id, exc)
        raise DeliveryError(messages.SLACK_UNREACHABLE.format(channel=channel_id)) from None
    return str(response["ts"])


async def find_delivery(
    client: AsyncWebClient, channel_id: str, key: str, since: datetime
) -> str | None:
    """The ``ts`` of a message posted to ``channel_id`` at or after ``since`` carrying ``key``
    in its metadata (``conversations.history``; needs the ``channels:history`` scope, and
    ``groups:history`` for private channels).  ``DeliveryError`` when Slack will not say."""
    try:
        response = await client.conversations_history(
            channel=channel_id,
            oldest=f"{since.timestamp():.6f}",
            inclusive=True,
            include_all_metadata=True,
            limit=HISTORY_LIMIT,
        )
    except SlackApiError as exc:
        raise _refusal(exc, channel_id) from None
    except (aiohttp.ClientError, TimeoutError) as exc:
        log.warning("Slack unreachable reading %s: %r", channel_id, exc)
        raise DeliveryError(messages.SLACK_UNREACHABLE.format(channel=channel_id)) from None
    for message in response.get("messages") or []:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == DELIVERY_EVENT and payload.get("key") == key:
            return str(message["ts"])
    return None


async def check_channel(client: AsyncWebClient, channel_id: str) -> None:
    """Whether the bot may post in ``channel_id`` now (``conversations.info``; needs the
    ``channels:read`` scope, ``groups:read`` for private channels): ``ChannelUnavailable`` when
    it is gone, archived or the bot is not in it, ``DeliveryError`` when Slack will not say."""
    try:
        response = await client.conversations_info(channel=channel_id)
    except SlackApiError as exc:
        raise _refusal(exc, channel_id) from None
    except (aiohttp.ClientError, TimeoutError) as exc:
        log.warning("Slack unreachable checking %s: %r", channel_id, exc)
        raise DeliveryError(messages.SLACK_UNREACHABLE.format(channel=channel_id)) from None
    info = response.get("channel") or {}
    closed = "is_archived" if info.get("is_archived") else None
    if closed is None and info.get("is_member") is False and not info.get("is_im"):
        closed = "not_in_channel"
    if closed is not None:
        raise ChannelUnavailable(
            messages.SLACK_CHANNEL_UNAVAILABLE.format(channel=channel_id, error=closed)
        )


def _refusal(exc: SlackApiError, channel_id: str) -> DeliveryError:
    error = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
    if error in CHANNEL_GONE:
        return ChannelUnavailable(
            messages.SLACK_CHANNEL_UNAVAILABLE.format(channel=channel_id, error=error)
        )
    return DeliveryError(messages.SLACK_DELIVERY_FAILED.format(channel=channel_id, error=error))
