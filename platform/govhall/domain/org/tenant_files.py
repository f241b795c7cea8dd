"""Tenants as code: load ``tenants/*.yaml`` (the demo centers) into the database, idempotently by division code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.models import RoleAssignment
from govhall.domain.identity.models import User
from govhall.domain.identity.passwords import hash_password
from govhall.domain.org.models import Department, Staff, Window
from govhall.domain.org.names import normalize_name
from govhall.domain.org.tenants import create_tenant
from govhall.errors import AppError
from govhall.tenancy.context import system_scope, tenant_scope
from govhall.tenancy.models import Tenant, TenantLevel

DEFAULT_DIR = Path(__file__).resolve().parents[4] / "tenants"


@dataclass
class LoadReport:
    tenants: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)  # username, roles, tenant, password


def read_files(directory: Path = DEFAULT_DIR) -> list[dict[str, Any]]:
    docs = [yaml.safe_load(p.read_text(encoding="utf-8")) | {"_file": p.name} for p in sorted(directory.glob("*.yaml"))]
    keys = {d["key"] for d in docs}
    for d in docs:
        if d.get("parent") and d["parent"] not in keys:
            raise ValueError(f"{d['_file']}: unknown parent {d['parent']!r}")
    return docs


async def load(session: AsyncSession, password: str, directory: Path = DEFAULT_DIR) -> LoadReport:
    """Create what is missing; an existing tenant (same division code) is left as it is."""
    report = LoadReport()
    by_key: dict[str, Tenant] = {}
    for doc in read_files(directory):
        with system_scope():
            tenant = await session.scalar(select(Tenant).where(Tenant.division_code == doc["division_code"]))
            if tenant is None:
                tenant = await create_tenant(
                    session, name=doc["name"], level=TenantLevel(doc["level"]),
                    division_code=doc["division_code"], parent=by_key.get(doc.get("parent", "")),
                    template=doc.get("template"),
                )
                fresh = True
            else:
                fresh = False
        by_key[doc["key"]] = tenant
        report.tenants.append(f"{tenant.name} ({tenant.level.value}, {tenant.division_code})")
        if fresh:
            with tenant_scope(tenant.id):
                await _fill(session, tenant, doc, password, report)
        with tenant_scope(tenant.id):
            await _apply_packs(session, tenant, doc)
        await session.commit()
    return report


PACKS_EFFECTIVE_FROM = date(2026, 1, 1)


async def _apply_packs(session: AsyncSession, tenant: Tenant, doc: dict[str, Any]) -> None:
    """``packs`` (enabled, with overrides), ``pack_defaults`` (overrides for the tenants below, not enabled
    here) and ``pack_locks``: saved as each pack's version 1, effective 2026-01-01, unless the tenant already
    has settings of that pack (so loading twice changes nothing)."""
    from govhall.packs.models import PackSettingsVersion
    from govhall.packs.services import Actor, save_version

    enabled = doc.get("packs") or {}
    defaults = doc.get("pack_defaults") or {}
    locks = doc.get("pack_locks") or {}
    for name in sorted(set(enabled) | set(defaults) | set(locks)):
        exists = await session.scalar(select(PackSettingsVersion.id).where(PackSettingsVersion.pack == name).limit(1))
        if exists:
            continue
        overrides = {**(defaults.get(name) or {}), **(enabled.get(name) or {})}
        try:
            await save_version(session, tenant.id, name, effective_from=PACKS_EFFECTIVE_FROM, enabled=name in enabled,
                               overrides=overrides, locks=list(locks.get(name) or []),
                               note="tenants/" + doc["_file"], actor=Actor(None, "govhall demo"), can_lock=True,
                               allow_past=True)
        except AppError as exc:
            raise ValueError(f"{doc['_file']}: pack {name}: {exc.en} {exc.fields}") from exc


async def _fill(session: AsyncSession, tenant: Tenant, doc: dict[str, Any], password: str, report: LoadReport) -> None:
    depts: dict[str, Department] = {}
    windows: dict[str, Window] = {}
    for d in doc.get("departments", []):
        dept = Department(name=d["name"], code=d.get("code"))
        session.add(dept)
        await session.flush()
        depts[dept.name] = dept
        for w in d.get("windows", []):
            win = Window(number=str(w["number"]), name=w["name"], department_id=dept.id)
            session.add(win)
            windows[win.number] = win
    await session.flush()
    staff: dict[str, Staff] = {}
    for s in doc.get("staff", []):
        person = Staff(
            name=normalize_name(s["name"]), employee_no=str(s["employee_no"]),
            department_id=depts[s["department"]].id if s.get("department") else None,
            window_id=windows[str(s["window"])].id if s.get("window") else None,
        )
        session.add(person)
        staff[person.employee_no] = person
    await session.flush()
    pw_hash = hash_password(password)
    for a in doc.get("accounts", []):
        user = User(username=a["username"], display_name=a["display_name"], password_hash=pw_hash,
                    must_change_password=False, is_platform_admin=bool(a.get("platform_admin")),
                    staff_id=staff[str(a["staff"])].id if a.get("staff") else None)
        session.add(user)
        await session.flush()
        for role in a.get("roles", []):
            session.add(RoleAssignment(user_id=user.id, role=role))
        roles = ",".join(a.get("roles", [])) or ("platform_admin" if a.get("platform_admin") else "")
        report.logins.append((user.username, roles, tenant.name, password))
    await session.flush()
    # A provincial admin created here also governs every tenant already below (first load: none yet).
