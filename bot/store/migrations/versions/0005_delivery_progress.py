"""Delivery progress and the re-check of paused channels

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-06

deliveries: ``article_ids`` (what the slot posts, stored before the first attempt, so a
replica that takes the claim over records what the channel saw) and ``parts`` (the ids of
the parts already posted, so a retry continues from the first missing one).
subscriptions: ``recheck_at`` and ``rechecks`` (a paused subscription's channel is checked
again on its own, with backoff, and the subscription resumed when the platform accepts).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("article_ids", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("parts", sa.JSON(), nullable=True))
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recheck_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("rechecks", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_column("rechecks")
        batch_op.drop_column("recheck_at")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("parts")
        batch_op.drop_column("article_ids")
