"""Issue 12 / seed-coverage D-1: the onboarding template is applied (packs on, settings version 1 from the
onboarding day, in the onboarding transaction); a platform admin creates provinces."""

from __future__ import annotations

import uuid

from govhall.clock import set_clock
from govhall.packs.cache import forget
from tests.conftest import csrf_headers, login

CITY = "421100"


def _code() -> str:
    return f"4211{uuid.uuid4().int % 90 + 10:02d}-{uuid.uuid4().hex[:6]}"


async def _onboard(client, parent_id, template: str):  # type: ignore[no-untyped-def]
    body = {"level": "county", "divisionCode": _code(), "name": "浠水县政务服务中心", "template": template,
            "adminUsername": f"xs_{uuid.uuid4().hex[:8]}", "adminDisplayName": "浠水管理员"}
    r = await client.post(f"/api/t/{parent_id}/tenants", json=body, headers=csrf_headers(client))
    assert r.status_code == 201, r.text
    return r.json()


async def test_county_hall_template_is_applied_at_onboarding(client, demo) -> None:  # type: ignore[no-untyped-def]
    """seed 000 篇六 七、一)1 上午8:30至12:00、下午14:30至18:00 (tenants/templates/county_hall.yaml): the new county
    has the template's five packs as version 1 from today, and its calendar and board answer at once."""
    set_clock(None)
    await login(client, "prov_admin")
    body = await _onboard(client, demo[CITY].id, "county_hall")
    tid = body["tenant"]["id"]
    packs = {p["name"]: p for p in (await client.get(f"/api/t/{tid}/packs")).json()}
    enabled = sorted(n for n, p in packs.items() if p["enabled"])
    assert enabled == ["attendance_rules", "complaints", "leave_quotas", "patrols", "point_values", "red_flag",
                       "uniform_seasons", "work_hours"]
    assert {p["settingsVersion"] for n, p in packs.items() if p["enabled"]} == {1}
    wh = (await client.get(f"/api/t/{tid}/packs/work_hours")).json()
    assert wh["effectiveFrom"] == wh["today"]
    assert wh["overrides"]["punch_open_before_minutes"] == 60
    day = wh["today"]
    r = await client.get(f"/api/t/{tid}/calendar", params={"start": day, "end": day})
    assert r.status_code == 200, r.text
    versions = (await client.get(f"/api/t/{tid}/packs/work_hours/versions")).json()
    assert versions[0]["changedBy"] == "省级管理员" and "county_hall" in versions[0]["note"]
    assert (await client.get(f"/api/t/{tid}/attendance/board")).status_code == 200
    forget()


async def test_blank_template_enables_nothing(client, demo) -> None:  # type: ignore[no-untyped-def]
    set_clock(None)
    await login(client, "prov_admin")
    tid = (await _onboard(client, demo[CITY].id, "blank"))["tenant"]["id"]
    packs = (await client.get(f"/api/t/{tid}/packs")).json()
    assert not any(p["enabled"] for p in packs)


async def test_platform_admin_creates_a_province(client, demo) -> None:  # type: ignore[no-untyped-def]
    """POST /api/platform/provinces: platform admins only; a province code is 6 digits ending in 0000; codes are
    unique; the new province then gets its provincial admin (one-time password) and appears in the tree."""
    code = f"{uuid.uuid4().int % 40 + 50}0000"
    await login(client, "prov_admin")
    r = await client.post("/api/platform/provinces", json={"name": "湖南省政务服务中心", "divisionCode": code},
                          headers=csrf_headers(client))
    assert r.status_code == 403
    await client.post("/api/auth/logout", headers=csrf_headers(client))
    await login(client, "platform_admin")
    r = await client.post("/api/platform/provinces", json={"name": "湖南省政务服务中心", "divisionCode": "431100"},
                          headers=csrf_headers(client))
    assert r.status_code == 400 and r.json()["fields"][0]["field"] == "divisionCode"
    r = await client.post("/api/platform/provinces", json={"name": "湖南省政务服务中心", "divisionCode": code},
                          headers=csrf_headers(client))
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    assert r.json()["level"] == "province" and r.json()["parentId"] is None
    again = await client.post("/api/platform/provinces", json={"name": "重复", "divisionCode": code},
                              headers=csrf_headers(client))
    assert again.status_code == 409
    assert code in {t["divisionCode"] for t in (await client.get("/api/tenants", params={"searchString": code})).json()["tenants"]}
    admin = f"hn_{uuid.uuid4().hex[:6]}"
    r = await client.post(f"/api/platform/provinces/{pid}/admins", json={"username": admin, "displayName": "湖南管理员"},
                          headers=csrf_headers(client))
    assert r.status_code == 201, r.text
    otp = r.json()["oneTimePassword"]
    await client.post("/api/auth/logout", headers=csrf_headers(client))
    me = await login(client, admin, otp)
    assert me["mustChangePassword"] is True
    r = await client.post("/api/auth/password", json={"currentPassword": otp, "newPassword": "Hunan#Pass2026"},
                          headers=csrf_headers(client))
    assert r.status_code == 200, r.text
    audit = (await client.get(f"/api/t/{pid}/audit")).text
    assert "tenant.create" in audit and "provincial_admin.appoint" in audit


