"""The ``govhall`` command: serve, db upgrade, demo, packs, attendance and audit jobs."""

from __future__ import annotations

import asyncio
import os

import click

from govhall.config import get_settings

DEMO_PASSWORD = "Demo@12345"


@click.group()
def main() -> None:
    """govhall: staff rules for government service halls."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
def serve(host: str, port: int, workers: int, reload: bool) -> None:
    """Serve the API and the web UI."""
    import uvicorn

    uvicorn.run("govhall.app:create_app", factory=True, host=host, port=port, workers=workers, reload=reload,
                proxy_headers=False, log_config=None, access_log=False)


@main.group()
def db() -> None:
    """Database migrations."""


@db.command()
def upgrade() -> None:
    """Apply every migration (all heads) with the owner connection."""
    from govhall.db.migrate import upgrade as do_upgrade

    url = get_settings().owner_database_url
    do_upgrade(url)
    click.echo("database is up to date")


ROLE_NAMES = {"platform_admin": "平台管理员", "provincial_admin": "省级管理员", "center_admin": "中心管理员",
              "chief_representative": "首席代表", "duty_officer": "值班人员", "clerk": "窗口工作人员"}


def banner(url: str, logins: list[tuple[str, str, str, str]], password: str | None) -> str:
    """What a newcomer needs after ``make run``: the address to open and the demo logins (issue 13)."""
    rule = "─" * 64
    lines = [rule, " govhall 已就绪 · ready", f" 打开 Open:  {url}",
             f" 演示账号 Demo logins — 密码 password: {password}" if password
             else " 演示账号 Demo logins — 密码为首次加载时设定的密码 (password as first loaded, default "
                  f"{DEMO_PASSWORD})"]
    for username, roles, center, _pw in logins:
        names = "、".join(ROLE_NAMES.get(r.strip(), r.strip()) for r in roles.split(",") if r.strip())
        lines.append(f"   {username:<18} {names:<10}\t{center}")
    lines += [" 停止 Stop: Ctrl+C · 详细输出 Verbose: make run V=1 · 日志 Log: var/make-run.log", rule]
    return "\n".join(lines)


def _yaml_logins() -> list[tuple[str, str, str, str]]:
    """The demo accounts as tenants/*.yaml declare them (when the demo was loaded before: no new passwords)."""
    from pathlib import Path

    import yaml

    out = []
    for path in sorted((Path(__file__).resolve().parents[2] / "tenants").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for acc in doc.get("accounts") or []:
            roles = ["platform_admin"] if acc.get("platform_admin") else list(acc.get("roles") or [])
            out.append((str(acc["username"]), ",".join(roles),
                        "平台" if acc.get("platform_admin") else str(doc.get("name", "")), ""))
    return out


@main.command()
@click.option("--password", default=DEMO_PASSWORD, show_default=True, help="Password of every demo account.")
@click.option("--banner", "banner_url", default=None, metavar="URL",
              help="Print only a short banner with this URL and the logins (make run).")
def demo(password: str, banner_url: str | None) -> None:
    """Load the demo province and centers from tenants/ and print the logins."""
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from govhall.log import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)  # logs to stderr; stdout is what a person reads

    from govhall.domain.assessment.demo import load_demo
    from govhall.domain.org.tenant_files import load
    from govhall.tenancy.engine import create_engine

    async def run() -> None:
        engine = create_engine(get_settings().owner_database_url)
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            report = await load(session, password)
            from govhall.domain.leave.demo import seed as seed_leave

            leave_lines = await seed_leave(session)
            from govhall.domain.complaints.demo import seed as seed_cases

            case_lines = await seed_cases(session)
            assessed = await load_demo(session)  # assessment: a closed, published month (issue 11)
            from govhall.domain.supervision.demo import load_demo as load_supervision

            supervised = await load_supervision(session)  # rota and a week of patrols (issue 14)
            from govhall.domain.redflag.demo import load_demo as load_red_flag

            red_flag_lines = await load_red_flag(session)  # a published red-flag round, the city's window rota
            from govhall.domain.attendance.demo import seed as seed_punches

            punch_lines = await seed_punches(session)  # a month that looks like a hall's (issue 13)
        await engine.dispose()
        if banner_url:
            logins = report.logins or _yaml_logins()
            click.echo(banner(banner_url, logins, password if report.logins else None))
            return
        if assessed:
            click.echo(f"Assessment demo: {assessed}")
        if supervised:
            click.echo(f"Supervision demo: {supervised}")
        for line in red_flag_lines:
            click.echo(f"Red flag demo: {line}")
        click.echo("Demo tenants:")
        for t in report.tenants:
            click.echo(f"  {t}")
        for line in leave_lines:
            click.echo(f"  leave: {line}")
        for line in case_lines:
            click.echo(f"  cases: {line}")
        for line in punch_lines:
            click.echo(f"  punches: {line}")
        if report.logins:
            click.echo("Logins (username / roles / center / password):")
            for row in report.logins:
                click.echo("  " + " / ".join(row))
        else:
            click.echo("Demo data already loaded; logins unchanged (password: the one given when first loaded).")

    asyncio.run(run())


@main.group()
def packs() -> None:
    """Policy packs (entry-point group govhall.packs)."""


@packs.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def packs_list(as_json: bool) -> None:
    """List the installed packs: name, version, distribution and the hooks each implements."""
    import json

    from govhall.log import configure_logging
    from govhall.packs.views import catalogue

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    rows = catalogue()
    if as_json:
        import msgspec

        click.echo(json.dumps(msgspec.to_builtins(rows), ensure_ascii=False, indent=2))
        return
    for p in rows:
        dist = f"{p.distribution} {p.distribution_version}" if p.distribution else "-"
        click.echo(f"{p.name:<18} {p.version:<8} {p.title.zh} / {p.title.en}  [{dist}]")
        click.echo(f"{'':<18} hooks: {', '.join(p.hooks) or '-'}")


@main.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
def openapi(output: str | None) -> None:
    """Print the OpenAPI document (JSON) the UI's client is generated from; needs no server or database."""
    from govhall.system.openapi import dump_openapi

    text = dump_openapi()
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        click.echo(text, nl=False)


def _register_commands() -> None:
    from govhall.audit.cli import audit_cli
    from govhall.domain.attendance.cli import attendance_cli
    from govhall.domain.leave.cli import leave_cli
    from govhall.domain.org.cli import tenants_cli
    from govhall.domain.supervision import outings, rota  # noqa: F401  (duty hours and outings, for evaluate)

    main.add_command(attendance_cli)
    main.add_command(audit_cli)
    main.add_command(leave_cli)
    main.add_command(tenants_cli)


_register_commands()


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("GOVHALL_ENV", "dev")
    main()
