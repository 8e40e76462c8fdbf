"""Fixtures shared by the core's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.store import Store


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A store opened on the fresh ``database_url`` (SQLite, then PostgreSQL); closed after."""
    with Store.open(database_url) as opened:
        yield opened
