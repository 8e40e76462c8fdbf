"""`/healthz`'s report as the composition root builds it (before any part is started)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from bot.app import Core, Runtime
from bot.settings import Settings


async def test_health_reports_the_store_and_its_feeds_then_an_unreachable_store(
    tmp_path: Path,
) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'b.sqlite3'}")
    core = Core.build(settings)
    try:
        runtime = Runtime(core=core)
        report = await runtime.health()
        assert report["database"] == "ok"
        assert report["feeds"]["healthy"] is True
        assert report["scheduler"] == "stopped"
        assert report["ok"] is False  # nothing is running yet

        with core.store.engine.begin() as conn:  # the store stops answering feed queries
            conn.execute(sa.text("DROP TABLE feeds"))
        report = await runtime.health()
        assert report["database"] == "unreachable"
        assert "feeds" not in report
        assert report["ok"] is False
    finally:
        core.close()
