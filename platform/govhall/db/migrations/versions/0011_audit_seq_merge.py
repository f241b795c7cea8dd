"""merge heads: 0007_files and 0011_audit_seq (both after 0006_device_networks); nothing to do

Revision ID: 0011_audit_seq_merge
Revises: 0007_files, 0011_audit_seq
Create Date: 2026-12-01 02:00:00
"""

from collections.abc import Sequence

revision: str = "0011_audit_seq_merge"
down_revision: str | Sequence[str] | None = ("0007_files", "0011_audit_seq")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
