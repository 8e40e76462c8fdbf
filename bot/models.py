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
class StorySource:
    """One article of a story, as a reader sees it listed: outlet, link, country, kind."""

    source: str  # the outlet
    url: str | None
    country: str | None = None  # ISO alpha-2 of the outlet, when its source says
    title: str = ""
    kind: str = "news"
    published: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``sources`` entry of a briefing item."""
        return {"source": self.source, "url": self.url, "country": self.country}

    def to_story_json(self) -> dict[str, Any]:
        """The ``articles`` entry of a story."""
        return {
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "country": self.country,
            "kind": "editorial" if self.kind == "editorial" else "news",
            "published": self.published.isoformat() if self.published else None,
        }


@dataclass(frozen=True, slots=True)
class Perspective:
    """A line beside a story's facts: how one side framed it ("Korean outlets: ..."), that
    only one side has covered it, or an editorial's claim ("Opinion, The Japan Times: ...")."""

    label: str
    bullets: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "bullets": list(self.bullets)}


@dataclass(frozen=True, slots=True)
class BriefingItem:
    """One item of a briefing: a story (one event, its outlets, its bullets, each side's
    line), headed by its lead article's title and link.

    ``coverage`` says who covered it ("3 Korean, 2 Japanese outlets"); ``update`` marks a
    story the channel was briefed on before, shown with only its new articles;
    ``article_ids`` are the articles this item shows (a scheduled briefing records them).
    """

    title: str
    url: str | None
    source: str
    published: datetime | None
    bullets: tuple[str, ...]
    also_in: tuple[str, ...] = ()  # the other outlets, in the order they covered it
    article_id: int | None = None  # the lead article
    kind: str = "news"  # "editorial": shown as opinion in every renderer
    story_id: str | None = None
    sources: tuple[StorySource, ...] = ()
    perspectives: tuple[Perspective, ...] = ()
    coverage: str | None = None
    update: bool = False
    article_ids: tuple[int, ...] = ()

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
            "story_id": self.story_id,
            "kind": "editorial" if self.opinion else "news",
            "sources": [source.to_json() for source in self.sources],
            "perspectives": [p.to_json() for p in self.perspectives],
            "update": self.update,
        }


@dataclass(frozen=True, slots=True)
class StoryItem:
    """A story as `briefbot stories` lists it."""

    id: str
    title: str
    first_seen: datetime
    last_seen: datetime
    outlets: int
    bullets: tuple[str, ...]
    perspectives: tuple[Perspective, ...]
    articles: tuple[StorySource, ...]
    url: str | None = None  # the lead article's

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "first_seen": self.first_seen.isoformat(),
            "last_seen": self.last_seen.isoformat(),
            "outlets": self.outlets,
            "bullets": list(self.bullets),
            "perspectives": [p.to_json() for p in self.perspectives],
            "articles": [a.to_story_json() for a in self.articles],
        }


@dataclass(frozen=True, slots=True)
class StoryList:
    """What `briefbot stories` prints: the stories, most recently updated first."""

    generated_at: datetime
    stories: tuple[StoryItem, ...]
    topic: TopicRef | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "generated_at": self.generated_at.isoformat(),
            "stories": [story.to_json() for story in self.stories],
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
