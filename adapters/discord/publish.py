"""Posting a briefing to a channel (what the scheduler calls through the adapter).

Discord's answers become domain errors the scheduler understands:

    403 Forbidden / 404 Not Found       -> ChannelUnavailable (pause the subscription; repeated
                                           403s count towards Discord's invalid-request ban)
    any other HTTP error, network error -> DeliveryError
    429                                 -> handled inside discord.py (its limiter waits and
                                           retries); only a failure after its retries surfaces

Idempotence (``key``, from the scheduler): every message of a scheduled briefing carries a
nonce made from the delivery key and its part number, sent with ``enforce_nonce``.  Discord
answers a repeat of a nonce from the same bot within a few minutes with the message it already
created instead of posting again, so a retry after a lost answer, or a replica taking over a
delivery whose poster died after Discord accepted it, gets the original message back.  A
repeat whose original was deleted since answers 404 "Unknown Message" (10008): the part was
delivered and a moderator removed it, so it is not posted again.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

import aiohttp
import discord

from adapters.discord.render import render_briefing
from bot import messages
from bot.errors import ChannelUnavailable, DeliveryError
from bot.models import Briefing, ChannelRef

log = logging.getLogger(__name__)

NONCE_LIMIT = 25  # characters, Discord's limit
UNKNOWN_MESSAGE = 10008  # Discord's JSON error code


def part_nonce(key: str, part: int) -> str:
    """The nonce of message ``part`` (1-based) of the delivery ``key``: readable when it fits
    Discord's 25 characters, a digest of both otherwise."""
    nonce = f"{key}.{part}"
    if len(nonce) <= NONCE_LIMIT:
        return nonce
    return hashlib.blake2b(nonce.encode(), digest_size=12).hexdigest()[:NONCE_LIMIT]


async def publish(
    client: discord.Client, channel: ChannelRef, briefing: Briefing, *, key: str | None = None
) -> str:
    """Post ``briefing`` to ``channel``; return the id of the first message posted.

    With ``key``, each message carries ``part_nonce(key, n)`` (see the module docstring)."""
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
    removed = False  # a part posted earlier and deleted since (not posted again)
    for number, part in enumerate(render_briefing(briefing), start=1):
        # unkeyed posts get a fresh random nonce, as discord.py gives them by default
        nonce: str | int = part_nonce(key, number) if key else secrets.randbits(64)
        try:
            sent = await target.send(
                content=part.content or None,
                embeds=part.discord_embeds(),
                allowed_mentions=discord.AllowedMentions.none(),
                nonce=nonce,  # discord.py sends ``enforce_nonce`` with it
            )
        except discord.NotFound as err:
            if key is None or err.code != UNKNOWN_MESSAGE:
                raise _unavailable(channel_id, err) from err
            log.info(
                "discord: part %d of delivery %s was posted to channel %s and deleted since; "
                "not posting it again",
                number,
                key,
                channel_id,
            )
            removed = True
            continue
        except discord.Forbidden as err:
            raise _unavailable(channel_id, err) from err
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
    if first is None:  # render_briefing always yields a message: every part was removed
        assert removed
        return "deleted"
    return first


def _unavailable(channel_id: int, err: discord.HTTPException) -> ChannelUnavailable:
    log.warning("discord: channel %s refused a briefing: %s %s", channel_id, err.status, err.text)
    return ChannelUnavailable(
        messages.DISCORD_CHANNEL_UNAVAILABLE.format(channel=channel_id, status=err.status)
    )
