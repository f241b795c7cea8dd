"""tree: ``tenant.path`` compared bytewise on PostgreSQL (``COLLATE "C"``); the ``account_authority`` policy reads its
setting once per statement

The tenant tree counts the descendants of a page of tenants as ``path > p.path AND path < p.path_upper`` (issue 16).
Under the database's linguistic collation (e.g. ``en_US.UTF-8``) '/' sorts by other rules and a path range is not a
subtree, and ``LIKE 'prefix%'`` cannot use the index either; ``C`` compares bytes, as SQLite does. Changing the
column's collation rebuilds ``ix_tenant_path`` with it.

The ``account_authority`` policy of ``role_assignment`` (0008_security) compared ``user_id::text`` with an array
rebuilt from the setting for every row: a cost per row, and a condition the planner could not estimate (it guessed
0.5% of the rows), so the tree's plans assumed a provincial admin held 50 roles where it held 10,000 and multiplied
work accordingly (issue 16: seconds, and in some runs no answer within 30 s). The same rule now reads the setting
once (an init plan) and compares ``user_id`` itself, which the column's statistics estimate. Same rows visible.

Revision ID: 0015_tree
Revises: 0014_jobs
Create Date: 2026-12-02 05:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015_tree"
down_revision: str | Sequence[str] | None = "0015_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OLD_POLICY = ("user_id::text = ANY(string_to_array(NULLIF(current_setting('app.account_authority', true), ''), ','))")
NEW_POLICY = ("user_id = ANY (CAST((SELECT string_to_array(NULLIF(current_setting('app.account_authority', true), ''), "
              "',')) AS uuid[]))")


def _policy(using: str) -> None:
    op.execute('DROP POLICY IF EXISTS account_authority ON "role_assignment"')
    op.execute(f'CREATE POLICY account_authority ON "role_assignment" FOR SELECT USING ({using})')


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE tenant ALTER COLUMN path TYPE varchar(1000) COLLATE "C"')
        _policy(NEW_POLICY)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _policy(OLD_POLICY)
        op.execute('ALTER TABLE tenant ALTER COLUMN path TYPE varchar(1000) COLLATE "default"')
