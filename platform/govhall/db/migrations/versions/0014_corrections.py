"""attendance: corrections by the center (考勤更正) — a day or a date range, morning / afternoon / whole day, for many
staff at once, as present or on duty elsewhere, with a reason and evidence; voided, never deleted (issue 13)

Revision ID: 0014_corrections
Revises: 0013_leave2
Create Date: 2026-12-02 01:10:00
"""

from collections.abc import Sequence
from typing import Any

import advanced_alchemy.types as aat
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from govhall.config import get_settings
from govhall.db.rls import enable_rls

revision: str = "0014_corrections"
down_revision: str | Sequence[str] | None = "0014_redflag"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = get_settings().app_db_role
TABLES = ("attendance_correction", "attendance_correction_staff")
GUID, UTC_TS = aat.GUID(length=16), aat.DateTimeUTC(timezone=True)


def _base(table: str) -> list[Any]:
    return [
        sa.Column("tenant_id", GUID, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.Column("updated_at", UTC_TS, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("tenant_id", "id", name=f"uq_{table}_tenant_id_id"),
    ]


def upgrade() -> None:
    op.create_table(
        "attendance_correction",
        sa.Column("id", GUID, nullable=False),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=False),
        sa.Column("sessions", sa.Enum("am", "pm", "day", name="correctionsessions", native_enum=False, length=16),
                  nullable=False),
        sa.Column("kind", sa.Enum("present", "elsewhere", name="correctionkind", native_enum=False, length=16),
                  nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("file_ids", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                  nullable=False),
        sa.Column("staff_count", sa.Integer(), nullable=False),
        sa.Column("created_by", GUID, nullable=True),
        sa.Column("voided_at", UTC_TS, nullable=True),
        sa.Column("voided_by", GUID, nullable=True),
        sa.Column("void_reason", sa.String(length=500), nullable=True),
        *_base("attendance_correction"),
    )
    with op.batch_alter_table("attendance_correction") as batch_op:
        batch_op.create_index("ix_attendance_correction_dates", ["tenant_id", "date_from", "date_to"], unique=False)
    op.create_table(
        "attendance_correction_staff",
        sa.Column("id", GUID, nullable=False),
        sa.Column("correction_id", GUID, nullable=False),
        sa.Column("staff_id", GUID, nullable=False),
        *_base("attendance_correction_staff"),
        sa.ForeignKeyConstraint(["tenant_id", "correction_id"],
                                ["attendance_correction.tenant_id", "attendance_correction.id"],
                                name="fk_correction_id_attendance_correction_tenant", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id", "staff_id"], ["staff.tenant_id", "staff.id"],
                                name="fk_staff_id_staff_tenant", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "correction_id", "staff_id", name="uq_attendance_correction_staff"),
    )
    with op.batch_alter_table("attendance_correction_staff") as batch_op:
        batch_op.create_index("ix_attendance_correction_staff_staff", ["tenant_id", "staff_id"], unique=False)
    for table in TABLES:
        enable_rls(table, APP_ROLE)


def downgrade() -> None:
    op.drop_table("attendance_correction_staff")
    op.drop_table("attendance_correction")
