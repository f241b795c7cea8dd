"""Pack settings that survive a pack upgrade (docs/packs.md "Upgrading a pack").

Release 1.0.0 of the pack ``grace`` (schema 1) has ``late_grace`` (default 5) and ``early_grace`` (default 0); a
county saves ``late_grace = 10`` from 2026-01-01. Release 2.0.0 (schema 2, installed 2026-06-01) renames
``late_grace`` to ``grace_late_minutes`` and changes the default of ``early_grace`` to 3. March 2026 evaluates
exactly as before the upgrade (10 / 0); July uses the new default (10 / 3); the county's saved 10 is carried
over under the new name. Without a migration, or with a saved value the new release cannot take, resolution
says so (409), and nothing is dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated

import pytest
from sqlalchemy import select

from govhall.errors import AppError
from govhall.packs import PackSettings, PackSpec, SettingsMigration, hookimpl, label
from govhall.packs import history as releases
from govhall.packs.manager import get_host
from govhall.packs.models import PackSettingsVersion
from govhall.packs.services import Actor, hooks_by_span, record_releases, resolve_pack, save_version
from govhall.packs.types import LeaveProblem, LeaveRequest, TenantRules
from govhall.tenancy import tenant_scope
from tests.packs.conftest import request

ADMIN = Actor(None, "test")
JAN, MARCH, JUNE, JULY, AUG = (dt.date(2026, m, 1) for m in (1, 3, 6, 7, 8))


class GraceV1(PackSettings, frozen=True, kw_only=True):
    late_grace: Annotated[int, label("迟到宽限", "Late grace", ge=0, le=60)] = 5
    early_grace: Annotated[int, label("早退宽限", "Early grace", ge=0, le=60)] = 0


class GraceV2(PackSettings, frozen=True, kw_only=True):
    grace_late_minutes: Annotated[int, label("迟到宽限（分钟）", "Late grace (minutes)", ge=0, le=60)] = 5
    early_grace: Annotated[int, label("早退宽限", "Early grace", ge=0, le=60)] = 3


STEP_1_TO_2 = SettingsMigration(pack="grace", from_schema=1, defaults={"late_grace": 5, "early_grace": 0},
                                renamed={"late_grace": "grace_late_minutes"})


class _Grace:
    """An evaluation through the pack's hook: one problem per request, naming the grace in force."""

    @hookimpl
    def govhall_check_leave(self, rules: TenantRules, candidates: Sequence[LeaveRequest]) -> list[LeaveProblem]:
        s = rules.of("grace")
        late = getattr(s, "grace_late_minutes", None) or getattr(s, "late_grace", None)
        return [LeaveProblem(request_id=r.id, code=f"late={late},early={s.early_grace}", field=None, zh="", en="")
                for r in candidates]


class GraceRelease1(_Grace):
    PACK = PackSpec(name="grace", version="1.0.0", title_zh="宽限", title_en="Grace", description_zh="测试用",
                    description_en="for tests", settings=GraceV1)


class GraceRelease2(_Grace):
    PACK = PackSpec(name="grace", version="2.0.0", title_zh="宽限", title_en="Grace", description_zh="测试用",
                    description_en="for tests", settings=GraceV2, schema_version=2)

    @hookimpl
    def govhall_settings_migrations(self) -> list[SettingsMigration]:
        return [STEP_1_TO_2]


class GraceRelease2WithoutMigration(_Grace):
    PACK = GraceRelease2.PACK


class GraceRelease2ForgotTheRename(_Grace):
    PACK = GraceRelease2.PACK

    @hookimpl
    def govhall_settings_migrations(self) -> list[SettingsMigration]:
        return [SettingsMigration(pack="grace", from_schema=1, defaults=STEP_1_TO_2.defaults)]


@pytest.fixture
def installed():  # type: ignore[no-untyped-def]
    """Install a release of ``grace`` (replacing the one before), as a deployment would."""
    host = get_host()
    saved = releases._history.copy()

    def install(release: object) -> None:
        if host.get("grace") is not None:
            host.unregister("grace")
        host.register(release)

    try:
        yield install
    finally:
        if host.get("grace") is not None:
            host.unregister("grace")
        releases._history.clear()
        releases._history.update(saved)