async def test_overview_of_the_centers_below(client, demo) -> None:  # type: ignore[no-untyped-def]
    """The province sees every center below with its packs and calendar state; a county admin its townships
    (read-only summaries); a clerk is refused."""
    set_clock(None)
    await login(client, "prov_admin")
    r = await client.get(f"/api/t/{demo['420000'].id}/overview")
    assert r.status_code == 200, r.text
    centers = {c["divisionCode"]: c for c in r.json()["centers"]}
    assert {"421100", "421121", "421123", "421121-101"} <= set(centers)
    # the township runs the points pack sanctions-only (tenants/templates/township.yaml, seed 001 四(二)); no patrols
    assert "work_hours" in centers["421121"]["packs"] and "patrols" not in centers["421121-101"]["packs"]
    assert "point_values" in centers["421121-101"]["packs"]
    assert centers["421121"]["staff"] >= 4
    await client.post("/api/auth/logout", headers=csrf_headers(client))
    await login(client, "county_admin")
    r = await client.get(f"/api/t/{demo['421121'].id}/overview")
    assert r.status_code == 200
    assert "421121-101" in {c["divisionCode"] for c in r.json()["centers"]}
    assert (await client.get(f"/api/t/{demo['421100'].id}/overview")).status_code == 403
    await client.post("/api/auth/logout", headers=csrf_headers(client))
    await login(client, "county_clerk")
    assert (await client.get(f"/api/t/{demo['421121'].id}/overview")).status_code == 403


async def test_overview_shows_unclosed_leave_and_score_bands(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """A center's row carries its leave awaiting 销假 (approved, ended, not closed), its leave unclosed this month
    (the closure deadline passed: seed 002 上班请销假制度) and the score distribution of its latest closed month:
    scores 95, 85, 72 and 55 -> one in each band, average 76.8, lowest 55."""
    from datetime import date, datetime

    from govhall.domain.assessment.models import AssessmentMonth, Scorecard
    from govhall.domain.leave.models import LeaveRequest, LeaveStatus
    from govhall.tenancy import tenant_scope
    from tests.attendance.centers import make_center

    set_clock(datetime(2026, 4, 20, 10, 0).astimezone())
    c = await make_center(owner_session, demo, staff=4)
    staff = [c.staff[f"E00{i}"] for i in range(1, 5)]

    def leave(sid, status, start, due):  # type: ignore[no-untyped-def]
        return LeaveRequest(staff_id=sid, role="clerk", leave_type="personal", start_date=start, start_half="am",
                            end_date=start, end_half="pm", half_days=2, reason="事", status=status,
                            submitted_at=datetime(2026, 4, 1, 9, 0).astimezone(), submitted_on=date(2026, 4, 1),
                            submitted_half="am", rules_fingerprint="t", closure_due=due)

    with tenant_scope(c.id):
        owner_session.add_all([
            leave(staff[0], LeaveStatus.approved, date(2026, 4, 15), date(2026, 4, 22)),  # awaiting closure
            leave(staff[1], LeaveStatus.approved, date(2026, 4, 24), date(2026, 4, 28)),  # not ended yet
            leave(staff[2], LeaveStatus.unclosed, date(2026, 4, 8), date(2026, 4, 10)),  # unclosed this month
            leave(staff[3], LeaveStatus.unclosed, date(2026, 3, 9), date(2026, 3, 11)),  # last month's
        ])
        owner_session.add(AssessmentMonth(month=date(2026, 3, 1), status="published"))
        owner_session.add_all([Scorecard(month=date(2026, 3, 1), staff_id=sid, categories={}, total=t, deducted=100 - t,
                                         bonus=0, pay_yuan=0) for sid, t in zip(staff, (95, 85, 72, 55), strict=True)])
        await owner_session.commit()
    await login(client, "prov_admin")
    r = await client.get(f"/api/t/{demo['420000'].id}/overview")
    assert r.status_code == 200, r.text
    row = next(x for x in r.json()["centers"] if x["id"] == str(c.id))
    assert (row["leaveAwaitingClosure"], row["leaveUnclosed"]) == (1, 1)
    assert (row["scoreMonth"], row["scoreState"], row["scoreCount"]) == ("2026-03", "published", 4)
    assert (row["scoreAverage"], row["scoreLowest"]) == (76.8, 55)
    assert row["scoreBands"] == {"90+": 1, "80-89": 1, "60-79": 1, "<60": 1}
    county = next(x for x in r.json()["centers"] if x["divisionCode"] == "421121-101")
    assert county["scoreMonth"] is None and county["leaveUnclosed"] == 0
    set_clock(None)
