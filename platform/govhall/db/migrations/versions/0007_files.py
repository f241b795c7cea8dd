"""files: the tenant file store (stored_file); the bytes live under $GOVHALL_VAR_DIR/files

Revision ID: 0007_files
Revises: 0006_device_networks
Create Date: 2026-12-01 01:30:00
"""

from collections.abc import Sequence

import advanced_alchemy.types as aat
import sqlalchemy as sa
from alembic import op

from govhall.config import get_settings
from govhall.db.rls import enable_rls

revision: str = "0007_files"
down_revision: str | Sequence[str] | None = "0006_device_networks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = get_settings().app_db_role


def upgrade() -> None:
    op.create_table(
        "stored_file",
        sa.Column("id", aat.GUID(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("mime", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", aat.GUID(length=16), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("tenant_id", aat.GUID(length=16), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", aat.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", aat.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_stored_file_tenant_id_tenant"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_file")),
        sa.UniqueConstraint("tenant_id", "id", name="uq_stored_file_tenant_id_id"),
    )
    op.create_index("ix_stored_file_tenant_sha256", "stored_file", ["tenant_id", "sha256"], unique=False)
    op.create_index("ix_stored_file_tenant_uploader", "stored_file", ["tenant_id", "uploaded_by"], unique=False)
    enable_rls("stored_file", APP_ROLE)


def downgrade() -> None:
    op.drop_index("ix_stored_file_tenant_uploader", table_name="stored_file")
    op.drop_index("ix_stored_file_tenant_sha256", table_name="stored_file")
    op.drop_table("stored_file")
