"""``govhall leave outcomes``: the rules' outcomes of leave (sick -> personal, unclosed -> absence, no cover -> off
post), one batch per tenant; ``govhall attendance evaluate`` runs the same batch first (registered below)."""

from __future__ import annotations

import asyncio
from uuid import UUID

import click
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.attendance.inputs import register_before_evaluate
from govhall.domain.leave.effects import run_for_tenant


async def run_tenant(session: AsyncSession, tenant_id: UUID) -> tuple[int, int]:
    return await run_for_tenant(session, tenant_id)


register_before_evaluate(run_tenant)


@click.group("leave")
def leave_cli() -> None:
    """Leave jobs."""


@leave_cli.command("outcomes")
@click.option("--tenant", "division_code", default=None, help="Only this center (division code).")
def outcomes(division_code: str | None) -> None:
    """Apply due leave outcomes in every center (nightly, before ``govhall attendance evaluate``)."""
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from govhall.config import get_settings
    from govhall.errors import AppError
    from govhall.tenancy import system_scope, tenant_scope
    from govhall.tenancy.engine import create_engine
    from govhall.tenancy.models import Tenant, TenantLevel

    async def run() -> None:
        engine = create_engine(get_settings().database_url)
        maker = async_sessionmaker(engine, expire_on_commit=False)
        try:
            async with maker() as session:
                with system_scope():
                    stmt = select(Tenant).where(Tenant.level != TenantLevel.province)
                    if division_code:
                        stmt = stmt.where(Tenant.division_code == division_code)
                    tenants = (await session.scalars(stmt.order_by(Tenant.path))).all()
            for tenant in tenants:
                async with maker() as session:
                    with tenant_scope(tenant.id):
                        try:
                            n, applied = await run_tenant(session, tenant.id)
                            click.echo(f"{tenant.division_code}: {n} requests, {applied} outcomes applied")
                        except AppError as exc:
                            await session.rollback()
                            click.echo(f"{tenant.division_code}: skipped ({exc.en})")
        finally:
            await engine.dispose()

    asyncio.run(run())
