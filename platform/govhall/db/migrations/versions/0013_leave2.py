"""leave: the substitute's answer (顶岗确认) on a request — pending until the named colleague confirms or declines in
the app, ``registered`` when the chief representative or the center records someone the home unit sent (备案); and the
cover rule the request was checked under (none / block: approval waits for confirmed cover / off_post)

Revision ID: 0013_leave2
Revises: 0013_complaints, 0009_leave (it alters 0009's table)
Create Date: 2026-12-01 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0013_leave2"
down_revision: str | Sequence[str] | None = ("0013_complaints", "0009_leave")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("leave_request") as batch:
        batch.add_column(sa.Column("substitute_status", sa.String(length=16), nullable=False, server_default="none"))
        batch.add_column(sa.Column("substitute_answered_at", DateTimeUTC(timezone=True), nullable=True))
        batch.add_column(sa.Column("substitute_answered_by", GUID(length=16), nullable=True))
        batch.add_column(sa.Column("substitute_note", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("cover_rule", sa.String(length=16), nullable=False, server_default="none"))
    # requests made before: a named colleague or outside person counts as confirmed (nothing asked them)
    op.execute("UPDATE leave_request SET substitute_status = 'confirmed' WHERE substitute_staff_id IS NOT NULL "
               "OR external_substitute IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("leave_request") as batch:
        batch.drop_column("cover_rule")
        batch.drop_column("substitute_note")
        batch.drop_column("substitute_answered_by")
        batch.drop_column("substitute_answered_at")
        batch.drop_column("substitute_status")
