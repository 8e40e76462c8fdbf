"""Values going into and coming out of the store (frozen; no ORM objects leak out)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal

AddStatus = Literal["added", "duplicate", "syndicated"]
UserFeedOutcome = Literal["added", "known", "full"]


@dataclass(frozen=True)
class NewArticle:
    """One article as a source produced it, summarized and tagged, ready to store.

    ``published_at`` must be timezone-aware (or None: the article is then dated by when it
    was ingested).  ``mentions`` maps an entity (``"KR"``, ``"topic:korea-japan"``) to its
    weight, as the topic tagger returns it.
    """

    title: str
    text: str
    bullets: tuple[str, ...]
    outlet: str
    url: str | None = None
    guid: str | None = None
    author: str | None = None
    kind: str = "news"
    language: str = "en"
    published_at: datetime | None = None
    mentions: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    feed_id: int | None = None
    country: str | None = None  # ISO alpha-2 of the outlet, when its source says

    def __post_init__(self) -> None:
        if self.published_at is not None and self.published_at.utcoffset() is None:
            raise ValueError("NewArticle.published_at must be timezone-aware")
        if not self.outlet.strip():
            raise ValueError("NewArticle.outlet must not be empty")


@dataclass(frozen=True)
class AddResult:
    """What ``Store.add_article`` did.

    ``added``: a new story.  ``duplicate``: already stored (same GUID in the same feed, same
    normalized URL, or the same text from the same outlet).  ``syndicated``: the same story
    from another outlet, recorded as an extra source of the existing article.
    """

    article_id: int
    status: AddStatus


@dataclass(frozen=True)
class StoredSource:
    outlet: str
    url: str | None
    guid: str | None
    feed_id: int | None
    seen_at: datetime


@dataclass(frozen=True)
class StoredArticle:
    id: int
    title: str
    url: str | None
    outlet: str
    author: str | None
    kind: str
    language: str
    published_at: datetime | None
    ingested_at: datetime
    dated_at: datetime
    text: str
    bullets: tuple[str, ...]
    sources: tuple[StoredSource, ...]
    mentions: Mapping[str, float]
    story_id: int | None = None


@dataclass(frozen=True)
class FeedState:
    """A feed and its health, as ``briefbot feeds`` shows it."""

    id: int
    url: str
    name: str | None
    outlet: str | None
    kind: str
    language: str
    trusted: bool
    etag: str | None
    last_modified: str | None
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    consecutive_failures: int
    next_attempt_at: datetime | None
    last_error: str | None
    disabled_reason: str | None
    articles: int = 0
    owner_platform: str | None = None  # user-added feeds: the workspace that added it
    owner_workspace: str | None = None
    country: str | None = None  # ISO alpha-2 of the outlet
    source_type: str = "feed"  # feed | sitemap | page
    match: str | None = None  # sitemap/page: only links containing it
    pending: int = 0  # entries seen and not stored yet (left for later, or to retry)
    failed_entries: int = 0  # entries that ran out of attempts

    @property
    def status(self) -> Literal["ok", "failing", "disabled", "new"]:
        # bot.store.schema.feed_status says the same in SQL: change both together
        if self.disabled_reason:
            return "disabled"
        if self.consecutive_failures:
            return "failing"
        return "ok" if self.last_success_at else "new"


@dataclass(frozen=True)
class UserFeedAdded:
    """``Store.add_user_feed``: ``added`` (``feed`` is the new row), ``known`` (the URL is
    already a feed, the operator's or a workspace's: ``feed`` is that one) or ``full`` (the
    workspace has its limit of feeds: ``feed`` is None)."""

    outcome: UserFeedOutcome
    feed: FeedState | None


@dataclass(frozen=True)
class NewEntry:
    """An entry a source lists, for the backlog: ``key`` is its identity in that source (the
    GUID, else the link, else a digest of its text); ``entry`` is what the source said of it
    (JSON-ready); ``guid`` and ``url`` are what tell a stored article apart."""

    key: str
    entry: Mapping[str, Any]
    guid: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class BacklogEntry:
    """An entry waiting in a source's backlog (see ``Store.due_entries``)."""

    id: int
    feed_id: int
    key: str
    entry: Mapping[str, Any]
    attempts: int
