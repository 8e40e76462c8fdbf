"""The store: SQLAlchemy 2 on SQLite (default) or PostgreSQL, the same code for both.

    store = Store.open(settings.resolved_database_url)   # creates / migrates the schema
    result = store.add_article(NewArticle(...))           # dedup + store, one transaction
    with store.session() as session:                      # commit on success, rollback on error
        ...

Tables are described in ``bot.store.schema``; Alembic migrations live in
``bot/store/migrations`` and run automatically when a store is opened.
"""

from __future__ import annotations

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
from bot.store.store import Store

__all__ = [
    "AddResult",
    "BacklogEntry",
    "FeedState",
    "NewArticle",
    "NewEntry",
    "Store",
    "StoredArticle",
    "StoredSource",
    "UserFeedAdded",
]
