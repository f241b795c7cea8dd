"""``govhall tenants plan|apply|export|schema``: tenants as code (``tenants_code``)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import click

T = TypeVar("T")


@click.group("tenants")
def tenants_cli() -> None:
    """Tenants as code: plan, apply and export tenants/*.yaml."""
    from govhall.config import get_settings
    from govhall.log import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)  # logs to stderr: stdout stays the plan or the YAML


def _run(work: Callable[[Any], Awaitable[T]]) -> T:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from govhall.config import get_settings
    from govhall.tenancy.engine import create_engine

    async def go() -> T:
        engine = create_engine(get_settings().owner_database_url)
        try:
            async with async_sessionmaker(engine, expire_on_commit=False)() as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def _docs(directory: Path, tenant: str | None) -> list[Any]:
    from govhall.domain.org.tenant_files import installed_packs
    from govhall.domain.org.tenant_yaml import TenantFileError, read_dir

    try:
        docs = read_dir(directory, installed_packs())
    except TenantFileError as exc:
        for p in exc.problems:
            click.echo(f"! {p}", err=True)
        click.echo(f"{len(exc.problems)} problem(s) in {directory}; nothing was changed", err=True)
        sys.exit(2)
    if tenant:
        docs = [d for d in docs if tenant in (d.division_code, d.key)]
        if not docs:
            raise click.ClickException(f"no file in {directory} for tenant {tenant}")
    return docs


_DIR = click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
                    help="Directory of tenant files (default: tenants/).")
_TENANT = click.option("--tenant", default=None, help="Only this tenant (division code or file key).")
_EFFECTIVE = click.option("--effective-from", type=click.DateTime(["%Y-%m-%d"]), default=None,
                          help="Effective date of changed pack settings (default: today; a past date only for "
                               "tenants this run creates).")
_PRUNE = click.option("--prune-packs", is_flag=True, help="Switch off packs enabled only in the database.")
_REMOVE = click.option("--remove", is_flag=True,
                       help="Remove rows only in the database: staff leave (status 'left'), accounts are disabled, "
                            "roles revoked, windows and departments deleted (all audited). Without it they are kept.")


def _date(value: dt.datetime | None) -> dt.date:
    return value.date() if value else dt.date.today()


def _dir(directory: Path | None) -> Path:
    from govhall.domain.org.tenant_yaml import ROOT

    return directory or ROOT


@tenants_cli.command("plan")
@_DIR
@_TENANT
@_EFFECTIVE
@_PRUNE
@_REMOVE
@click.option("--check", is_flag=True, help="Exit 1 when the database differs from the files (drift, for CI).")
@click.option("--quiet", is_flag=True, help="Do not list rows kept only in the database.")
def plan(directory: Path | None, tenant: str | None, effective_from: dt.datetime | None, prune_packs: bool,
         remove: bool, check: bool, quiet: bool) -> None:
    """Show what apply would change (nothing is written). Exit 2 on problems, 1 on drift with --check."""
    from govhall.domain.org.tenants_code import sync

    docs = _docs(_dir(directory), tenant)
    report = _run(lambda s: sync(s, docs, effective_from=_date(effective_from), prune_packs=prune_packs,
                                 remove=remove, commit=False))
    for line in report.lines(kept=not quiet):
        click.echo(line)
    if report.problems:
        click.echo(f"{len(report.problems)} problem(s); apply would change nothing", err=True)
        sys.exit(2)
    changed = sum(1 for t in report.tenants if t.drift)
    click.echo(f"{changed} of {len(report.tenants)} tenant(s) would change")
    if check and report.drift:
        sys.exit(1)


@tenants_cli.command("apply")
@_DIR
@_TENANT
@_EFFECTIVE
@_PRUNE
@_REMOVE
@click.option("--password", default=None, help="Password of new accounts (default: a one-time password each).")
def apply(directory: Path | None, tenant: str | None, effective_from: dt.datetime | None, prune_packs: bool,
          remove: bool, password: str | None) -> None:
    """Plan, and when the plan has no problems write it: one transaction per tenant, audited as tenants-as-code."""
    from govhall.domain.org.tenants_code import sync

    docs = _docs(_dir(directory), tenant)
    on = _date(effective_from)

    async def work(session: Any) -> Any:
        kw: dict[str, Any] = {"effective_from": on, "prune_packs": prune_packs, "remove": remove, "password": password}
        planned = await sync(session, docs, commit=False, **kw)
        if planned.problems:
            return planned
        return await sync(session, docs, commit=True, **kw)

    report = _run(work)
    for line in report.lines(kept=False):
        click.echo(line)
    if report.problems:
        click.echo(f"{len(report.problems)} problem(s); nothing was changed", err=True)
        sys.exit(2)
    logins = [(u, pw, t.name) for t in report.tenants for u, pw in t.logins]
    if logins:
        click.echo("New accounts (username / password / center; one-time passwords must be changed at first login):")
        for u, pw, name in logins:
            click.echo(f"  {u} / {pw} / {name}")
    click.echo(f"applied: {sum(1 for t in report.tenants if t.drift)} of {len(report.tenants)} tenant(s) changed")


@tenants_cli.command("export")
@click.option("--tenant", required=True, help="Division code of the tenant to export.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: standard output).")
@click.option("--on", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Pack settings in force on (default today).")
def export_cmd(tenant: str, out: Path | None, on: dt.datetime | None) -> None:
    """Write the tenant's file (YAML) as it is in the database."""
    from govhall.domain.org.tenants_code import export, export_text
    from govhall.errors import AppError

    try:
        data = _run(lambda s: export(s, tenant, _date(on)))
    except AppError as exc:
        raise click.ClickException(exc.en) from None
    text = export_text(data)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}")


@tenants_cli.command("schema")
def schema() -> None:
    """Print the JSON Schema of a tenant file (also kept in tenants/tenant.schema.json)."""
    from govhall.domain.org.tenant_schema import tenant_file_schema

    click.echo(json.dumps(tenant_file_schema(), ensure_ascii=False, indent=2))
