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

Discord keeps a nonce only for a few minutes and shows none in a channel's history, so the
first message of a scheduled briefing also carries a marker, ``ref <key>``, at the end of its
footer (or in a subtext line when it has no embed): :func:`find_published` reads the
channel's recent history for it when a replica takes a delivery over (the bot needs Read
Message History; without it, the nonce alone is trusted).

A briefing of several messages is posted only when all of them are: a part failing raises,
and the retry passes the parts already posted (``done``) so it continues from the first
missing one (Slack does the same).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from adapters.discord.render import (
    CONTENT_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    FOOTER_LIMIT,
    DiscordMessage,
    embed_length,
    render_briefing,
)
from bot import messages
from bot.errors import ChannelUnavailable, DeliveryError
from bot.models import Briefing, ChannelRef

if TYPE_CHECKING:
    from bot.scheduling.publisher import PartPosted

log = logging.getLogger(__name__)

NONCE_LIMIT = 25  # characters, Discord's limit
HISTORY_LIMIT = 50  # recent messages read to find a delivery after a crash
UNKNOWN_MESSAGE = 10008  # Discord's JSON error code


def part_nonce(key: str, part: int) -> str:
    """The nonce of message ``part`` (1-based) of the delivery ``key``: readable when it fits
    Discord's 25 characters, a digest of both otherwise."""
    nonce = f"{key}.{part}"
    if len(nonce) <= NONCE_LIMIT:
        return nonce
    return hashlib.blake2b(nonce.encode(), digest_size=12).hexdigest()[:NONCE_LIMIT]


def marker(key: str) -> str:
    """What the first message of a scheduled delivery shows in its footer, so that
    :func:`find_published` can find it in the channel's history after a crash."""
    return f"ref {key}"


def _marked(message: DiscordMessage, key: str) -> DiscordMessage:
    """``message`` with the delivery's marker: at the end of its last embed's footer, in a
    subtext line under its content, or in a footer-only embed, the first that fits."""
    mark = marker(key)
    embeds = [dict(embed) for embed in message.embeds]
    size = sum(embed_length(embed) for embed in embeds)
    if embeds and size + len(mark) + 3 <= EMBED_TOTAL_LIMIT:
        last = embeds[-1]
        footer = dict(last.get("footer") or {})
        text = str(footer.get("text") or "")
        joined = f"{text} · {mark}" if text else mark
        if len(joined) <= FOOTER_LIMIT:
            footer["text"] = joined
            embeds[-1] = {**last, "footer": footer}
            return DiscordMessage(content=message.content, embeds=tuple(embeds))
    line = f"\n-# {mark}"
    if len(message.content) + len(line) <= CONTENT_LIMIT:
        return DiscordMessage(content=message.content + line, embeds=message.embeds)
    if len(embeds) < EMBEDS_PER_MESSAGE and size + len(mark) <= EMBED_TOTAL_LIMIT:
        embeds.append({"footer": {"text": mark}})
        return DiscordMessage(content=message.content, embeds=tuple(embeds))
    return message  # nothing fits: found by its nonce alone, within Discord's window


def carries(message: dict[str, Any], key: str) -> bool:
    """Whether a message from the channel's history is the first part of delivery ``key``."""
    if str(message.get("nonce") or "") == part_nonce(key, 1):
        return True
    mark = marker(key)
    for embed in message.get("embeds") or ():
        text = str((embed.get("footer") or {}).get("text") or "")
        if text == mark or text.endswith(f" · {mark}"):
            return True
    return str(message.get("content") or "").endswith(f"\n-# {mark}")


def _target(channel: ChannelRef) -> tuple[int, int | None]:
    if channel.platform != "discord":
        raise ValueError(f"not a Discord channel: {channel}")
    try:
        return int(channel.channel_id), int(channel.workspace_id) if channel.workspace_id else None
    except ValueError:
        raise ChannelUnavailable(
            messages.DISCORD_CHANNEL_UNAVAILABLE.format(channel=channel.channel_id, status="bad id")
        ) from None


