"""Helpers for the scheduling tests: a store with articles, subscriptions, a clock, a publisher.

``RecordingPublisher`` implements the scheduler's ``Publisher`` Protocol the way an adapter
does, at the network edge: it records what would have been posted and can be told to refuse
(``DeliveryError``) or to report the channel gone (``ChannelUnavailable``).
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bot.briefing import BriefingService
from bot.models import Briefing, ChannelRef
from bot.scheduling import PartPosted
from bot.store import NewArticle, Store
from bot.store.schema import SubscriptionRow
from bot.subscriptions import SubscriptionService
from bot.topics import TopicRegistry

T0 = datetime(2025, 6, 18, 23, 0, tzinfo=UTC)  # 08:00 in Seoul on Thursday 19 June 2025


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        self.now += delta
        return self.now


KOREA_JAPAN = [
    (
        "Korea and Japan agree to resume shuttle diplomacy",
        "Seoul and Tokyo agreed to resume shuttle diplomacy between South Korea and Japan. "
        "The Korean president and the Japanese prime minister will visit each other yearly. "
        "Japan and Korea also set up a hotline.",
    ),
    (
        "Japan and South Korea discuss the Sado mine memorial",
        "Officials from Japan and South Korea met in Tokyo over the Sado mine memorial. "
        "Korea asked Japan to acknowledge forced labour. Japan said it would consider it.",
    ),
    (
        "Korean and Japanese ministers meet on trade",
        "South Korea and Japan held trade talks in Seoul. Korean and Japanese ministers "
        "discussed export controls. Japan and Korea plan another round in Tokyo.",
    ),
    (
        "Japan, Korea plan joint event for 60 years of ties",
        "Japan and South Korea will mark sixty years of diplomatic ties. Korea and Japan "
        "plan a joint event in Seoul and Tokyo. The Korean and Japanese leaders will attend.",
    ),
]


def add_articles(
    store: Store, registry: TopicRegistry, articles: Iterable[tuple[str, str]] = KOREA_JAPAN
) -> list[int]:
    """Store test articles (tagged by the real tagger); their ids."""
    ids = []
    for number, (title, text) in enumerate(articles):
        result = store.add_article(
            NewArticle(
                title=title,
                text=text,
                bullets=tuple(sentence.strip() + "." for sentence in text.split(". ")[:2]),
                outlet=f"Test Outlet {number}",
                url=f"https://news.example/{number}",
                published_at=T0 - timedelta(hours=number + 1),
                mentions=registry.tag(title, text),
            )
        )
        ids.append(result.article_id)
    return ids


def add_subscription(
    store: Store,
    *,
    channel: str = "C1",
    platform: str = "slack",
    topic: str = "korea-japan",
    at: str | None = "08:00",
    days: str | None = "daily",
    cron: str | None = None,
    timezone: str = "Asia/Seoul",
    quiet: bool = False,
    created_at: datetime = T0 - timedelta(days=30),
    workspace: str | None = "T1",
) -> int:
    """Subscribe through the real SubscriptionService, as made at ``created_at``.

    A cron that posts more than once an hour ("* * * * *"), which subscribe refuses now, is
    written into the row as a release before that check stored it: the scheduler still runs
    such rows, and tests use them for slots every few minutes.
    """
    from bot.scheduling.slots import posts_per_hour

    frequent = cron is not None and posts_per_hour(cron) > 1
    service = SubscriptionService(store, TopicRegistry.default())
    subscription = service.subscribe(
        ChannelRef(platform, channel, workspace),  # type: ignore[arg-type]
        topic,
        at="00:00" if frequent else None if cron else at,
        days=None if cron else days,
        tz=timezone,
        cron=None if frequent else cron,
        quiet=quiet,
    )
    set_subscription(store, subscription.id, created_at=created_at, updated_at=created_at)
    if frequent:
        set_subscription(store, subscription.id, cron=cron, at_time=None, days=None)
    return subscription.id


def set_subscription(store: Store, subscription_id: int, **values: object) -> None:
    """Change a subscription row directly, as another process (or an old release) would."""
    with store.session() as session:
        session.execute(
            update(SubscriptionRow).where(SubscriptionRow.id == subscription_id).values(**values)
        )


def brief_channel(
    store: Store,
    channel: ChannelRef,
    article_ids: Iterable[int],
    *,
    at: datetime = T0,
    topic: str = "korea-japan",
) -> None:
    """Record ``channel`` as briefed on ``article_ids`` at ``at`` the way production does: a
    subscription's slot claimed in the delivery ledger and marked sent with them."""
    from bot.scheduling import DeliveryLedger

    service = SubscriptionService(store, TopicRegistry.default())
    known = [sub for sub in service.list(channel) if sub.created_by == "brief_channel"]
    subscription = (
        known[0]
        if known
        else service.subscribe(
            channel, topic, at="00:00", tz="UTC", quiet=True, created_by="brief_channel"
        )
    )
    ledger = DeliveryLedger(store, holder="tests", lease=timedelta(minutes=2))
    claim = ledger.claim(subscription.id, at, at)
    assert claim is not None, "that slot was already recorded"
    ledger.mark_sent(claim, "test-message", channel=channel, article_ids=article_ids, now=at)


@dataclass
class Post:
    channel: ChannelRef
    briefing: Briefing
    key: str | None
    message_id: str


@dataclass
class RecordingPublisher:
    """A ``Publisher`` that records posts; scripted failures per channel id."""

    platform: str = "slack"
    delay: float = 0.0
    posts: list[Post] = field(default_factory=list)
    failures: dict[str, deque[Exception]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def fail(self, channel_id: str, *errors: Exception) -> None:
        self.failures.setdefault(channel_id, deque()).extend(errors)

    async def publish(self, channel: ChannelRef, briefing: Briefing) -> str:
        return await self._post(channel, briefing, None)

    async def _post(self, channel: ChannelRef, briefing: Briefing, key: str | None) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        pending = self.failures.get(channel.channel_id)
        if pending:
            raise pending.popleft()
        message_id = f"{self.platform}-{next(self._ids)}"
        self.posts.append(Post(channel, briefing, key, message_id))
        return message_id

    def posts_to(self, channel_id: str) -> list[Post]:
        return [post for post in self.posts if post.channel.channel_id == channel_id]


@dataclass
class KeyedPublisher(RecordingPublisher):
    """A ``RecordingPublisher`` that also implements ``IdempotentPublisher``."""

    lookups: list[str] = field(default_factory=list)

    async def publish_once(
        self,
        channel: ChannelRef,
        briefing: Briefing,
        *,
        key: str,
        done: Sequence[str] = (),
        on_part: PartPosted | None = None,
    ) -> str:
        if done:  # one part per briefing: it is out already
            return done[0]
        message_id = await self._post(channel, briefing, key)
        if on_part is not None:
            await on_part(1, 1, message_id)
        return message_id

    async def find_published(self, channel: ChannelRef, *, key: str, since: datetime) -> str | None:
        self.lookups.append(key)
        for post in self.posts:
            if post.key == key and post.channel == channel:
                return post.message_id
        return None


def world_services(store: Store, clock: Clock) -> tuple[TopicRegistry, BriefingService]:
    registry = TopicRegistry.default()
    return registry, BriefingService(store, registry, clock=clock)


__all__ = [
    "KOREA_JAPAN",
    "T0",
    "Clock",
    "KeyedPublisher",
    "Post",
    "RecordingPublisher",
    "add_articles",
    "add_subscription",
    "brief_channel",
    "set_subscription",
    "world_services",
]
