"""Tenants as code: ``govhall tenants plan|apply|export`` against ``tenants/*.yaml``.

``sync`` walks every file (parents first) and makes the database match it: tenants to create, their metadata,
departments, windows, staff, accounts and roles added or changed, and pack settings saved as new versions through
``packs.services.save_version`` (so parents' locks, validation, ``breaks_descendant`` and the audit apply), with
the actor "tenants-as-code". Nothing is deleted silently: rows only in the database are reported as kept, and go
only with ``remove`` (``--remove``: staff set "left", accounts disabled, roles revoked, windows and departments
deleted through the org and account services, each audited); a pack enabled only in the database is switched off
only with ``prune_packs``. ``plan`` runs the same walk in one transaction and
rolls it back (so a plan shows exactly what apply would do, and finds every problem apply would hit);
``apply`` first plans, writes nothing when the plan has problems, then commits one transaction per tenant.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.authz.grants import grant_inherited
from govhall.authz.models import RoleAssignment
from govhall.authz.permissions import Role
from govhall.bus import CHANNEL, POLICY, message
from govhall.domain.identity.accounts import ASSIGNABLE_ROLES, RoleService, UserService, new_account
from govhall.domain.identity.models import User
from govhall.domain.identity.passwords import hash_password
from govhall.domain.org.models import Department, Staff, StaffStatus, Window
from govhall.domain.org.names import normalize_name
from govhall.domain.org.tenant_yaml import FileProblem, TenantDoc, dump, line_of
from govhall.domain.org.tenants import create_tenant, platform_tenant
from govhall.errors import AppError
from govhall.log import get_logger
from govhall.packs.services import Actor, load_chain, preview_version, save_version
from govhall.tenancy.context import system_scope, tenant_scope
from govhall.tenancy.models import Tenant, TenantLevel
from govhall.tenancy.tree import subtree

log = get_logger(__name__)

ACTOR = Actor(None, "tenants-as-code")
SOURCE = {"source": "tenants-as-code"}


@dataclass
class TenantResult:
    file: str
    division_code: str
    name: str
    created: bool = False
    changes: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)  # username, password (new accounts)
    tenant_id: UUID | None = None

    @property
    def drift(self) -> bool:
        return self.created or bool(self.changes)


@dataclass
class SyncReport:
    tenants: list[TenantResult] = field(default_factory=list)

    @property
    def problems(self) -> list[FileProblem]:
        return [p for t in self.tenants for p in t.problems]

    @property
    def drift(self) -> bool:
        return any(t.drift for t in self.tenants)

    def lines(self, *, kept: bool = True) -> list[str]:
        out: list[str] = []
        for t in self.tenants:
            mark = "+" if t.created else ("~" if t.changes else "=")
            out.append(f"{mark} {t.name} ({t.division_code})  [{t.file}]")
            out += [f"    {c}" for c in t.changes]
            if kept:
                out += [f"    = {k}" for k in t.kept]
            out += [f"    ! {p}" for p in t.problems]
        return out


def _norm(value: Any) -> str:
    return json.dumps(_tidy(value), sort_keys=True, ensure_ascii=False, default=str)


def _fmt(value: Any) -> str:
    text = repr(value) if not isinstance(value, (dict, list)) else dump(value).strip().replace("\n", " ")
    return text if len(text) <= 160 else text[:157] + "..."


async def _notify_policy(session: AsyncSession, tenant_ids: list[UUID]) -> None:
    """Running servers drop their cached role assignments of these tenants when this transaction commits
    (PostgreSQL ``pg_notify`` is transactional; SQLite runs one process, which reloads on its own)."""
    if tenant_ids and session.get_bind().dialect.name == "postgresql":
        payload = message(POLICY, [str(t) for t in tenant_ids], uuid.uuid4().hex, "tenants-as-code")
        await session.execute(select(func.pg_notify(CHANNEL, payload)))


class _Sync:
    def __init__(self, session: AsyncSession, *, effective_from: dt.date, password: str | None, prune_packs: bool,
                 today: dt.date, remove: bool = False) -> None:
        self.session = session
        self.remove = remove
        self.effective_from = effective_from
        self.password = password
        self.pw_hash = hash_password(password) if password else None
        self.prune_packs = prune_packs
        self.today = today
        self.by_key: dict[str, Tenant] = {}

    async def tenant(self, doc: TenantDoc, r: TenantResult) -> Tenant | None:
        s = self.session
        with system_scope():
            tenant = await s.scalar(select(Tenant).where(Tenant.division_code == doc.division_code))
            parent: Tenant | None = None
            if doc.parent:
                parent = self.by_key.get(doc.parent) or await s.scalar(
                    select(Tenant).where(Tenant.division_code == (doc.parent_code or doc.parent)))
                if parent is None:
                    r.problems.append(FileProblem(doc.file, line_of(doc.data, "parent"),
                                                  f"上级 {doc.parent} 不存在（既不是某个文件的 key，也不是已有机构的区划代码）",
                                                  f"parent {doc.parent!r} does not exist (no file key, no tenant with that code)"))
                    return None
        if tenant is None:
            try:
                tenant = await create_tenant(s, name=doc.name, level=doc.level, division_code=doc.division_code,
                                             parent=parent, template=doc.template)
            except AppError as exc:
                r.problems.append(FileProblem(doc.file, doc.data.line, exc.zh, exc.en))
                return None
            r.created = True
            r.changes.append(f"+ tenant {doc.name} ({doc.level.value}, {doc.division_code})"
                             + (f" under {parent.name}" if parent else ""))
            with tenant_scope(tenant.id):
                await record_audit(s, action="tenant.create", target_type="tenant", target_id=str(tenant.id),
                                   details={"name": tenant.name, "level": tenant.level, "divisionCode":
                                            tenant.division_code, "parentId": tenant.parent_id,
                                            "template": tenant.template, **SOURCE})
            return tenant
        if tenant.parent_id != (parent.id if parent is not None else None):
            r.problems.append(FileProblem(doc.file, line_of(doc.data, "parent"),
                                          "该机构在数据库中的上级不同；不能通过文件移动机构",
                                          "the tenant has another parent in the database; files cannot move a tenant"))
            return None
        if tenant.level is not doc.level:
            r.problems.append(FileProblem(doc.file, line_of(doc.data, "level"), "层级与数据库中的不同，不能修改",
                                          "the level differs from the database; it cannot be changed"))
            return None
        changes = {k: v for k, v in (("name", doc.name), ("template", doc.template)) if getattr(tenant, k) != v}
        if changes:
            before = {k: getattr(tenant, k) for k in changes}
            for k, v in changes.items():
                setattr(tenant, k, v)
                r.changes.append(f"~ tenant {k}: {_fmt(before[k])} -> {_fmt(v)}")
            with tenant_scope(tenant.id):
                await record_audit(s, action="tenant.update", target_type="tenant", target_id=str(tenant.id),
                                   details={"before": before, "after": changes, **SOURCE})
        return tenant

    async def _upsert(self, r: TenantResult, obj: Any, model: type, label: str, ident: str,
                      values: dict[str, Any], lookup: Any) -> Any:
        s = self.session
        if obj is None:
            obj = model(**values)
            s.add(obj)
            await s.flush()
            r.changes.append(f"+ {label} {ident}")
            await record_audit(s, action=f"{label}.create", target_type=label, target_id=str(obj.id),
                               details={**values, **SOURCE})
            return obj
        diff = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if diff:
            before = {k: getattr(obj, k) for k in diff}
            for k, v in diff.items():
                setattr(obj, k, v)
            shown = ", ".join(f"{k.removesuffix('_id')}: {_fmt(lookup(k, before[k]))} -> {_fmt(lookup(k, v))}"
                              for k, v in diff.items())
            r.changes.append(f"~ {label} {ident}: {shown}")
            await record_audit(s, action=f"{label}.update", target_type=label, target_id=str(obj.id),
                               details={"before": before, "after": diff, **SOURCE})
        return obj

    async def org(self, doc: TenantDoc, r: TenantResult) -> dict[str, Staff]:
        s = self.session
        depts = {d.name: d for d in (await s.scalars(select(Department))).all()}
        windows = {w.number: w for w in (await s.scalars(select(Window))).all()}
        staff = {p.employee_no: p for p in (await s.scalars(select(Staff))).all()}
        names = {d.id: d.name for d in depts.values()}
        wnos = {w.id: w.number for w in windows.values()}

        def shown(k: str, v: Any) -> Any:
            return names.get(v, v) if k == "department_id" else (wnos.get(v, v) if k == "window_id" else v)

        seen_d, seen_w, seen_s = set(), set(), set()
        for d in doc.departments:
            name = str(d["name"]).strip()
            code = str(d["code"]).strip() if d.get("code") is not None else None
            dept = await self._upsert(r, depts.get(name), Department, "department", name, {"name": name, "code": code},
                                      shown)
            depts[name], names[dept.id] = dept, name
            seen_d.add(name)
            for w in d.get("windows") or []:
                no = str(w["number"]).strip()
                win = await self._upsert(r, windows.get(no), Window, "window", no,
                                         {"number": no, "name": str(w["name"]).strip(), "department_id": dept.id},
                                         shown)
                windows[no], wnos[win.id] = win, no
                seen_w.add(no)
        for p in doc.staff:
            no = str(p["employee_no"]).strip()
            values: dict[str, Any] = {
                "name": normalize_name(str(p["name"])), "employee_no": no,
                "department_id": depts[str(p["department"])].id if p.get("department") else None,
                "window_id": windows[str(p["window"])].id if p.get("window") else None,
            }
            if p.get("phone") is not None:
                values["phone"] = str(p["phone"])
            if p.get("status") is not None:
                try:
                    values["status"] = StaffStatus(str(p["status"]))
                except ValueError:
                    r.problems.append(FileProblem(doc.file, line_of(p, "status"), "人员状态不正确",
                                                  "status must be active, suspended, returned_to_unit or left"))
                    continue
            elif no in staff:
                values["status"] = StaffStatus.active
            staff[no] = await self._upsert(r, staff.get(no), Staff, "staff", no, values, shown)
            seen_s.add(no)
        gone_s = [staff[n] for n in sorted(set(staff) - seen_s) if staff[n].status is not StaffStatus.left]
        gone_w = [windows[n] for n in sorted(set(windows) - seen_w)]
        gone_d = [depts[n] for n in sorted(set(depts) - seen_d)]
        if not self.remove:
            r.kept += [f"department {d.name} only in the database (kept; --remove deletes it)" for d in gone_d]
            r.kept += [f"window {w.number} only in the database (kept; --remove deletes it)" for w in gone_w]
            r.kept += [f"staff {p.employee_no} only in the database (kept; --remove sets them 'left')" for p in gone_s]
            return staff
        await self._remove_org(r, gone_d, gone_w, gone_s)
        return staff

    async def _remove_org(self, r: TenantResult, depts: list[Department], windows: list[Window],
                          people: list[Staff]) -> None:
        """``--remove``: staff only in the database leave (status ``left``, their window freed; their history stays),
        then windows and departments only in the database are deleted through the org services (audited; one still
        in use is kept and said so)."""
        from govhall.domain.org.services import DepartmentService, WindowService

        s = self.session
        for p in people:
            before = {"status": p.status.value, "window_id": p.window_id}
            p.status, p.window_id = StaffStatus.left, None
            await s.flush()
            r.changes.append(f"- staff {p.employee_no} {p.name}: status {before['status']} -> left")
            await record_audit(s, action="staff.update", target_type="staff", target_id=str(p.id),
                               details={"before": before, "after": {"status": "left", "window_id": None}, **SOURCE})
        for w in windows:
            try:
                await WindowService(session=s).delete_window(w.id, commit=False)
                r.changes.append(f"- window {w.number} {w.name}")
            except AppError as exc:
                r.kept.append(f"window {w.number} only in the database, kept: {exc.en}")
        for d in depts:
            try:
                await DepartmentService(session=s).delete_department(d.id, commit=False)
                r.changes.append(f"- department {d.name}")
            except AppError as exc:
                r.kept.append(f"department {d.name} only in the database, kept: {exc.en}")

    async def accounts(self, doc: TenantDoc, tenant: Tenant, r: TenantResult, staff: dict[str, Staff]) -> bool:
        s = self.session
        roles_changed = False
        wanted_users = set()
        for a in doc.accounts:
            username = str(a["username"]).strip()
            wanted_users.add(username)
            with system_scope():
                user = await s.scalar(select(User).where(User.username == username))
            staff_id = staff[str(a["staff"])].id if a.get("staff") is not None else None
            # platform admins live in the reserved platform tenant, never in the province that lists them
            home = await platform_tenant(s) if a.get("platform_admin") else tenant
            if user is not None and user.tenant_id != home.id:
                r.problems.append(FileProblem(doc.file, a.line, f"用户名 {username} 已被其他机构使用",
                                              f"username {username!r} belongs to another tenant"))
                continue
            values: dict[str, Any] = {"display_name": normalize_name(str(a["display_name"])), "staff_id": staff_id,
                      "is_platform_admin": bool(a.get("platform_admin"))}
            if user is None:
                if self.pw_hash:
                    user = User(username=username, password_hash=self.pw_hash, must_change_password=False,
                                is_active=True, failed_logins=0, **values)
                    pw = self.password or ""
                else:
                    user, pw = new_account(username=username, display_name=values["display_name"], staff_id=staff_id)
                    user.is_platform_admin = values["is_platform_admin"]
                await s.flush()  # this tenant's pending rows are stamped in its own scope first
                with tenant_scope(home.id):
                    user.tenant_id = home.id
                    s.add(user)
                    await s.flush()
                r.changes.append(f"+ account {username}")
                r.logins.append((username, pw))
                await record_audit(s, action="user.create", target_type="user", target_id=str(user.id),
                                   details={"username": username, "displayName": user.display_name,
                                            "roles": list(a.get("roles") or []), **SOURCE})
            else:
                await self._upsert(r, user, User, "user", username, values, lambda k, v: v)
                if await UserService(session=s).switch_active(user, True, **SOURCE):  # listed again: enabled
                    r.changes.append(f"~ account {username}: enabled")
            held = set((await s.scalars(select(RoleAssignment.role).where(RoleAssignment.user_id == user.id))).all())
            for role in a.get("roles") or []:
                if role in held:
                    continue
                roles_changed = True
                r.changes.append(f"+ role {role} for {username}")
                if role == Role.provincial_admin.value:  # authority over every tenant of the province
                    for t in await subtree(s, tenant):
                        await grant_inherited(s, t.id, [user.id])
                else:
                    s.add(RoleAssignment(user_id=user.id, role=role))
                    await s.flush()
                await record_audit(s, action="role.assign", target_type="user", target_id=str(user.id),
                                   details={"username": username, "role": role, **SOURCE})
            extra = held - set(a.get("roles") or [])
            if tenant.level is not TenantLevel.province:
                extra.discard(Role.provincial_admin.value)
            for x in sorted(extra):
                if not self.remove or x not in ASSIGNABLE_ROLES:
                    hint = "--remove revokes it" if x in ASSIGNABLE_ROLES else "revoke it on the tenants page"
                    r.kept.append(f"role {x} of {username} only in the database (kept; {hint})")
                    continue
                row = await s.scalar(select(RoleAssignment).where(RoleAssignment.user_id == user.id,
                                                                  RoleAssignment.role == x))
                if row is None:  # pragma: no cover - read just above, in this transaction
                    continue
                await RoleService(session=s).remove(row, username, **SOURCE)
                roles_changed = True
                r.changes.append(f"- role {x} of {username}")
        with system_scope():
            others = (await s.scalars(select(User).where(User.tenant_id == tenant.id, User.is_active.is_(True))
                                      .order_by(User.username))).all()
        for u in others:
            if u.username in wanted_users:
                continue
            if not self.remove:
                r.kept.append(f"account {u.username} only in the database (kept; --remove disables it)")
                continue
            await UserService(session=s).switch_active(u, False, **SOURCE)
            r.changes.append(f"- account {u.username} disabled (its sessions end)")
        return roles_changed

    async def packs(self, doc: TenantDoc, tenant: Tenant, r: TenantResult) -> None:
        from govhall.packs.manager import get_host
        from govhall.packs.resolve import resolve

        installed = get_host().packs
        allow_past = r.created
        names = sorted(set(doc.packs) | set(doc.pack_defaults) | set(doc.pack_locks))
        can_lock = tenant.level is not TenantLevel.township
        for name in names:
            overrides = {**doc.pack_defaults.get(name, {}), **doc.packs.get(name, {})}
            await self._save(doc, tenant, r, name, enabled=name in doc.packs, overrides=overrides,
                             locks=doc.pack_locks.get(name, []), can_lock=can_lock, allow_past=allow_past)
        chain = await load_chain(self.session, tenant.id)
        for name in sorted(set(installed) - set(names)):
            own = resolve(installed[name].spec, chain, self.effective_from).own
            if own is None or (not own.enabled and not own.overrides and not own.locks):
                continue
            if self.prune_packs:
                await self._save(doc, tenant, r, name, enabled=False, overrides={}, locks=[], can_lock=can_lock,
                                 allow_past=allow_past)
            else:
                r.kept.append(f"pack {name} has settings only in the database (kept; --prune-packs switches it off)")

    async def _save(self, doc: TenantDoc, tenant: Tenant, r: TenantResult, pack: str, *, enabled: bool,
                    overrides: dict[str, Any], locks: list[str], can_lock: bool, allow_past: bool) -> None:
        kw = {"effective_from": self.effective_from, "enabled": enabled, "overrides": overrides, "locks": locks,
              "can_lock": can_lock, "today": self.today, "allow_past": allow_past}
        try:
            # what would change (a past effective date is refused below only when something does change)
            _current, _clean, changes = await preview_version(self.session, tenant.id, pack,
                                                              **(kw | {"allow_past": True}))  # type: ignore[arg-type]  # kw holds the keyword arguments of save_version, checked there
            changes = [c for c in changes if _norm(c["before"]) != _norm(c["after"])]  # (1, 2) is [1, 2]
            if not changes:
                return
            result = await save_version(self.session, tenant.id, pack, note=f"tenants/{doc.file}", actor=ACTOR, **kw)  # type: ignore[arg-type]  # kw holds the keyword arguments of save_version, checked there
        except AppError as exc:
            fields = exc.fields or []
            if not fields:
                r.problems.append(FileProblem(doc.pack_file, doc.pack_line(pack), f"规则包 {pack}：{exc.zh}",
                                              f"pack {pack}: {exc.en}"))
            for f in fields:
                name = str(f.get("field", "")).split(".")[0].split("[")[0].split("/")[0]
                msg = f.get("message") or {}
                r.problems.append(FileProblem(doc.pack_file, doc.pack_line(pack, name),
                                              f"规则包 {pack} 的 {f.get('field')}：{msg.get('zh', exc.zh)}",
                                              f"pack {pack}, {f.get('field')}: {msg.get('en', exc.en)}"))
            return
        row = result.row
        parts = "; ".join(f"{c['field']}: {_fmt(c['before'])} -> {_fmt(c['after'])}" for c in changes)
        r.changes.append(f"~ pack {pack} v{row.version} effective {row.effective_from.isoformat()}: {parts}")


async def sync(session: AsyncSession, docs: list[TenantDoc], *, effective_from: dt.date, password: str | None = None,
               prune_packs: bool = False, remove: bool = False, commit: bool, today: dt.date | None = None
               ) -> SyncReport:
    """Make the database match ``docs``. ``commit=False``: everything in one transaction, rolled back (plan);
    ``commit=True``: one transaction per tenant (apply; call after a plan without problems). ``remove``: rows only
    in the database go (staff leave, accounts are disabled, roles revoked, windows and departments deleted);
    without it they are kept and listed."""
    from govhall.domain.rulescode.tenant_extras import apply_extras  # leave keys: a domain above org

    today = today or dt.date.today()
    run = _Sync(session, effective_from=effective_from, password=password, prune_packs=prune_packs, today=today,
                remove=remove)
    report = SyncReport()
    try:
        for doc in docs:
            r = TenantResult(doc.file, doc.division_code, doc.name)
            report.tenants.append(r)
            tenant = await run.tenant(doc, r)
            if tenant is None:
                continue
            r.tenant_id = tenant.id
            run.by_key[doc.key] = tenant
            with tenant_scope(tenant.id):
                staff = await run.org(doc, r)
                roles = await run.accounts(doc, tenant, r, staff)
                await apply_extras(session, doc, remove=remove, changes=r.changes, kept=r.kept, problems=r.problems)
                await run.packs(doc, tenant, r)
                if roles or r.created:
                    await _notify_policy(session, [tenant.id])
                if r.changes and not r.created:
                    await record_audit(session, action="tenants_code.apply", target_type="tenant",
                                       target_id=str(tenant.id), details={"file": doc.file, "changes": len(r.changes),
                                                                          **SOURCE})
            if commit:
                if r.problems:
                    await session.rollback()
                    break
                await session.commit()
                log.info("tenants_applied", tenant=doc.division_code, changes=len(r.changes))
    finally:
        if not commit:
            await session.rollback()
    return report


# ---- export -------------------------------------------------------------------------------------------------


async def export(session: AsyncSession, division_code: str, on: dt.date | None = None) -> dict[str, Any]:
    """The tenant as a tenant file (key and parent are division codes): its metadata, departments with windows,
    staff, its active accounts with their own roles, and the pack settings of its own level in force on ``on``."""
    from govhall.domain.rulescode.tenant_extras import export_extras
    from govhall.packs.manager import get_host
    from govhall.packs.resolve import resolve

    on = on or dt.date.today()
    with system_scope():
        tenant = await session.scalar(select(Tenant).where(Tenant.division_code == division_code))
        if tenant is None:
            raise AppError("unknown_tenant", f"没有区划代码为 {division_code} 的机构", f"No tenant with code {division_code}",
                           status=404)
        parent = await session.get(Tenant, tenant.parent_id) if tenant.parent_id else None
    out: dict[str, Any] = {"key": tenant.division_code}
    if parent is not None:
        out["parent"] = parent.division_code
    out |= {"name": tenant.name, "level": tenant.level.value, "division_code": tenant.division_code}
    if tenant.template:
        out["template"] = tenant.template
    with tenant_scope(tenant.id):
        depts = (await session.scalars(select(Department).order_by(Department.name))).all()
        windows = (await session.scalars(select(Window).order_by(Window.number))).all()
        staff = (await session.scalars(select(Staff).order_by(Staff.employee_no))).all()
        users = (await session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.username))).all()
        roles = (await session.execute(select(RoleAssignment.user_id, RoleAssignment.role)
                                       .order_by(RoleAssignment.role))).all()
        extras = await export_extras(session)
    dept_name = {d.id: d.name for d in depts}
    win_no = {w.id: w.number for w in windows}
    emp_no = {p.id: p.employee_no for p in staff}
    if depts:
        out["departments"] = [
            {"name": d.name, **({"code": d.code} if d.code else {}),
             **({"windows": ws} if (ws := [{"number": w.number, "name": w.name} for w in windows
                                           if w.department_id == d.id]) else {})}
            for d in depts]
    if staff:
        out["staff"] = [
            {"name": p.name, "employee_no": p.employee_no,
             **({"department": dept_name[p.department_id]} if p.department_id else {}),
             **({"window": win_no[p.window_id]} if p.window_id else {}),
             **({"phone": p.phone} if p.phone else {}),
             **({"status": p.status.value} if p.status is not StaffStatus.active else {})}
            for p in staff]
    if users:
        out["accounts"] = []
        for u in users:
            held = [role for uid, role in roles if uid == u.id]
            if tenant.level is not TenantLevel.province:
                held = [x for x in held if x != Role.provincial_admin.value]  # inherited from the province
            out["accounts"].append({
                "username": u.username, "display_name": u.display_name, "roles": held,
                **({"staff": emp_no[u.staff_id]} if u.staff_id else {}),
                **({"platform_admin": True} if u.is_platform_admin else {})})
    out |= extras
    chain = await load_chain(session, tenant.id)
    packs: dict[str, Any] = {}
    defaults: dict[str, Any] = {}
    locks: dict[str, Any] = {}
    for name, p in sorted(get_host().packs.items()):
        own = resolve(p.spec, chain, on).own
        if own is None:
            continue
        if own.enabled:
            packs[name] = _tidy(dict(own.overrides))
        elif own.overrides:
            defaults[name] = _tidy(dict(own.overrides))
        if own.locks:
            locks[name] = sorted(own.locks)
    out["packs"] = packs
    if defaults:
        out["pack_defaults"] = defaults
    if locks:
        out["pack_locks"] = locks
    return out


def _tidy(value: Any) -> Any:
    """Settings as a person writes them: 3.0 -> 3 (JSON columns may keep either), tuples as lists."""
    if isinstance(value, dict):
        return {k: _tidy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_tidy(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def export_text(data: dict[str, Any]) -> str:
    head = f"# {data['name']} — exported by `govhall tenants export`; apply with `govhall tenants apply`.\n"
    return head + dump(data)
