"""audit: sequence numbers start at 1 (CHECK seq >= 1), so no forged event can hide before the chain's start;
devices: serial numbers unique within a center instead of across the platform (registering one tells nothing
about other centers; a serial-only terminal belongs to the earliest unrevoked registration)

Revision ID: 0011_audit_seq
Revises: 0006_device_networks
Create Date: 2026-12-01 01:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_audit_seq"
down_revision: str | Sequence[str] | None = "0006_device_networks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event") as batch:
        batch.create_check_constraint(op.f("ck_audit_event_seq_positive"), "seq >= 1")
    with op.batch_alter_table("device") as batch:
        batch.drop_constraint(op.f("uq_device_serial_number"), type_="unique")
        batch.create_unique_constraint(op.f("uq_device_tenant_serial"), ["tenant_id", "serial_number"])


def downgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.drop_constraint(op.f("uq_device_tenant_serial"), type_="unique")
        batch.create_unique_constraint(op.f("uq_device_serial_number"), ["serial_number"])
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_constraint(op.f("ck_audit_event_seq_positive"), type_="check")
