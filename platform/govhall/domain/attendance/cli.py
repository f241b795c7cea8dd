"""``govhall attendance ...``: batch jobs (cron / Kubernetes CronJob) and the device emulator."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import click


@click.group("attendance")
def attendance_cli() -> None:
    """Attendance jobs."""


@attendance_cli.command("evaluate")
@click.option("--month", "month_", default=None, help="YYYY-MM (default: last month and this month).")
@click.option("--tenant", "division_code", default=None, help="Only this center (division code).")
@click.option("--only-stale/--all", default=True, show_default=True,
              help="Skip tenant-months whose stored results are current.")
def evaluate(month_: str | None, division_code: str | None, only_stale: bool) -> None:
    """Evaluate tenant-months (every center with the work_hours pack enabled), one batch per tenant-month."""
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from govhall.clock import local_today
    from govhall.config import get_settings
    from govhall.domain.attendance.evaluation import ensure_month, evaluate_month
    from govhall.domain.attendance.inputs import before_evaluate_jobs
    from govhall.errors import AppError
    from govhall.tenancy import system_scope, tenant_scope
    from govhall.tenancy.engine import create_engine
    from govhall.tenancy.models import Tenant, TenantLevel

    def months_of(tenant: Tenant) -> list[date]:
        if month_:
            return [date.fromisoformat(f"{month_}-01")]
        # the center's own date: at 00:30 on the 1st in the halls it is still last month in UTC
        this = local_today(tenant.timezone or "Asia/Shanghai").replace(day=1)
        return [(this - timedelta(days=1)).replace(day=1), this]

    async def run() -> None:
        engine = create_engine(get_settings().database_url)
        maker = async_sessionmaker(engine, expire_on_commit=False)
        try:
            async with maker() as session:
                with system_scope():
                    stmt = select(Tenant).where(Tenant.level.not_in([TenantLevel.province, TenantLevel.platform]))
                    if division_code:
                        stmt = stmt.where(Tenant.division_code == division_code)
                    tenants = (await session.scalars(stmt.order_by(Tenant.path))).all()
            for tenant in tenants:
                for job in before_evaluate_jobs():  # e.g. leave outcomes (absence for unclosed leave)
                    async with maker() as session:
                        with tenant_scope(tenant.id):
                            try:
                                await job(session, tenant.id)
                            except AppError as exc:
                                await session.rollback()
                                click.echo(f"{tenant.division_code}: {job.__module__} skipped ({exc.en})")
                for month in months_of(tenant):
                    async with maker() as session:
                        with tenant_scope(tenant.id):
                            try:
                                if only_stale:
                                    await ensure_month(session, tenant.id, month)
                                    await session.commit()
                                    click.echo(f"{tenant.division_code} {month:%Y-%m}: current")
                                else:
                                    s = await evaluate_month(session, tenant.id, month)
                                    click.echo(f"{tenant.division_code} {month:%Y-%m}: {s.staff} staff, "
                                               f"{s.days} days, final through {s.final_through}, {s.seconds:.2f} s")
                            except AppError as exc:
                                await session.rollback()
                                click.echo(f"{tenant.division_code} {month:%Y-%m}: skipped ({exc.en})")
        finally:
            await engine.dispose()

    asyncio.run(run())


@attendance_cli.command("emulate")
@click.option("--url", default="http://127.0.0.1:8000", show_default=True)
@click.option("--serial", required=True, help="A registered terminal's serial number.")
@click.option("--pins", required=True, help="Comma-separated PINs (employee numbers).")
@click.option("--day", default=None, help="YYYY-MM-DD (default: today).")
def emulate(url: str, serial: str, pins: str, day: str | None) -> None:
    """Act as a ZKTeco ADMS terminal: handshake, push a day of punches, resend one batch, heartbeat."""
    from govhall.domain.attendance.emulator import _main

    asyncio.run(_main(url, serial, [p.strip() for p in pins.split(",") if p.strip()],
                      date.fromisoformat(day) if day else date.today()))