async def _evaluate(session, tenant, start: dt.date, end: dt.date) -> list[str]:  # type: ignore[no-untyped-def]
    return [hooks.call("govhall_check_leave", candidates=[request()])[0].code
            for _s, _e, hooks in await hooks_by_span(session, tenant.id, start, end)]


async def _save(session, tenant, on: dt.date, **overrides) -> PackSettingsVersion:  # type: ignore[no-untyped-def]
    with tenant_scope(tenant.id):
        result = await save_version(session, tenant.id, "grace", effective_from=on, enabled=True,
                                    overrides=overrides, actor=ADMIN, can_lock=True, allow_past=True)
        await session.commit()
    return result.row


async def test_an_upgrade_keeps_past_months_and_carries_saved_values(installed, tree, owner_session) -> None:  # type: ignore[no-untyped-def]
    s, county = owner_session, tree.county
    installed(GraceRelease1())
    await record_releases(s, today=dt.date(2025, 12, 1))
    row = await _save(s, county, JAN, late_grace=10)
    assert (row.pack_version, row.schema_version) == ("1.0.0", 1)
    before = await _evaluate(s, county, MARCH, MARCH + dt.timedelta(days=30))
    assert before == ["late=10,early=0"]

    installed(GraceRelease2())
    await record_releases(s, today=JUNE)
    assert releases.schema_on("grace", MARCH, 2) == 1 and releases.schema_on("grace", JULY, 2) == 2

    # The earlier month evaluates exactly as it did; the saved 10 lives on under the new name.
    assert await _evaluate(s, county, MARCH, MARCH + dt.timedelta(days=30)) == before
    march = await resolve_pack(s, county.id, "grace", MARCH)
    assert (march.settings.grace_late_minutes, march.settings.early_grace) == (10, 0)
    assert march.fields["grace_late_minutes"].state == "overridden"
    # From the installation on, the new default applies; the saved value still does.
    assert await _evaluate(s, county, JULY, JULY + dt.timedelta(days=30)) == ["late=10,early=3"]

    # A save after the upgrade (the form sends the tenant's overrides, as it shows them: the new names).
    row = await _save(s, county, AUG, grace_late_minutes=10, early_grace=4)
    assert (row.pack_version, row.schema_version) == ("2.0.0", 2)
    assert row.overrides == {"grace_late_minutes": 10, "early_grace": 4}
    assert await _evaluate(s, county, AUG, AUG + dt.timedelta(days=30)) == ["late=10,early=4"]
    with tenant_scope(county.id):
        stored = (await s.scalars(select(PackSettingsVersion).where(PackSettingsVersion.pack == "grace")
                                  .order_by(PackSettingsVersion.version))).all()
    assert [(r.overrides, r.schema_version) for r in stored] == [
        ({"late_grace": 10}, 1), ({"grace_late_minutes": 10, "early_grace": 4}, 2)], "history is never rewritten"


async def test_without_a_migration_resolution_says_it_cannot(installed, tree, owner_session) -> None:  # type: ignore[no-untyped-def]
    s, township = owner_session, tree.township
    installed(GraceRelease1())
    await record_releases(s, today=dt.date(2025, 12, 1))
    await _save(s, township, JAN, late_grace=12)

    installed(GraceRelease2WithoutMigration())
    await record_releases(s, today=JUNE)
    for day in (MARCH, JULY):  # March: schema 1's defaults are unknown; July: the saved row is schema 1
        with pytest.raises(AppError) as err:
            await resolve_pack(s, township.id, "grace", day)
        assert err.value.status_code == 409 and err.value.code == "pack_settings_history_missing"
        assert "grace" in err.value.zh and "schema 1" in err.value.en


async def test_a_saved_value_the_new_release_cannot_take_is_not_dropped(installed, tree, owner_session) -> None:  # type: ignore[no-untyped-def]
    s, city = owner_session, tree.city
    installed(GraceRelease1())
    await record_releases(s, today=dt.date(2025, 12, 1))
    await _save(s, city, JAN, late_grace=7)

    installed(GraceRelease2ForgotTheRename())
    await record_releases(s, today=JUNE)
    with pytest.raises(AppError) as err:
        await resolve_pack(s, city.id, "grace", JULY)
    assert err.value.status_code == 409 and err.value.code == "pack_setting_unusable"
    assert err.value.details["field"] == "late_grace"
