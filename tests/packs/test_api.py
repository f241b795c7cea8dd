"""The pack API: catalogue, a tenant's rules with each field's state, saving versions, refusals, isolation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from govhall.clock import set_clock
from govhall.packs.models import PackSettingsVersion
from govhall.tenancy import tenant_scope
from tests.conftest import csrf_headers, login
from tests.packs.conftest import CITY, COUNTY, LUOTIAN, add_user

# "Today" of the rules is read from the app clock: a fixed Monday morning, so that no test sees the date change
# under it (a run near midnight in the halls) and the home page has a working day whatever day CI runs on.
NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def clock() -> Iterator[dt.datetime]:
    set_clock(NOW)
    yield NOW
    set_clock(None)


async def test_catalogue_lists_packs_versions_and_hooks(client) -> None:  # type: ignore[no-untyped-def]
    await login(client, "county_admin")
    r = await client.get("/api/packs")
    assert r.status_code == 200
    packs = {p["name"]: p for p in r.json()}
    assert packs["work_hours"]["hooks"] == ["govhall_calendar_coverage", "govhall_work_calendar"]
    assert packs["point_values"]["version"] == "1.2.0" and packs["point_values"]["title"]["zh"] == "百分制考核"
    assert packs["leave_quotas"]["distribution"] == "govhall-packs"


async def test_clerk_cannot_read_rules(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "county_clerk")
    assert (await client.get("/api/packs")).status_code == 403
    assert (await client.get(f"/api/t/{demo[COUNTY].id}/packs/work_hours")).status_code == 403


async def test_settings_show_where_each_value_comes_from(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "county_admin")
    tid = demo[COUNTY].id
    r = await client.get(f"/api/t/{tid}/packs/work_hours", params={"on": "2026-06-01"})
    assert r.status_code == 200, r.text
    body = r.json()
    fields = {f["name"]: f for f in body["fields"]}
    assert fields["weekly_sessions"]["state"] == "overridden"
    assert fields["use_statutory_calendar"]["state"] == "locked"
    assert fields["use_statutory_calendar"]["lockedBy"]["level"] == "province"
    assert fields["seasonal_variants"]["state"] == "inherited"
    assert body["enabled"] and body["canUpdate"] and not body["canLock"] and body["settingsVersion"] == 1
    assert body["jsonSchema"]["properties"]["late_grace_minutes"]["title"] == "迟到宽限（分钟）"
    en = (await client.get(f"/api/t/{tid}/packs/work_hours", params={"lang": "en"})).json()
    assert en["jsonSchema"]["properties"]["late_grace_minutes"]["title"] == "Late grace (minutes)"
    packs = {p["name"]: p for p in (await client.get(f"/api/t/{tid}/packs")).json()}
    assert packs["work_hours"]["enabled"] and packs["work_hours"]["locked"] == 1
    assert not packs["attendance_rules"]["enabled"] or packs["attendance_rules"]["settingsVersion"]


async def test_another_centers_rules_are_out_of_reach(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "county_admin")
    for code in (CITY, LUOTIAN):
        tid = demo[code].id
        assert (await client.get(f"/api/t/{tid}/packs")).status_code == 403
        assert (await client.get(f"/api/t/{tid}/packs/work_hours/versions")).status_code == 403
        r = await client.post(f"/api/t/{tid}/packs/work_hours/versions", headers=csrf_headers(client),
                              json={"effectiveFrom": "2030-01-01", "enabled": False})
        assert r.status_code == 403
        assert (await client.get(f"/api/t/{tid}/calendar", params={"start": "2026-06-01", "end": "2026-06-02"})
                ).status_code == 403


async def _count(session, tenant, pack: str) -> int:  # type: ignore[no-untyped-def]
    with tenant_scope(tenant.id):
        n = await session.scalar(select(func.count()).select_from(PackSettingsVersion)
                                 .where(PackSettingsVersion.pack == pack))
        await session.commit()
    return int(n or 0)


async def test_province_locks_center_saves_versions_and_refusals(client, tree, owner_session) -> None:  # type: ignore[no-untyped-def]
    """A provincial admin sets a default and a lock; a township center admin saves what is not locked, gets a
    clear refusal for what is, and nothing is saved by a request with any invalid field."""
    suffix = tree.province.division_code
    for t in tree.levels:
        await add_user(owner_session, t, f"p{suffix}{t.level.value[:2]}", "provincial_admin")
    await add_user(owner_session, tree.township, f"c{suffix}", "center_admin")
    prov_user = f"p{suffix}pr"

    await login(client, prov_user)
    base = f"/api/t/{tree.province.id}/packs/work_hours"
    today = dt.date.fromisoformat((await client.get(base)).json()["today"])
    assert today == NOW.date()
    r = await client.post(f"{base}/versions", headers=csrf_headers(client), json={
        "effectiveFrom": today.isoformat(), "enabled": False, "overrides": {"late_grace_minutes": 5},
        "locks": ["late_grace_minutes"], "note": "全省统一迟到宽限"})
    assert r.status_code == 201, r.text
    assert r.json()["changedBy"] == prov_user and {c["field"] for c in r.json()["changes"]} == {
        "late_grace_minutes", "@locks"}
    # The version records the release and settings schema it was saved under (docs/packs.md "Upgrading a pack").
    from govhall.packs.manager import get_host

    spec = get_host().packs["work_hours"].spec
    assert (r.json()["packVersion"], r.json()["schemaVersion"]) == (spec.version, spec.schema_version)
    listed = (await client.get(f"{base}/versions")).json()
    assert listed[-1]["packVersion"] == spec.version or listed[0]["packVersion"] == spec.version
    await client.post("/api/auth/logout", headers=csrf_headers(client))

    await login(client, f"c{suffix}")
    base = f"/api/t/{tree.township.id}/packs/work_hours"
    body = (await client.get(base)).json()
    late = next(f for f in body["fields"] if f["name"] == "late_grace_minutes")
    assert late["state"] == "locked" and late["lockedBy"]["tenantName"] == tree.province.name
    assert body["values"]["late_grace_minutes"] == 5 and not body["canLock"]

    before = await _count(owner_session, tree.township, "work_hours")
    r = await client.post(f"{base}/versions", headers=csrf_headers(client), json={
        "effectiveFrom": today.isoformat(), "enabled": True, "overrides": {"late_grace_minutes": 0}})
    assert r.status_code == 403 and r.json()["code"] == "field_locked"
    assert tree.province.name in r.json()["message"]["zh"] and r.json()["fields"][0]["field"] == "late_grace_minutes"

    r = await client.post(f"{base}/versions", headers=csrf_headers(client), json={
        "effectiveFrom": today.isoformat(), "enabled": True,
        "overrides": {"early_grace_minutes": 3, "punch_open_before_minutes": -5,
                      "weekly_sessions": [{"label": "上午", "start": "9:00", "end": "12:00"}]}})
    assert r.status_code == 400 and r.json()["code"] == "invalid_settings"
    assert {f["field"] for f in r.json()["fields"]} == {"punch_open_before_minutes", "weekly_sessions[0].start"}
    assert all(f["message"]["zh"] and f["message"]["en"] for f in r.json()["fields"])

    r = await client.post(f"{base}/versions", headers=csrf_headers(client), json={
        "effectiveFrom": (today - dt.timedelta(days=1)).isoformat(), "enabled": True,
        "overrides": {"early_grace_minutes": 3}})
    assert r.status_code == 400 and r.json()["code"] == "effective_date_in_past"

    r = await client.post(f"{base}/versions", headers=csrf_headers(client), json={
        "effectiveFrom": today.isoformat(), "enabled": True, "overrides": {}, "locks": ["early_grace_minutes"]})
    assert r.status_code == 403 and r.json()["code"] == "lock_not_allowed"
    assert await _count(owner_session, tree.township, "work_hours") == before

    preview = await client.post(f"{base}/preview", headers=csrf_headers(client), json={
        "effectiveFrom": today.isoformat(), "enabled": True, "overrides": {"early_grace_minutes": 3}})
    assert preview.status_code == 200
    assert [(c["field"], c["before"], c["after"]) for c in preview.json()["changes"]] == [
        ("@enabled", False, True), ("early_grace_minutes", None, 3)]
    assert await _count(owner_session, tree.township, "work_hours") == before

    later = today + dt.timedelta(days=10)
    for when, grace in ((today, 3), (later, 4)):
        r = await client.post(f"{base}/versions", headers=csrf_headers(client), json={
            "effectiveFrom": when.isoformat(), "enabled": True, "overrides": {"early_grace_minutes": grace},
            "note": f"早退宽限 {grace} 分钟"})
        assert r.status_code == 201, r.text
    history = (await client.get(f"{base}/versions")).json()
    assert [(v["version"], v["status"], v["overrides"]) for v in history] == [
        (2, "scheduled", {"early_grace_minutes": 4}), (1, "in_force", {"early_grace_minutes": 3})]
    assert history[0]["changedBy"] == f"c{suffix}" and history[0]["changes"][0]["title"]["zh"] == "早退宽限（分钟）"
    on_later = (await client.get(base, params={"on": later.isoformat()})).json()
    assert on_later["values"]["early_grace_minutes"] == 4 and on_later["settingsVersion"] == 2


async def test_settings_changes_are_audited(client, demo, owner_session, tree) -> None:  # type: ignore[no-untyped-def]
    from govhall.audit.models import AuditEvent

    await add_user(owner_session, tree.county, f"a{tree.province.division_code}", "center_admin")
    await login(client, f"a{tree.province.division_code}")
    base = f"/api/t/{tree.county.id}/packs/uniform_seasons"
    today = (await client.get(base)).json()["today"]
    r = await client.post(f"{base}/versions", headers=csrf_headers(client),
                          json={"effectiveFrom": today, "enabled": True, "overrides": {"badge_required": False}})
    assert r.status_code == 201, r.text
    with tenant_scope(tree.county.id):
        events = (await owner_session.scalars(select(AuditEvent).where(AuditEvent.action == "pack_settings.update"))).all()
        await owner_session.commit()
    assert len(events) == 1 and events[0].details["pack"] == "uniform_seasons"
    assert events[0].details["changes"][-1] == {"field": "badge_required", "before": None, "after": False}


async def test_home_page_today_and_the_calendar(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "county_clerk")
    tid = demo[COUNTY].id
    r = await client.get(f"/api/t/{tid}/today")
    assert r.status_code == 200
    body = r.json()
    assert body["day"] == "2026-06-01" and body["schedule"]["workday"]
    assert body["dressCode"]["seasonName"]["zh"] == "夏装"
    r = await client.get(f"/api/t/{tid}/calendar", params={"start": "2026-10-01", "end": "2026-10-10"})
    assert r.status_code == 200
    days = {d["day"]: d for d in r.json()}
    assert days["2026-10-01"]["reason"] == "statutory_holiday" and days["2026-10-10"]["reason"] == "adjusted_workday"
    assert days["2026-10-09"]["sessions"][0] == {"label": "上午", "start": "08:30", "end": "12:00", "openToPublic": True}
    r = await client.get(f"/api/t/{tid}/calendar", params={"start": "2026-10-10", "end": "2026-10-01"})
    assert r.status_code == 400 and r.json()["message"]["zh"]
    r = await client.get(f"/api/t/{tid}/dress-code", params={"start": "2026-07-01", "end": "2026-07-01"})
    assert r.status_code == 200 and r.json()[0]["seasonName"]["zh"] == "夏装"
