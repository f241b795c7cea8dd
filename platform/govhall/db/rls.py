"""Row-level security for migrations: every tenant table gets ENABLE + FORCE RLS and one policy.

The policy compares with ``app.tenant_id`` set per transaction by the tenant guard; an unset or empty value
becomes NULL, which matches no row and lets no insert through (fail closed).
"""

from __future__ import annotations

from alembic import op

TENANT_PREDICATE = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def enable_rls(table: str, app_role: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
    op.execute(
        f'CREATE POLICY tenant_isolation ON "{table}" USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})'
    )
    grant_app(table, app_role)


def grant_app(table: str, app_role: str, privileges: str = "SELECT, INSERT, UPDATE, DELETE") -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f'GRANT {privileges} ON "{table}" TO "{app_role}"')


def ensure_app_role(app_role: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{app_role}') THEN "
        f'CREATE ROLE "{app_role}" NOLOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$'
    )
    op.execute(f'GRANT USAGE ON SCHEMA public TO "{app_role}"')
