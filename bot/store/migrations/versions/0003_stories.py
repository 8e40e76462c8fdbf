"""Stories: articles grouped by event as they arrive

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

stories (with their centroid and summary), story_terms (each story's heaviest terms and
days, indexed by term for the candidate lookup), term_stats (document frequencies), and
articles.story_id, and article_sources.country (the outlet's country, for each side's view).
Articles stored before this revision have no story; ingestion assigns
them (bot.stories.grouping.assign_missing) a batch at a time.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("lead_article_id", sa.Integer(), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("centroid", sa.JSON(), nullable=False),
        sa.Column("bullets", sa.JSON(), nullable=False),
        sa.Column("opinions", sa.JSON(), nullable=False),
        sa.Column("perspectives", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
    )
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stories_last_seen"), ["last_seen"], unique=False)
        batch_op.create_index(batch_op.f("ix_stories_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "story_terms",
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("first_day", sa.Integer(), nullable=False),
        sa.Column("last_day", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name=op.f("fk_story_terms_story_id_stories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("story_id", "term", name=op.f("pk_story_terms")),
    )
    with op.batch_alter_table("story_terms", schema=None) as batch_op:
        batch_op.create_index("ix_story_terms_term_last_day", ["term", "last_day"], unique=False)

    op.create_table(
        "term_stats",
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("df", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_term_stats")),
    )

    with op.batch_alter_table("article_sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("country", sa.String(length=2), nullable=True))

    # An article's date beside its mentions: the ranking reads an entity's recent articles
    # through (entity, dated_at) without visiting every older one.
    with op.batch_alter_table("article_mentions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE article_mentions SET dated_at = "
        "(SELECT articles.dated_at FROM articles WHERE articles.id = article_mentions.article_id)"
    )
    # Pair topics read one entity: "pair:JP-KR" for every two countries an article is
    # substantively about (weight 0.3 or more each; bot/topics/tagging.py), weighted by the
    # product of the two.
    op.execute(
        "INSERT INTO article_mentions (article_id, entity, weight, dated_at) "
        "SELECT a.article_id, 'pair:' || a.entity || '-' || b.entity, a.weight * b.weight, "
        "a.dated_at FROM article_mentions a JOIN article_mentions b "
        "ON b.article_id = a.article_id AND a.entity < b.entity "
        "WHERE length(a.entity) = 2 AND length(b.entity) = 2 "
        "AND a.weight >= 0.3 AND b.weight >= 0.3"
    )
    with op.batch_alter_table("article_mentions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_article_mentions_entity_dated", ["entity", "dated_at"], unique=False
        )
        # superseded by the one above; kept, it lures SQLite's planner into a weight range
        batch_op.drop_index("ix_article_mentions_entity_weight")

    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("story_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_articles_story_id"), ["story_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_articles_story_id_stories"),
            "stories",
            ["story_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_articles_story_id_stories"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_articles_story_id"))
        batch_op.drop_column("story_id")
    op.execute("DELETE FROM article_mentions WHERE entity LIKE 'pair:%'")
    with op.batch_alter_table("article_mentions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_article_mentions_entity_weight", ["entity", "weight"], unique=False
        )
        batch_op.drop_index("ix_article_mentions_entity_dated")
        batch_op.drop_column("dated_at")
    with op.batch_alter_table("article_sources", schema=None) as batch_op:
        batch_op.drop_column("country")
    op.drop_table("term_stats")
    with op.batch_alter_table("story_terms", schema=None) as batch_op:
        batch_op.drop_index("ix_story_terms_term_last_day")
    op.drop_table("story_terms")
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stories_updated_at"))
        batch_op.drop_index(batch_op.f("ix_stories_last_seen"))
    op.drop_table("stories")
