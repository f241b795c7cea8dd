"""security: platform admins move to the reserved platform tenant; one-time passwords are good for one login

Revision ID: 0008_security
Revises: 0006_device_networks
Create Date: 2026-12-01 01:40:00

- the reserved tenant ``platform`` (level ``platform``, division code ``platform``, outside every province) is
  the home of platform admins' accounts; existing platform admin accounts move into it (and lose any staff
  link, which pointed into a province). Their audit history stays where it was written.
- ``user_account.otp_used_at`` (the one login a one-time password allows) and ``retired_otp_hash`` (the last
  one-time password, never accepted as the account's own).
``user_account`` stays outside RLS (login looks accounts up before a tenant is known).
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

import advanced_alchemy.types as aat
import sqlalchemy as sa
from alembic import op
from uuid_utils.compat import uuid7

revision: str = "0008_security"
down_revision: str | Sequence[str] | None = "0006_device_networks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GUID = aat.GUID(length=16)
_TS = aat.DateTimeUTC(timezone=True)
tenant = sa.table("tenant", sa.column("id", _GUID), sa.column("name", sa.String), sa.column("level", sa.String),
                  sa.column("division_code", sa.String), sa.column("parent_id", _GUID), sa.column("path", sa.String),
                  sa.column("timezone", sa.String), sa.column("template", sa.String), sa.column("created_at", _TS),
                  sa.column("updated_at", _TS))
user = sa.table("user_account", sa.column("tenant_id", _GUID), sa.column("staff_id", _GUID),
                sa.column("is_platform_admin", sa.Boolean))


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("otp_used_at", _TS, nullable=True))
        batch.add_column(sa.Column("retired_otp_hash", sa.String(length=255), nullable=True))
    conn = op.get_bind()
    tid = conn.execute(sa.select(tenant.c.id).where(tenant.c.division_code == "platform")).scalar()
    if tid is None:
        tid = UUID(str(uuid7()))
        now = datetime.now(UTC)
        conn.execute(tenant.insert().values(id=tid, name="平台", level="platform", division_code="platform",
                                            parent_id=None, path=f"/{tid}/", timezone="Asia/Shanghai", template=None,
                                            created_at=now, updated_at=now))
    conn.execute(user.update().where(user.c.is_platform_admin == sa.true()).values(tenant_id=tid, staff_id=None))
    if conn.dialect.name == "postgresql":
        # "Authority over account" (authz/authority.py) compares the roles an account holds in every tenant with
        # the actor's: a SELECT-only policy shows the rows of exactly the accounts named for that one lookup.
        op.execute(
            "CREATE POLICY account_authority ON \"role_assignment\" FOR SELECT USING (user_id::text = ANY("
            "string_to_array(NULLIF(current_setting('app.account_authority', true), ''), ',')))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute('DROP POLICY IF EXISTS account_authority ON "role_assignment"')
    # Platform admins stay in the platform tenant (where they belong); only the columns go.
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("retired_otp_hash")
        batch.drop_column("otp_used_at")
