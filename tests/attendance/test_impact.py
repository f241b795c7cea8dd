"""What-if (issue 12, seed-coverage D9): a candidate rule change's effect on last month, computed in memory.

Seed file 000 = shared/seeds/000_ce1629b0b06be5b0.txt (county hall 七、考勤规范): 10.5 当月迟到或早退4次以上的计旷工半天.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from govhall.clock import set_clock
from govhall.domain.attendance.evaluation import evaluate_month
from govhall.domain.attendance.models import AttendanceDay, AttendanceMonth
from govhall.domain.rulescode.impact import impact
from govhall.errors import AppError
from govhall.packs.cache import forget
from govhall.packs.models import PackSettingsVersion
from govhall.packs.services import Actor, save_version
from govhall.tenancy import tenant_scope
from tests.attendance.centers import make_center
from tests.attendance.conftest import CST
from tests.attendance.test_evaluation import fill_month, punch, workdays
from tests.conftest import csrf_headers, login
from tests.jobs.limits import small_limits

MARCH = date(2026, 3, 1)
APRIL_1 = datetime(2026, 4, 1, 10, 0, tzinfo=CST)


async def _counts(session) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    return (int(await session.scalar(select(func.count(AttendanceDay.id)))),
            int(await session.scalar(select(func.count(AttendanceMonth.id)))),
            int(await session.scalar(select(func.count(PackSettingsVersion.id)))))


async def test_what_if_equals_saving_and_re_evaluating(app_session, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """seed 000 七 10.5: E001 is 10 minutes late on 4 days of March 2026 -> 4 lates = half a day of absence. The
    candidate "late_grace_minutes: 15" clears all four (and the half day); the what-if says so per person, writes
    nothing, and equals saving the change and re-evaluating March (done in a transaction, rolled back)."""
    set_clock(APRIL_1)
    c = await make_center(owner_session, demo)
    days = workdays()
    late = days[:4]
    await fill_month(app_session, c, ["E001", "E002", "E003"], {("E001", d) for d in late})
    for d in late:
        await punch(app_session, c, "E001", d, "08:40", "12:00", "14:30", "18:00")
    with tenant_scope(c.id):
        before_counts = await _counts(app_session)
        r = await impact(app_session, c.id, "work_hours", enabled=True,
                         overrides={"late_grace_minutes": 15} | _hours(), locks=None,
                         month=None, can_lock=False)
        assert await _counts(app_session) == before_counts  # nothing written
        await app_session.rollback()
    assert r.month == MARCH and r.evaluated_through == date(2026, 3, 31) and r.days == 31
    people = {p.employee_no: p for p in r.people}
    assert set(people) == {"E001"}  # only E001's month changes
    e1 = people["E001"]
    assert (e1.before["late_count"], e1.before["total_absence_half_days"]) == (4, 1)
    assert (e1.after["late_count"], e1.after["total_absence_half_days"]) == (0, 0)
    assert e1.changed_days == 4 and {(d.day, d.before, d.after) for d in r.sample} == {(d, "late", "on_time") for d in late}
    assert r.totals_before["late_count"] - r.totals_after["late_count"] == 4

    # the same change, saved and evaluated for real (on a copy: rolled back)
    with tenant_scope(c.id):
        await save_version(app_session, c.id, "work_hours", effective_from=MARCH, enabled=True,
                           overrides={"late_grace_minutes": 15} | _hours(), actor=Actor(None, "test"),
                           can_lock=False, allow_past=True)
        await evaluate_month(app_session, c.id, MARCH, commit=False)
        keys = ("late_count", "early_count", "missed_punches", "total_absence_half_days", "on_time_days")
        rows = {m.staff_id: {k: getattr(m, k) for k in keys} for m in (await app_session.scalars(
            select(AttendanceMonth).where(AttendanceMonth.month == MARCH))).all()}
        await app_session.rollback()
    forget(c.id)
    assert len(rows) == r.staff
    for emp, sid in c.staff.items():
        if emp in people:
            assert rows[sid] == {k: people[emp].after[k] for k in keys}, emp
    for k in keys:
        assert sum(m[k] for m in rows.values()) == r.totals_after[k], k


def _hours() -> dict:  # type: ignore[type-arg]
    from tests.attendance.centers import COUNTY_HOURS

    return {"weekly_sessions": COUNTY_HOURS}


async def test_what_if_refuses_what_a_save_refuses(app_session, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Bad settings: the same field errors as a save (400 invalid_settings); a field locked by the province: 403."""
    set_clock(APRIL_1)
    c = await make_center(owner_session, demo)
    with tenant_scope(c.id):
        for overrides, code in (({"late_grace_minutes": -3}, "invalid_settings"),
                                ({"use_statutory_calendar": False}, "field_locked")):
            try:
                await impact(app_session, c.id, "work_hours", enabled=True, overrides=overrides, locks=None,
                             month=None, can_lock=False)
            except AppError as exc:
                assert exc.code == code
                assert code != "invalid_settings" or exc.fields[0]["field"].startswith("late_grace_minutes")
            else:
                raise AssertionError(overrides)
        await app_session.rollback()


