"""jobs: items done of items total on a background job (rows, centers, staff) and its input file (issue 16)

Revision ID: 0015_jobs
Revises: 0014_jobs
Create Date: 2026-12-02 05:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_jobs"
down_revision: str | Sequence[str] | None = "0014_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("items_done", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("items_total", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("input_data", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.drop_column("input_data")
        batch.drop_column("items_total")
        batch.drop_column("items_done")
