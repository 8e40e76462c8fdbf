"""Stories as readers see them: read from the store into frozen values.

    stories = load_stories(session, [12, 40], pair=("KR", "JP"), countries=registry.country)

A story's summary (its fact bullets, each editorial's claim, each country's line) is
computed when an article joins it (``bot.stories.refresh``) and stored with it, so reading a
story costs three indexed queries however many stories are read: the story rows, their
member articles, and the members' sources with their feeds' countries.

Perspectives for a pair topic (``pair``): one line per country of the pair that covered the
story ("Korean outlets: ..."), or, when only one of them has, a note saying so ("covered
only by Japanese outlets so far").  Otherwise: one line per country when outlets of two or
more countries covered it.  An editorial's claim comes after, as its own line.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import messages
from bot.models import Perspective, StorySource
from bot.store.schema import Article, ArticleSource, Feed, Story

__all__ = [
    "LoadedMember",
    "LoadedStory",
    "coverage_line",
    "load_stories",
    "load_ungrouped",
    "perspectives_for",
    "side_label",
    "side_name",
]

MAX_COUNTRY_LINES = 3


@dataclass(frozen=True)
class LoadedMember:
    article_id: int
    title: str
    url: str | None
    outlet: str
    kind: str
    dated_at: datetime
    published_at: datetime | None
    bullets: tuple[str, ...]
    sources: tuple[StorySource, ...]  # every outlet that ran it (syndicated copies too)

    @property
    def country(self) -> str | None:
        return next((s.country for s in self.sources if s.country), None)


@dataclass(frozen=True)
class LoadedStory:
    id: int
    title: str
    lead_article_id: int | None
    first_seen: datetime
    last_seen: datetime
    updated_at: datetime
    bullets: tuple[str, ...]
    opinions: tuple[Mapping[str, Any], ...]
    perspectives: Mapping[str, str]  # country -> line
    members: tuple[LoadedMember, ...] = field(default=())

    @property
    def lead(self) -> LoadedMember | None:
        by_id = {m.article_id: m for m in self.members}
        if self.lead_article_id in by_id:
            return by_id[self.lead_article_id]
        news = [m for m in self.members if m.kind != "editorial"]
        candidates = news or list(self.members)
        return candidates[0] if candidates else None

    @property
    def sources(self) -> tuple[StorySource, ...]:
        """Every outlet's article once, the lead first, then by date."""
        lead = self.lead
        ordered = sorted(self.members, key=lambda m: (m is not lead, m.dated_at, m.article_id))
        seen: set[tuple[str, str | None]] = set()
        out: list[StorySource] = []
        for member in ordered:
            for source in member.sources:
                key = (source.source.casefold(), source.url)
                if key not in seen:
                    seen.add(key)
                    out.append(source)
        return tuple(out)

    @property
    def outlets(self) -> int:
        return len({s.source.casefold() for s in self.sources})


_SHARED_DEMONYM = frozenset({"HK", "MO", "TW"})  # "Chinese" would say China


def side_name(code: str, countries: Callable[[str], Any] | None) -> str:
    """How a country's outlets are named: "Korean", "Japanese"; the place's own name where
    the demonym is shared ("Hong Kong") or unknown."""
    country = None
    if countries is not None:
        try:
            country = countries(code)
        except KeyError:
            country = None
    if country is None:
        return code
    if country.demonyms and code not in _SHARED_DEMONYM:
        return str(country.demonyms[0])
    return str(country.title)


def side_label(code: str, countries: Callable[[str], Any] | None) -> str:
    """ "Korean outlets", "Japanese outlets", "Hong Kong outlets"."""
    return messages.STORY_SIDE_OUTLETS.format(side=side_name(code, countries))


def coverage_line(
    story: LoadedStory,
    countries: Callable[[str], Any] | None,
    pair: Sequence[str] = (),
) -> str:
    """Who covered the story: "3 outlets", or by country when the sources say, "2 Korean,
    1 Japanese outlets" (the pair's countries first)."""
    names: dict[str, set[str]] = {}
    for source in story.sources:
        names.setdefault(source.country or "", set()).add(source.source.casefold())
    total = story.outlets
    known = {code: len(outlets) for code, outlets in names.items() if code}
    plural = "" if total == 1 else "s"
    if not known or (len(known) == 1 and not set(known) & set(pair)):
        return messages.STORY_OUTLETS.format(count=total, s=plural)
    order = [c for c in pair if c in known] + sorted(c for c in known if c not in pair)
    parts = [f"{known[code]} {side_name(code, countries)}" for code in order]
    other = total - sum(known.values())
    if other > 0:
        parts.append(messages.STORY_OTHER.format(count=other))
    return messages.STORY_BY_SIDE.format(sides=", ".join(parts), s=plural)


