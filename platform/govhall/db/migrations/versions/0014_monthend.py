"""attendance: the derived month-end tables (attendance_day, attendance_month) lose their composite staff foreign key

The month-end rewrites these rows in one batch; each row's staff reference cost a foreign-key check (a trigger and
an index probe per row, issue 16). The tenant wall does not depend on it: row-level security (ENABLE + FORCE, the
``tenant_isolation`` policy WITH CHECK) admits only rows of the transaction's tenant, ``tenant_id`` keeps its
foreign key to ``tenant``, and the only writer (``evaluation.evaluate_month``) takes every ``staff_id`` from the
tenant's own staff, read under the same tenant scope. Staff are never deleted (they leave or are suspended), so
the ON DELETE CASCADE had nothing to do; a re-evaluation rewrites the rows anyway.

Revision ID: 0014_monthend
Revises: 0013_leave2
Create Date: 2026-12-02 01:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_monthend"
down_revision: str | Sequence[str] | None = "0013_leave2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("attendance_day", "attendance_month")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint("fk_staff_id_staff_tenant", type_="foreignkey")


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key("fk_staff_id_staff_tenant", "staff", ["tenant_id", "staff_id"],
                                     ["tenant_id", "id"], ondelete="CASCADE")
