"""Join the domain branches (identity/audit, packs, attendance) into one head.

Revision ID: 0005_merge_domains
Revises: 0002_identity_audit, 0003_packs, 0004_attendance
"""

from collections.abc import Sequence

revision: str = "0005_merge_domains"
down_revision: str | Sequence[str] | None = ("0002_identity_audit", "0003_packs", "0004_attendance")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
