"""Values that cross room boundaries: frozen, platform-free, cheap to compare and test.

Data flows one way: source -> Article -> bullets (at ingest, stored) -> topic match ->
``Briefing`` -> an adapter renders it natively -> platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Platform = Literal["discord", "slack"]


@dataclass(frozen=True, slots=True)
class TopicRef:
    """A topic as users see it: ``korea-japan`` / "Korea – Japan"."""

    slug: str
    title: str


@dataclass(frozen=True, slots=True)
class BriefingItem:
    """One piece in a briefing: a story with its bullets and where it came from."""

    title: str
    url: str | None
    source: str
    published: datetime | None
    bullets: tuple[str, ...]
    also_in: tuple[str, ...] = ()  # other outlets that ran the same story (syndication)
    article_id: int | None = None
    kind: str = "news"  # "editorial": shown as opinion in every renderer

    @property
    def opinion(self) -> bool:
        return self.kind == "editorial"

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "bullets": list(self.bullets),
            "kind": "editorial" if self.opinion else "news",
        }


@dataclass(frozen=True, slots=True)
class Briefing:
    """What `/brief` and a scheduled slot deliver; adapters render it, never change it.

    ``note`` is a one-line message shown instead of items (e.g. "nothing new on korea-japan
    since Tuesday") when ``items`` is empty.
    """

    topic: TopicRef
    generated_at: datetime
    items: tuple[BriefingItem, ...]
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The CONTRACT's JSON shape."""
        return {
            "topic": {"slug": self.topic.slug, "title": self.topic.title},
            "generated_at": self.generated_at.isoformat(),
            "items": [item.to_json() for item in self.items],
        }


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """Where a briefing goes: a Discord channel (workspace = guild id) or a Slack channel."""

    platform: Platform
    channel_id: str
    workspace_id: str | None = None


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a subscription fires.  Either a daily time on some weekdays, or a cron expression.

    ``days`` are ISO weekday numbers, Monday = 1 ... Sunday = 7.
    """

    timezone: str
    at: str | None = None  # "HH:MM", 24-hour
    days: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)
    cron: str | None = None  # "MIN HOUR DOM MON DOW"

    def describe(self) -> str:
        if self.cron:
            return f"cron `{self.cron}` ({self.timezone})"
        return f"{self.at} {self.timezone} {describe_days(self.days)}"


_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def describe_days(days: tuple[int, ...]) -> str:
    if tuple(sorted(days)) == (1, 2, 3, 4, 5, 6, 7):
        return "daily"
    if tuple(sorted(days)) == (1, 2, 3, 4, 5):
        return "weekdays"
    return ",".join(_DAY_NAMES[d - 1] for d in sorted(days))


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    channel: ChannelRef
    topic: TopicRef
    schedule: Schedule
    quiet: bool = False
    status: Literal["active", "paused"] = "active"
    paused_reason: str | None = None
    created_by: str | None = None
    created_at: datetime | None = field(default=None, compare=False)
