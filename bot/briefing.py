"""The briefing service: ``brief(topic, count, since) -> Briefing``, ranked in SQL.

An article belongs to a topic when every country of the topic is substantively present in it
(its ``article_mentions`` weight is at least ``SUBSTANTIVE``: named in the title, or named
several times).  Among those, ranking is relevance x recency, computed by the database:

    relevance = product of the topic's entity weights            (0.09 .. 1)
              + TOPIC_BONUS x weight of "topic:<slug>"            (curated topics only)
    recency   = 1 / (1 + age in days / RECENCY_DAYS)              (1 today, 1/2 after a week)
    score     = relevance x recency

``age`` is measured from ``articles.dated_at``: the published date, or when the article was
ingested if the source gave none.  The query starts from the ``(entity, weight)`` index of
``article_mentions`` for the topic's first entity and joins the others by primary key, so its
cost follows the number of articles about that country, not the size of the store.

Cross-outlet copies are one article with several ``article_sources`` rows (the store
deduplicates them at ingest); they come out as one item whose ``also_in`` names the other
outlets.  Stories that slipped past that (the same headline from two outlets) are collapsed
here by normalized title.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    Table,
    and_,
    bindparam,
    case,
    exists,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from bot import messages
from bot.errors import BadInput
from bot.metrics import timed_brief
from bot.models import Briefing, BriefingItem, ChannelRef
from bot.store import Store
from bot.store.schema import Article, ArticleMention, ArticleSource, BriefedArticle, UtcDateTime
from bot.topics import SUBSTANTIVE, Topic, TopicRegistry

log = logging.getLogger(__name__)

MAX_COUNT = 10
DEFAULT_COUNT = 3
TOPIC_BONUS = 0.5
RECENCY_DAYS = 7.0
_CANDIDATES = 3  # fetch count x this many, so collapsing duplicates still leaves enough

_DURATION = re.compile(
    r"^\s*(\d{1,6})\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)\s*$", re.I
)
_UNIT = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_MAX_DURATION = timedelta(days=3650)


def utc_now() -> datetime:
    return datetime.now(UTC)


def parse_duration(text: str) -> timedelta:
    """ "90m", "36h", "7d", "2w" -> a timedelta; ``BadInput`` with the fix otherwise."""
    match = _DURATION.match(text or "")
    if not match:
        raise BadInput(messages.BAD_DURATION.format(text=text))
    amount, unit = int(match.group(1)), match.group(2).lower()[0]
    duration = timedelta(**{_UNIT[unit]: amount})
    if not timedelta(0) < duration <= _MAX_DURATION:
        raise BadInput(messages.BAD_DURATION.format(text=text))
    return duration


def check_count(count: int, maximum: int = MAX_COUNT) -> int:
    """``count`` if it is a whole number from 1 to ``maximum``; ``BadInput`` otherwise."""
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= maximum:
        raise BadInput(messages.BAD_COUNT.format(max=maximum))
    return count


class _DaysBetween(FunctionElement[float]):
    """``(later - earlier)`` in fractional days, in each database's own date arithmetic."""

    type = Float()
    name = "days_between"
    inherit_cache = True


