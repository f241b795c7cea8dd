"""Tenants as code (issue 12): removal is an explicit flag, and the leave keys (``leave_approvers``, ``backup_pairs``)
are applied by ``tenants apply`` like every other row (the demo loader is apply of tenants/).

Rows only in the database are listed as kept by a plain plan; ``--remove`` makes the staff leave, disables the
accounts, revokes the roles, removes the approvers and AB pairs and deletes the windows and departments, each
audited, and ``plan --check`` is then clean."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from govhall.audit.models import AuditEvent
from govhall.authz.models import RoleAssignment
from govhall.domain.identity.models import User
from govhall.domain.leave.models import ApproverAssignment
from govhall.domain.org.models import BackupPair, Department, Staff, StaffStatus, Window
from govhall.domain.org.tenant_yaml import ROOT
from govhall.tenancy import system_scope, tenant_scope
from govhall.tenancy.engine import create_engine
from govhall.tenancy.models import Tenant
from tests.conftest import TestDatabase, fresh_database
from tests.org.test_tenants_code import _cli

LUOTIAN = "421123"
EXTRA_DEPT = """  - name: 县医疗保障局
    code: YB
    windows: [{number: "12", name: 医保窗口}]
"""


@pytest.fixture(scope="module")
def db_r() -> Iterator[TestDatabase]:
    yield from fresh_database()


def _copy(tmp: Path) -> Path:
    out = tmp / "tenants"
    out.mkdir()
    for p in ROOT.glob("*.yaml"):
        shutil.copy(p, out / p.name)
    return out


def _edit(d: Path, name: str, *pairs: tuple[str, str]) -> None:
    p = d / name
    text = p.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    p.write_text(text, encoding="utf-8")


async def _state(url: str) -> dict[str, object]:
    engine = create_engine(url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            with system_scope():
                tid = await s.scalar(select(Tenant.id).where(Tenant.division_code == LUOTIAN))
            with tenant_scope(tid):
                users = {u.username: u for u in (await s.scalars(select(User))).all()}
                names = {u.id: n for n, u in users.items()}
                return {
                    "depts": sorted((await s.scalars(select(Department.name))).all()),
                    "windows": sorted((await s.scalars(select(Window.number))).all()),
                    "status": {p.employee_no: p.status for p in (await s.scalars(select(Staff))).all()},
                    "active": {n: u.is_active for n, u in users.items()},
                    "roles": sorted((names[r.user_id], r.role) for r in (await s.scalars(select(RoleAssignment))).all()
                                    if r.user_id in names),
                    "approvers": sorted((names[a.user_id], a.kind)
                                        for a in (await s.scalars(select(ApproverAssignment))).all()),
                    "pairs": len((await s.scalars(select(BackupPair))).all()),
                    "audit": [(e.action, (e.details or {}).get("source")) for e in
                              (await s.scalars(select(AuditEvent).order_by(AuditEvent.seq))).all()],
                }
    finally:
        await engine.dispose()


def test_removal_is_an_explicit_flag(db_r: TestDatabase, tmp_path: Path) -> None:
    """罗田 (tenants/30_luotian.yaml) with a second department, then the file without it, without 胡建国 (L003) and his
    account, without 王主任's center_admin role, without the deputy as approver and without the AB pair."""
    d = _copy(tmp_path)
    _edit(d, "30_luotian.yaml", ("departments:\n", "departments:\n" + EXTRA_DEPT))
    first = _cli(db_r, "tenants", "apply", "--dir", str(d), "--password", "Tac#2026pass", "--effective-from",
                 "2026-01-01")
    assert first.exit_code == 0, first.output
    before = asyncio.run(_state(db_r.owner_url))
    # the leave keys were applied by apply (002 上班请销假制度 五、六): no separate demo step
    assert before["approvers"] == [("luotian_deputy", "center_deputy_director"),
                                   ("luotian_director", "center_director"),
                                   ("luotian_inspector", "inspection_office")]
    assert before["pairs"] == 1 and before["depts"] == ["县不动产登记中心", "县医疗保障局"]

    d2 = d
    _edit(d2, "30_luotian.yaml", (EXTRA_DEPT, ""),
          ("  - {name: 胡建国, employee_no: L003, department: 县不动产登记中心}\n", ""),
          ("  - {username: luotian_chief, display_name: 胡建国, roles: [chief_representative], staff: L003}\n", ""),
          ("display_name: 主要领导 王主任, roles: [center_admin]}", "display_name: 主要领导 王主任, roles: []}"),
          ("  luotian_deputy: [center_deputy_director]\n", ""),
          ("backup_pairs: [[L001, L002]]", "backup_pairs: []"))

    kept = _cli(db_r, "tenants", "plan", "--dir", str(d2), "--tenant", LUOTIAN, "--check")
    assert kept.exit_code == 0, kept.output  # nothing only-in-the-database is drift without --remove
    for line in ("department 县医疗保障局 only in the database (kept; --remove deletes it)",
                 "window 12 only in the database (kept; --remove deletes it)",
                 "staff L003 only in the database (kept; --remove sets them 'left')",
                 "account luotian_chief only in the database (kept; --remove disables it)",
                 "role center_admin of luotian_director only in the database (kept; --remove revokes it)",
                 "leave approver center_deputy_director: luotian_deputy only in the database (kept",
                 "backup pair L001 / L002 only in the database (kept"):
        assert line in kept.output, (line, kept.output)
    assert asyncio.run(_state(db_r.owner_url)) == before  # a plan writes nothing

    planned = _cli(db_r, "tenants", "plan", "--dir", str(d2), "--tenant", LUOTIAN, "--remove", "--check")
    assert planned.exit_code == 1, planned.output
    for line in ("- staff L003 胡建国: status active -> left", "- account luotian_chief disabled",
                 "- role center_admin of luotian_director", "- leave approver center_deputy_director: luotian_deputy",
                 "- backup pair L001 / L002", "- window 12 医保窗口", "- department 县医疗保障局"):
        assert line in planned.output, (line, planned.output)
    assert asyncio.run(_state(db_r.owner_url)) == before

    done = _cli(db_r, "tenants", "apply", "--dir", str(d2), "--tenant", LUOTIAN, "--remove")
    assert done.exit_code == 0, done.output
    after = asyncio.run(_state(db_r.owner_url))
    assert after["depts"] == ["县不动产登记中心"] and after["windows"] == ["11"]
    assert after["status"] == {"L001": StaffStatus.active, "L002": StaffStatus.active, "L003": StaffStatus.left}
    assert after["active"]["luotian_chief"] is False and after["active"]["luotian_director"] is True
    assert ("luotian_director", "center_admin") not in after["roles"]
    assert ("luotian_chief", "chief_representative") in after["roles"]  # a disabled account keeps its rows
    assert after["approvers"] == [("luotian_director", "center_director"), ("luotian_inspector", "inspection_office")]
    assert after["pairs"] == 0
    new = after["audit"][len(before["audit"]):]  # type: ignore[arg-type]
    actions = {a for a, _src in new}
    assert {"staff.update", "user.disable", "role.revoke", "leave_approver.remove", "backup_pair.delete",
            "window.delete", "department.delete", "tenants_code.apply"} <= actions, new
    assert ("user.disable", "tenants-as-code") in new and ("role.revoke", "tenants-as-code") in new
    clean = _cli(db_r, "tenants", "plan", "--dir", str(d2), "--tenant", LUOTIAN, "--remove", "--check")
    assert clean.exit_code == 0, clean.output


