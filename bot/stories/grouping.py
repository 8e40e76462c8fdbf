"""Online story grouping: each new article joins the story it belongs to, or starts one.

    grouper = StoryGrouper(store)
    story_id = grouper.assign(article_id)          # at ingest, right after the article is stored
    grouper.assign_missing(limit=200)              # articles stored before stories existed

Content and time together, one article at a time (no nightly batch):

* **Content.**  An article is a TF-IDF vector of its stemmed words (title words count
  twice; sumy's English stop words and Snowball stemmer, the same the summarizer uses), the
  document frequencies kept in ``term_stats`` as articles arrive, its ``TERMS_PER_ARTICLE``
  heaviest terms kept.  A story is the sum of its members' vectors (its *centroid*, the
  ``TERMS_PER_STORY`` heaviest terms kept); an article's similarity to a story is the cosine
  to that centroid (average linkage, online).
* **Time.**  The similarity fades with the gap between the article's date and the story's
  span: halved for every ``HALF_LIFE_DAYS``.  Outlets covering one event write within hours
  of each other; a follow-up two days later still joins when it says much the same (a
  cosine of 0.4 or more); the same topic a month later never does.
* **Decision.**  The article joins the best story whose faded similarity reaches
  ``JOIN_THRESHOLD``; otherwise it starts a story.  A story keeps its id as it grows.

Finding candidates does not scan stories: ``story_terms`` holds each story's heaviest terms
with the days it spans, indexed by (term, last day), so the lookup reads only stories that
share a heavy term with the article and were active within ``WINDOW_DAYS``.  The few best
are then scored exactly from their centroids.

The constants are round and were set on stories_dev (232 real multi-outlet stories):
benchmarks/stories.py prints the grouping's BCubed F1 beside batch baselines, and the
figures on a held-out half.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.store import Store
from bot.store.schema import Article, Story, StoryTerm, TermStat, utcnow

__all__ = [
    "HALF_LIFE_DAYS",
    "JOIN_THRESHOLD",
    "WINDOW_DAYS",
    "StoryGrouper",
    "article_terms",
    "faded",
    "weigh",
]

log = logging.getLogger(__name__)

HALF_LIFE_DAYS = 1.0
JOIN_THRESHOLD = 0.1
WINDOW_DAYS = 4  # beyond this gap a perfect match fades below the threshold (0.5**4 < 0.1)
TERMS_PER_ARTICLE = 40
TERMS_PER_STORY = 60
CANDIDATES = 8  # stories scored exactly, of those sharing the most heavy terms
TITLE_WEIGHT = 2
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)
_MAX_TERM = 64

Vector = dict[str, float]


def _day(moment: datetime) -> int:
    return (moment - _EPOCH).days


def article_terms(title: str, text: str) -> Counter[str]:
    """Stemmed content words of an article with their counts (title words count twice)."""
    from summaries.sumy_backend import stemmer, stop_words

    stem, stops = stemmer(), stop_words()
    counts: Counter[str] = Counter()
    for source, weight in ((text, 1), (title, TITLE_WEIGHT)):
        for word in _WORD.findall(source.casefold()):
            word = word.replace("’", "'").removesuffix("'s")
            if len(word) < 3 or word in stops:
                continue
            counts[stem(word)[:_MAX_TERM]] += weight
    return counts


def weigh(counts: Mapping[str, float], df: Mapping[str, int], n_docs: int) -> Vector:
    """Unit-length TF-IDF vector (sublinear tf) of the ``TERMS_PER_ARTICLE`` heaviest terms."""
    raw = {
        term: (1 + math.log(count)) * math.log((n_docs + 1) / (df.get(term, 0) + 0.5))
        for term, count in counts.items()
        if count > 0
    }
    top = sorted(raw.items(), key=lambda kv: (-kv[1], kv[0]))[:TERMS_PER_ARTICLE]
    norm = math.sqrt(sum(w * w for _t, w in top)) or 1.0
    return {term: w / norm for term, w in top if w > 0}


def cosine(vector: Mapping[str, float], centroid: Mapping[str, float]) -> float:
    norm = math.sqrt(sum(w * w for w in centroid.values()))
    if not norm:
        return 0.0
    return sum(w * centroid.get(term, 0.0) for term, w in vector.items()) / norm


def gap_days(moment: datetime, first: datetime, last: datetime) -> float:
    """Days between ``moment`` and the span [first, last] (0 inside it)."""
    seconds = max(0.0, (first - moment).total_seconds(), (moment - last).total_seconds())
    return seconds / 86400


def faded(similarity: float, gap: float) -> float:
    """The similarity after the time between the article and the story."""
    return similarity * math.pow(0.5, gap / HALF_LIFE_DAYS)


@dataclass(frozen=True)
class Assignment:
    story_id: int
    joined: bool  # False: the article started the story
    score: float  # the faded similarity it joined with (0 when it started one)


class StoryGrouper:
    """Assigns stored articles to stories (see the module docstring).  Synchronous: call it
    from a worker thread, in the process that stored the article."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def assign(self, article_id: int) -> Assignment | None:
        """Put the article in its story (or a new one); None when there is no such article.
        An article already in a story stays there."""
        with self.store.session() as session:
            row = session.execute(
                select(Article.title, Article.text, Article.dated_at, Article.story_id).where(
                    Article.id == article_id
                )
            ).one_or_none()
            if row is None:
                return None
            if row.story_id is not None:
                return Assignment(row.story_id, True, 0.0)
            return self._assign(session, article_id, row.title, row.text, row.dated_at)

    def assign_missing(self, limit: int = 200) -> int:
        """Assign articles that have no story yet (stored before stories existed), oldest
        first, at most ``limit``; returns how many were assigned."""
        with self.store.session(write=False) as session:
            ids = list(
                session.scalars(
                    select(Article.id)
                    .where(Article.story_id.is_(None))
                    .order_by(Article.dated_at, Article.id)
                    .limit(limit)
                )
            )
        for article_id in ids:
            self.assign(article_id)
        return len(ids)

    # ------------------------------------------------------------------ the work

    def _assign(
        self, session: Session, article_id: int, title: str, text: str, dated_at: datetime
    ) -> Assignment:
        counts = article_terms(title, text)
        n_docs, df = _count_terms(session, counts)
        vector = weigh(counts, df, n_docs)
        best = self._best_story(session, vector, dated_at)
        if best is None:
            story = Story(
                title=title.strip()[:2000] or "(untitled)",
                lead_article_id=article_id,
                first_seen=dated_at,
                last_seen=dated_at,
                updated_at=utcnow(),
                articles=1,
                centroid=dict(vector),
                bullets=[],
                opinions=[],
                perspectives={},
            )
            session.add(story)
            session.flush()
            story_id, joined, score = story.id, False, 0.0
        else:
            story_id, score = best
            joined = True
            found = session.get(Story, story_id, with_for_update=True)
            assert found is not None
            story = found
            centroid = Counter(story.centroid)
            centroid.update(vector)
            story.centroid = dict(
                sorted(centroid.items(), key=lambda kv: (-kv[1], kv[0]))[:TERMS_PER_STORY]
            )
            story.first_seen = min(story.first_seen, dated_at)
            story.last_seen = max(story.last_seen, dated_at)
            story.updated_at = utcnow()
            story.articles = (story.articles or 0) + 1
        session.execute(update(Article).where(Article.id == article_id).values(story_id=story_id))
        _index(session, story)
        return Assignment(story_id, joined, score)

    @staticmethod
    def _best_story(
        session: Session, vector: Mapping[str, float], dated_at: datetime
    ) -> tuple[int, float] | None:
        if not vector:
            return None
        day = _day(dated_at)
        shared = (
            select(StoryTerm.story_id, func.sum(StoryTerm.weight).label("overlap"))
            .where(
                StoryTerm.term.in_(list(vector)),
                StoryTerm.last_day >= day - WINDOW_DAYS,
                StoryTerm.first_day <= day + WINDOW_DAYS,
            )
            .group_by(StoryTerm.story_id)
            .order_by(func.sum(StoryTerm.weight).desc())
            .limit(CANDIDATES)
        ).subquery()
        best: tuple[int, float] | None = None
        for story_id, centroid, first, last in session.execute(
            select(Story.id, Story.centroid, Story.first_seen, Story.last_seen).join(
                shared, shared.c.story_id == Story.id
            )
        ):
            score = faded(cosine(vector, centroid), gap_days(dated_at, first, last))
            if score >= JOIN_THRESHOLD and (best is None or score > best[1]):
                best = (story_id, score)
        return best


