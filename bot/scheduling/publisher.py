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
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.models import Briefing, ChannelRef

__all__ = ["IdempotentPublisher", "Publisher", "delivery_key"]


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

    async def publish_once(self, channel: ChannelRef, briefing: Briefing, *, key: str) -> str:
        """Like ``publish``, with ``key`` attached so ``find_published`` can see it."""
        ...

    async def find_published(self, channel: ChannelRef, *, key: str, since: datetime) -> str | None:
        """The id of a message posted at or after ``since`` carrying ``key``, if any."""
        ...


def delivery_key(subscription_id: int, slot_at: datetime) -> str:
    """A short, stable key for one (subscription, slot): at most 25 characters (Discord nonce).

    >>> from datetime import UTC, datetime
    >>> delivery_key(42, datetime(2025, 6, 18, 23, 0, tzinfo=UTC))
    'bb-42-29171460'
    """
    return f"bb-{subscription_id}-{int(slot_at.timestamp()) // 60}"
