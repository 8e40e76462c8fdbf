"""The database schema (SQLAlchemy 2 declarative).  Alembic migrations mirror it.

Tables and who writes them:

    feeds               sources we poll (RSS/Atom feeds, sitemaps, section pages); health
                        (failures, backoff, disabled reason)
    feed_entries        each source's backlog: entries seen but not yet stored (left by a
                        poll that stopped early, or waiting to retry a page that failed)
    articles            one row per *story*: cleaned text, bullets (summarized once, at ingest)
    article_sources     every (outlet, url, guid) a story was seen at: dedup by GUID and URL,
                        syndicated copies become extra rows here, not extra articles
    article_mentions    entity -> salience per article (ISO alpha-2 codes, "topic:<slug>"),
                        written at ingest by the topic tagger; what `brief` queries
    minhash_bands       MinHash LSH band keys of each article's text, indexed: near-copy
                        lookup without scanning every article (bot/store/fingerprint.py)
    stories             one event, many outlets: articles grouped as they arrive
                        (bot/stories), with the story's centroid and its summary
    story_terms         each story's heaviest terms and its days, indexed by term: the
                        candidate lookup for a new article (no scan of every story)
    term_stats          document frequency of every term seen, for TF-IDF weights
    subscriptions       scheduled briefings for a channel on Discord or Slack
    deliveries          one row per (subscription, slot): the exactly-once claim
    briefed_articles    what a channel has already been briefed on (scheduled briefings)

All timestamps are timezone-aware UTC (``UtcDateTime``), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    case,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use aware UTC datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Feed(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    outlet: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="news")  # editorial | news: a default
    language: Mapped[str] = mapped_column(String(16), default="en")
    country: Mapped[str | None] = mapped_column(String(2))  # ISO alpha-2 of the outlet
    source_type: Mapped[str] = mapped_column(String(16), default="feed")  # feed|sitemap|page
    match: Mapped[str | None] = mapped_column(String(300))  # sitemap/page: links containing it
    trusted: Mapped[bool] = mapped_column(Boolean, default=True)  # operator's (True) or a user's
    owner_platform: Mapped[str | None] = mapped_column(String(16))  # user-added: who added it
    owner_workspace: Mapped[str | None] = mapped_column(String(64))
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


def feed_status() -> Any:
    """``FeedState.status`` as a SQL expression, for counting feeds by status in the database.

    The same rule, in the same order: disabled, else failing, else ok once polled successfully,
    else new.  tests/bot/test_store.py checks every combination against ``FeedState.status``.
    """
    return case(
        (Feed.disabled_reason.is_not(None), "disabled"),
        (Feed.consecutive_failures > 0, "failing"),
        (Feed.last_success_at.is_not(None), "ok"),
        else_="new",
    )


class PendingEntry(Base):
    """One entry of a source that is not stored yet: new and not reached by its poll, or
    waiting to retry its page.  Stored once it is (the row goes); ``failed`` when it ran out
    of attempts (the row stays, so the entry is never taken as new again)."""

    __tablename__ = "feed_entries"
    __table_args__ = (
        UniqueConstraint("feed_id", "entry_key", name="uq_feed_entries_feed_id"),
        Index("ix_feed_entries_feed_due", "feed_id", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    entry_key: Mapped[str] = mapped_column(String(2048))  # the GUID, else the link, else a hash
    entry: Mapped[dict[str, Any]] = mapped_column(JSON)  # the entry as the source described it
    position: Mapped[int] = mapped_column(Integer, default=0)  # its place in the source
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Story(Base):
    """Articles about one event, from any outlets; its id stays while articles join it."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)  # the lead article's
    lead_article_id: Mapped[int | None] = mapped_column(Integer)  # the most central member
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime)  # earliest member's date
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime, index=True)  # latest member's
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)  # last joined
    articles: Mapped[int] = mapped_column(Integer, default=0)
    centroid: Mapped[dict[str, float]] = mapped_column(JSON)  # summed member vectors (top terms)
    bullets: Mapped[list[str]] = mapped_column(JSON, default=list)  # the story's fact bullets
    opinions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # editorial claims
    # country (ISO alpha-2, or "" unknown) -> its outlets' distinctive line
    perspectives: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class StoryTerm(Base):
    """One of a story's heaviest terms, with the days the story spans (candidate lookup)."""

    __tablename__ = "story_terms"
    __table_args__ = (Index("ix_story_terms_term_last_day", "term", "last_day"),)

    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)
    first_day: Mapped[int] = mapped_column(Integer)  # days since 1970-01-01 (UTC)
    last_day: Mapped[int] = mapped_column(Integer)