@compiles(_DaysBetween, "sqlite")
def _days_sqlite(element: _DaysBetween, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(julianday({later}) - julianday({earlier}))"


@compiles(_DaysBetween, "postgresql")
def _days_postgresql(element: _DaysBetween, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"


@dataclass(frozen=True, slots=True)
class _Row:
    id: int
    title: str
    url: str | None
    outlet: str
    dated_at: datetime
    bullets: tuple[str, ...]
    score: float
    kind: str = "news"


def _title_key(title: str) -> str:
    return " ".join(re.findall(r"\w+", title.casefold()))


def _since_label(when: datetime, now: datetime) -> str:
    """ "earlier today", "Tuesday" within the last week, else "3 Mar 2025"."""
    if when.date() == now.date() and when <= now:
        return messages.EARLIER_TODAY
    if timedelta(0) <= now - when < timedelta(days=6):
        return f"{when:%A}"
    return f"{when.day} {when:%b %Y}"


# The queries, built once per shape and reused with bound parameters: building a statement
# (aliases, joins, the score expression) costs several times more than running it, and a
# scheduled fan-out asks for thousands of briefings a minute.  Core tables, not ORM entities:
# rows of plain columns need no ORM loading.
_ARTICLES = cast(Table, Article.__table__)
_MENTIONS = cast(Table, ArticleMention.__table__)
_SOURCES = cast(Table, ArticleSource.__table__)
_BRIEFED = cast(Table, BriefedArticle.__table__)
_A = _ARTICLES.c


@functools.lru_cache(maxsize=64)
def _ranking(entities: int, curated: bool, since: bool, exclude: bool) -> Select[Any]:
    """The ranking query for topics of one shape; the values are bound at execution.

    ``p_entity0`` .. ``p_entity<n-1>``: the topic's entities; ``p_topic``: its own
    ``topic:<slug>`` entity (curated topics); ``p_now``; ``p_limit``; ``p_since`` (the oldest
    ``dated_at`` wanted) when ``since``; ``p_platform`` and ``p_channel`` when ``exclude``.
    """
    mentions = [_MENTIONS.alias(f"m{i}") for i in range(entities)]
    first = mentions[0]
    relevance: ColumnElement[float] = first.c.weight
    stmt = (
        select(_A.id)
        .select_from(first)
        .where(first.c.entity == bindparam("p_entity0"), first.c.weight >= SUBSTANTIVE)
    )
    # The other sides first, by primary key, so only matching articles reach ``articles``.
    for i, mention in enumerate(mentions[1:], start=1):
        stmt = stmt.join(
            mention,
            and_(
                mention.c.article_id == first.c.article_id,
                mention.c.entity == bindparam(f"p_entity{i}"),
                mention.c.weight >= SUBSTANTIVE,
            ),
        )
        relevance = relevance * mention.c.weight
    if curated:
        bonus = _MENTIONS.alias("mt")
        stmt = stmt.outerjoin(
            bonus,
            and_(bonus.c.article_id == first.c.article_id, bonus.c.entity == bindparam("p_topic")),
        )
        relevance = relevance + TOPIC_BONUS * func.coalesce(bonus.c.weight, 0.0)
    stmt = stmt.join(_ARTICLES, _A.id == first.c.article_id)
    days = _DaysBetween(bindparam("p_now", type_=UtcDateTime()), _A.dated_at)
    age = case((days < 0, 0.0), else_=days)  # a date in the future counts as today
    score = (relevance / (1.0 + age / RECENCY_DAYS)).label("score")
    if since:
        stmt = stmt.where(_A.dated_at >= bindparam("p_since", type_=UtcDateTime()))
    if exclude:
        stmt = stmt.where(
            ~exists().where(
                _BRIEFED.c.platform == bindparam("p_platform"),
                _BRIEFED.c.channel_id == bindparam("p_channel"),
                _BRIEFED.c.article_id == _A.id,
            )
        )
    # Rank on narrow columns first; read the wide rows (text, bullets) only for the top.
    top = (
        stmt.add_columns(_A.dated_at.label("dated_at"), score)
        .order_by(score.desc(), _A.dated_at.desc(), _A.id.desc())
        .limit(bindparam("p_limit", type_=Integer()))
        .subquery("top")
    )
    return (
        select(_A.id, _A.title, _A.url, _A.outlet, _A.dated_at, _A.bullets, _A.kind, top.c.score)
        .join(top, _A.id == top.c.id)
        .order_by(top.c.score.desc(), top.c.dated_at.desc(), _A.id.desc())
    )


_OUTLETS = (
    select(_SOURCES.c.article_id, _SOURCES.c.outlet)
    .where(_SOURCES.c.article_id.in_(bindparam("p_ids", expanding=True)))
    .order_by(_SOURCES.c.id)
)
_LAST_BRIEFED = select(func.max(_BRIEFED.c.briefed_at)).where(
    _BRIEFED.c.platform == bindparam("p_platform"),
    _BRIEFED.c.channel_id == bindparam("p_channel"),
)


def describe_duration(duration: timedelta) -> str:
    """ "2 weeks", "36 hours", "90 minutes": the window of a ``--since``."""
    minutes = int(duration.total_seconds() // 60)
    for unit, size in (("week", 7 * 24 * 60), ("day", 24 * 60), ("hour", 60), ("minute", 1)):
        if minutes % size == 0:
            amount = minutes // size
            return f"{amount} {unit}{'' if amount == 1 else 's'}"
    return f"{minutes} minutes"


class BriefingService:
    """Builds briefings from the store.  Synchronous: adapters call it from a worker thread."""

    def __init__(
        self,
        store: Store,
        topics: TopicRegistry,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._topics = topics
        self._clock = clock

    @timed_brief
    def brief(
        self,
        topic: str,
        count: int = DEFAULT_COUNT,
        since: timedelta | None = None,
        exclude_channel: ChannelRef | None = None,
    ) -> Briefing:
        """The ``count`` most relevant recent pieces on ``topic``, most relevant first.

        ``since``: only pieces dated within that long.  ``exclude_channel``: leave out what
        that channel has already been briefed on (scheduled briefings bring only news).
        Raises ``UnknownTopic`` or ``BadInput``; an empty briefing carries a one-line note.
        """
        check_count(count)
        resolved = self._topics.resolve(topic)
        now = self._clock()
        query = _ranking(
            len(resolved.entities), resolved.curated, since is not None, exclude_channel is not None
        )
        params: dict[str, Any] = {
            "p_now": now,
            "p_limit": count * _CANDIDATES,
            **{f"p_entity{i}": entity for i, entity in enumerate(resolved.entities)},
        }
        if resolved.curated:
            params["p_topic"] = resolved.entity
        if since is not None:
            params["p_since"] = now - since
        if exclude_channel is not None:
            params["p_platform"] = exclude_channel.platform
            params["p_channel"] = exclude_channel.channel_id
        with self._store.session(write=False) as session:
            rows = [
                _Row(
                    id=r.id,
                    title=r.title,
                    url=r.url,
                    outlet=r.outlet,
                    dated_at=r.dated_at,
                    bullets=tuple(r.bullets or ()),
                    score=float(r.score),
                    kind=r.kind,
                )
                for r in session.execute(query, params)
            ]
            chosen, merged = self._collapse(rows, count)
            outlets = self._outlets(session, [i for group in merged for i in group])
            last_briefed = (
                self._last_briefed(session, exclude_channel)
                if exclude_channel and not chosen
                else None
            )
        items = tuple(
            BriefingItem(
                title=row.title,
                url=row.url,
                source=row.outlet,
                published=row.dated_at,
                bullets=row.bullets,
                also_in=tuple(
                    o
                    for o in dict.fromkeys(o for i in group for o in outlets.get(i, ()))
                    if o != row.outlet
                ),
                article_id=row.id,
                kind=row.kind,
            )
            for row, group in zip(chosen, merged, strict=True)
        )
        note = None
        if not items:
            note = self._empty_note(resolved, now, since, last_briefed)
        log.debug("brief %s: %d candidates, %d items", resolved.slug, len(rows), len(items))
        return Briefing(topic=resolved.ref(), generated_at=now, items=items, note=note)

    def mark_briefed(
        self, channel: ChannelRef, article_ids: Iterable[int], at: datetime | None = None
    ) -> None:
        """Record that ``channel`` was briefed on these articles (idempotent)."""
        ids = sorted(set(article_ids))
        if not ids:
            return
        when = at or self._clock()
        values = [
            {
                "platform": channel.platform,
                "channel_id": channel.channel_id,
                "article_id": i,
                "briefed_at": when,
            }
            for i in ids
        ]
        with self._store.session() as session:
            insert = pg_insert if self._store.dialect == "postgresql" else sqlite_insert
            session.execute(insert(BriefedArticle).values(values).on_conflict_do_nothing())

    # -- internals ------------------------------------------------------------------------

    @staticmethod
    def _collapse(rows: Sequence[_Row], count: int) -> tuple[list[_Row], list[list[int]]]:
        """The best row of each story (same normalized title), up to ``count``."""
        chosen: list[_Row] = []
        merged: list[list[int]] = []
        by_title: dict[str, int] = {}
        for row in rows:
            key = _title_key(row.title)
            if key and key in by_title:
                merged[by_title[key]].append(row.id)
                continue
            if len(chosen) == count:
                continue
            by_title[key] = len(chosen)
            chosen.append(row)
            merged.append([row.id])
        return chosen, merged

    @staticmethod
    def _outlets(session: Any, ids: Sequence[int]) -> dict[int, list[str]]:
        if not ids:
            return {}
        found: dict[int, list[str]] = {}
        for article_id, outlet in session.execute(_OUTLETS, {"p_ids": list(ids)}):
            found.setdefault(article_id, []).append(outlet)
        return found

    @staticmethod
    def _last_briefed(session: Any, channel: ChannelRef) -> datetime | None:
        value: datetime | str | None = session.execute(
            _LAST_BRIEFED, {"p_platform": channel.platform, "p_channel": channel.channel_id}
        ).scalar()
        if value is None:
            return None
        if isinstance(value, str):  # SQLite returns max() of a typed column as text
            value = datetime.fromisoformat(value)
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    @staticmethod
    def _empty_note(
        topic: Topic, now: datetime, since: timedelta | None, last_briefed: datetime | None
    ) -> str:
        if last_briefed is not None:
            return messages.NOTHING_NEW_SINCE.format(
                topic=topic.slug, since=_since_label(last_briefed, now)
            )
        if since is not None:
            return messages.NOTHING_WITHIN.format(topic=topic.slug, window=describe_duration(since))
        return messages.NOTHING_ON_TOPIC.format(topic=topic.slug)
