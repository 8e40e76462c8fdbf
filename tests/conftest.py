"""Shared fixtures.

``database_url`` runs a test on a fresh SQLite file and on PostgreSQL (a throwaway schema in
the database named by ``BRIEFBOT_TEST_POSTGRES_URL``; skipped with a reason when it is unset).
``shared_data`` is ``../shared/data`` beside the project (skips when absent, as on a user's
fresh clone).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.postgres import scratch_schema

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"
POSTGRES_URL = os.environ.get("BRIEFBOT_TEST_POSTGRES_URL")

# ``local_web``: a real HTTP server on 127.0.0.1 serving feeds and pages (tests/support/web.py).
pytest_plugins = ["tests.support.web"]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's tokens, .env or data dir."""
    for name in list(os.environ):
        if name.startswith(("DISCORD_", "SLACK_")) or (
            name.startswith("BRIEFBOT_") and name != "BRIEFBOT_TEST_POSTGRES_URL"
        ):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # so a developer's .env is not read


@pytest.fixture
def shared_data() -> Path:
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip("../shared/data is not beside the project (a fresh clone has no shared/)")
    return data


@pytest.fixture
def seed_path() -> Path:
    return PROJECT_ROOT / "bot" / "data" / "demo" / "joongang-2025-06-19-korea-japan-summit.txt"


def _postgres_schema_url() -> Iterator[str]:
    if not POSTGRES_URL:
        pytest.skip("BRIEFBOT_TEST_POSTGRES_URL is not set (PostgreSQL tests skipped)")
    with scratch_schema(POSTGRES_URL, f"t_{uuid.uuid4().hex[:12]}") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'briefbot.sqlite3'}"
    else:
        yield from _postgres_schema_url()