async def publish(
    client: discord.Client,
    channel: ChannelRef,
    briefing: Briefing,
    *,
    key: str | None = None,
    done: Sequence[str] = (),
    on_part: PartPosted | None = None,
) -> str:
    """Post ``briefing`` to ``channel``; return the id of the first message.

    With ``key``, each message carries ``part_nonce(key, n)`` and the first one the marker
    (see the module docstring).  The briefing is posted only when every part is: a part
    failing raises.  ``done`` holds the ids of the parts an earlier attempt posted: they are
    not posted again.  ``on_part(number, total, id)`` is awaited after each part posted."""
    channel_id, guild_id = _target(channel)
    target = client.get_partial_messageable(channel_id, guild_id=guild_id)
    parts = render_briefing(briefing)
    total = len(parts)
    posted = list(done[:total])
    removed = False  # a part posted earlier and deleted since (not posted again)
    for number, part in enumerate(parts[len(posted) :], start=len(posted) + 1):
        if key and number == 1:
            part = _marked(part, key)
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
            posted.append("deleted")
            if on_part is not None:
                await on_part(number, total, "deleted")
            continue
        except discord.Forbidden as err:
            raise _unavailable(channel_id, err) from err
        except discord.HTTPException as err:
            log.warning(
                "discord: posting part %d of %d to channel %s failed: %s %s",
                number,
                total,
                channel_id,
                err.status,
                err.text,
            )
            raise DeliveryError(
                messages.DISCORD_DELIVERY_FAILED.format(channel=channel_id, status=err.status)
            ) from err
        except (aiohttp.ClientError, OSError, TimeoutError) as err:
            log.warning("discord: posting to channel %s failed: %r", channel_id, err)
            raise DeliveryError(
                messages.DISCORD_DELIVERY_FAILED.format(channel=channel_id, status="no answer")
            ) from err
        posted.append(str(sent.id))
        if on_part is not None:
            await on_part(number, total, str(sent.id))
    first = next((part for part in posted if part != "deleted"), None)
    if first is None:  # render_briefing always yields a message: every part was removed
        assert removed or not posted
        return "deleted"
    return first


async def find_published(
    client: discord.Client, channel: ChannelRef, key: str, since: datetime
) -> str | None:
    """The id of the first message of delivery ``key`` posted to ``channel`` since ``since``:
    the channel's recent history (``HISTORY_LIMIT`` messages, which needs Read Message History),
    searched for the bot's message with the marker.  None when there is none, or when the bot
    may not read the history (the nonce still catches a repeat within Discord's window);
    ``DeliveryError`` when Discord does not answer."""
    channel_id, _ = _target(channel)
    me = client.user.id if client.user is not None else None
    try:
        found = await client.http.logs_from(
            channel_id, HISTORY_LIMIT, after=discord.utils.time_snowflake(since)
        )
    except (discord.Forbidden, discord.NotFound) as err:
        log.info(
            "discord: cannot read channel %s to look for delivery %s (%s); trusting its nonce",
            channel_id,
            key,
            err.status,
        )
        return None
    except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as err:
        log.warning("discord: reading channel %s failed: %r", channel_id, err)
        raise DeliveryError(
            messages.DISCORD_DELIVERY_FAILED.format(channel=channel_id, status="no answer")
        ) from err
    for message in found:
        author = (message.get("author") or {}).get("id")
        if (me is None or str(author) == str(me)) and carries(dict(message), key):
            return str(message["id"])
    return None


async def check_channel(client: discord.Client, channel: ChannelRef) -> None:
    """Whether the bot may post in ``channel`` now, without posting: Discord must show it
    the channel, and, when the server is in the cache, the bot's permissions there must
    include View Channel and Send Messages.  ``ChannelUnavailable`` if not."""
    channel_id, guild_id = _target(channel)
    try:
        await client.http.get_channel(channel_id)
    except (discord.Forbidden, discord.NotFound) as err:
        raise _unavailable(channel_id, err) from err
    except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as err:
        raise DeliveryError(
            messages.DISCORD_DELIVERY_FAILED.format(channel=channel_id, status="no answer")
        ) from err
    guild = client.get_guild(guild_id) if guild_id is not None else None
    cached = guild.get_channel(channel_id) if guild is not None else None
    if guild is None or guild.me is None or cached is None:
        return
    allowed = cached.permissions_for(guild.me)
    if not (allowed.view_channel and allowed.send_messages):
        raise ChannelUnavailable(
            messages.DISCORD_CHANNEL_UNAVAILABLE.format(
                channel=channel_id, status="no Send Messages permission"
            )
        )


def _unavailable(channel_id: int, err: discord.HTTPException) -> ChannelUnavailable:
    log.warning("discord: channel %s refused a briefing: %s %s", channel_id, err.status, err.text)
    return ChannelUnavailable(
        messages.DISCORD_CHANNEL_UNAVAILABLE.format(channel=channel_id, status=err.status)
    )
