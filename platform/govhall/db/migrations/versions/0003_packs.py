"""packs: versioned, inherited, lockable pack settings (pack_settings_version)

Revision ID: 0003_packs
Revises: 0001_core
Create Date: 2026-11-21 05:50:00
"""

from collections.abc import Sequence

import advanced_alchemy.types as aat
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from govhall.config import get_settings
from govhall.db.rls import enable_rls

revision: str = "0003_packs"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = get_settings().app_db_role
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "pack_settings_version",
        sa.Column("id", aat.GUID(length=16), nullable=False),
        sa.Column("tenant_id", aat.GUID(length=16), nullable=False),
        sa.Column("pack", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("overrides", _JSON, nullable=False),
        sa.Column("locks", _JSON, nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("changed_by_id", aat.GUID(length=16), nullable=True),
        sa.Column("changed_by_name", sa.String(length=100), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", aat.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", aat.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_pack_settings_version_tenant_id_tenant"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_settings_version")),
        sa.UniqueConstraint("tenant_id", "id", name="uq_pack_settings_version_tenant_id_id"),
        sa.UniqueConstraint("tenant_id", "pack", "version", name="uq_pack_settings_version_tenant_pack_version"),
    )
    op.create_index("ix_pack_settings_version_tenant_pack_effective", "pack_settings_version",
                    ["tenant_id", "pack", "effective_from"], unique=False)
    enable_rls("pack_settings_version", APP_ROLE)


def downgrade() -> None:
    op.drop_index("ix_pack_settings_version_tenant_pack_effective", table_name="pack_settings_version")
    op.drop_table("pack_settings_version")
