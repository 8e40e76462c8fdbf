"""What the scheduler needs from a chat platform (DESIGN convention 3): a small Protocol.

The adapters implement it by shape, not by inheritance; the core never imports them.

``Publisher``
    ``publish(channel, briefing) -> message id``.  Raises ``ChannelUnavailable`` when the
    channel is gone, archived or forbids the bot (the subscription is paused with that
    message as the reason), and ``DeliveryError`` for anything worth retrying later in the
    slot (after the adapter's own HTTP retries on 429/5xx with ``Retry-After``).

``IdempotentPublisher`` (optional)
    Closes the one window that a database claim cannot: a replica that dies after the
    platform accepted a message but before it recorded "sent".  The replica that takes the
    claim over asks ``find_published`` whether a message carrying the delivery's key is
    already in the channel and records it instead of posting again.  ``publish_once`` posts
    with the key attached (Slack: message ``metadata``; Discord: ``nonce`` with
    ``enforce_nonce``, or any marker the adapter can search for).  A publisher without these
    methods still works; a takeover after a crash mid-post may then post twice, and says so
    in the log.

    A briefing may take several messages (parts).  It counts as sent only when every part
    is out: a part failing raises, and the attempt that follows passes the ids of the parts
    already posted as ``done`` so the adapter continues from the first missing one without
    posting the others again.  ``on_part(number, total, message_id)`` is awaited after each
    part the platform accepted (the scheduler records the progress in the ledger).

``ChannelChecker`` (optional)
    ``check_channel(channel)``: whether the platform would take a post in ``channel`` now,
    without posting (raises ``ChannelUnavailable`` while it is closed, ``DeliveryError`` when
    the platform cannot say).  The scheduler uses it to resume, on its own, a subscription it
    paused, once a moderator restores the bot's access.  Without it, a paused subscription is
    resumed when its check is due and the next slot tries the channel.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.models import Briefing, ChannelRef

__all__ = ["ChannelChecker", "IdempotentPublisher", "PartPosted", "Publisher", "delivery_key"]

# ``on_part(number, total, message_id)``: part ``number`` (1-based) of ``total`` is posted.
PartPosted = Callable[[int, int, str], Awaitable[None]]


@runtime_checkable
class Publisher(Protocol):
    """Posts a briefing to a channel on one platform."""

    @property
    def platform(self) -> str:  # "discord" | "slack" (a read-only member: adapters use Literal)
        ...

    async def publish(self, channel: ChannelRef, briefing: Briefing) -> str:
        """Post ``briefing``; return the platform's message id (Slack ``ts``, Discord id)."""
        ...


@runtime_checkable
class IdempotentPublisher(Publisher, Protocol):
    """A publisher that can tag a message with a key and find it again later."""

    async def publish_once(
        self,
        channel: ChannelRef,
        briefing: Briefing,
        *,
        key: str,
        done: Sequence[str] = (),
        on_part: PartPosted | None = None,
    ) -> str:
        """Like ``publish``, with ``key`` attached so ``find_published`` can see it; the parts
        whose ids are in ``done`` are not posted again.  The first part's id."""
        ...

    async def find_published(self, channel: ChannelRef, *, key: str, since: datetime) -> str | None:
        """The id of a message posted at or after ``since`` carrying ``key``, if any."""
        ...


@runtime_checkable
class ChannelChecker(Protocol):
    """A publisher that can tell whether a channel takes posts again, without posting."""

    async def check_channel(self, channel: ChannelRef) -> None:
        """Return if the bot may post in ``channel``; ``ChannelUnavailable`` if not."""
        ...


def delivery_key(subscription_id: int, slot_at: datetime) -> str:
    """A short, stable key for one (subscription, slot): ``bb-{id}-{minutes since the epoch}``,
    at most 25 characters (a Discord nonce) for any id below 10**9."""
    return f"bb-{subscription_id}-{int(slot_at.timestamp()) // 60}"
