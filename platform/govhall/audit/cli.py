"""``govhall audit checkpoint`` and ``govhall audit verify``: anchor every tenant's chain head outside the database
(cron, e.g. hourly) and check every chain against itself and those anchors. Both exit 1 on any finding."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import click


@click.group("audit")
def audit_cli() -> None:
    """The audit log: checkpoints outside the database, chain verification."""


async def _each_tenant(division_code: str | None,
                       work: Callable[[Any, Any], Awaitable[dict[str, Any]]]) -> list[dict[str, Any]]:
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from govhall.config import get_settings
    from govhall.tenancy import system_scope, tenant_scope
    from govhall.tenancy.engine import create_engine
    from govhall.tenancy.models import Tenant

    engine = create_engine(get_settings().database_url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    out = []
    try:
        async with maker() as session:
            with system_scope():
                stmt = select(Tenant).order_by(Tenant.path)
                if division_code:
                    stmt = stmt.where(Tenant.division_code == division_code)
                tenants = (await session.scalars(stmt)).all()
        if division_code and not tenants:
            raise click.ClickException(f"no tenant with division code {division_code}")
        for tenant in tenants:
            async with maker() as session:
                with tenant_scope(tenant.id):
                    row = await work(session, tenant)
                    await session.rollback()  # read-only
            out.append({"tenant": str(tenant.id), "divisionCode": tenant.division_code, "name": tenant.name, **row})
    finally:
        await engine.dispose()
    return out


def _report(r: Any) -> dict[str, Any]:
    return {"ok": r.ok, "count": r.count, "reason": r.reason, "brokenAt": r.broken_at, "missingFrom": r.missing_from,
            "missingTo": r.missing_to, "checkpointSeq": r.anchored_seq, "keyed": r.keyed}


def _path():
    from govhall.audit.checkpoints import checkpoint_path
    from govhall.config import get_settings

    return checkpoint_path(get_settings().var_dir)


@audit_cli.command("checkpoint")
@click.option("--tenant", "division_code", default=None, help="Only this tenant (division code).")
def checkpoint(division_code: str | None) -> None:
    """Sign each tenant's chain head (seq, hash, time) into GOVHALL_VAR_DIR/audit_checkpoints.jsonl and the log."""
    from govhall.audit.checkpoints import describe, read_anchors, take_checkpoint
    from govhall.config import get_settings
    from govhall.log import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    path = _path()
    anchors = read_anchors(path)

    async def work(session, tenant) -> dict[str, Any]:
        res = await take_checkpoint(session, path, anchors)
        cp = res.checkpoint
        return {"status": res.status, "seq": cp.seq if cp else None, "hash": cp.hash if cp else None,
                "detail": describe(res.report)}

    rows = asyncio.run(_each_tenant(division_code, work))
    for r in rows:
        head = f"seq {r['seq']} {r['hash'][:12]}" if r["seq"] else ""
        click.echo(f"{r['divisionCode']} {r['name']} ({r['tenant']}): {r['status']} {head}".rstrip()
                   + (f" - {r['detail']}" if r["status"] == "broken" else ""))
    click.echo(f"checkpoints file: {path}")
    if any(r["status"] == "broken" for r in rows):
        sys.exit(1)


@audit_cli.command("verify")
@click.option("--tenant", "division_code", default=None, help="Only this tenant (division code).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def verify(division_code: str | None, as_json: bool) -> None:
    """Verify each tenant's chain and that it still reaches, and agrees with, every signed checkpoint."""
    from govhall.audit.checkpoints import describe, read_anchors
    from govhall.audit.services import verify_chain

    path = _path()
    anchors = read_anchors(path)

    async def work(session, tenant) -> dict[str, Any]:
        r = await verify_chain(session, anchors=anchors.of(tenant.id))
        return {**_report(r), "detail": describe(r)}

    rows = asyncio.run(_each_tenant(division_code, work))
    failed = [r for r in rows if not r["ok"]]
    if as_json:
        click.echo(json.dumps({"tenants": rows, "checkpointsFile": str(path), "checkpointsFound": anchors.found,
                               "badCheckpointLines": anchors.bad_lines}, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            click.echo(f"{r['divisionCode']} {r['name']} ({r['tenant']}): {r['detail']}")
        if not anchors.found:
            click.echo(f"warning: no checkpoints at {path}: deleting the newest events would go unnoticed")
        if anchors.bad_lines:
            click.echo(f"FAILED {path}: {anchors.bad_lines} line(s) malformed, wrongly signed or contradicting "
                       f"an earlier checkpoint")
        click.echo(f"{len(rows)} tenant(s), {len(failed)} failed")
    if failed or anchors.bad_lines:
        sys.exit(1)
