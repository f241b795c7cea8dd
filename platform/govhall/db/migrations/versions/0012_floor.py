"""packs: settings versions keep the pack release and settings schema they were saved under; pack_release
records which schema of each pack was installed from which day

Revision ID: 0012_floor
Revises: 0006_device_networks
Create Date: 2026-12-01 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

from govhall.config import get_settings
from govhall.db.rls import grant_app

revision: str = "0012_floor"
down_revision: str | Sequence[str] | None = "0006_device_networks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every version saved so far was saved under schema 1 (schemas did not exist before); the release is unknown.
    with op.batch_alter_table("pack_settings_version") as batch:
        batch.add_column(sa.Column("pack_version", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("schema_version", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "pack_release",
        sa.Column("pack", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("installed_on", sa.Date(), nullable=False),
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_release")),
        sa.UniqueConstraint("pack", "schema_version", name="uq_pack_release_pack_schema"),
    )
    grant_app("pack_release", get_settings().app_db_role, "SELECT, INSERT")


def downgrade() -> None:
    op.drop_table("pack_release")
    with op.batch_alter_table("pack_settings_version") as batch:
        batch.drop_column("schema_version")
        batch.drop_column("pack_version")
