"""devices: an optional per-terminal allow-list of client networks (CIDR), empty = any address

Revision ID: 0006_device_networks
Revises: 0005_merge_domains
Create Date: 2026-11-21 08:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_device_networks"
down_revision: str | Sequence[str] | None = "0005_merge_domains"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # Existing terminals keep working from anywhere, as before: the empty list.
    with op.batch_alter_table("device") as batch:
        batch.add_column(sa.Column("allowed_networks", _JSON, nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.drop_column("allowed_networks")
