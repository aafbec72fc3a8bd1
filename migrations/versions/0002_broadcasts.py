"""broadcasts, blocked recipients

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 17:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("audience", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="new", nullable=False),
        sa.Column("recipients_count", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('new', 'queued')", name=op.f("ck_broadcasts_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcasts")),
    )
    op.add_column("outbox", sa.Column("broadcast_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_outbox_broadcast_id_broadcasts"),
        "outbox",
        "broadcasts",
        ["broadcast_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.create_index(
        op.f("ix_outbox_broadcast_id"), "outbox", ["broadcast_id"], unique=False
    )
    for table in ("clients", "teachers"):
        op.add_column(
            table, sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    for table in ("clients", "teachers"):
        op.drop_column(table, "blocked_at")
    op.drop_index(op.f("ix_outbox_broadcast_id"), table_name="outbox")
    op.drop_constraint(
        op.f("fk_outbox_broadcast_id_broadcasts"), "outbox", type_="foreignkey"
    )
    op.drop_column("outbox", "broadcast_id")
    op.drop_table("broadcasts")
