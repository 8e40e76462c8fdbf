"""The demo store: what ``briefbot brief --demo`` briefs from.

The bundled corpus (``bot/data/demo``) ingested by the real pipeline into a fresh SQLite store
(every migration, extraction, summary, topic tagging and story grouping) comes out the same
every time, and doing it on every ``--demo`` took seconds: Alembic, sumy, numpy, the
summarizer itself.  So it is done once, by ``build``, and shipped as an SQL dump of that store
(``bot/data/demo-store.sql``); ``open_demo_store`` loads the dump into a throwaway SQLite file
and opens it as any store (already at the newest schema: no migration runs).  The briefing
itself is made from it by the same ``BriefingService`` as any other.

``tests/bot/test_demo_store.py`` builds the store again and checks the shipped dump holds
exactly what the code makes now (the schema and every row; only the times the clock wrote
during the build may differ).  After a change to the pipeline, the schema or the corpus::

    python -m bot.demo        # rewrites bot/data/demo-store.sql when its content changed
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.store import Store

log = logging.getLogger(__name__)

DUMP_NAME = "demo-store.sql"
DUMP_PATH = Path(__file__).resolve().parent / "data" / DUMP_NAME  # where `python -m` writes

Rows = dict[str, list[tuple[Any, ...]]]


def build(path: Path) -> None:
    """The demo store at ``path`` (a new SQLite file), made by the real pipeline."""
    from bot import messages
    from bot.errors import SourceError
    from bot.ingest import Ingestor
    from bot.settings import Settings
    from bot.store import Store
    from bot.topics import TopicRegistry

    store = Store.open(f"sqlite:///{path}")
    try:
        ingestor = Ingestor(store, Settings(), TopicRegistry.default().tag)
        report = ingestor.ingest_demo()
    finally:
        store.close()
    if report.added == 0:
        reasons = "; ".join(i.reason or i.status for i in report.items) or "no documents"
        raise SourceError(messages.DEMO_EMPTY.format(reasons=reasons))


def dump(path: Path) -> str:
    """The SQLite database at ``path`` as SQL text (schema and rows)."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return "\n".join(conn.iterdump()) + "\n"


def shipped_dump() -> str:
    return resources.files("bot").joinpath("data", DUMP_NAME).read_text(encoding="utf-8")


@contextmanager
def open_demo_store(folder: Path) -> Iterator[Store]:
    """The shipped demo store, loaded into a new SQLite file in ``folder`` and opened."""
    from bot.store import Store

    path = folder / "demo.sqlite3"
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(shipped_dump())
    store = Store.open(f"sqlite:///{path}")
    try:
        log.info("demo store: %d article(s) from the bundled sample", store.count_articles())
        yield store
    finally:
        store.close()


def contents(sql: str) -> tuple[list[str], Rows]:
    """What an SQL dump holds: its schema statements and every table's rows, sorted."""
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.executescript(sql)
        schema = sorted(
            row[0]
            for row in conn.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
            )
        )
        tables = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        rows: Rows = {}
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')  # names from sqlite_master
            names = [d[0] for d in cursor.description]
            rows[table] = sorted(
                (tuple(zip(names, row, strict=True)) for row in cursor),
                key=repr,
            )
    return schema, rows


def _clock_value(value: Any, since: datetime, until: datetime) -> bool:
    """A timestamp the clock wrote between ``since`` and ``until`` (as stored by SQLite)."""
    if not isinstance(value, str) or len(value) < 19:
        return False
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return False
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return since <= moment <= until


def differences(shipped: str, built: str, since: datetime, until: datetime) -> list[str]:
    """How the ``shipped`` dump differs from one ``built`` between ``since`` and ``until``:
    the times the clock wrote during that build (ingested, seen, grouped at) are not
    compared; everything else is."""
    shipped_schema, shipped_rows = contents(shipped)
    built_schema, built_rows = contents(built)
    found = []
    if shipped_schema != built_schema:
        found.append("the schema differs")
    for table in sorted(set(shipped_rows) | set(built_rows)):
        old, new = shipped_rows.get(table, []), built_rows.get(table, [])
        clock = {name for row in new for name, value in row if _clock_value(value, since, until)}

        def masked(rows: list[tuple[Any, ...]], clock: set[str] = clock) -> list[Any]:
            return sorted(
                (tuple((n, "<clock>" if n in clock else v) for n, v in row) for row in rows),
                key=repr,
            )

        if masked(old) != masked(new):
            found.append(f"table {table}: {len(old)} row(s) shipped, {len(new)} built, differ")
    return found


def main() -> None:
    """Build the demo store and rewrite the shipped dump if what it holds changed."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="briefbot-demo-build-") as tmp:
        since = datetime.now(UTC)
        build(Path(tmp) / "demo.sqlite3")
        until = datetime.now(UTC)
        built = dump(Path(tmp) / "demo.sqlite3")
    current = DUMP_PATH.read_text(encoding="utf-8") if DUMP_PATH.exists() else ""
    changed = differences(current, built, since, until) if current else ["new"]
    if not changed:
        print(f"{DUMP_PATH}: up to date")
        return
    DUMP_PATH.write_text(built, encoding="utf-8")
    print(f"{DUMP_PATH}: rewritten ({'; '.join(changed)})")


if __name__ == "__main__":
    main()
