"""assessment: window and department scorecards of a closed month

Revision ID: 0013_assessment2
Revises: 0013_supervision
Create Date: 2026-12-01 04:30:00
"""

from collections.abc import Sequence

import advanced_alchemy.types as aat
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

from govhall.config import get_settings
from govhall.db.rls import enable_rls

revision: str = "0013_assessment2"
down_revision: str | Sequence[str] | None = "0013_supervision"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = get_settings().app_db_role
JSONB = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "assessment_unit_scorecard",
        sa.Column("id", aat.GUID(length=16), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("unit_id", aat.GUID(length=16), nullable=False),
        sa.Column("window_id", aat.GUID(length=16), nullable=True),
        sa.Column("department_id", aat.GUID(length=16), nullable=True),
        sa.Column("categories", JSONB, nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("deducted", sa.Float(), nullable=False),
        sa.Column("bonus", sa.Float(), nullable=False),
        sa.Column("award_eligible", sa.Boolean(), nullable=False),
        sa.Column("lines", JSONB, nullable=False),
        sa.Column("tenant_id", aat.GUID(length=16), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", aat.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", aat.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "window_id"], ["window.tenant_id", "window.id"],
                                name="fk_window_id_window_tenant", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["tenant_id", "department_id"], ["department.tenant_id", "department.id"],
                                name="fk_department_id_department_tenant", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_assessment_unit_scorecard_tenant_id_tenant"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_unit_scorecard")),
        sa.UniqueConstraint("tenant_id", "id", name="uq_assessment_unit_scorecard_tenant_id_id"),
        sa.UniqueConstraint("tenant_id", "month", "subject", "unit_id", name="uq_assessment_unit_scorecard"),
    )
    enable_rls("assessment_unit_scorecard", APP_ROLE)


def downgrade() -> None:
    op.drop_table("assessment_unit_scorecard")
