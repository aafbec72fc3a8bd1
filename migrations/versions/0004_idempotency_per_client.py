"""idempotency keys belong to one client

A key used to be unique across the centre: a second client who happened to
send the same Idempotency-Key was refused (and learned the key was taken).
Keys are now unique per client, as a retry only ever repeats its own request.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 08:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint("uq_bookings_idempotency_key", "bookings", type_="unique")
    op.create_unique_constraint(
        "uq_bookings_client_id_idempotency_key",
        "bookings",
        ["client_id", "idempotency_key"],
    )


def downgrade() -> None:
    # Refuses to run while two clients share a key, which 0003 did not allow.
    op.drop_constraint(
        "uq_bookings_client_id_idempotency_key", "bookings", type_="unique"
    )
    op.create_unique_constraint(
        "uq_bookings_idempotency_key", "bookings", ["idempotency_key"]
    )