class TermStat(Base):
    """How many stored articles use a term (document frequency), for TF-IDF."""

    __tablename__ = "term_stats"

    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    df: Mapped[int] = mapped_column(Integer, default=0)


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2048))  # canonical URL of the first source
    outlet: Mapped[str] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="news")
    language: Mapped[str] = mapped_column(String(16), default="en")
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ingested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # published_at, or ingested_at when the source gave no date: what recency ranks by
    dated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    text: Mapped[str] = mapped_column(Text)
    bullets: Mapped[list[str]] = mapped_column(JSON)
    # content fingerprint for cross-outlet dedup (normalized-text hash; near copies: see
    # minhash_bands)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="SET NULL"), index=True
    )

    sources: Mapped[list[ArticleSource]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="ArticleSource.id"
    )
    mentions: Mapped[list[ArticleMention]] = relationship(
        back_populates="article", cascade="all, delete-orphan"
    )


class ArticleSource(Base):
    __tablename__ = "article_sources"
    __table_args__ = (
        UniqueConstraint("url_norm", name="uq_article_sources_url_norm"),
        Index("ix_article_sources_feed_guid", "feed_id", "guid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"))
    outlet: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2048))
    url_norm: Mapped[str | None] = mapped_column(String(2048))  # tracking params stripped
    guid: Mapped[str | None] = mapped_column(String(2048))
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    country: Mapped[str | None] = mapped_column(String(2))  # ISO alpha-2 of the outlet

    article: Mapped[Article] = relationship(back_populates="sources")


class ArticleMention(Base):
    """How strongly an article is about an entity (a country code or a curated topic)."""

    __tablename__ = "article_mentions"
    # The ranking reads an entity's recent articles first (bot/briefing.py).  This index
    # replaced (entity, weight): with both, SQLite's planner took the weight range.
    __table_args__ = (Index("ix_article_mentions_entity_dated", "entity", "dated_at"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    entity: Mapped[str] = mapped_column(String(64), primary_key=True)  # "KR", "topic:korea-japan"
    weight: Mapped[float] = mapped_column(Float)
    dated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the article's, copied

    article: Mapped[Article] = relationship(back_populates="mentions")


class MinhashBand(Base):
    """One LSH band key of an article's MinHash signature, for near-duplicate lookup."""

    __tablename__ = "minhash_bands"

    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SubscriptionRow(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (Index("ix_subscriptions_channel", "platform", "workspace_id", "channel_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace_id: Mapped[str | None] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    topic_slug: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64))
    at_time: Mapped[str | None] = mapped_column(String(5))  # "HH:MM"
    days: Mapped[str | None] = mapped_column(String(40))  # "1,2,3,4,5"
    cron: Mapped[str | None] = mapped_column(String(120))
    quiet: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | paused
    paused_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    # A paused subscription's channel is checked again on its own (the scheduler), with
    # backoff: when, and how many checks found it still closed.
    recheck_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    rechecks: Mapped[int] = mapped_column(Integer, default=0)


class Delivery(Base):
    """The exactly-once claim: one row per (subscription, slot), UNIQUE."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "slot_at", name="uq_deliveries_subscription_slot"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    slot_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))  # claimed | sent | failed | retrying | skipped
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    message_id: Mapped[str | None] = mapped_column(String(128))
    error: Mapped[str | None] = mapped_column(Text)
    # What the slot posts, written before the first attempt: the articles its stories show
    # (recorded as briefed when it is sent, also by a replica that takes the claim over)
    # and the ids of the parts already in the channel (a retry continues after them).
    article_ids: Mapped[list[int] | None] = mapped_column(JSON)
    parts: Mapped[list[str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class BriefedArticle(Base):
    """A channel has been briefed on this article (so scheduled briefings only bring news)."""

    __tablename__ = "briefed_articles"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    briefed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