async def test_impact_endpoint(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """POST /api/t/{t}/packs/{pack}/impact as the center admin: 200 with the per-person answer; a clerk: 403; an
    unknown month format: 400."""
    set_clock(APRIL_1)
    c = await make_center(owner_session, demo)
    await login(client, c.users["admin"])
    url = f"/api/t/{c.id}/packs/work_hours/impact"
    r = await client.post(url, json={"enabled": True, "overrides": {"late_grace_minutes": 15} | _hours()},
                          headers=csrf_headers(client))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["month"] == "2026-03" and body["days"] == 31 and body["settingsChanged"] is True
    assert body["staff"] == 5 and "lateCount" not in body["totalsBefore"]  # snake_case measure keys stay as sent
    r = await client.post(url, json={"enabled": True, "month": "2026/03"}, headers=csrf_headers(client))
    assert r.status_code == 400 and r.json()["code"] == "invalid_month"
    await client.post("/api/auth/logout", headers=csrf_headers(client))
    await login(client, c.users["clerk"])
    r = await client.post(url, json={"enabled": True}, headers=csrf_headers(client))
    assert r.status_code == 403


async def _province(owner_session) -> object:  # type: ignore[no-untyped-def]
    import uuid

    from govhall.domain.org.tenants import create_tenant
    from govhall.tenancy import system_scope
    from govhall.tenancy.models import TenantLevel

    with system_scope():
        prov = await create_tenant(owner_session, name="预览省", level=TenantLevel.province,
                                   division_code=f"{uuid.uuid4().int % 25 + 66}0000", parent=None)
        township = await create_tenant(owner_session, name="未启用规则的乡镇", level=TenantLevel.township,
                                       division_code=f"{prov.division_code[:2]}9901-01", parent=prov)
        await owner_session.commit()
    return prov, township


async def test_a_province_previews_a_locked_change_over_its_centers(app_session, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """seed 000 七 10.5 again, at province level: the province locks late_grace_minutes at 15 (its centers set 0).
    Center A (E001 10 minutes late on 4 March days: half a day of absence) loses its 4 lates and the half day;
    center B (always on time) is unchanged; a township without work_hours is not evaluated. Each sampled center's
    numbers equal saving the lock at the province and re-evaluating that center's March (rolled back). With no
    budget left after the first center, the other is listed as skipped."""
    from govhall.domain.rulescode.impact import subtree_impact

    set_clock(APRIL_1)
    prov, township = await _province(owner_session)
    a = await make_center(owner_session, demo, parent=prov)
    b = await make_center(owner_session, demo, parent=prov)
    late = workdays()[:4]
    await fill_month(app_session, a, ["E001", "E002"], {("E001", d) for d in late})
    for d in late:
        await punch(app_session, a, "E001", d, "08:40", "12:00", "14:30", "18:00")
    await fill_month(app_session, b, ["E001", "E002"])
    await app_session.commit()
    lock = {"enabled": False, "overrides": {"late_grace_minutes": 15}, "locks": ["late_grace_minutes"]}
    with tenant_scope(prov.id):
        tree = await subtree_impact(app_session, prov.id, "work_hours", month=None, can_lock=True,
                                    budget_seconds=60, **lock)
        await app_session.rollback()
    assert tree.month == MARCH and not tree.skipped
    assert [c.division_code for c in tree.unaffected] == [township.division_code]
    by = {c.tenant_id: c.impact for c in tree.centers}
    assert set(by) == {a.id, b.id}
    assert [p.employee_no for p in by[a.id].people] == ["E001"] and by[b.id].people == []
    e1 = by[a.id].people[0]
    assert (e1.before["late_count"], e1.before["total_absence_half_days"]) == (4, 1)
    assert (e1.after["late_count"], e1.after["total_absence_half_days"]) == (0, 0)
    assert tree.totals("totals_before")["late_count"] - tree.totals("totals_after")["late_count"] == 4

    with tenant_scope(prov.id):  # the same lock saved for real at the province, each center re-evaluated
        await save_version(app_session, prov.id, "work_hours", effective_from=MARCH, actor=Actor(None, "test"),
                           can_lock=True, allow_past=True, **lock)
    keys = ("late_count", "early_count", "missed_punches", "total_absence_half_days", "on_time_days")
    for c in (a, b):
        with tenant_scope(c.id):
            await evaluate_month(app_session, c.id, MARCH, commit=False)
            rows = (await app_session.scalars(select(AttendanceMonth).where(AttendanceMonth.month == MARCH))).all()
            for k in keys:
                assert sum(getattr(m, k) for m in rows) == by[c.id].totals_after[k], (c.id, k)
    await app_session.rollback()
    forget()

    with tenant_scope(prov.id):
        tight = await subtree_impact(app_session, prov.id, "work_hours", month=None, can_lock=True,
                                     budget_seconds=0, **lock)
        await app_session.rollback()
    assert len(tight.centers) == 1 and len(tight.skipped) == 1
    assert {tight.centers[0].tenant_id, tight.skipped[0].tenant_id} == {a.id, b.id}


async def test_subtree_impact_endpoint(client, demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """POST /api/t/{province}/packs/{pack}/impact?scope=subtree&budgetMs=N as the provincial admin: per-center
    totals (no people), the sampled, skipped and unaffected centers, the budget; a budget under 100 ms: 400. (The
    centers other tests made below the province count too: the background-job limit is lifted here.)"""
    small_limits(monkeypatch, centers=100_000)
    set_clock(APRIL_1)
    await login(client, "prov_admin")
    url = f"/api/t/{demo['420000'].id}/packs/work_hours/impact"
    body = {"enabled": False, "overrides": {"late_grace_minutes": 10}, "locks": ["use_statutory_calendar",
                                                                              "late_grace_minutes"]}
    r = await client.post(url + "?scope=subtree&budgetMs=100", json=body, headers=csrf_headers(client))
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["scope"] == "subtree" and out["budgetMs"] == 100 and out["people"] == []
    sampled = {c["divisionCode"] for c in out["centers"]}
    assert sampled and not sampled & {c["divisionCode"] for c in out["skipped"]}
    assert {"421100", "421121", "421123"} <= sampled | {c["divisionCode"] for c in out["skipped"]}
    assert all("peopleChanged" in c and "totalsAfter" in c for c in out["centers"])
    r = await client.post(url + "?scope=subtree&budgetMs=5", json=body, headers=csrf_headers(client))
    assert r.status_code == 400
