"""URL keys in courlan's normal form: re-key article sources, merge what now is one page

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

``article_sources.url_norm`` (UNIQUE) is the dedup key of a source's address
(bot.store.urls.normalize_url).  That key now percent-encodes the path one way, shows
punycode hosts in Unicode, drops a leading ``/..`` and a few more tracking parameters, so
every row is re-keyed from its ``url``.  When two rows now have one key, the older row keeps
it and the newer one keeps everything else (its address, outlet, feed, GUID) with no key:
nothing is lost, and the address finds the older row's article.  When those rows belonged to
two articles, they were one page stored twice: the newer article is merged into the older
one (its sources, the mentions the older one lacks and the channels briefed on it move; its
story loses a member) and then removed.  Term document frequencies are not recounted (one
article more in a TF-IDF weight).

Downgrade leaves the keys as they are: an older briefbot reads them as keys it does not
produce, so it may store again a page whose old key differs (the content check still catches
an identical text); merged articles stay merged.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.store.urls import normalize_url

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger(__name__)
_KEY_LIMIT = 2048  # the column's length; a longer key is not stored (bot.store.store)


def _key(url: str | None) -> str | None:
    if not url:
        return None
    key = normalize_url(url)
    return key if len(key) <= _KEY_LIMIT else None


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, article_id, url, url_norm FROM article_sources ORDER BY id")
    ).all()
    owner: dict[str, int] = {}  # new key -> the article of the first source holding it
    target: dict[int, str | None] = {}  # source id -> its new key
    parent: dict[int, int] = {}  # article -> the older article it is merged into

    def root(article: int) -> int:
        while parent.get(article, article) != article:
            article = parent[article]
        return article

    for source_id, article_id, url, _old in rows:
        key = _key(url)
        if key is not None and key in owner:
            first, this = root(owner[key]), root(article_id)
            if first != this:  # one page, stored as two articles: the older one stays
                parent[max(first, this)] = min(first, this)
            key = None  # the older source keeps the key
        elif key is not None:
            owner[key] = article_id
        target[source_id] = key
    changed = [
        (source_id, target[source_id])
        for source_id, _a, _u, old in rows
        if target[source_id] != old
    ]
    # Free every changed key first: a row may take a key another row is about to give up.
    for chunk in _chunks([source_id for source_id, _key_ in changed]):
        conn.execute(
            sa.text("UPDATE article_sources SET url_norm = NULL WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": chunk},
        )
    update = sa.text("UPDATE article_sources SET url_norm = :key WHERE id = :id")
    rekeyed = [{"key": key, "id": source_id} for source_id, key in changed if key is not None]
    if rekeyed:
        conn.execute(update, rekeyed)
    merges = sorted((article, root(article)) for article in parent)
    for duplicate, kept in merges:
        _merge(conn, duplicate, kept)
    log.info(
        "re-keyed %d article source(s), merged %d article(s) stored twice",
        len(changed),
        len(merges),
    )


def _merge(conn: sa.Connection, duplicate: int, kept: int) -> None:
    """Fold article ``duplicate`` into ``kept`` (foreign keys may be off: no cascades)."""
    params = {"dup": duplicate, "kept": kept}
    conn.execute(
        sa.text("UPDATE article_sources SET article_id = :kept WHERE article_id = :dup"), params
    )
    conn.execute(
        sa.text(
            "INSERT INTO article_mentions (article_id, entity, weight, dated_at) "
            "SELECT :kept, m.entity, m.weight, (SELECT dated_at FROM articles WHERE id = :kept) "
            "FROM article_mentions m WHERE m.article_id = :dup AND NOT EXISTS ("
            "SELECT 1 FROM article_mentions k WHERE k.article_id = :kept AND k.entity = m.entity)"
        ),
        params,
    )
    conn.execute(
        sa.text(
            "INSERT INTO briefed_articles (platform, channel_id, article_id, briefed_at) "
            "SELECT b.platform, b.channel_id, :kept, b.briefed_at FROM briefed_articles b "
            "WHERE b.article_id = :dup AND NOT EXISTS (SELECT 1 FROM briefed_articles k "
            "WHERE k.article_id = :kept AND k.platform = b.platform "
            "AND k.channel_id = b.channel_id)"
        ),
        params,
    )
    story = conn.scalar(sa.text("SELECT story_id FROM articles WHERE id = :dup"), params)
    for table in ("article_mentions", "minhash_bands", "briefed_articles"):
        conn.execute(sa.text(f"DELETE FROM {table} WHERE article_id = :dup"), params)
    conn.execute(sa.text("DELETE FROM articles WHERE id = :dup"), params)
    if story is None:
        return
    members = conn.scalar(
        sa.text("SELECT count(*) FROM articles WHERE story_id = :story"), {"story": story}
    )
    if not members:
        conn.execute(sa.text("DELETE FROM story_terms WHERE story_id = :story"), {"story": story})
        conn.execute(sa.text("DELETE FROM stories WHERE id = :story"), {"story": story})
        return
    kept_story = conn.scalar(sa.text("SELECT story_id FROM articles WHERE id = :kept"), params)
    conn.execute(
        sa.text(
            "UPDATE stories SET articles = :members, lead_article_id = CASE "
            "WHEN lead_article_id = :dup THEN :lead ELSE lead_article_id END WHERE id = :story"
        ).bindparams(sa.bindparam("lead", type_=sa.Integer)),
        {
            "members": members,
            "dup": duplicate,
            "lead": kept if kept_story == story else None,
            "story": story,
        },
    )


def _chunks(items: list[int], size: int = 500) -> list[list[int]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def downgrade() -> None:
    """Keys stay in the new form (see the module docstring)."""