def perspectives_for(
    story: LoadedStory,
    countries: Callable[[str], Any] | None,
    pair: Sequence[str] = (),
    *,
    shown: Collection[str] = (),
) -> tuple[Perspective, ...]:
    """The lines shown beside a story's facts (see the module docstring).  A side's line
    or an editorial's claim already among the ``shown`` bullets (a story of one editorial
    shows that editorial's own bullets) is not said twice."""
    lines: list[Perspective] = []
    present = {m.country for m in story.members if m.country}
    # A side's line that is one of the shown bullets (stored before the summary learnt not
    # to pick those) says nothing new.
    said = {c: line for c, line in story.perspectives.items() if line and line not in shown}
    if len(pair) == 2:
        covered = [c for c in pair if c in present]
        if len(covered) == 2:
            lines += [Perspective(side_label(c, countries), (said[c],)) for c in pair if c in said]
        elif len(covered) == 1:
            note = messages.STORY_ONLY_COVERED_BY.format(label=side_label(covered[0], countries))
            lines.append(Perspective(messages.STORY_SIDES_LABEL, (note,)))
    elif len(present) >= 2:
        for code in sorted(present)[:MAX_COUNTRY_LINES]:
            if code in said:
                lines.append(Perspective(side_label(code, countries), (said[code],)))
    for opinion in story.opinions:
        claim = str(opinion.get("claim") or "").strip()
        if claim and claim not in shown:
            outlet = str(opinion.get("outlet") or "")
            lines.append(Perspective(messages.STORY_OPINION.format(outlet=outlet), (claim,)))
    return tuple(lines)


def load_stories(session: Session, story_ids: Iterable[int]) -> dict[int, LoadedStory]:
    """The stories with these ids, with their members and every member's sources."""
    ids = sorted(set(story_ids))
    if not ids:
        return {}
    stories = {
        row.id: row
        for row in session.execute(
            select(
                Story.id,
                Story.title,
                Story.lead_article_id,
                Story.first_seen,
                Story.last_seen,
                Story.updated_at,
                Story.bullets,
                Story.opinions,
                Story.perspectives,
            ).where(Story.id.in_(ids))
        )
    }
    members: dict[int, list[Any]] = {}
    for row in session.execute(
        _MEMBER.where(Article.story_id.in_(ids)).order_by(Article.dated_at, Article.id)
    ):
        members.setdefault(row.story_id, []).append(row)
    article_ids = [row.id for rows in members.values() for row in rows]
    sources = _sources(session, article_ids)
    out: dict[int, LoadedStory] = {}
    for story_id, row in stories.items():
        loaded = tuple(_member(m, sources.get(m.id, ())) for m in members.get(story_id, ()))
        out[story_id] = LoadedStory(
            id=row.id,
            title=row.title,
            lead_article_id=row.lead_article_id,
            first_seen=row.first_seen,
            last_seen=row.last_seen,
            updated_at=row.updated_at,
            bullets=tuple(row.bullets or ()),
            opinions=tuple(row.opinions or ()),
            perspectives=dict(row.perspectives or {}),
            members=loaded,
        )
    return out


def load_ungrouped(session: Session, article_ids: Sequence[int]) -> dict[int, LoadedStory]:
    """Stories of one article each, for articles not grouped yet (a story's id is its
    article's, negated), by article id; two queries however many articles."""
    if not article_ids:
        return {}
    rows = session.execute(_MEMBER.where(Article.id.in_(article_ids))).all()
    found = _sources(session, [row.id for row in rows])
    out: dict[int, LoadedStory] = {}
    for row in rows:
        member = _member(row, found.get(row.id, ()))
        out[row.id] = LoadedStory(
            id=-row.id,
            title=row.title,
            lead_article_id=row.id,
            first_seen=row.dated_at,
            last_seen=row.dated_at,
            updated_at=row.dated_at,
            bullets=member.bullets,
            opinions=(),
            perspectives={},
            members=(member,),
        )
    return out


_MEMBER = select(
    Article.id,
    Article.story_id,
    Article.title,
    Article.url,
    Article.outlet,
    Article.kind,
    Article.dated_at,
    Article.published_at,
    Article.bullets,
)


def _member(row: Any, found: Sequence[StorySource]) -> LoadedMember:
    return LoadedMember(
        article_id=row.id,
        title=row.title,
        url=row.url,
        outlet=row.outlet,
        kind=row.kind,
        dated_at=row.dated_at,
        published_at=row.published_at,
        bullets=tuple(row.bullets or ()),
        sources=_member_sources(row, found),
    )


def _member_sources(member: Any, found: Sequence[StorySource]) -> tuple[StorySource, ...]:
    """Every source of a member as a reader sees it listed (its own outlet when the store
    knows no source: an article stored before sources had countries)."""
    known = found or [StorySource(source=member.outlet, url=member.url)]
    return tuple(
        replace(
            source,
            title=member.title,
            kind=member.kind,
            published=member.published_at or member.dated_at,
        )
        for source in known
    )


def _sources(session: Session, article_ids: Sequence[int]) -> dict[int, list[StorySource]]:
    if not article_ids:
        return {}
    found: dict[int, list[StorySource]] = {}
    for article_id, outlet, url, country in session.execute(
        select(
            ArticleSource.article_id,
            ArticleSource.outlet,
            ArticleSource.url,
            func.coalesce(ArticleSource.country, Feed.country),
        )
        .outerjoin(Feed, Feed.id == ArticleSource.feed_id)
        .where(ArticleSource.article_id.in_(article_ids))
        .order_by(ArticleSource.id)
    ):
        found.setdefault(article_id, []).append(
            StorySource(source=outlet, url=url, country=country)
        )
    return found
