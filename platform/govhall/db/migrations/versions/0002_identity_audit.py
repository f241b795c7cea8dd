"""identity: audit log (append-only hash chain), attendance devices, backup (AB) pairs

Revision ID: 0002_identity_audit
Revises: 0001_core
Create Date: 2026-11-21 05:42:16
"""

from collections.abc import Sequence

import advanced_alchemy.types as aat
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from govhall.config import get_settings
from govhall.db.rls import enable_rls

sa.GUID, sa.DateTimeUTC = aat.GUID, aat.DateTimeUTC

revision: str = "0002_identity_audit"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = get_settings().app_db_role


def _base_columns() -> list[sa.Column]:
    return [
        sa.Column("tenant_id", sa.GUID(length=16), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTimeUTC(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.GUID(length=16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.GUID(length=16), nullable=True),
        sa.Column("actor_name", sa.String(length=100), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target_type", sa.String(length=64), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=True),
        sa.Column("details", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        *_base_columns(),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_audit_event_tenant_id_tenant"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
        sa.UniqueConstraint("tenant_id", "id", name="uq_audit_event_tenant_id_id"),
        sa.UniqueConstraint("tenant_id", "seq", name="uq_audit_event_tenant_seq"),
    )
    op.create_table(
        "device",
        sa.Column("id", sa.GUID(length=16), nullable=False),
        sa.Column("serial_number", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("revoked_at", sa.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("last_seen_at", sa.DateTimeUTC(timezone=True), nullable=True),
        *_base_columns(),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_device_tenant_id_tenant"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
        sa.UniqueConstraint("serial_number", name="uq_device_serial_number"),
        sa.UniqueConstraint("tenant_id", "id", name="uq_device_tenant_id_id"),
    )
    op.create_table(
        "backup_pair",
        sa.Column("id", sa.GUID(length=16), nullable=False),
        sa.Column("staff_a_id", sa.GUID(length=16), nullable=False),
        sa.Column("staff_b_id", sa.GUID(length=16), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        *_base_columns(),
        sa.CheckConstraint("staff_a_id <> staff_b_id", name=op.f("ck_backup_pair_distinct")),
        sa.ForeignKeyConstraint(["tenant_id", "staff_a_id"], ["staff.tenant_id", "staff.id"],
                                name="fk_staff_a_id_staff_tenant", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id", "staff_b_id"], ["staff.tenant_id", "staff.id"],
                                name="fk_staff_b_id_staff_tenant", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_backup_pair_tenant_id_tenant"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backup_pair")),
        sa.UniqueConstraint("tenant_id", "id", name="uq_backup_pair_tenant_id_id"),
        sa.UniqueConstraint("tenant_id", "staff_a_id", "staff_b_id", name="uq_backup_pair"),
    )

    enable_rls("backup_pair", APP_ROLE)
    enable_rls("device", APP_ROLE)
    enable_rls("audit_event", APP_ROLE)
    if op.get_bind().dialect.name == "postgresql":
        # Append-only: the app may read and add audit events, never change or remove one.
        op.execute(f'REVOKE UPDATE, DELETE, TRUNCATE ON "audit_event" FROM "{APP_ROLE}"')
        # A terminal announces only its serial number: the device lookup (and nothing else) may read device
        # rows before the tenant is known, when the transaction sets app.device_lookup (authenticate_device).
        op.execute(
            "CREATE POLICY device_lookup ON \"device\" FOR SELECT "
            "USING (current_setting('app.device_lookup', true) = 'on')"
        )


def downgrade() -> None:
    op.drop_table("backup_pair")
    op.drop_table("device")
    op.drop_table("audit_event")
