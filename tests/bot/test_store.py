"""The store on a real SQLite file and a real PostgreSQL schema: migration, dedup, feed health."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.errors import StoreError
from bot.store import NewArticle, Store
from bot.store.schema import ArticleMention, Base, Feed, MinhashBand


@pytest.fixture
def seed_text(seed_path: Path) -> str:
    return seed_path.read_text(encoding="utf-8")


def article(text: str, **kw: object) -> NewArticle:
    fields: dict[str, object] = {
        "title": "Korea, Japan leaders meet",
        "text": text,
        "bullets": ("One.", "Two."),
        "outlet": "Korea JoongAng Daily",
    }
    fields.update(kw)
    return NewArticle(**fields)  # type: ignore[arg-type]


# ---------------------------------------------------------------- opening and migrating


def test_open_creates_the_sqlite_directory_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "briefbot.sqlite3"
    with Store.open(f"sqlite:///{path}") as store:
        assert path.is_file()
        names = set(sa.inspect(store.engine).get_table_names())
        assert {"articles", "article_sources", "feeds", "alembic_version"} <= names
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_migrations_match_the_models(store: Store) -> None:
    """The Alembic head builds exactly the tables schema.py declares (no drift)."""
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []


MIGRATING = "migrating the database schema"


def _migrations_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith(MIGRATING)]


def test_reopening_keeps_data_and_does_not_migrate_again(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.store.store")
    with Store.open(database_url) as store:
        store.add_article(article("A short text that is long enough to count for something."))
    assert len(_migrations_logged(caplog)) == 1  # the fresh database was migrated
    caplog.clear()
    with Store.open(database_url) as store:
        assert store.count_articles() == 1
    assert _migrations_logged(caplog) == []  # and the second open ran no migration


def test_several_processes_opening_a_fresh_database_at_once_all_succeed(
    database_url: str,
) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def open_one() -> None:
        try:
            barrier.wait()
            Store.open(database_url).close()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_in_memory_sqlite_works_for_demo_runs() -> None:
    with Store.open("sqlite://") as store:
        assert store.add_article(article("Some text about Seoul and Tokyo.")).status == "added"
        assert store.count_articles() == 1


def test_unreachable_postgres_is_one_clear_store_error() -> None:
    with pytest.raises(StoreError, match=r"Cannot open the database .*127\.0\.0\.1:1/"):
        Store.open("postgresql+psycopg://nobody:s3cret@127.0.0.1:1/nothing")


def test_the_password_never_shows_in_the_error() -> None:
    with pytest.raises(StoreError) as info:
        Store.open("postgresql+psycopg://nobody:s3cret@127.0.0.1:1/nothing")
    assert "s3cret" not in str(info.value)


def test_a_bad_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="not valid"):
        Store.open("not a url at all")


def test_session_rolls_back_on_error(store: Store) -> None:
    def write_then_fail() -> None:
        with store.session() as session:
            session.add(Feed(url="https://x.test/f"))
            session.flush()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert store.feeds() == []


# ---------------------------------------------------------------- articles and dedup


def test_add_then_duplicates_by_guid_url_and_content(store: Store, seed_text: str) -> None:
    feed = store.upsert_feed("https://feeds.test/rss", outlet="Korea JoongAng Daily")
    first = store.add_article(
        article(seed_text, url="https://news.test/a/1?utm_source=rss", guid="g-1", feed_id=feed.id)
    )
    assert first.status == "added"
    by_guid = store.add_article(
        article(seed_text, url="https://elsewhere.test/x", guid="g-1", feed_id=feed.id)
    )
    by_url = store.add_article(article(seed_text, url="HTTPS://NEWS.test:443/a/1/#comments"))
    by_content = store.add_article(article(seed_text, url="https://news.test/amp/1"))
    assert [r.status for r in (by_guid, by_url, by_content)] == ["duplicate"] * 3
    assert {r.article_id for r in (by_guid, by_url, by_content)} == {first.article_id}
    assert store.count_articles() == 1
    # The republished address is remembered, so the next poll needs no text comparison.
    assert store.known_article(url="https://news.test/amp/1") == first.article_id
    assert store.known_article(feed_id=feed.id, guid="g-1") == first.article_id
    assert store.known_article(feed_id=feed.id, guid="g-2") is None


def test_the_same_guid_in_another_feed_is_not_a_duplicate(store: Store) -> None:
    a = store.upsert_feed("https://a.test/rss")
    b = store.upsert_feed("https://b.test/rss")
    store.add_article(
        article("Seoul and Tokyo agree on shuttle diplomacy.", guid="1", feed_id=a.id)
    )
    other = store.add_article(
        article("Manila and Beijing argue over a reef.", guid="1", feed_id=b.id, outlet="Other")
    )
    assert other.status == "added"


def test_syndicated_copy_is_one_story_with_both_sources(store: Store, seed_text: str) -> None:
    first = store.add_article(article(seed_text, url="https://joongang.test/ed/1"))
    # Another outlet runs it re-typeset: other quotes, dashes, spacing and case.
    retyped = seed_text.replace("“", '"').replace("”", '"').replace("—", "--").upper()
    second = store.add_article(
        article(retyped, url="https://herald.test/ed/9", outlet="The Korea Herald")
    )
    assert second == type(second)(first.article_id, "syndicated")
    stored = store.get_article(first.article_id)
    assert stored is not None
    assert [s.outlet for s in stored.sources] == ["Korea JoongAng Daily", "The Korea Herald"]
    assert [s.url for s in stored.sources] == [
        "https://joongang.test/ed/1",
        "https://herald.test/ed/9",
    ]
    assert store.count_articles() == 1


def test_near_identical_copy_is_found_by_simhash(store: Store, seed_text: str) -> None:
    first = store.add_article(article(seed_text, url="https://joongang.test/ed/1"))
    paragraphs = seed_text.split("\n")
    edited = "\n".join(p for p in paragraphs if "Related Article" not in p)
    edited += "\nThis editorial first appeared in the Korea JoongAng Daily."
    second = store.add_article(
        article(edited, url="https://times.test/opinion/5", outlet="The Korea Times")
    )
    assert second.status == "syndicated"
    assert second.article_id == first.article_id


def test_different_stories_are_both_added(store: Store, seed_text: str) -> None:
    other = (
        "The Philippine coast guard said Chinese vessels fired water cannon near Scarborough "
        "Shoal on Tuesday, the latest in a series of confrontations in the South China Sea. "
        "Manila summoned a Chinese diplomat and said it would file a protest. Beijing said "
        "its coast guard acted lawfully to expel Philippine ships from Chinese waters."
    )
    a = store.add_article(article(seed_text))
    b = store.add_article(article(other, title="Water cannon at Scarborough", outlet="Rappler"))
    assert a.status == b.status == "added"
    assert a.article_id != b.article_id


def test_metadata_mentions_and_dates_round_trip(store: Store, seed_text: str) -> None:
    published = datetime(2025, 6, 18, 9, 0, tzinfo=UTC)
    result = store.add_article(
        article(
            seed_text,
            author="Editorial board",
            kind="editorial",
            published_at=published,
            mentions={"KR": 1.0, "JP": 0.9, "topic:korea-japan": 1.2},
        )
    )
    stored = store.get_article(result.article_id)
    assert stored is not None
    assert stored.published_at == published
    assert stored.dated_at == published
    assert stored.kind == "editorial"
    assert stored.bullets == ("One.", "Two.")
    # and the pair both sides make, the entity a pair topic reads (bot/topics/tagging.py)
    assert stored.mentions == {
        "KR": 1.0,
        "JP": 0.9,
        "topic:korea-japan": 1.2,
        "pair:JP-KR": pytest.approx(0.9),
    }


def test_undated_articles_are_dated_by_ingestion(store: Store) -> None:
    before = datetime.now(UTC)
    result = store.add_article(article("Undated text about Seoul, Tokyo and the G7 summit."))
    stored = store.get_article(result.article_id)
    assert stored is not None
    assert stored.published_at is None
    assert before <= stored.dated_at <= datetime.now(UTC)


def test_naive_dates_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        article("x", published_at=datetime(2025, 6, 18))


def test_overlong_fields_are_trimmed_not_refused(store: Store) -> None:
    result = store.add_article(
        article("Text about Seoul and Tokyo.", outlet="O" * 500, author="A" * 500, guid="g" * 5000)
    )
    stored = store.get_article(result.article_id)
    assert stored is not None
    assert len(stored.outlet) == 200


def test_concurrent_writers_of_the_same_url_store_it_once(store: Store, seed_text: str) -> None:
    results: list[str] = []
    barrier = threading.Barrier(4)

    def add(i: int) -> None:
        barrier.wait()
        results.append(
            store.add_article(
                article(seed_text, url="https://joongang.test/ed/1", outlet=f"Outlet {i}")
            ).status
        )

    threads = [threading.Thread(target=add, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["added", "duplicate", "duplicate", "duplicate"]
    assert store.count_articles() == 1


# ---------------------------------------------------------------- feeds and health


def test_feed_upsert_keeps_health_and_refreshes_description(store: Store) -> None:
    feed = store.upsert_feed("https://feeds.test/rss", name="Old", kind="news")
    store.record_feed_failure(feed.id, "HTTP 500", base_delay=timedelta(minutes=5))
    again = store.upsert_feed("https://feeds.test/rss", name="New", kind="editorial")
    assert again.id == feed.id
    assert (again.name, again.kind, again.consecutive_failures) == ("New", "editorial", 1)
    assert len(store.feeds()) == 1


def test_failures_back_off_exponentially_then_disable(store: Store) -> None:
    feed = store.upsert_feed("https://feeds.test/rss")
    at = datetime(2025, 6, 18, tzinfo=UTC)
    delays = []
    for _ in range(4):
        state = store.record_feed_failure(
            feed.id, "HTTP 503", base_delay=timedelta(minutes=10), disable_after=4, at=at
        )
        assert state.next_attempt_at is not None
        delays.append(state.next_attempt_at - at)
    assert delays == [timedelta(minutes=m) for m in (10, 20, 40, 80)]
    assert state.status == "disabled"
    assert "HTTP 503" in (state.disabled_reason or "")
    assert store.due_feeds(at + timedelta(days=30)) == []


def test_success_resets_failures_and_keeps_validators(store: Store) -> None:
    feed = store.upsert_feed("https://feeds.test/rss")
    store.record_feed_failure(feed.id, "timeout", base_delay=timedelta(minutes=1))
    store.record_feed_success(
        feed.id, etag='"abc"', last_modified="Wed, 18 Jun 2025 09:00:00 GMT", next_attempt_at=None
    )
    state = store.feed("https://feeds.test/rss")
    assert state is not None
    assert (state.consecutive_failures, state.last_error, state.status) == (0, None, "ok")
    assert state.etag == '"abc"'
    assert state.last_modified == "Wed, 18 Jun 2025 09:00:00 GMT"


def test_due_feeds_honours_backoff_and_enable_feed_clears_it(store: Store) -> None:
    now = datetime(2025, 6, 18, tzinfo=UTC)
    fresh = store.upsert_feed("https://a.test/rss")
    failing = store.upsert_feed("https://b.test/rss")
    store.record_feed_failure(
        failing.id, "HTTP 500", base_delay=timedelta(hours=1), disable_after=1, at=now
    )
    assert [f.id for f in store.due_feeds(now)] == [fresh.id]
    assert store.enable_feed("https://b.test/rss")
    assert [f.id for f in store.due_feeds(now)] == [fresh.id, failing.id]


def test_feeds_listing_counts_articles(store: Store) -> None:
    feed = store.upsert_feed("https://feeds.test/rss")
    store.add_article(
        article("Seoul and Tokyo meet at the G7.", url="https://x.test/1", feed_id=feed.id)
    )
    store.add_article(
        article("Manila and Beijing argue at sea.", url="https://x.test/2", feed_id=feed.id)
    )
    assert [f.articles for f in store.feeds()] == [2]


def test_a_database_from_a_newer_briefbot_is_refused_clearly(database_url: str) -> None:
    with Store.open(database_url) as store, store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    with pytest.raises(StoreError, match="newer than this briefbot knows"):
        Store.open(database_url)


def _downgrade(store: Store, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    from bot.store.store import MIGRATIONS

    with store.engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def test_migrations_downgrade_and_upgrade_again(database_url: str) -> None:
    """Down to nothing, then the whole upgrade runs again on open."""
    with Store.open(database_url) as store:
        _downgrade(store, "base")
        assert set(sa.inspect(store.engine).get_table_names()) <= {"alembic_version"}
    with Store.open(database_url) as store:  # an emptied database is migrated on open
        assert "articles" in sa.inspect(store.engine).get_table_names()
        assert store.count_articles() == 0


def test_every_upgrade_reruns_on_a_store_with_data(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """For each revision: a store at the head, with an article, taken back to that revision
    and opened again runs the upgrades after it once more; the article is still there and
    the schema is the models' again."""
    from alembic.script import ScriptDirectory

    from bot.store.store import MIGRATIONS

    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    earlier = [rev.revision for rev in script.walk_revisions() if rev.revision != head]
    assert earlier  # there is something to re-run
    caplog.set_level(logging.INFO, logger="bot.store.store")
    with Store.open(database_url) as store:
        store.add_article(article("A short text that is long enough to count for something."))
    for revision in earlier:
        with Store.open(database_url) as store:
            _downgrade(store, revision)
        caplog.clear()
        with Store.open(database_url) as store:
            assert _migrations_logged(caplog) == [f"{MIGRATING} {revision} -> {head}"]
            assert store.count_articles() == 1
            with store.engine.connect() as conn:
                assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_feed_status_in_sql_agrees_with_feed_state_for_every_combination(store: Store) -> None:
    from itertools import product

    from bot.store.schema import feed_status

    polled = datetime(2026, 1, 5, tzinfo=UTC)
    combos = list(product((None, "gone: 410"), (0, 1), (None, polled)))
    with store.session() as session:
        for n, (disabled, failures, success) in enumerate(combos):
            session.add(
                Feed(
                    url=f"https://feeds.example/{n}.xml",
                    disabled_reason=disabled,
                    consecutive_failures=failures,
                    last_success_at=success,
                )
            )
    with store.session(write=False) as session:
        in_sql = {
            url: status for url, status in session.execute(sa.select(Feed.url, feed_status()))
        }
    in_python = {feed.url: feed.status for feed in store.feeds()}
    assert in_sql == in_python
    assert set(in_python.values()) == {"ok", "failing", "disabled", "new"}