_DOCUMENTS = ""  # the term_stats row that counts articles (no real term is empty)


def _count_terms(session: Session, counts: Mapping[str, Any]) -> tuple[int, dict[str, int]]:
    """Count this article into the document frequencies; (articles counted so far, the df
    of its terms), both including this article."""
    terms = sorted(counts)
    _upsert_df(session, [_DOCUMENTS, *terms])
    df: dict[str, int] = {
        term: count
        for term, count in session.execute(
            select(TermStat.term, TermStat.df).where(TermStat.term.in_([_DOCUMENTS, *terms]))
        )
    }
    return df.pop(_DOCUMENTS, 1), df


def _upsert_df(session: Session, terms: Iterable[str]) -> None:
    rows = [{"term": term, "df": 1} for term in terms]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = pg_insert(TermStat)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(TermStat)  # type: ignore[assignment]
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[TermStat.term], set_={"df": TermStat.df + 1}
        ),
        rows,
    )


def _index(session: Session, story: Story) -> None:
    """Rewrite the story's postings: its heaviest terms with the days it now spans."""
    session.execute(delete(StoryTerm).where(StoryTerm.story_id == story.id))
    first, last = _day(story.first_seen), _day(story.last_seen)
    session.add_all(
        StoryTerm(
            story_id=story.id, term=term, weight=float(weight), first_day=first, last_day=last
        )
        for term, weight in story.centroid.items()
    )
