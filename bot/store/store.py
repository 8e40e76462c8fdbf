"""``Store``: engine, sessions, schema migration on open, articles with dedup, feed health.

Thread- and process-safety:

* SQLite: ``check_same_thread=False`` (the chat adapters call the core from worker threads),
  WAL journal (readers never block the writer), a 30 s busy timeout, and pysqlite's implicit
  transactions replaced by explicit ones: write sessions start with ``BEGIN IMMEDIATE`` so a
  read-then-write transaction takes the write lock up front instead of failing with
  "database is locked" when another process wrote in between.
* PostgreSQL: ``pool_pre_ping`` (replicas survive a server restart); the schema upgrade runs
  under a transaction-scoped advisory lock, so replicas starting together migrate once.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    case,
    create_engine,
    delete,
    event,
    func,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, selectinload, sessionmaker
from sqlalchemy.pool import StaticPool

from bot.errors import StoreError
from bot.store.models import (
    AddResult,
    BacklogEntry,
    FeedState,
    NewArticle,
    NewEntry,
    StoredArticle,
    StoredSource,
    UserFeedAdded,
)
from bot.store.schema import (
    Article,
    ArticleMention,
    ArticleSource,
    Feed,
    MinhashBand,
    PendingEntry,
    utcnow,
)
from bot.store.urls import normalize_url
from bot.topics.tagging import with_pairs

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest revision in ``migrations/versions``: a store already at it opens without loading
# Alembic (half a second of imports, for every command).  A test keeps it equal to Alembic's
# head; a store at any other revision goes through Alembic as before.
SCHEMA_REVISION = "0006"
_MIGRATION_LOCK = 0x6272_6966_6562_6F74 & 0x7FFF_FFFF_FFFF_FFFF  # "briefbot"
_WRITE = "briefbot_write"
_LOCKED_RETRIES = 20  # about ten seconds of waiting in all
_IN_CHUNK = 500  # values per IN (...) list: well under every driver's parameter limit


def _chunks(values: list[Any], size: int = _IN_CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _fit(value: str | None, limit: int) -> str | None:
    """Trim a free-text field to its column (PostgreSQL enforces VARCHAR lengths)."""
    if value is None:
        return None
    value = value.strip()
    return value[:limit] if value else None


def _lock_key(text: str) -> int:
    """A signed 64-bit advisory-lock key for ``text``."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], signed=True)