BAD_EXTRAS = """\
key: xishui
parent: "421100"
name: 浠水县政务服务中心
level: county
division_code: "421125"
staff:
  - {name: 甲, employee_no: X1}
accounts:
  - {username: xishui_admin, display_name: 管理员, roles: [center_admin]}
leave_approvers:
  nobody_here: [center_director]
  xishui_admin: [the_boss]
backup_pairs: [[X1, X9]]
"""


def test_bad_leave_keys_are_reported_with_file_and_line(db_r: TestDatabase, tmp_path: Path) -> None:
    """An approver who is no account of the center, an unknown approver kind, an AB pair with an unknown employee
    number: three problems at their lines, exit 2, and apply creates nothing (not even the tenant)."""
    (tmp_path / "xishui.yaml").write_text(BAD_EXTRAS, encoding="utf-8")
    done = _cli(db_r, "tenants", "apply", "--dir", str(tmp_path), "--password", "Tac#2026pass")
    assert done.exit_code == 2, done.output
    assert "xishui.yaml:11: leave approver 'nobody_here' is not an account of this center" in done.output
    assert "xishui.yaml:12: approver kinds must be among" in done.output
    assert "xishui.yaml:13: employee number(s) X9 are not staff of this center" in done.output

    async def exists() -> bool:
        engine = create_engine(db_r.owner_url)
        try:
            async with async_sessionmaker(engine)() as s, s.begin():
                with system_scope():
                    return bool(await s.scalar(select(Tenant.id).where(Tenant.division_code == "421125")))
        finally:
            await engine.dispose()

    assert asyncio.run(exists()) is False
