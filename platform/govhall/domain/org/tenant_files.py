"""The demo loader (``govhall demo``, the tests' ``demo`` fixture): ``apply`` of ``tenants/`` (tenants as code,
``tenants_code.sync``) with one password for every new account and the packs effective from 2026-01-01."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.org.tenant_yaml import ROOT, TenantFileError, read_dir
from govhall.domain.org.tenants_code import sync

DEFAULT_DIR = ROOT
PACKS_EFFECTIVE_FROM = date(2026, 1, 1)


@dataclass
class LoadReport:
    tenants: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)  # username, roles, tenant, password


def installed_packs() -> set[str]:
    from govhall.packs.manager import get_host

    return set(get_host().packs)


async def load(session: AsyncSession, password: str, directory: Path = DEFAULT_DIR) -> LoadReport:
    """Plan, then apply when the plan has no problems (else ``ValueError`` listing them with file and line)."""
    docs = read_dir(directory, installed_packs())
    plan = await sync(session, docs, effective_from=PACKS_EFFECTIVE_FROM, password=password, commit=False)
    if plan.problems:
        raise ValueError("\n".join(map(str, plan.problems)))
    done = await sync(session, docs, effective_from=PACKS_EFFECTIVE_FROM, password=password, commit=True)
    if done.problems:
        raise ValueError("\n".join(map(str, done.problems)))
    report = LoadReport()
    roles = {str(a["username"]): ",".join(a.get("roles") or []) or ("platform_admin" if a.get("platform_admin") else "")
             for d in docs for a in d.accounts}
    for t in done.tenants:
        report.tenants.append(f"{t.name} ({t.division_code})")
        report.logins += [(u, roles.get(u, ""), "平台" if roles.get(u) == "platform_admin" else t.name, pw)
                          for u, pw in t.logins]
    return report


__all__ = ["DEFAULT_DIR", "LoadReport", "TenantFileError", "load"]
