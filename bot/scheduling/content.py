"""What a scheduled slot posts: the new pieces, a one-line "nothing new" note, or nothing."""

from __future__ import annotations

from datetime import datetime

from bot import messages
from bot.models import Briefing

from .slots import zone_of

__all__ = ["describe_since", "slot_briefing"]

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
