"""Keep a story's summary current: recomputed when an article joins it.

    refresh_story(store, story_id)      # at ingest, right after the grouping

What a story says (its lead, its fact bullets, each editorial's claim, each country's line)
is computed from all its members by ``bot.stories.summary`` and stored with the story, so a
briefing only reads it.  A story is refreshed in its own transaction after the article was
stored and grouped: a failure here leaves the story with its previous summary and is
logged.  The largest stories are summarized from their ``MAX_MEMBERS`` most recent articles
(and their lead): a summary is a few bullets, and a month-long story's first reports are
what its readers have already seen.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from bot.store import Store
from bot.store.schema import Article, Story
from bot.stories.read import load_stories
from bot.stories.summary import Member, perspectives, summarize_story

__all__ = ["MAX_MEMBERS", "members_of", "refresh_story"]

log = logging.getLogger(__name__)

MAX_MEMBERS = 24


def members_of(store: Store, story_id: int, article_ids: list[int] | None = None) -> list[Member]:
    """The story's members as the summarizer takes them (with their texts), oldest first;
    only ``article_ids`` when given."""
    with store.session(write=False) as session:
        story = load_stories(session, [story_id]).get(story_id)
        if story is None:
            return []
        chosen = [m for m in story.members if article_ids is None or m.article_id in article_ids]
        if article_ids is None and len(chosen) > MAX_MEMBERS:
            lead = story.lead
            recent = chosen[-MAX_MEMBERS:]
            chosen = ([lead] if lead is not None and lead not in recent else []) + recent
        texts = dict(
            session.execute(
                select(Article.id, Article.text).where(
                    Article.id.in_([m.article_id for m in chosen])
                )
            ).all()
        )
    return [
        Member(
            article_id=m.article_id,
            title=m.title,
            text=texts.get(m.article_id, ""),
            kind=m.kind,
            outlet=m.outlet,
            country=m.country,
            published=m.published_at or m.dated_at,
            bullets=m.bullets,
        )
        for m in chosen
    ]


def refresh_story(store: Store, story_id: int) -> bool:
    """Recompute and store the story's summary; False when the story is gone."""
    members = members_of(store, story_id)
    if not members:
        return False
    summary = summarize_story(members)
    countries = sorted({m.country for m in members if m.country})
    lines: dict[str, str] = {}
    if len(countries) >= 2:
        for line in perspectives(
            members,
            {code: code for code in countries},
            lambda member: member.country,
            shown=summary.bullets,
        ):
            if line.label in countries and line.bullets:
                lines[line.label] = line.bullets[0]
    lead = next((m for m in members if m.article_id == summary.lead_article_id), members[0])
    opinions: list[dict[str, Any]] = [
        {"article_id": o.article_id, "outlet": o.outlet, "claim": o.claim} for o in summary.opinions
    ]
    with store.session() as session:
        story = session.get(Story, story_id)
        if story is None:
            return False
        story.title = lead.title.strip()[:2000] or story.title
        story.lead_article_id = lead.article_id
        story.bullets = list(summary.bullets)
        story.opinions = opinions
        story.perspectives = lines
    return True
