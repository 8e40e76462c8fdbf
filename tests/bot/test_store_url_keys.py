"""The URL re-key migration (``*_url_keys.py``) on a store made by the revision before it,
on a real SQLite file and on PostgreSQL: every source is re-keyed to courlan's normal form,
and a page that the old keys stored as two articles becomes one, losing no source, mention
or briefed channel."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from bot.store import NewArticle, Store
from bot.store.store import MIGRATIONS

WHEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

# (source id, article id, url, the key stored before): the old normaliser's keys
SOURCES = [
    (1, 1, "https://o.example/été", "https://o.example/été"),
    (2, 1, "https://o.example/a(b)", "https://o.example/a(b)"),
    (3, 1, "https://o.example/a%28b%29", "https://o.example/a%28b%29"),  # same page as 2
    (4, 2, "https://o.example/%C3%A9t%C3%A9", "https://o.example/%C3%A9t%C3%A9"),  # as 1
    (5, 3, "https://XN--BCHER-KVA.example/x", "https://xn--bcher-kva.example/x"),
    (6, 4, "https://p.example/x?pk_campaign=a", "https://p.example/x?pk_campaign=a"),
    (7, 5, "https://p.example/x", "https://p.example/x"),  # as 6
    (8, 5, "https://p.example/y", "https://p.example/y"),
]
# article -> (story, text); story 10 holds 1 and 2 (2 is its lead), 21 holds only 5
ARTICLES = {1: (10, "one"), 2: (10, "two"), 3: (None, "three"), 4: (20, "four"), 5: (21, "five")}
MENTIONS = [(1, "KR", 0.9), (2, "KR", 0.5), (2, "JP", 0.4), (5, "US", 0.7)]
BRIEFED = [(2, "C-saw-2"), (1, "C-saw-both"), (2, "C-saw-both")]


def _before_url_keys() -> str:
    script = ScriptDirectory(str(MIGRATIONS))
    [rekey] = [s for s in script.walk_revisions() if (s.path or "").endswith("_url_keys.py")]
    assert isinstance(rekey.down_revision, str)
    return rekey.down_revision


def _old_store(store: Store) -> None:
    """The store taken back to the revision before the re-key, filled as its code would."""
    naive = store.dialect == "sqlite"
    when = WHEN.replace(tzinfo=None) if naive else WHEN
    with store.engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        command.downgrade(config, _before_url_keys())
    with store.engine.begin() as conn:
        for story, lead in ((10, 2), (20, 4), (21, 5)):
            conn.execute(
                sa.text(
                    "INSERT INTO stories (id, title, lead_article_id, first_seen, last_seen, "
                    "updated_at, articles, centroid, bullets, opinions, perspectives, "
                    "created_at) VALUES (:id, 't', :lead, :d, :d, :d, :n, '{}', '[]', '[]', "
                    "'{}', :d)"
                ),
                {"id": story, "lead": lead, "d": when, "n": 2 if story == 10 else 1},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO story_terms (story_id, term, weight, first_day, last_day) "
                    "VALUES (:id, 'seoul', 1.0, 1, 2)"
                ),
                {"id": story},
            )
        for article_id, (story, text) in ARTICLES.items():
            conn.execute(
                sa.text(
                    "INSERT INTO articles (id, title, outlet, kind, language, published_at, "
                    "ingested_at, dated_at, text, bullets, content_hash, story_id) VALUES "
                    "(:id, :title, 'o', 'news', 'en', :d, :d, :d, :text, '[]', :hash, :story)"
                ),
                {
                    "id": article_id,
                    "title": text,
                    "text": text,
                    "hash": text,
                    "d": when,
                    "story": story,
                },
            )
            conn.execute(
                sa.text("INSERT INTO minhash_bands (band, value, article_id) VALUES (0, :id, :id)"),
                {"id": article_id},
            )
        for source_id, article_id, url, key in SOURCES:
            conn.execute(
                sa.text(
                    "INSERT INTO article_sources (id, article_id, outlet, url, url_norm, seen_at) "
                    "VALUES (:id, :article, :outlet, :url, :key, :d)"
                ),
                {
                    "id": source_id,
                    "article": article_id,
                    "outlet": f"outlet {source_id}",
                    "url": url,
                    "key": key,
                    "d": when,
                },
            )
        for article_id, entity, weight in MENTIONS:
            conn.execute(
                sa.text(
                    "INSERT INTO article_mentions (article_id, entity, weight, dated_at) "
                    "VALUES (:a, :e, :w, :d)"
                ),
                {"a": article_id, "e": entity, "w": weight, "d": when},
            )
        for article_id, channel in BRIEFED:
            conn.execute(
                sa.text(
                    "INSERT INTO briefed_articles (platform, channel_id, article_id, briefed_at) "
                    "VALUES ('slack', :c, :a, :d)"
                ),
                {"c": channel, "a": article_id, "d": when},
            )


def test_upgrading_re_keys_urls_and_merges_a_page_stored_twice(database_url: str) -> None:
    with Store.open(database_url) as store:
        _old_store(store)
    with Store.open(database_url) as store:  # migrated on open
        articles = {a.id: a for a in store.articles()}
        with store.engine.connect() as conn:
            keys = dict(conn.execute(sa.text("SELECT id, url_norm FROM article_sources")).all())
            briefed = set(
                conn.execute(sa.text("SELECT channel_id, article_id FROM briefed_articles")).all()
            )
            stories = dict(
                conn.execute(
                    sa.text("SELECT id, articles || ':' || lead_article_id FROM stories")
                ).all()
            )
            terms = set(conn.execute(sa.text("SELECT story_id FROM story_terms")).scalars())
            bands = set(conn.execute(sa.text("SELECT article_id FROM minhash_bands")).scalars())

    # the page stored twice is one article now, the older; the others are untouched
    assert sorted(articles) == [1, 3, 4]
    # no source is lost: each keeps its address and outlet, under the article that stayed
    assert [(s.url, s.outlet) for s in articles[1].sources] == [
        (url, f"outlet {source_id}") for source_id, article, url, _ in SOURCES if article in (1, 2)
    ]
    assert [s.url for s in articles[4].sources] == [url for _, a, url, _ in SOURCES if a in (4, 5)]
    # the older source holds the key in the new form; a newer one for the same page has none
    assert keys == {
        1: "https://o.example/%C3%A9t%C3%A9",
        2: "https://o.example/a%28b%29",
        3: None,
        4: None,
        5: "https://bücher.example/x",
        6: "https://p.example/x",
        7: None,
        8: "https://p.example/y",
    }
    # every spelling of every address finds its article, and is a duplicate when added again
    for _, article_id, url, _ in SOURCES:
        expected = {2: 1, 5: 4}.get(article_id, article_id)
        assert store_lookup(database_url, url) == expected, url
    # mentions: the kept article's own weight wins; what it lacked is moved
    assert dict(articles[1].mentions) == pytest.approx({"KR": 0.9, "JP": 0.4})
    assert dict(articles[4].mentions) == pytest.approx({"US": 0.7})
    # a channel briefed on the merged article was briefed on the one that stayed
    assert briefed == {("C-saw-2", 1), ("C-saw-both", 1)}
    # story 10 lost a member (its lead, now the kept article); story 21 lost its only one
    assert stories == {10: "1:1", 20: "1:4"}
    assert terms == {10, 20}
    assert bands == {1, 3, 4}


def store_lookup(database_url: str, url: str) -> int | None:
    with Store.open(database_url) as store:
        found = store.known_article(url=url)
        result = store.add_article(
            NewArticle(title="t", text=f"a new text for {url}", bullets=(), outlet="x", url=url)
        )
        assert result.status == "duplicate"
        assert result.article_id == found
        return found
