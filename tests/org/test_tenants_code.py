"""Tenants as code (issue 12): ``govhall tenants plan|apply|export`` round trips, drift, and bad files reported with
file and line while nothing is written."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from govhall.domain.org.tenant_files import installed_packs
from govhall.domain.org.tenant_yaml import ROOT, TenantFileError, read_dir
from govhall.domain.org.tenants_code import export, export_text, sync
from govhall.packs.services import Actor, save_version
from govhall.tenancy import system_scope, tenant_scope
from govhall.tenancy.engine import create_engine
from govhall.tenancy.models import Tenant
from tests.conftest import TestDatabase, fresh_database

START = dt.date(2026, 1, 1)
DEMO_CODES = ("420000", "421100", "421121", "421123", "421121-101")


@pytest.fixture(scope="module")
def db_a() -> Iterator[TestDatabase]:
    yield from fresh_database()


@pytest.fixture(scope="module")
def db_b() -> Iterator[TestDatabase]:
    yield from fresh_database()


async def _apply(url: str, directory: Path, **kw) -> object:  # type: ignore[no-untyped-def]
    engine = create_engine(url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            docs = read_dir(directory, installed_packs())
            plan = await sync(session, docs, effective_from=START, password="Tac#2026pass", commit=False, **kw)
            assert not plan.problems, plan.lines()
            return await sync(session, docs, effective_from=START, password="Tac#2026pass", commit=True, **kw)
    finally:
        await engine.dispose()


async def _export_all(url: str, out: Path) -> dict[str, str]:
    engine = create_engine(url)
    texts = {}
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            for code in DEMO_CODES:
                texts[code] = export_text(await export(session, code, dt.date(2026, 6, 1)))
                (out / f"{DEMO_CODES.index(code)}_{code}.yaml").write_text(texts[code], encoding="utf-8")
    finally:
        await engine.dispose()
    return texts


async def test_export_apply_export_is_identical(db_a, db_b, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """tenants/ applied to an empty database, exported, applied to another empty database and exported again:
    the same text, and the second database's plan shows no drift."""
    report = await _apply(db_a.owner_url, ROOT)
    assert [t.division_code for t in report.tenants if t.created] == ["420000", "421100", "421121", "421123",
                                                                       "421121-101"]
    first = await _export_all(db_a.owner_url, tmp_path)
    county = first["421121"]
    assert "parent: '421100'" in county or 'parent: "421100"' in county
    assert "punch_open_before_minutes: 60" in county and "missing_punch: missed_punch" in county
    assert "pack_locks:" in first["420000"] and "use_statutory_calendar" in first["420000"]
    await _apply(db_b.owner_url, tmp_path)
    (tmp_path / "b").mkdir()
    again = await _export_all(db_b.owner_url, tmp_path / "b")
    for code in DEMO_CODES:
        assert again[code].splitlines() == first[code].splitlines(), code
    engine = create_engine(db_b.owner_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            plan = await sync(session, read_dir(tmp_path, installed_packs()), effective_from=dt.date(2026, 6, 1),
                              commit=False)
            assert not plan.problems and not plan.drift, plan.lines()
    finally:
        await engine.dispose()


def _cli(db: TestDatabase, *args: str) -> object:
    from govhall.cli import main
    from govhall.config import get_settings

    env = {"GOVHALL_DATABASE_URL": db.owner_url, "GOVHALL_MIGRATION_DATABASE_URL": db.owner_url}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        get_settings.cache_clear()


def test_plan_check_detects_drift(db_a) -> None:  # type: ignore[no-untyped-def]
    """After apply, ``plan --check`` exits 0; a rule changed in the database (as on the rules page) is drift:
    exit 1, and the plan names the tenant, the pack and the field it would set back."""
    import asyncio

    done = _cli(db_a, "tenants", "apply", "--password", "Tac#2026pass", "--effective-from", "2026-01-01")
    assert done.exit_code == 0, done.output
    ok = _cli(db_a, "tenants", "plan", "--check", "--quiet")
    assert ok.exit_code == 0, ok.output
    assert "0 of 5 tenant(s) would change" in ok.output

    async def drift() -> None:
        engine = create_engine(db_a.owner_url)
        try:
            async with async_sessionmaker(engine, expire_on_commit=False)() as session:
                with system_scope():
                    county = await session.scalar(select(Tenant).where(Tenant.division_code == "421121"))
                with tenant_scope(county.id):
                    await save_version(session, county.id, "work_hours", effective_from=dt.date.today(), enabled=True,
                                       overrides={"punch_open_before_minutes": 30}, actor=Actor(None, "test"),
                                       can_lock=False)
                    await session.commit()
        finally:
            await engine.dispose()

    asyncio.run(drift())
    bad = _cli(db_a, "tenants", "plan", "--check", "--quiet", "--tenant", "421121")
    assert bad.exit_code == 1, bad.output
    assert "~ 团风县政务服务中心 (421121)" in bad.output
    assert "pack work_hours" in bad.output and "punch_open_before_minutes: 30 -> 60" in bad.output
    fixed = _cli(db_a, "tenants", "apply", "--tenant", "421121")
    assert fixed.exit_code == 0, fixed.output
    assert _cli(db_a, "tenants", "plan", "--check", "--quiet").exit_code == 0


def _write(tmp: Path, name: str, text: str) -> None:
    (tmp / name).write_text(text, encoding="utf-8")


LOCKED = """\
key: xishui
parent: "421100"
name: 浠水县政务服务中心
level: county
division_code: "421125"
departments:
  - {name: 县市场监督管理局, windows: [{number: "01", name: 登记窗口}]}
packs:
  work_hours:
    punch_open_before_minutes: 45
    use_statutory_calendar: false
  leave_quotas:
    allow_retroactive: true
"""


async def test_a_locked_field_is_refused_with_its_file_and_line(demo, owner_session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The province locks work_hours.use_statutory_calendar and leave_quotas.allow_retroactive (tenants/00_province
    .yaml; seed 000 篇七 第四条 "严禁事后补假"): a county file setting them is refused at those lines, and nothing
    is written (not even the tenant)."""
    _write(tmp_path, "xishui.yaml", LOCKED)
    docs = read_dir(tmp_path, installed_packs())
    plan = await sync(owner_session, docs, effective_from=dt.date.today(), commit=False)
    where = sorted((p.file, p.line) for p in plan.problems)
    assert where == [("xishui.yaml", 11), ("xishui.yaml", 13)], [str(p) for p in plan.problems]
    assert "locked" in str(plan.problems[0]) and "湖北省" in str(plan.problems[0])
    with system_scope():
        assert await owner_session.scalar(select(Tenant.id).where(Tenant.division_code == "421125")) is None
    await owner_session.commit()


BAD = {
    "a.yaml": """\
key: a
parent: nowhere
name: 甲中心
level: county
division_code: "421190"
packs:
  no_such_pack: {}
""",
    "b.yaml": """\
key: b
parent: nowhere
name: 乙中心
level: county
division_code: "421190"
staff:
  - {name: 张三, employee_no: B1, department: 不存在的部门}
""",
}


def test_bad_files_report_every_problem_with_file_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name, text in BAD.items():
        _write(tmp_path, name, text)
    with pytest.raises(TenantFileError) as err:
        read_dir(tmp_path, installed_packs())
    found = sorted((p.file, p.line, p.en.split(" ")[0]) for p in err.value.problems)
    assert ("a.yaml", 7, "unknown") in found  # the pack
    assert ("b.yaml", 5, "division_code") in found  # the same division code as a.yaml
    assert ("b.yaml", 7, "department") in found


async def test_a_bad_setting_and_a_missing_parent(demo, owner_session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A value the pack refuses is reported at its line; a parent that is neither a file nor a tenant too."""
    _write(tmp_path, "c.yaml", """\
key: c
parent: "421100"
name: 丙中心
level: county
division_code: "421191"
packs:
  work_hours:
    punch_open_before_minutes: -5
""")
    _write(tmp_path, "d.yaml", """\
key: d
parent: "429999"
name: 丁中心
level: county
division_code: "421192"
""")
    plan = await sync(owner_session, read_dir(tmp_path, installed_packs()), effective_from=dt.date.today(),
                      commit=False)
    where = sorted((p.file, p.line) for p in plan.problems)
    assert where == [("c.yaml", 8), ("d.yaml", 2)], [str(p) for p in plan.problems]
    with system_scope():
        n = await owner_session.scalar(select(func.count(Tenant.id)).where(Tenant.division_code.in_(["421191", "421192"])))
    assert n == 0
    await owner_session.commit()


def test_the_schema_file_is_current() -> None:
    """tenants/tenant.schema.json is what ``govhall tenants schema`` prints for the installed packs, and it names
    every key the reader accepts."""
    import json

    from govhall.domain.org.tenant_schema import tenant_file_schema
    from govhall.domain.org.tenant_yaml import TENANT_KEYS

    schema = json.loads(json.dumps(tenant_file_schema(), ensure_ascii=False))
    assert json.loads((ROOT / "tenant.schema.json").read_text(encoding="utf-8")) == schema
    assert set(schema["properties"]) == TENANT_KEYS
    assert set(schema["properties"]["packs"]["properties"]) == installed_packs()
