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
from hypothesis import settings

from tests.support.postgres import scratch_schema

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"
POSTGRES_URL = os.environ.get("BRIEFBOT_TEST_POSTGRES_URL")

# ``local_web``: a real HTTP server on 127.0.0.1 serving feeds and pages (tests/support/web.py).
pytest_plugins = ["tests.support.web"]

# Property tests: the suite (and CI) runs the same examples every time, so a run is a verdict
# on the code, not on the draw (a random draw once failed CI on a bug found by chance, which
# then blocked everything else).  `HYPOTHESIS_PROFILE=explore pytest` draws anew, with more
# examples, to look for such bugs; put what it finds into a deterministic test.
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=500, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


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
