"""The briefing service: ``brief(topic, count, since) -> Briefing`` of *stories*, ranked in SQL.

An article belongs to a topic when every country of the topic is substantively present in it
(its ``article_mentions`` weight is at least ``SUBSTANTIVE``: named in the title, or named
several times).  Among those, articles are scored by the database:

    relevance = product of the topic's entity weights            (0.09 .. 1)
              + TOPIC_BONUS x weight of "topic:<slug>"            (curated topics only)
    recency   = 1 / (1 + age in days / RECENCY_DAYS)              (1 today, 1/2 after a week)
    score     = relevance x recency

``age`` is measured from ``articles.dated_at``: the published date, or when the article was
ingested if the source gave none.  The query starts from the ``(entity, weight)`` index of
``article_mentions`` for the topic's first entity and joins the others by primary key, so its
cost follows the number of articles about that country, not the size of the store.

A briefing is made of stories (``bot.stories``): the best-scoring articles are gathered by
story, and a story ranks by its best article's score times how many outlets covered it
(``coverage_factor``: ``1 + OUTLET_WEIGHT x ln(outlets)``, up to ``COVERAGE_CAP`` outlets):
relevance x recency x coverage.  Each story is shown
once, with its lead's headline and link, its own bullets, who covered it and each side's
line (``bot.stories.read``).  Cross-outlet copies are one article with several sources
(deduplicated at ingest) and count as the outlets they are.

A scheduled briefing (``exclude_channel``) brings the stories the channel has not been
briefed on, and a story it has seen only when it has new articles: marked as an update and
shown with only what is new (bullets from the new articles).
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

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
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from bot import messages
from bot.errors import BadInput
from bot.metrics import timed_brief
from bot.models import Briefing, BriefingItem, ChannelRef, StoryItem, StoryList
from bot.store import Store
from bot.store.schema import (
    Article,
    ArticleMention,
    BriefedArticle,
    Story,
    UtcDateTime,
)
from bot.stories.read import (
    LoadedMember,
    LoadedStory,
    coverage_line,
    load_stories,
    load_ungrouped,
    perspectives_for,
)
from bot.topics import SUBSTANTIVE, Topic, TopicRegistry

if TYPE_CHECKING:
    from bot.scheduling.content import SlotPreview

log = logging.getLogger(__name__)

MAX_COUNT = 10
DEFAULT_COUNT = 3
DEFAULT_STORIES_SINCE = timedelta(hours=36)
DEFAULT_STORIES_LIMIT = 20
TOPIC_BONUS = 0.5
RECENCY_DAYS = 7.0
OUTLET_WEIGHT = 0.25  # a story five outlets covered ranks 1.4x one outlet's
COVERAGE_CAP = 12  # outlets beyond this add no weight (and bound the candidate window)
MAX_RELEVANCE = 1.0 + TOPIC_BONUS  # every entity weight is at most 1
# the recent windows read first; None: all of the store
WINDOWS: tuple[timedelta | None, ...] = (
    timedelta(days=21),
    timedelta(days=84),
    timedelta(days=336),
    None,
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CANDIDATES = 30  # articles read per story wanted: most briefs need one query

_DURATION = re.compile(
    r"^\s*(\d{1,6})\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|y|yrs?|years?)\s*$",
    re.I,
)
_UNIT = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks", "y": "years"}
_UNIT_DAYS = {"years": 365}
_MAX_DURATION = timedelta(days=3650)


def _weight(pair: tuple[LoadedStory, float]) -> float:
    """A ranked story's weight: its best article's score times its coverage."""
    return pair[1] * coverage_factor(pair[0].outlets)


def coverage_factor(outlets: int) -> float:
    """How much a story's coverage adds to its rank: ``1 + OUTLET_WEIGHT x ln(outlets)``, the
    outlets counted up to ``COVERAGE_CAP``."""
    return 1 + OUTLET_WEIGHT * math.log(max(1, min(outlets, COVERAGE_CAP)))


def utc_now() -> datetime:
    return datetime.now(UTC)


def parse_duration(text: str) -> timedelta:
    """ "90m", "36h", "7d", "2w" -> a timedelta; ``BadInput`` with the fix otherwise."""
    match = _DURATION.match(text or "")
    if not match:
        raise BadInput(messages.BAD_DURATION.format(text=text))
    amount, unit = int(match.group(1)), _UNIT[match.group(2).lower()[0]]
    if unit in _UNIT_DAYS:
        amount, unit = amount * _UNIT_DAYS[unit], "days"
    duration = timedelta(**{unit: amount})
    if duration <= timedelta(0):
        raise BadInput(messages.EMPTY_DURATION.format(text=text.strip()))
    if duration > _MAX_DURATION:
        raise BadInput(messages.LONG_DURATION.format(text=text.strip()))
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
    story_id: int | None
    score: float


@dataclass
class _Ring:
    """Articles dated from ``oldest`` up to ``until`` (None: now and after), read ``limit``
    at a time, best first; ``rows``: one list per query (None: not read yet)."""

    oldest: datetime
    until: datetime | None
    limit: int
    rows: list[list[_Row]] | None = None

    @property
    def cut(self) -> float | None:
        """The most an unread article of this ring can score (None: all of it was read)."""
        cuts = [rows[-1].score for rows in self.rows or () if len(rows) == self.limit]
        return max(cuts) if cuts else None


def _oldest(window: timedelta | None, now: datetime, floor: datetime) -> datetime:
    return max(floor, now - window) if window is not None else floor


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
_BRIEFED = cast(Table, BriefedArticle.__table__)
_A = _ARTICLES.c


@functools.lru_cache(maxsize=64)
def _ranking(curated: bool, exclude: bool, bounded: bool) -> Select[Any]:
    """The ranking query for topics of one shape; the values are bound at execution.

    ``p_entity``: the topic's ranking entity (a country, or a pair's ``pair:`` entity, whose
    weight is already the product of both sides'); ``p_floor``: the least weight that
    counts (``SUBSTANTIVE`` for a country; any for a pair, whose rows exist only when both
    sides are substantive); ``p_topic``: its own ``topic:<slug>`` entity (curated topics);
    ``p_now``; ``p_limit``; ``p_from``: the oldest ``dated_at`` read (the window, or
    ``--since``); ``p_until`` (the first not read) when ``bounded``; ``p_platform`` and
    ``p_channel`` when ``exclude``.  The mentions are read through ``(entity, dated_at)``
    from ``p_from`` on: the cost follows the topic's articles in the window, and
    ``articles`` is read only for the top rows.
    """
    first = _MENTIONS.alias("m0")
    relevance: ColumnElement[float] = first.c.weight
    stmt = (
        select(first.c.article_id.label("id"))
        .select_from(first)
        .where(
            first.c.entity == bindparam("p_entity"),
            first.c.dated_at >= bindparam("p_from", type_=UtcDateTime()),
            first.c.weight >= bindparam("p_floor", type_=Float()),
        )
    )
    if curated:
        bonus = _MENTIONS.alias("mt")
        stmt = stmt.outerjoin(
            bonus,
            and_(bonus.c.article_id == first.c.article_id, bonus.c.entity == bindparam("p_topic")),
        )
        relevance = relevance + TOPIC_BONUS * func.coalesce(bonus.c.weight, 0.0)
    if bounded:
        stmt = stmt.where(first.c.dated_at < bindparam("p_until", type_=UtcDateTime()))
    days = _DaysBetween(bindparam("p_now", type_=UtcDateTime()), first.c.dated_at)
    age = case((days < 0, 0.0), else_=days)  # a date in the future counts as today
    score = (relevance / (1.0 + age / RECENCY_DAYS)).label("score")
    if exclude:
        stmt = stmt.where(
            ~exists().where(
                _BRIEFED.c.platform == bindparam("p_platform"),
                _BRIEFED.c.channel_id == bindparam("p_channel"),
                _BRIEFED.c.article_id == first.c.article_id,
            )
        )
    # Rank on the narrow mention rows; the stories of the top articles are read after.
    top = (
        stmt.add_columns(first.c.dated_at.label("dated_at"), score)
        .order_by(score.desc(), first.c.dated_at.desc(), first.c.article_id.desc())
        .limit(bindparam("p_limit", type_=Integer()))
        .subquery("top")
    )
    return (
        select(_A.id, _A.story_id, top.c.score)
        .join(top, _A.id == top.c.id)
        .order_by(top.c.score.desc(), top.c.dated_at.desc(), _A.id.desc())
    )


_LAST_BRIEFED = select(func.max(_BRIEFED.c.briefed_at)).where(
    _BRIEFED.c.platform == bindparam("p_platform"),
    _BRIEFED.c.channel_id == bindparam("p_channel"),
)


def describe_duration(duration: timedelta) -> str:
    """ "7 days", "36 hours", "90 minutes", "1 year": the window of a ``--since``, in the
    largest unit that divides it -- weeks never, so "7d" reads "7 days", not "1 week"."""
    minutes = int(duration.total_seconds() // 60)
    for unit, size in (("year", 365 * 24 * 60), ("day", 24 * 60), ("hour", 60), ("minute", 1)):
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
        """The ``count`` most relevant recent stories on ``topic``, most relevant first.

        ``since``: only articles dated within that long.  ``exclude_channel``: only what that
        channel has not been briefed on (a seen story with new articles is an update).
        Raises ``UnknownTopic`` or ``BadInput``; an empty briefing carries a one-line note.
        """
        check_count(count)
        resolved = self._topics.resolve(topic)
        now = self._clock()
        with self._store.session(write=False) as session:
            ranked, briefed = self._rank(session, resolved, count, now, since, exclude_channel)
            last_briefed = (
                self._last_briefed(session, exclude_channel)
                if exclude_channel and not ranked
                else None
            )
        pair = resolved.entities if len(resolved.entities) == 2 else ()
        items = tuple(self._item(story, pair, briefed) for story, _score in ranked)
        note = None
        if not items:
            note = self._empty_note(resolved, now, since, last_briefed)
        log.debug("brief %s: %d items", resolved.slug, len(items))
        return Briefing(topic=resolved.ref(), generated_at=now, items=items, note=note)

    def stories(
        self,
        topic: str | None = None,
        *,
        since: timedelta | None = DEFAULT_STORIES_SINCE,
        limit: int = DEFAULT_STORIES_LIMIT,
    ) -> StoryList:
        """The stories in the store (on ``topic`` when given), most recently updated first:
        those with an article dated within ``since`` (None: any), at most ``limit`` (0:
        all)."""
        if limit < 0:
            raise BadInput(messages.BAD_LIMIT)
        now = self._clock()
        resolved = self._topics.resolve(topic) if topic else None
        with self._store.session(write=False) as session:
            if resolved is not None:
                oldest = now - since if since is not None else _EPOCH
                rows = self._candidates(session, resolved, None, now, oldest, None)
                found = [story for story, _score in self._stories_of(session, rows)]
            else:
                query = select(Story.id).order_by(Story.updated_at.desc(), Story.id.desc())
                if since is not None:
                    query = query.where(Story.last_seen >= now - since)
                if limit:
                    query = query.limit(limit)
                ids = list(session.scalars(query))
                loaded = load_stories(session, ids)
                found = [loaded[i] for i in ids if i in loaded]
        found.sort(key=lambda st: (st.updated_at, st.id), reverse=True)
        if limit:
            found = found[:limit]
        pair = resolved.entities if resolved is not None and len(resolved.entities) == 2 else ()
        items = tuple(self._story_item(story, pair) for story in found)
        note = None if items else messages.NO_STORIES
        return StoryList(
            generated_at=now,
            stories=items,
            topic=resolved.ref() if resolved is not None else None,
            note=note,
        )

    def preview_slot(
        self, subscription_id: int, *, asked_from: ChannelRef | None = None
    ) -> SlotPreview:
        """What subscription ``subscription_id``'s next scheduled slot would post now, made
        as the scheduler makes it (``bot.scheduling.content.compose_slot``, with this
        service); nothing is claimed or recorded.  ``NotFound`` for an unknown id, or for one
        of another workspace than ``asked_from`` (a chat channel)."""
        from bot.scheduling.content import preview_slot

        return preview_slot(
            self._store, self, subscription_id, now=self._clock(), asked_from=asked_from
        )

    # -- internals ------------------------------------------------------------------------

    def _rank(
        self,
        session: Any,
        resolved: Topic,
        count: int,
        now: datetime,
        since: timedelta | None,
        exclude_channel: ChannelRef | None,
    ) -> tuple[list[tuple[LoadedStory, float]], set[int]]:
        """The ``count`` best stories (with their best article's score), and which of their
        articles the channel was briefed on.

        Exact, without scoring every article on the topic.  Articles are read in rings of
        time, the most recent first (``WINDOWS``), the best ``limit`` of each ring.  The
        reading stops when nothing unread could win: an unread article of a ring read in
        part scores at most that ring's last, one older than every ring read scores at most
        ``MAX_RELEVANCE / (1 + age / RECENCY_DAYS)``, and either could at best be multiplied
        by the largest coverage factor.  Otherwise the ring in doubt is read further, or the
        next ring is read."""
        top = coverage_factor(COVERAGE_CAP)
        floor = now - since if since is not None else _EPOCH
        windows = iter(WINDOWS)
        seen: dict[tuple[str, int], LoadedStory | None] = {}
        rings = [
            _Ring(oldest=_oldest(next(windows), now, floor), until=None, limit=count * _CANDIDATES)
        ]
        while True:
            for ring in rings:
                if ring.rows is None:
                    ring.rows = self._ring_rows(session, resolved, ring, now, exclude_channel)
            stories = self._stories_of(
                session, [row for ring in rings for rows in ring.rows or () for row in rows], seen
            )
            briefed = (
                self._briefed(
                    session,
                    exclude_channel,
                    [m.article_id for story, _ in stories for m in story.members],
                )
                if exclude_channel is not None
                else set()
            )
            ranked = sorted(
                (
                    (story, score)
                    for story, score in stories
                    if any(m.article_id not in briefed for m in story.members)
                ),
                key=lambda pair: (-_weight(pair), -pair[0].last_seen.timestamp(), -pair[0].id),
            )[:count]
            last = _weight(ranked[-1]) if len(ranked) == count else 0.0
            doubtful = [ring for ring in rings if ring.cut is not None and ring.cut * top > last]
            for ring in doubtful:  # read further into the rings where an unread one could win
                ring.limit *= 4
                ring.rows = None
            if doubtful:
                continue
            oldest = rings[-1].oldest
            age = max(0.0, (now - oldest) / timedelta(days=1))
            if oldest > floor and MAX_RELEVANCE / (1 + age / RECENCY_DAYS) * top > last:
                # Fewer than ``count`` found: every older ring would be read in turn, so
                # read the rest as one (the same rows, one statement instead of several).
                window = next(windows, None) if len(ranked) == count else None
                rings.append(
                    _Ring(
                        oldest=_oldest(window, now, floor),
                        until=oldest,
                        limit=count * _CANDIDATES,
                    )
                )
                continue
            return ranked, briefed

    def _ring_rows(
        self,
        session: Any,
        resolved: Topic,
        ring: _Ring,
        now: datetime,
        exclude_channel: ChannelRef | None,
    ) -> list[list[_Row]]:
        lists = [
            self._candidates(
                session, resolved, ring.limit, now, ring.oldest, exclude_channel, ring.until
            )
        ]
        if exclude_channel is not None:
            # A story the channel has seen is on the topic through its earlier articles:
            # its new ones need not name both sides to bring it back as an update.
            lists.append(
                self._candidates(session, resolved, ring.limit, now, ring.oldest, None, ring.until)
            )
        return lists

    def _candidates(
        self,
        session: Any,
        resolved: Topic,
        limit: int | None,
        now: datetime,
        oldest: datetime,
        exclude_channel: ChannelRef | None,
        until: datetime | None = None,
    ) -> list[_Row]:
        """The best-scoring articles on the topic dated from ``oldest`` on, and before
        ``until`` when given (``limit`` of them; None: all)."""
        query = _ranking(resolved.curated, exclude_channel is not None, until is not None)
        pair = len(resolved.entities) == 2
        params: dict[str, Any] = {
            "p_now": now,
            "p_from": oldest,
            **({"p_until": until} if until is not None else {}),
            "p_limit": limit if limit is not None else 1_000_000,
            "p_entity": resolved.ranking_entity,
            "p_floor": 0.0 if pair else SUBSTANTIVE,
        }
        if resolved.curated:
            params["p_topic"] = resolved.entity
        if exclude_channel is not None:
            params["p_platform"] = exclude_channel.platform
            params["p_channel"] = exclude_channel.channel_id
        return [
            _Row(id=r.id, story_id=r.story_id, score=float(r.score))
            for r in session.execute(query, params)
        ]

    def _stories_of(
        self,
        session: Any,
        rows: Sequence[_Row],
        cache: dict[tuple[str, int], LoadedStory | None] | None = None,
    ) -> list[tuple[LoadedStory, float]]:
        """The candidates' stories, each with its best article's score.  An article not
        grouped yet is a story of its own.  ``cache`` keeps stories read before (a ranking
        that reads further reads only the stories it had not)."""
        cache = {} if cache is None else cache
        best: dict[tuple[str, int], float] = {}
        for row in rows:
            key = ("article", row.id) if row.story_id is None else ("story", row.story_id)
            best[key] = max(best.get(key, row.score), row.score)
        unread = [
            number for kind, number in best if kind == "story" and ("story", number) not in cache
        ]
        loaded = load_stories(session, unread)
        for number in unread:
            cache[("story", number)] = loaded.get(number)
        single = [
            number for kind, number in best if kind == "article" and (kind, number) not in cache
        ]
        alone = load_ungrouped(session, single)
        for number in single:
            cache[("article", number)] = alone.get(number)
        return [(story, score) for key, score in best.items() if (story := cache[key]) is not None]

    def _item(self, story: LoadedStory, pair: Sequence[str], briefed: set[int]) -> BriefingItem:
        lead = story.lead
        assert lead is not None
        members = [m for m in story.members if m.article_id not in briefed]
        update = len(members) < len(story.members)
        if update:
            shown = LoadedStory(
                id=story.id,
                title=story.title,
                lead_article_id=None,
                first_seen=story.first_seen,
                last_seen=story.last_seen,
                updated_at=story.updated_at,
                bullets=(),
                opinions=(),
                perspectives={},
                members=tuple(members),
            )
            bullets: Sequence[str] = self._new_bullets(story, members)
            lead = shown.lead or lead
        else:
            shown = story
            bullets = story.bullets or lead.bullets
        sources = shown.sources
        return BriefingItem(
            title=lead.title,
            url=lead.url,
            source=lead.outlet,
            published=lead.published_at or lead.dated_at,
            bullets=tuple(bullets),
            also_in=tuple(
                dict.fromkeys(
                    s.source for s in sources if s.source.casefold() != lead.outlet.casefold()
                )
            ),
            article_id=lead.article_id,
            kind=lead.kind,
            story_id=str(story.id) if story.id > 0 else None,
            sources=sources,
            perspectives=(
                () if update else perspectives_for(story, self._country, pair, shown=bullets)
            ),
            coverage=coverage_line(shown, self._country, pair),
            update=update,
            article_ids=tuple(m.article_id for m in members),
        )

    def _story_item(self, story: LoadedStory, pair: Sequence[str]) -> StoryItem:
        lead = story.lead
        bullets = tuple(story.bullets or (lead.bullets if lead else ()))
        return StoryItem(
            id=str(story.id) if story.id > 0 else f"article-{-story.id}",
            title=lead.title if lead else story.title,
            first_seen=story.first_seen,
            last_seen=story.last_seen,
            outlets=story.outlets,
            bullets=bullets,
            perspectives=perspectives_for(story, self._country, pair, shown=bullets),
            articles=story.sources,
            url=lead.url if lead else None,
        )

    def _new_bullets(self, story: LoadedStory, members: Sequence[LoadedMember]) -> list[str]:
        """Bullets from a story's new articles only (an update to a seen story)."""
        from bot.stories.refresh import members_of
        from bot.stories.summary import summarize_story

        chosen = members_of(self._store, story.id, [m.article_id for m in members])
        if not chosen:
            return [b for m in members for b in m.bullets][:3]
        return list(summarize_story(chosen).bullets)

    def _country(self, code: str) -> Any:
        return self._topics.country(code)

    @staticmethod
    def _briefed(session: Any, channel: ChannelRef, article_ids: Sequence[int]) -> set[int]:
        if not article_ids:
            return set()
        return set(
            session.scalars(
                select(_BRIEFED.c.article_id).where(
                    _BRIEFED.c.platform == channel.platform,
                    _BRIEFED.c.channel_id == channel.channel_id,
                    _BRIEFED.c.article_id.in_(list(article_ids)),
                )
            )
        )

    @staticmethod
    def _last_briefed(session: Any, channel: ChannelRef) -> datetime | None:
        value: datetime | None = session.execute(  # max() keeps the column's type: aware UTC
            _LAST_BRIEFED, {"p_platform": channel.platform, "p_channel": channel.channel_id}
        ).scalar()
        return value

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
