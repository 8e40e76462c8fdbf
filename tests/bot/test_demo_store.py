"""The shipped demo store (bot/data/demo-store.sql) is what the pipeline makes of the bundled
corpus now (`brief --demo` briefs from it: tests/bot/test_startup_imports.py)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import demo


@pytest.mark.slow
def test_the_shipped_demo_store_is_what_the_pipeline_makes_now(tmp_path: Path) -> None:
    """Rebuilt by the real ingestion (extraction, summary, tagging, stories) on a freshly
    migrated store: the same schema and rows as the shipped dump, but for the times the
    clock wrote.  When this fails, `python -m bot.demo` rewrites the dump."""
    since = datetime.now(UTC)
    demo.build(tmp_path / "demo.sqlite3")
    until = datetime.now(UTC)
    built = demo.dump(tmp_path / "demo.sqlite3")
    assert demo.differences(demo.shipped_dump(), built, since, until) == []


def test_a_changed_bullet_or_schema_is_a_difference(tmp_path: Path) -> None:
    shipped = demo.shipped_dump()
    since = until = datetime.now(UTC)
    assert demo.differences(shipped, shipped, since, until) == []
    with closing(sqlite3.connect(tmp_path / "d.sqlite3")) as conn:
        conn.executescript(shipped)
        conn.execute("UPDATE articles SET bullets = '[\"Something else.\"]'")
        conn.execute("ALTER TABLE feeds ADD COLUMN extra INTEGER")
        conn.commit()
    found = demo.differences(shipped, demo.dump(tmp_path / "d.sqlite3"), since, until)
    assert found == [
        "the schema differs",
        "table articles: 1 row(s) shipped, 1 built, differ",
    ]


def test_only_what_the_clock_wrote_during_the_build_is_not_compared(tmp_path: Path) -> None:
    shipped = demo.shipped_dump()
    with closing(sqlite3.connect(tmp_path / "d.sqlite3")) as conn:
        conn.executescript(shipped)
        conn.execute("UPDATE articles SET ingested_at = '2031-01-02 03:04:05.000000'")
        conn.commit()
    rebuilt = demo.dump(tmp_path / "d.sqlite3")
    during = datetime(2031, 1, 2, tzinfo=UTC), datetime(2031, 1, 3, tzinfo=UTC)
    assert demo.differences(shipped, rebuilt, *during) == []
    before = datetime(2030, 1, 1, tzinfo=UTC), datetime(2030, 1, 2, tzinfo=UTC)
    assert demo.differences(shipped, rebuilt, *before) == [
        "table articles: 1 row(s) shipped, 1 built, differ"
    ]