def test_upgrading_an_old_store_loses_nothing(database_url: str) -> None:
    """A store at the first revision, with a feed, an article, its source, mentions and
    band, upgraded to the newest: everything is still there (SQLite rebuilds altered tables
    by copying them; a cascade from the old copy must not empty the tables that refer to
    it), the mentions gain their article's date and a ``pair:`` row for every two
    substantive countries."""
    from alembic import command
    from alembic.config import Config

    from bot.store.store import MIGRATIONS

    published = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    with Store.open(database_url) as store:
        naive = store.dialect == "sqlite"
        when = published.replace(tzinfo=None) if naive else published
        with store.engine.begin() as conn:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = conn
            command.downgrade(config, "0001")
        with store.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO feeds (id, url, kind, language, trusted, consecutive_failures, "
                    "created_at) VALUES (7, 'https://feeds.example/rss', 'news', 'en', true, 0, :d)"
                ),
                {"d": when},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO articles (id, title, outlet, kind, language, published_at, "
                    "ingested_at, dated_at, text, bullets, content_hash) VALUES (1, 't', 'o', "
                    "'news', 'en', :d, :d, :d, 'text', '[]', 'h')"
                ),
                {"d": when},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO article_sources (article_id, feed_id, outlet, url, url_norm, "
                    "guid, seen_at) VALUES (1, 7, 'o', 'https://o.example/1', "
                    "'https://o.example/1', 'g-1', :d)"
                ),
                {"d": when},
            )
            conn.execute(
                sa.text("INSERT INTO minhash_bands (band, value, article_id) VALUES (0, 42, 1)")
            )
            for entity, weight in (("KR", 0.9), ("JP", 0.5), ("US", 0.2), ("topic:x", 0.4)):
                conn.execute(
                    sa.text(
                        "INSERT INTO article_mentions (article_id, entity, weight) "
                        "VALUES (1, :e, :w)"
                    ),
                    {"e": entity, "w": weight},
                )
    with Store.open(database_url) as store:  # migrated on open
        [article] = store.articles()
        assert [(s.feed_id, s.guid, s.url) for s in article.sources] == [
            (7, "g-1", "https://o.example/1")
        ]
        assert store.known_article(feed_id=7, guid="g-1") == 1
        assert article.mentions["KR"] == pytest.approx(0.9)
        assert article.mentions["pair:JP-KR"] == pytest.approx(0.45)
        assert not any(e.startswith("pair:") and "US" in e for e in article.mentions)
        assert article.story_id is None  # grouped later, a batch at a time
        [feed] = store.feeds()
        assert (feed.id, feed.source_type, feed.articles) == (7, "feed", 1)
        with store.session(write=False) as session:
            dates = set(session.scalars(sa.select(ArticleMention.dated_at)))
            bands = session.scalar(sa.select(sa.func.count()).select_from(MinhashBand))
        assert dates == {published}
        assert bands == 1


def test_the_schema_revision_the_store_checks_first_is_alembics_head() -> None:
    """``Store.open`` takes a store at ``SCHEMA_REVISION`` as current without loading
    Alembic: it must be the newest migration, or a store one behind would never migrate."""
    from alembic.script import ScriptDirectory

    from bot.store.store import MIGRATIONS, SCHEMA_REVISION

    assert ScriptDirectory(str(MIGRATIONS)).get_current_head() == SCHEMA_REVISION


def test_opening_a_current_store_does_not_load_alembic(tmp_path: Path) -> None:
    """Alembic is half a second of imports that every command paid, migrating or not."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'current.sqlite3'}"
    Store.open(url).close()  # created and migrated here
    script = (
        "import sys\n"
        "from bot.store import Store\n"
        f"Store.open({url!r}).close()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'alembic', 'numpy'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
