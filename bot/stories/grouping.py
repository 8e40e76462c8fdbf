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
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from bot.store import Store
from bot.store.schema import Article, Story, StoryTerm, utcnow

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
MAX_SPAN_DAYS = 30  # a story longer than this is found by the article near its last day
TERMS_PER_ARTICLE = 40
TERMS_PER_STORY = 60
CANDIDATES = 8  # stories scored exactly, of those sharing the most heavy terms
TITLE_WEIGHT = 2
PRIOR_DOCS = 20
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
        # each distinct word once (an article repeats most of its words)
        for word, n in Counter(_WORD.findall(source.casefold())).items():
            word = word.replace("’", "'").removesuffix("'s")
            if len(word) < 3 or word in stops:
                continue
            counts[stem(word)[:_MAX_TERM]] += weight * n
    return counts


def weigh(counts: Mapping[str, float], df: Mapping[str, int], n_docs: int) -> Vector:
    """Unit-length TF-IDF vector (sublinear tf) of the ``TERMS_PER_ARTICLE`` heaviest terms.

    The document count is padded with ``PRIOR_DOCS`` articles that use none of the terms:
    in a young store two reports of one event would otherwise share only terms whose IDF
    is near zero (every article so far uses them) and never meet."""
    raw = {
        term: (1 + math.log(count)) * math.log((n_docs + PRIOR_DOCS) / (df.get(term, 0) + 0.5))
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
            row = session.execute(_ARTICLE, {"article_id": article_id}).one_or_none()
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
        now = utcnow()
        if best is None:
            centroid = dict(vector)
            first = last = dated_at
            story_id = session.execute(
                insert(_STORIES).returning(_STORIES.c.id),
                {
                    "title": title.strip()[:2000] or "(untitled)",
                    "lead_article_id": article_id,
                    "first_seen": dated_at,
                    "last_seen": dated_at,
                    "updated_at": now,
                    "articles": 1,
                    "centroid": centroid,
                    "bullets": [],
                    "opinions": [],
                    "perspectives": {},
                    "created_at": now,
                },
            ).scalar_one()
            joined, score = False, 0.0
        else:
            story_id, score = best
            joined = True
            row = session.execute(_LOCK_STORY, {"story_id": story_id}).one()
            summed = Counter(row.centroid)
            summed.update(vector)
            centroid = dict(
                sorted(summed.items(), key=lambda kv: (-kv[1], kv[0]))[:TERMS_PER_STORY]
            )
            first, last = min(row.first_seen, dated_at), max(row.last_seen, dated_at)
            session.execute(
                _GROW_STORY,
                {
                    "story_id": story_id,
                    "centroid": centroid,
                    "first_seen": first,
                    "last_seen": last,
                    "updated_at": now,
                    "articles": (row.articles or 0) + 1,
                },
            )
        session.execute(_JOIN, {"article_id": article_id, "joined_story": story_id})
        _index(session, story_id, centroid, first, last)
        return Assignment(story_id, joined, score)

    @staticmethod
    def _best_story(
        session: Session, vector: Mapping[str, float], dated_at: datetime
    ) -> tuple[int, float] | None:
        if not vector:
            return None
        day = _day(dated_at)
        best: tuple[int, float] | None = None
        for story_id, centroid, first, last in session.execute(
            _CANDIDATES_QUERY,
            {
                "terms": list(vector),
                "earliest": day - WINDOW_DAYS,
                "latest": day + WINDOW_DAYS + MAX_SPAN_DAYS,
                "starts_by": day + WINDOW_DAYS,
            },
        ):
            score = faded(cosine(vector, centroid), gap_days(dated_at, first, last))
            if score >= JOIN_THRESHOLD and (best is None or score > best[1]):
                best = (story_id, score)
        return best


# Core tables: rows of plain values need no ORM unit of work (several times cheaper).
_STORIES = cast(Table, Story.__table__)
_STORY_TERMS = cast(Table, StoryTerm.__table__)

# The statements of an assignment, built once (building one costs more than running it).
_ARTICLES = cast(Table, Article.__table__)
_ARTICLE = select(
    _ARTICLES.c.title, _ARTICLES.c.text, _ARTICLES.c.dated_at, _ARTICLES.c.story_id
).where(_ARTICLES.c.id == bindparam("article_id"))
_JOIN = (
    update(_ARTICLES)
    .where(_ARTICLES.c.id == bindparam("article_id"))
    .values(story_id=bindparam("joined_story"))
)
_LOCK_STORY = (
    select(_STORIES.c.centroid, _STORIES.c.first_seen, _STORIES.c.last_seen, _STORIES.c.articles)
    .where(_STORIES.c.id == bindparam("story_id"))
    .with_for_update()  # another replica adding to the same story waits for this one
)
_GROW_STORY = (
    update(_STORIES)
    .where(_STORIES.c.id == bindparam("story_id"))
    .values(
        centroid=bindparam("centroid", type_=_STORIES.c.centroid.type),
        first_seen=bindparam("first_seen", type_=_STORIES.c.first_seen.type),
        last_seen=bindparam("last_seen", type_=_STORIES.c.last_seen.type),
        updated_at=bindparam("updated_at", type_=_STORIES.c.updated_at.type),
        articles=bindparam("articles"),
    )
)
_FORGET_TERMS = delete(_STORY_TERMS).where(_STORY_TERMS.c.story_id == bindparam("story_id"))

# The candidate lookup, built once: stories sharing the most weight on the article's heavy
# terms among those active near its day.  ``last_day`` is bounded on both sides so the index
# range stays a few days of postings per term, whatever the store holds.
_SHARED = (
    select(StoryTerm.story_id)
    .where(
        StoryTerm.term.in_(bindparam("terms", expanding=True)),
        StoryTerm.last_day.between(bindparam("earliest"), bindparam("latest")),
        StoryTerm.first_day <= bindparam("starts_by"),
    )
    .group_by(StoryTerm.story_id)
    .order_by(func.sum(StoryTerm.weight).desc())
    .limit(CANDIDATES)
    .subquery()
)
_CANDIDATES_QUERY = select(Story.id, Story.centroid, Story.first_seen, Story.last_seen).join(
    _SHARED, _SHARED.c.story_id == Story.id
)


_DOCUMENTS = ""  # the term_stats row that counts articles (no real term is empty)


def _count_terms(session: Session, counts: Mapping[str, Any]) -> tuple[int, dict[str, int]]:
    """Count this article into the document frequencies; (articles counted so far, the df
    of its terms), both including this article.

    An article has a few hundred distinct terms: this runs at the driver level, where a
    statement over hundreds of values costs what the database needs, not the building and
    binding of hundreds of expressions (about 3 ms more through the SQL expression layer)."""
    terms = [_DOCUMENTS, *sorted(counts)]
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        rows = connection.exec_driver_sql(_PG_COUNT, (terms,)).all()
    else:
        connection.exec_driver_sql(_SQLITE_COUNT, [(term,) for term in terms])
        rows = []
        for start in range(0, len(terms), 500):  # SQLite's bound-parameter limit is far above
            chunk = terms[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows += connection.exec_driver_sql(
                f"SELECT term, df FROM term_stats WHERE term IN ({marks})", tuple(chunk)
            ).all()
    df = {term: int(count) for term, count in rows}
    return df.pop(_DOCUMENTS, 1), df


_PG_COUNT = (
    "INSERT INTO term_stats (term, df) SELECT term, 1 FROM unnest(%s::varchar[]) AS term "
    "ON CONFLICT (term) DO UPDATE SET df = term_stats.df + 1 RETURNING term, df"
)
_SQLITE_COUNT = (
    "INSERT INTO term_stats (term, df) VALUES (?, 1) "
    "ON CONFLICT (term) DO UPDATE SET df = term_stats.df + 1"
)


def _index(
    session: Session, story_id: int, centroid: Mapping[str, float], first: datetime, last: datetime
) -> None:
    """Rewrite the story's postings: its heaviest terms with the days it now spans."""
    session.execute(_FORGET_TERMS, {"story_id": story_id})
    first_day, last_day = _day(first), _day(last)
    session.execute(
        insert(_STORY_TERMS),
        [
            {
                "story_id": story_id,
                "term": term,
                "weight": float(weight),
                "first_day": first_day,
                "last_day": last_day,
            }
            for term, weight in centroid.items()
        ],
    )
