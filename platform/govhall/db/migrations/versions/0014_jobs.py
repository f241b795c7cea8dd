"""jobs: background jobs of a tenant (kind, state, progress, result file, error; issue 16)

Revision ID: 0014_jobs
Revises: 0013_leave2
Create Date: 2026-12-02 01:45:00
"""

from collections.abc import Sequence

import advanced_alchemy.types as aat
import sqlalchemy as sa
from alembic import op

from govhall.config import get_settings
from govhall.db.rls import enable_rls

revision: str = "0014_jobs"
down_revision: str | Sequence[str] | None = "0014_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = get_settings().app_db_role


def upgrade() -> None:
    op.create_table(
        "job",
        sa.Column("id", aat.GUID(length=16), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_by", aat.GUID(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=64), nullable=True),
        sa.Column("started_at", aat.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("heartbeat_at", aat.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("finished_at", aat.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("result_name", sa.String(length=200), nullable=True),
        sa.Column("result_type", sa.String(length=100), nullable=True),
        sa.Column("result_data", sa.LargeBinary(), nullable=True),
        sa.Column("tenant_id", aat.GUID(length=16), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", aat.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", aat.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_job_tenant_id_tenant"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
        sa.UniqueConstraint("tenant_id", "id", name="uq_job_tenant_id_id"),
    )
    op.create_index("ix_job_tenant_creator", "job", ["tenant_id", "created_by"], unique=False)
    op.create_index("ix_job_tenant_state", "job", ["tenant_id", "state"], unique=False)
    enable_rls("job", APP_ROLE)


def downgrade() -> None:
    op.drop_index("ix_job_tenant_state", table_name="job")
    op.drop_index("ix_job_tenant_creator", table_name="job")
    op.drop_table("job")
