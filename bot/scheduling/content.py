"""What a scheduled slot posts: the new pieces, a one-line "nothing new" note, or nothing.

``compose_slot`` is the one place a slot's briefing is made: the scheduler calls it for a
due slot it has claimed, and ``preview_slot`` (``briefbot brief --subscription ID``,
``/briefing preview``, ``/brief preview``) calls it for a subscription's next slot without
claiming anything, so a preview shows exactly what that slot would post now and records
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot import messages
from bot.errors import BriefbotError, NotFound
from bot.models import Briefing, ChannelRef

from .ledger import DeliveryLedger, ScheduledSubscription
from .slots import next_slot_after, zone_of

if TYPE_CHECKING:
    from bot.store import Store

    from .scheduler import BriefingProvider

__all__ = [
    "SLOT_COUNT",
    "SlotPreview",
    "compose_slot",
    "describe_since",
    "preview_slot",
    "slot_briefing",
]

SLOT_COUNT = 3  # stories in a scheduled briefing
_READ_ONLY_LEASE = timedelta(minutes=1)  # never used: a preview claims nothing

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def describe_since(then: datetime, now: datetime, timezone: str) -> str:
    """``then`` as a person in ``timezone`` would say it at ``now``.

    The same day: "08:00"; the day before: "yesterday"; within the week: "Tuesday";
    this year: "3 June"; earlier: "3 June 2024".
    """
    zone = zone_of(timezone)
    local_then = then.astimezone(zone)
    local_now = now.astimezone(zone)
    days = (local_now.date() - local_then.date()).days
    if days <= 0:
        return local_then.strftime("%H:%M")
    if days == 1:
        return messages.SINCE_YESTERDAY
    if days < 7:
        return _WEEKDAYS[local_then.weekday()]
    day_month = f"{local_then.day} {_MONTHS[local_then.month - 1]}"
    return day_month if local_then.year == local_now.year else f"{day_month} {local_then.year}"


def slot_briefing(
    fresh: Briefing, *, quiet: bool, since: datetime, slot_at: datetime, timezone: str
) -> Briefing | None:
    """The briefing a slot posts, given what ``brief`` found that the channel has not seen.

    Pieces: ``fresh`` itself.  None of them: a one-line note naming the last briefing
    ("Nothing new on korea-japan since Tuesday."), or None for a quiet subscription.
    """
    if fresh.items:
        return fresh
    if quiet:
        return None
    note = messages.NOTHING_NEW_SINCE.format(
        topic=fresh.topic.slug, since=describe_since(since, slot_at, timezone)
    )
    return Briefing(topic=fresh.topic, generated_at=fresh.generated_at, items=(), note=note)


def compose_slot(
    briefings: BriefingProvider,
    last_sent_before: Callable[[int, datetime], datetime | None],
    sub: ScheduledSubscription,
    slot_at: datetime,
    *,
    count: int = SLOT_COUNT,
) -> Briefing | None:
    """What ``sub``'s slot at ``slot_at`` posts, built now (reads only; records nothing).

    The stories its channel has not been briefed on (a seen story with new articles is an
    update); none: the "nothing new" note naming the subscription's last briefing before
    ``slot_at`` (``last_sent_before``), or None for a quiet subscription.
    """
    fresh = briefings.brief(sub.topic_slug, count, exclude_channel=sub.channel)
    since = sub.created_at
    if not fresh.items:  # the note names the last briefing this subscription delivered
        since = last_sent_before(sub.id, slot_at) or sub.created_at
    return slot_briefing(
        fresh, quiet=sub.quiet, since=since, slot_at=slot_at, timezone=sub.schedule.timezone
    )


@dataclass(frozen=True, slots=True)
class SlotPreview:
    """A subscription's next slot as it would go out now."""

    subscription: ScheduledSubscription
    slot_at: datetime | None  # the next slot; None: the schedule does not fire again
    briefing: Briefing | None  # what it would post; None: nothing (quiet, nothing new)

    @property
    def paused(self) -> bool:
        return not self.subscription.active


def preview_slot(
    store: Store,
    briefings: BriefingProvider,
    subscription_id: int,
    *,
    now: datetime,
    asked_from: ChannelRef | None = None,
    count: int = SLOT_COUNT,
) -> SlotPreview:
    """What subscription ``subscription_id``'s next slot would post if it ran now.

    The same ``compose_slot`` the scheduler runs, on the subscription's next slot after
    ``now`` (a paused one: the slot it would have, were it resumed), without claiming the
    slot or recording anything: previewing changes nothing a real slot then posts.

    ``asked_from``: the chat channel asking; only a subscription of the same platform and
    workspace (or, one stored without a workspace, of that very channel) is shown.  Any other
    id raises ``NotFound``, as an unknown one does.
    """
    # A read-only use of the ledger: the subscription's row and its last delivery, no claim.
    ledger = DeliveryLedger(store, holder="preview", lease=_READ_ONLY_LEASE)
    valid = isinstance(subscription_id, int) and 0 < subscription_id < 2**31  # INTEGER ids
    sub = ledger.subscription(subscription_id) if valid else None
    if sub is None or (asked_from is not None and not _visible_from(sub, asked_from)):
        raise NotFound(messages.SUB_NOT_FOUND.format(id=subscription_id))
    try:
        slot_at = next_slot_after(sub.schedule, now)
    except BriefbotError:
        slot_at = None
    briefing = compose_slot(briefings, ledger.last_sent_before, sub, slot_at or now, count=count)
    return SlotPreview(subscription=sub, slot_at=slot_at, briefing=briefing)


def _visible_from(sub: ScheduledSubscription, asker: ChannelRef) -> bool:
    """Whether a chat user in ``asker`` may see ``sub``: the same platform and workspace."""
    if sub.channel.platform != asker.platform:
        return False
    if sub.channel.workspace_id and asker.workspace_id:
        return sub.channel.workspace_id == asker.workspace_id
    return sub.channel.channel_id == asker.channel_id
