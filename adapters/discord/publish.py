"""Posting a briefing to a channel (what the scheduler calls through the adapter).

Discord's answers become domain errors the scheduler understands:

    403 Forbidden / 404 Not Found       -> ChannelUnavailable (pause the subscription; repeated
                                           403s count towards Discord's invalid-request ban)
    any other HTTP error, network error -> DeliveryError
    429                                 -> handled inside discord.py (its limiter waits and
                                           retries); only a failure after its retries surfaces
"""

from __future__ import annotations

import logging

import aiohttp
import discord

from adapters.discord.render import render_briefing
from bot import messages
from bot.errors import ChannelUnavailable, DeliveryError
from bot.models import Briefing, ChannelRef

log = logging.getLogger(__name__)


async def publish(client: discord.Client, channel: ChannelRef, briefing: Briefing) -> str:
    """Post ``briefing`` to ``channel``; return the id of the first message posted."""
    if channel.platform != "discord":
        raise ValueError(f"not a Discord channel: {channel}")
    try:
        channel_id = int(channel.channel_id)
        guild_id = int(channel.workspace_id) if channel.workspace_id else None
    except ValueError:
        raise ChannelUnavailable(
            messages.DISCORD_CHANNEL_UNAVAILABLE.format(channel=channel.channel_id, status="bad id")
        ) from None
    target = client.get_partial_messageable(channel_id, guild_id=guild_id)
    first: str | None = None
    for part in render_briefing(briefing):
        try:
            sent = await target.send(
                content=part.content or None,
                embeds=part.discord_embeds(),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except (discord.Forbidden, discord.NotFound) as err:
            log.warning(
                "discord: channel %s refused a briefing: %s %s", channel_id, err.status, err.text
            )
            raise ChannelUnavailable(
                messages.DISCORD_CHANNEL_UNAVAILABLE.format(channel=channel_id, status=err.status)
            ) from err
        except discord.HTTPException as err:
            log.warning(
                "discord: posting to channel %s failed: %s %s", channel_id, err.status, err.text
            )
            raise DeliveryError(
                messages.DISCORD_DELIVERY_FAILED.format(channel=channel_id, status=err.status)
            ) from err
        except (aiohttp.ClientError, OSError, TimeoutError) as err:
            log.warning("discord: posting to channel %s failed: %r", channel_id, err)
            raise DeliveryError(
                messages.DISCORD_DELIVERY_FAILED.format(channel=channel_id, status="no answer")
            ) from err
        if first is None:
            first = str(sent.id)
    assert first is not None  # render_briefing always yields at least one message
    return first