def _sqlite_setup(engine: Engine, *, memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below own transactions (pysqlite's own are wrong
        # for DDL and SAVEPOINT, and cannot take the write lock early).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not memory:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _create_engine(url: str) -> tuple[Engine, str]:
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy.exc.ArgumentError and friends
        raise StoreError(f"The database URL is not valid: {exc}") from exc
    safe = parsed.render_as_string(hide_password=True)
    backend = parsed.get_backend_name()
    try:
        if backend == "sqlite":
            database = parsed.database or ""
            memory = database in ("", ":memory:") or parsed.query.get("mode") == "memory"
            if not memory and not database.startswith("file:"):
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(
                parsed,
                connect_args={"check_same_thread": False, "timeout": 30},
                poolclass=StaticPool if memory else None,
            )
            _sqlite_setup(engine, memory=memory)
        else:
            engine = create_engine(parsed, pool_pre_ping=True)
    except StoreError:
        raise
    except OSError as exc:
        raise StoreError(f"Cannot create the database directory for {safe}: {exc}") from exc
    except Exception as exc:  # missing driver, bad options
        raise StoreError(f"Cannot use the database {safe}: {exc}") from exc
    return engine, safe


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


class Store:
    """The database.  Build one per process with ``Store.open`` and pass it down."""

    def __init__(self, engine: Engine, *, safe_url: str) -> None:
        self.engine = engine
        self.safe_url = safe_url
        self._write_engine = engine.execution_options(**{_WRITE: True})
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(engine, expire_on_commit=False)

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def open(cls, url: str) -> Store:
        """Open (and create or migrate to the newest schema) the database at ``url``."""
        engine, safe = _create_engine(url)
        store = cls(engine, safe_url=safe)
        try:
            for attempt in range(_LOCKED_RETRIES + 1):
                try:
                    store._migrate()
                    break
                except OperationalError as exc:
                    # SQLite: a few lock paths do not wait for the busy timeout (switching a
                    # fresh file to WAL while another process migrates it): look again.
                    if "locked" not in str(exc) or attempt == _LOCKED_RETRIES:
                        raise
                    time.sleep(0.05 * (attempt + 1))
        except StoreError:
            engine.dispose()
            raise
        except (OperationalError, InterfaceError) as exc:
            engine.dispose()
            raise StoreError(f"Cannot open the database {safe}: {_first_line(exc)}") from exc
        return store

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _alembic_config(self, connection: Connection) -> Config:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        return config

    def _at_newest_revision(self) -> bool:
        """The schema is at ``SCHEMA_REVISION`` (read as Alembic does, without Alembic)."""
        with self.engine.connect() as conn:
            try:
                if not inspect(conn).has_table("alembic_version"):
                    return False
                revisions = conn.exec_driver_sql("SELECT version_num FROM alembic_version")
                return revisions.scalars().all() == [SCHEMA_REVISION]
            finally:
                conn.rollback()

    def _migrate(self) -> None:
        if self._at_newest_revision():
            return
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        script = ScriptDirectory(str(MIGRATIONS))
        head = script.get_current_head()
        with self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            conn.rollback()
        if current == head:
            return
        if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
            raise StoreError(
                f"The database {self.safe_url} has schema revision {current}, newer than this "
                "briefbot knows; upgrade briefbot."
            )
        with self._write_engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                # SQLite alters a table by copying it and dropping the old one; with foreign
                # keys on, the drop cascades into every table that refers to it (an upgrade
                # that adds a column to `articles` would empty their sources and mentions).
                # The switch only works outside a transaction; the keys are checked before
                # the migration commits.
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
            try:
                with conn.begin():
                    if not sqlite:
                        # Replicas starting together: one migrates, the others wait.
                        conn.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
                    log.info("migrating the database schema %s -> %s", current or "(empty)", head)
                    command.upgrade(self._alembic_config(conn), "head")
                    if sqlite and (
                        broken := conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    ):
                        raise StoreError(
                            f"Migrating {self.safe_url} would break {len(broken)} reference(s) "
                            f"(first: {tuple(broken[0])}); nothing was changed."
                        )
            finally:
                if sqlite:
                    conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]

    # ------------------------------------------------------------------ sessions

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error.

        ``write=False`` is for read-only work: on SQLite it does not take the write lock.
        A database that went away raises ``StoreError``.
        """
        factory = self._write_sessions if write else self._read_sessions
        try:
            with factory() as session:
                try:
                    yield session
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
        except (OperationalError, InterfaceError) as exc:
            log.warning("database error on %s: %s", self.safe_url, _first_line(exc))
            raise StoreError(f"The database is unavailable: {_first_line(exc)}") from exc

    # ------------------------------------------------------------------ articles

    def add_article(self, new: NewArticle) -> AddResult:
        """Store ``new`` unless it is already known; see ``AddResult`` for the outcomes."""
        url = _fit(new.url, 2048)
        url_norm = normalize_url(url) if url else None
        if url_norm is not None and len(url_norm) > 2048:
            url_norm = None
        guid = _fit(new.guid, 2048)
        from bot.store import fingerprint  # numpy: only when writing

        digest = fingerprint.content_hash(new.text)
        shingles = fingerprint.shingles(new.text)
        bands = fingerprint.minhash_bands(shingles)
        for attempt in (1, 2):
            try:
                with self.session() as session:
                    if session.get_bind().dialect.name == "postgresql":
                        # Serialize writers of the same text across processes.
                        session.execute(select(func.pg_advisory_xact_lock(_lock_key(digest))))
                    return self._add(session, new, url, url_norm, guid, digest, shingles, bands)
            except IntegrityError as exc:
                # A concurrent writer stored the same URL first: look again, it is a duplicate.
                if attempt == 2:
                    raise StoreError(f"Could not store '{new.title}': {_first_line(exc)}") from exc
                log.debug("retrying add_article after a concurrent insert", exc_info=True)
        raise AssertionError("unreachable")

    def _add(
        self,
        session: Session,
        new: NewArticle,
        url: str | None,
        url_norm: str | None,
        guid: str | None,
        digest: str,
        shingles: frozenset[str],
        bands: list[int],
    ) -> AddResult:
        known = self._find_source(session, new.feed_id, guid, url_norm)
        if known is not None:
            return AddResult(known, "duplicate")
        outlet = _fit(new.outlet, 200) or "unknown"
        same_story = self._find_same_content(session, digest, shingles, bands)
        if same_story is not None:
            same_outlet = session.scalar(
                select(func.count())
                .select_from(ArticleSource)
                .where(
                    ArticleSource.article_id == same_story,
                    func.lower(ArticleSource.outlet) == outlet.lower(),
                )
            )
            if same_outlet:
                if url_norm is not None or guid is not None:
                    # The outlet republished it under a new address: remember that address
                    # so the next poll recognises it without comparing texts.
                    session.add(self._source(same_story, new, outlet, url, url_norm, guid))
                return AddResult(same_story, "duplicate")
            session.add(self._source(same_story, new, outlet, url, url_norm, guid))
            log.info("syndicated copy of article %d from %s", same_story, outlet)
            return AddResult(same_story, "syndicated")

        now = utcnow()
        article = Article(
            title=new.title.strip()[:2000] or "(untitled)",
            url=url,
            outlet=outlet,
            author=_fit(new.author, 300),
            kind=_fit(new.kind, 20) or "news",
            language=_fit(new.language, 16) or "en",
            published_at=new.published_at,
            ingested_at=now,
            dated_at=new.published_at or now,
            text=new.text,
            bullets=list(new.bullets),
            content_hash=digest,
        )
        article.sources.append(self._source(None, new, outlet, url, url_norm, guid))
        article.mentions.extend(
            ArticleMention(entity=entity[:64], weight=float(weight), dated_at=article.dated_at)
            for entity, weight in with_pairs(dict(new.mentions)).items()
        )
        session.add(article)
        session.flush()
        session.add_all(
            MinhashBand(band=i, value=value, article_id=article.id) for i, value in enumerate(bands)
        )
        return AddResult(article.id, "added")

    @staticmethod
    def _source(
        article_id: int | None,
        new: NewArticle,
        outlet: str,
        url: str | None,
        url_norm: str | None,
        guid: str | None,
    ) -> ArticleSource:
        source = ArticleSource(
            feed_id=new.feed_id,
            outlet=outlet,
            url=url,
            url_norm=url_norm,
            guid=guid,
            country=_fit(new.country, 2),
        )
        if article_id is not None:
            source.article_id = article_id
        return source

    @staticmethod
    def _find_source(
        session: Session, feed_id: int | None, guid: str | None, url_norm: str | None
    ) -> int | None:
        if guid is not None:
            feed_match = (
                ArticleSource.feed_id.is_(None)
                if feed_id is None
                else ArticleSource.feed_id == feed_id
            )
            found = session.scalar(
                select(ArticleSource.article_id)
                .where(feed_match, ArticleSource.guid == guid)
                .limit(1)
            )
            if found is not None:
                return found
        if url_norm is not None:
            return session.scalar(
                select(ArticleSource.article_id).where(ArticleSource.url_norm == url_norm).limit(1)
            )
        return None

    @staticmethod
    def _find_same_content(
        session: Session, digest: str, shingles: frozenset[str], bands: list[int]
    ) -> int | None:
        exact = session.scalar(
            select(Article.id).where(Article.content_hash == digest).order_by(Article.id).limit(1)
        )
        if exact is not None or not bands:
            return exact
        from bot.store import fingerprint

        candidates = select(MinhashBand.article_id).where(
            or_(*(and_(MinhashBand.band == i, MinhashBand.value == v) for i, v in enumerate(bands)))
        )
        best: tuple[float, int] | None = None
        for article_id, text in session.execute(
            select(Article.id, Article.text).where(Article.id.in_(candidates))
        ):
            similarity = fingerprint.jaccard(shingles, fingerprint.shingles(text))
            if similarity >= fingerprint.NEAR_JACCARD and (best is None or similarity > best[0]):
                best = (similarity, article_id)
        return best[1] if best else None

    def known_article(
        self, *, feed_id: int | None = None, guid: str | None = None, url: str | None = None
    ) -> int | None:
        """The id of an article already stored under this GUID (in this feed) or URL.

        Ingestion asks before fetching an entry's page, so a re-poll costs no page fetches.
        """
        url_norm = normalize_url(url) if url else None
        with self.session(write=False) as session:
            return self._find_source(session, feed_id, _fit(guid, 2048), url_norm)

    def get_article(self, article_id: int) -> StoredArticle | None:
        with self.session(write=False) as session:
            row = session.scalar(
                select(Article)
                .where(Article.id == article_id)
                .options(selectinload(Article.sources), selectinload(Article.mentions))
            )
            return _stored(row) if row is not None else None

    def articles(self) -> list[StoredArticle]:
        """Every stored article, oldest first (tests, exports; not for hot paths)."""
        with self.session(write=False) as session:
            rows = session.scalars(
                select(Article)
                .order_by(Article.id)
                .options(selectinload(Article.sources), selectinload(Article.mentions))
            )
            return [_stored(row) for row in rows]

    def count_articles(self) -> int:
        with self.session(write=False) as session:
            return session.scalar(select(func.count()).select_from(Article)) or 0

    # ------------------------------------------------------------------ feeds

    def upsert_feed(
        self,
        url: str,
        *,
        name: str | None = None,
        outlet: str | None = None,
        kind: str = "news",
        language: str = "en",
        trusted: bool = True,
        country: str | None = None,
        source_type: str = "feed",
        match: str | None = None,
    ) -> FeedState:
        """Insert the feed or refresh its description; its health is left as it was."""
        url = url.strip()
        for attempt in (1, 2):
            try:
                with self.session() as session:
                    feed = session.scalar(select(Feed).where(Feed.url == url))
                    if feed is None:
                        feed = Feed(url=url, consecutive_failures=0)
                        session.add(feed)
                    feed.name = _fit(name, 200)
                    feed.outlet = _fit(outlet, 200)
                    feed.kind = _fit(kind, 20) or "news"
                    feed.language = _fit(language, 16) or "en"
                    feed.trusted = trusted
                    feed.country = _fit(country, 2)
                    feed.source_type = source_type
                    feed.match = _fit(match, 300)
                    session.flush()
                    return _feed_state(feed)
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def feed(self, url: str) -> FeedState | None:
        with self.session(write=False) as session:
            feed = session.scalar(select(Feed).where(Feed.url == url.strip()))
            return _feed_state(feed, self._count(session, feed.id)) if feed else None

    def feeds(self) -> list[FeedState]:
        """Every feed with its health and article count, in the order they were added."""
        with self.session(write=False) as session:
            rows = session.execute(
                select(ArticleSource.feed_id, func.count(func.distinct(ArticleSource.article_id)))
                .where(ArticleSource.feed_id.is_not(None))
                .group_by(ArticleSource.feed_id)
            )
            counts = {feed_id: n for feed_id, n in rows if feed_id is not None}
            backlog: dict[tuple[int, str], int] = {
                (feed_id, status): n
                for feed_id, status, n in session.execute(
                    select(PendingEntry.feed_id, PendingEntry.status, func.count()).group_by(
                        PendingEntry.feed_id, PendingEntry.status
                    )
                )
            }
            return [
                _feed_state(
                    feed,
                    counts.get(feed.id, 0),
                    pending=backlog.get((feed.id, "pending"), 0),
                    failed_entries=backlog.get((feed.id, "failed"), 0),
                )
                for feed in session.scalars(select(Feed).order_by(Feed.id))
            ]

    def due_feeds(self, now: datetime | None = None) -> list[FeedState]:
        """Enabled feeds whose next attempt is due (never tried ones included)."""
        now = now or utcnow()
        with self.session(write=False) as session:
            rows = session.scalars(
                select(Feed)
                .where(
                    Feed.disabled_reason.is_(None),
                    or_(Feed.next_attempt_at.is_(None), Feed.next_attempt_at <= now),
                )
                .order_by(Feed.id)
            )
            return [_feed_state(feed) for feed in rows]

    @staticmethod
    def _count(session: Session, feed_id: int) -> int:
        return (
            session.scalar(
                select(func.count(func.distinct(ArticleSource.article_id))).where(
                    ArticleSource.feed_id == feed_id
                )
            )
            or 0
        )

    def record_feed_success(
        self,
        feed_id: int,
        *,
        etag: str | None,
        last_modified: str | None,
        next_attempt_at: datetime | None,
        at: datetime | None = None,
    ) -> None:
        """A fetch worked (200 or 304): failures reset, validators kept for the next GET."""
        at = at or utcnow()
        with self.session() as session:
            session.execute(
                update(Feed)
                .where(Feed.id == feed_id)
                .values(
                    etag=_fit(etag, 512),
                    last_modified=_fit(last_modified, 128),
                    last_attempt_at=at,
                    last_success_at=at,
                    consecutive_failures=0,
                    next_attempt_at=next_attempt_at,
                    last_error=None,
                    disabled_reason=None,
                )
            )

    def record_feed_failure(
        self,
        feed_id: int,
        error: str,
        *,
        base_delay: timedelta,
        max_delay: timedelta = timedelta(days=1),
        disable_after: int = 10,
        at: datetime | None = None,
    ) -> FeedState:
        """A fetch failed: count it, back off exponentially, disable after ``disable_after``.

        The n-th consecutive failure waits ``base_delay * 2**(n-1)`` (capped at ``max_delay``)
        before the next attempt.
        """
        at = at or utcnow()
        with self.session() as session:
            feed = session.get(Feed, feed_id)
            if feed is None:
                raise StoreError(f"No feed with id {feed_id}.")
            failures = (feed.consecutive_failures or 0) + 1
            delay = min(base_delay * (2 ** min(failures - 1, 20)), max_delay)
            feed.consecutive_failures = failures
            feed.last_attempt_at = at
            feed.last_error = error[:2000]
            feed.next_attempt_at = at + delay
            if failures >= disable_after and feed.disabled_reason is None:
                feed.disabled_reason = f"disabled after {failures} failures in a row: {error}"[
                    :2000
                ]
                log.warning("feed %s disabled: %s", feed.url, feed.disabled_reason)
            session.flush()
            return _feed_state(feed)

    def claim_feed(self, feed_id: int, *, now: datetime, lease: timedelta) -> bool:
        """Take a due feed for one poll (pushes its next attempt ``lease`` ahead).

        Several replicas polling one database each claim a feed before fetching it; only
        one wins.  If the winner dies mid-poll, the feed is due again when the lease ends.
        """
        with self.session() as session:
            result = session.execute(
                update(Feed)
                .where(
                    Feed.id == feed_id,
                    Feed.disabled_reason.is_(None),
                    or_(Feed.next_attempt_at.is_(None), Feed.next_attempt_at <= now),
                )
                .values(next_attempt_at=now + lease)
            )
            return bool(getattr(result, "rowcount", 0))

    def retire_feeds(self, *, keep: set[str], reason: str) -> int:
        """Disable the operator's (trusted) feeds whose URL is not in ``keep``."""
        with self.session() as session:
            result = session.execute(
                update(Feed)
                .where(
                    Feed.trusted.is_(True),
                    Feed.disabled_reason.is_(None),
                    Feed.url.not_in(keep) if keep else Feed.url.is_not(None),
                )
                .values(disabled_reason=reason)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    # ------------------------------------------------------------------ a source's backlog

    def enqueue_new_entries(self, feed_id: int, entries: list[NewEntry]) -> int:
        """Put the entries of a source that are new into its backlog; returns how many.

        An entry is *known* when an article is stored under its GUID (in this source) or its
        URL, or when it already waits in (or failed out of) the backlog: known entries are
        never queued again, so they never count against what one poll takes.  Entries keep
        the order the source listed them in.
        """
        if not entries:
            return 0
        for attempt in (1, 2):
            try:
                with self.session() as session:
                    fresh = self._unknown(session, feed_id, entries)
                    now = utcnow()
                    session.add_all(
                        PendingEntry(
                            feed_id=feed_id,
                            entry_key=entry.key,
                            entry=dict(entry.entry),
                            position=position,
                            status="pending",
                            attempts=0,
                            first_seen_at=now,
                        )
                        for position, entry in fresh
                    )
                    return len(fresh)
            except IntegrityError:  # another process queued some of them just now
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    @staticmethod
    def _unknown(
        session: Session, feed_id: int, entries: list[NewEntry]
    ) -> list[tuple[int, NewEntry]]:
        keys = list(dict.fromkeys(e.key for e in entries))
        guids = list({e.guid for e in entries if e.guid})
        norms = {e.url: normalize_url(e.url) for e in entries if e.url}
        queued: set[str] = set()
        stored_guids: set[str] = set()
        stored_urls: set[str] = set()
        for chunk in _chunks(keys):
            queued.update(
                session.scalars(
                    select(PendingEntry.entry_key).where(
                        PendingEntry.feed_id == feed_id, PendingEntry.entry_key.in_(chunk)
                    )
                )
            )
        for chunk in _chunks(guids):
            stored_guids.update(
                guid
                for guid in session.scalars(
                    select(ArticleSource.guid).where(
                        ArticleSource.feed_id == feed_id, ArticleSource.guid.in_(chunk)
                    )
                )
                if guid is not None
            )
        for chunk in _chunks(list({n for n in norms.values() if n})):
            stored_urls.update(
                url
                for url in session.scalars(
                    select(ArticleSource.url_norm).where(ArticleSource.url_norm.in_(chunk))
                )
                if url is not None
            )
        fresh: list[tuple[int, NewEntry]] = []
        for position, entry in enumerate(entries):
            if entry.key in queued or (entry.guid and entry.guid in stored_guids):
                continue
            if entry.url and norms.get(entry.url) in stored_urls:
                continue
            queued.add(entry.key)  # a source listing one entry twice queues it once
            fresh.append((position, entry))
        return fresh

    def due_entries(
        self, feed_id: int, *, now: datetime | None = None, limit: int | None = None
    ) -> list[BacklogEntry]:
        """The backlog entries of a source that are due, in the order the source listed them
        (entries waiting for a retry after the ones never tried)."""
        now = now or utcnow()
        query = (
            select(PendingEntry)
            .where(
                PendingEntry.feed_id == feed_id,
                PendingEntry.status == "pending",
                or_(PendingEntry.next_attempt_at.is_(None), PendingEntry.next_attempt_at <= now),
            )
            .order_by(PendingEntry.attempts, PendingEntry.position, PendingEntry.id)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.session(write=False) as session:
            return [
                BacklogEntry(
                    id=row.id,
                    feed_id=row.feed_id,
                    key=row.entry_key,
                    entry=row.entry,
                    attempts=row.attempts,
                )
                for row in session.scalars(query)
            ]

    def backlog_counts(self, feed_id: int, *, now: datetime | None = None) -> tuple[int, int]:
        """(entries due now, entries waiting for a later retry) in a source's backlog."""
        now = now or utcnow()
        due = or_(PendingEntry.next_attempt_at.is_(None), PendingEntry.next_attempt_at <= now)
        with self.session(write=False) as session:
            total, ready = session.execute(
                select(func.count(), func.coalesce(func.sum(case((due, 1), else_=0)), 0)).where(
                    PendingEntry.feed_id == feed_id, PendingEntry.status == "pending"
                )
            ).one()
        return int(ready), int(total) - int(ready)

    def entry_done(self, entry_id: int) -> None:
        """The entry is stored (or known): it leaves the backlog."""
        with self.session() as session:
            session.execute(delete(PendingEntry).where(PendingEntry.id == entry_id))

    def entry_retry(self, entry_id: int, error: str, *, next_attempt_at: datetime) -> None:
        """The entry failed for now: try it again at ``next_attempt_at``."""
        with self.session() as session:
            session.execute(
                update(PendingEntry)
                .where(PendingEntry.id == entry_id)
                .values(
                    attempts=PendingEntry.attempts + 1,
                    next_attempt_at=next_attempt_at,
                    last_error=error[:2000],
                )
            )

    def entry_failed(self, entry_id: int, error: str) -> None:
        """The entry ran out of attempts: it stays, as failed, so it is never new again."""
        with self.session() as session:
            session.execute(
                update(PendingEntry)
                .where(PendingEntry.id == entry_id)
                .values(
                    attempts=PendingEntry.attempts + 1,
                    status="failed",
                    next_attempt_at=None,
                    last_error=error[:2000],
                )
            )

    # ------------------------------------------------------------------ user-added feeds

    def add_user_feed(
        self,
        url: str,
        *,
        platform: str,
        workspace: str,
        limit: int,
        name: str | None = None,
        outlet: str | None = None,
        kind: str = "news",
        language: str = "en",
    ) -> UserFeedAdded:
        """Add an untrusted feed owned by a chat workspace, unless the URL is already a feed
        or the workspace has ``limit`` feeds.  The check and the insert are one transaction
        (SQLite: the write lock; PostgreSQL: an advisory lock on the workspace)."""
        url = url.strip()
        try:
            with self.session() as session:
                if self.dialect == "postgresql":
                    key = _lock_key(f"user-feeds:{platform}:{workspace}")
                    session.execute(select(func.pg_advisory_xact_lock(key)))
                known = session.scalar(select(Feed).where(Feed.url == url))
                if known is not None:
                    return UserFeedAdded("known", _feed_state(known))
                owned = session.scalar(
                    select(func.count())
                    .select_from(Feed)
                    .where(Feed.owner_platform == platform, Feed.owner_workspace == workspace)
                )
                if (owned or 0) >= limit:
                    return UserFeedAdded("full", None)
                feed = Feed(
                    url=url,
                    name=_fit(name, 200),
                    outlet=_fit(outlet, 200),
                    kind=_fit(kind, 20) or "news",
                    language=_fit(language, 16) or "en",
                    trusted=False,
                    owner_platform=platform,
                    owner_workspace=_fit(workspace, 64),
                    consecutive_failures=0,
                )
                session.add(feed)
                session.flush()
                return UserFeedAdded("added", _feed_state(feed))
        except IntegrityError:  # another replica added the same URL just now
            existing = self.feed(url)
            if existing is None:
                raise
            return UserFeedAdded("known", existing)

    def user_feeds(self, platform: str, workspace: str) -> list[FeedState]:
        """The feeds a workspace added, oldest first, with their health and article counts."""
        with self.session(write=False) as session:
            feeds = list(
                session.scalars(
                    select(Feed)
                    .where(Feed.owner_platform == platform, Feed.owner_workspace == workspace)
                    .order_by(Feed.id)
                )
            )
            return [_feed_state(feed, self._count(session, feed.id)) for feed in feeds]

    def delete_user_feed(self, feed_id: int, *, platform: str, workspace: str) -> bool:
        """Delete a feed this workspace added (its articles stay, unattributed to a feed)."""
        with self.session() as session:
            result = session.execute(
                delete(Feed).where(
                    Feed.id == feed_id,
                    Feed.trusted.is_(False),
                    Feed.owner_platform == platform,
                    Feed.owner_workspace == workspace,
                )
            )
            return bool(getattr(result, "rowcount", 0))

    def enable_feed(self, url: str) -> bool:
        """Clear a feed's disabled state and backoff (the operator asked for it by name)."""
        with self.session() as session:
            result = session.execute(
                update(Feed)
                .where(Feed.url == url.strip())
                .values(disabled_reason=None, next_attempt_at=None)
            )
            return bool(getattr(result, "rowcount", 0))


def _feed_state(
    feed: Feed, articles: int = 0, *, pending: int = 0, failed_entries: int = 0
) -> FeedState:
    return FeedState(
        id=feed.id,
        url=feed.url,
        name=feed.name,
        outlet=feed.outlet,
        kind=feed.kind,
        language=feed.language,
        trusted=bool(feed.trusted),
        etag=feed.etag,
        last_modified=feed.last_modified,
        last_attempt_at=feed.last_attempt_at,
        last_success_at=feed.last_success_at,
        consecutive_failures=feed.consecutive_failures or 0,
        next_attempt_at=feed.next_attempt_at,
        last_error=feed.last_error,
        disabled_reason=feed.disabled_reason,
        articles=articles,
        owner_platform=feed.owner_platform,
        owner_workspace=feed.owner_workspace,
        country=feed.country,
        source_type=feed.source_type or "feed",
        match=feed.match,
        pending=pending,
        failed_entries=failed_entries,
    )


def _stored(row: Article) -> StoredArticle:
    return StoredArticle(
        id=row.id,
        title=row.title,
        url=row.url,
        outlet=row.outlet,
        author=row.author,
        kind=row.kind,
        language=row.language,
        published_at=row.published_at,
        ingested_at=row.ingested_at,
        dated_at=row.dated_at,
        text=row.text,
        bullets=tuple(row.bullets),
        sources=tuple(
            StoredSource(
                outlet=s.outlet, url=s.url, guid=s.guid, feed_id=s.feed_id, seen_at=s.seen_at
            )
            for s in row.sources
        ),
        mentions={m.entity: m.weight for m in row.mentions},
        story_id=row.story_id,
    )
