"""store: the shared key-value store (store_entry) that holds sessions and login counters when there is no Redis,
so every worker process and replica sees the same sessions. Not tenant-owned (a session is found by its id
before any tenant is known), so no row-level security; the app role may read and write it.

Revision ID: 0014_sessions
Revises: 0013_leave2
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import advanced_alchemy.types as aat
import sqlalchemy as sa
from alembic import op

from govhall.config import get_settings
from govhall.db.rls import grant_app

revision: str = "0014_sessions"
down_revision: str | Sequence[str] | None = "0014_corrections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = get_settings().app_db_role


def upgrade() -> None:
    op.create_table(
        "store_entry",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", aat.DateTimeUTC(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_store_entry")),
        comment="Shared key-value store (sessions, login counters): not tenant-owned, no row-level security",
    )
    op.create_index(op.f("ix_store_entry_expires_at"), "store_entry", ["expires_at"], unique=False)
    grant_app("store_entry", APP_ROLE)


def downgrade() -> None:
    op.drop_index(op.f("ix_store_entry_expires_at"), table_name="store_entry")
    op.drop_table("store_entry")
