"""Calendar coverage: on 2026-11-21 the installed chinesecalendar (1.11) ends with 2026, so 2027 must be entered
before 1 January or every center's attendance stops (409 ``calendar_year_missing``). Checked per tenant, warned in
advance, covered once for a whole province; plus what the own-calendar form refuses.

Seed 002 上班请销假制度 一: 实行每周五天工作制，双休日及国家法定节假日 — the statutory holidays decide the workdays,
so a year without them cannot be evaluated, only guessed (and guessing is what we never do). The 2027 dates below
are test inputs, not the official arrangement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import msgspec
import pytest

from govhall.clock import set_clock
from govhall_packs.work_hours import logic
from govhall_packs.work_hours.settings import WorkHoursSettings
from tests.attendance.centers import set_pack
from tests.conftest import csrf_headers, login
from tests.packs.province_tree import make_province

CST = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 11, 21, 9, 0, tzinfo=CST)  # a Saturday, 41 days before 2027
TEST_2027 = {"year": 2027, "holidays": ["2027-01-01", "2027-01-02", "2027-01-03"], "workdays": []}


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    set_clock(TODAY)
    yield
    set_clock(None)


def _settings(**overrides):  # type: ignore[no-untyped-def]
    return msgspec.convert(overrides, WorkHoursSettings)


def test_package_years_and_own_years() -> None:
    """chinesecalendar 1.11 carries 2026, not 2027; an own entry for 2027 covers it; no statutory calendar, no need."""
    assert [(c.year, c.status) for c in logic.coverage(WorkHoursSettings(), [2026, 2027])] == [
        (2026, "package"), (2027, "missing")]
    assert [c.status for c in logic.coverage(_settings(own_calendar=[TEST_2027]), [2027])] == ["own_calendar"]
    assert [c.status for c in logic.coverage(_settings(use_statutory_calendar=False), [2027])] == ["not_used"]


def test_own_calendar_checks_name_the_list_and_the_dates() -> None:
    bad = _settings(own_calendar=[
        {"year": 2027, "holidays": ["2027-01-01", "2027-01-01", "2026-12-31", "2027-02-06"],
         "workdays": ["2027-02-06", "2027-02-08"]},  # 02-06 is a Saturday, 02-08 a Monday
        {"year": 2028},
    ])
    found = {(p.field, p.en) for p in bad.problems()}
    assert ("own_calendar[0].holidays", "2027-01-01 entered twice") in found
    assert ("own_calendar[0].holidays", "2026-12-31 not in 2027") in found
    assert ("own_calendar[0].workdays", "2027-02-06 is both a day off and an adjusted workday") in found
    assert any(f == "own_calendar[0].workdays" and "2027-02-08" in en and "Monday-Friday" in en for f, en in found)
    assert ("own_calendar[1].holidays", "No days off entered for 2028") in found
    assert _settings(own_calendar=[{**TEST_2027, "workdays": ["2027-01-09"]}]).problems() == []


def test_problems_name_the_place_in_the_form() -> None:
    """A center admin reads where to look in the form's own words, not a field path."""
    from govhall.packs.manager import get_host
    from govhall.packs.resolve import defaults_json
    from govhall.packs.validation import check_overrides

    spec = get_host().get("work_hours").spec  # type: ignore[union-attr]
    _clean, _merged, problems = check_overrides(
        spec, {"own_calendar": [{**TEST_2027, "workdays": ["2027-01-08"]}]}, defaults_json(spec))
    assert [p.field for p in problems] == ["own_calendar[0].workdays"]
    assert problems[0].zh.startswith("「本中心节假日日历」第 1 项 › 调休上班日期：2027-01-08 是周一至周五")
    assert problems[0].en.startswith("Own holiday calendar #1 › Adjusted workdays: 2027-01-08 falls on Monday-Friday")


def test_the_form_schema_guides_the_entry() -> None:
    """Dates are typed as dates (format date, unique), titled for people, and rendered with the date-list widget."""
    from govhall.packs.jsonschema import settings_schema
    from govhall.packs.manager import get_host

    spec = get_host().get("work_hours").spec  # type: ignore[union-attr]
    schema = settings_schema(spec, "zh-CN")
    year = schema["$defs"]["YearCalendar"]["properties"]
    assert year["holidays"]["items"] == {"type": "string", "format": "date"} and year["holidays"]["uniqueItems"]
    assert "周六、周日" in year["holidays"]["description"]
    assert "省级录入一次" in schema["properties"]["own_calendar"]["description"]
    assert schema["properties"]["calendar_warning_days"]["default"] == 60
    en = settings_schema(spec, "en")["$defs"]["YearCalendar"]["properties"]
    assert en["workdays"]["title"] == "Adjusted workdays"
    assert spec.ui_schema["own_calendar"]["items"]["holidays"] == {"ui:widget": "dateList"}


async def _coverage(client, tenant_id, **params):  # type: ignore[no-untyped-def]
    r = await client.get(f"/api/t/{tenant_id}/calendar-coverage", params=params)
    assert r.status_code == 200, r.text
    return r.json()


async def _as(client, username: str) -> None:  # type: ignore[no-untyped-def]
    client.cookies.clear()
    await login(client, username)


async def test_nothing_entered_warns_then_the_province_covers_every_center(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """2026-11-21: 2027 is 41 days away and missing, within the default 60-day window; after the province saves its
    2027 calendar effective today, every center below inherits it and the warning is gone."""
    prov = await make_province(owner_session, demo)
    await _as(client, prov.county.users["admin"])
    body = await _coverage(client, prov.county.id)
    assert body["today"] == "2026-11-21"
    cov = body["coverage"]
    assert [(y["year"], y["status"]) for y in cov["years"]] == [(2026, "package"), (2027, "missing")]
    assert cov["years"][1]["missingFrom"] == "2027-01-01" and cov["years"][1]["field"] == "own_calendar"
    assert cov["warning"] and not cov["blocked"] and cov["warnDays"] == 60 and cov["missingFrom"] == "2027-01-01"

    await _as(client, prov.admin)
    body = await _coverage(client, prov.tenant.id, below="true")
    assert [y["status"] for y in body["coverage"]["years"]] == ["not_enabled", "not_enabled"]  # the office itself
    assert body["belowChecked"] == 3
    assert {c["tenant"]["id"] for c in body["below"]} == {str(c.id) for c in prov.centers}

    r = await client.post(f"/api/t/{prov.tenant.id}/packs/work_hours/versions", headers=csrf_headers(client),
                          json={"effectiveFrom": "2026-11-21", "enabled": False,
                                "overrides": {"own_calendar": [TEST_2027]}, "note": "国办发明电 2027 年放假安排"})
    assert r.status_code == 201, r.text

    body = await _coverage(client, prov.tenant.id, below="true")
    assert body["belowChecked"] == 3 and body["below"] == []
    for center in prov.centers:
        await _as(client, center.users["admin"])
        cov = (await _coverage(client, center.id))["coverage"]
        assert not cov["warning"] and not cov["blocked"] and cov["missingFrom"] is None
        upcoming = cov["years"][1]
        assert upcoming["status"] == "own_calendar" and upcoming["source"]["tenantId"] == str(prov.tenant.id)


async def test_a_calendar_scheduled_for_new_year_counts(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Saved today with effect from 2027-01-01 (the usual way to add a year): nothing is missing on any day."""
    prov = await make_province(owner_session, demo)
    await set_pack(owner_session, prov.tenant.id, "work_hours", {"own_calendar": [TEST_2027]}, enabled=False,
                   effective_from=dt.date(2027, 1, 1))
    await _as(client, prov.township.users["admin"])
    cov = (await _coverage(client, prov.township.id))["coverage"]
    assert cov["years"][1]["status"] == "own_calendar" and not cov["warning"]


async def test_the_warning_window_is_a_setting(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """With 30 days, 41 days before 2027 is too early to warn; the gap is still reported."""
    prov = await make_province(owner_session, demo)
    await set_pack(owner_session, prov.other_county.id, "work_hours", {"calendar_warning_days": 30})
    await _as(client, prov.other_county.users["admin"])
    cov = (await _coverage(client, prov.other_county.id))["coverage"]
    assert cov["warnDays"] == 30 and cov["missingFrom"] == "2027-01-01" and not cov["warning"]


async def test_a_center_with_its_own_list_is_not_covered_by_the_province(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Settings inherit per top-level field: a county's own ``own_calendar`` replaces the province's, so the
    province's 2027 does not reach it, and the provincial admin is told which center that is."""
    prov = await make_province(owner_session, demo)
    await set_pack(owner_session, prov.tenant.id, "work_hours", {"own_calendar": [TEST_2027]}, enabled=False,
                   effective_from=dt.date(2026, 11, 21))
    own_2026 = {"year": 2026, "holidays": ["2026-01-01"], "workdays": []}
    await set_pack(owner_session, prov.other_county.id, "work_hours", {"own_calendar": [own_2026]},
                   effective_from=dt.date(2026, 11, 21))
    await _as(client, prov.admin)
    body = await _coverage(client, prov.tenant.id, below="true")
    assert [c["tenant"]["id"] for c in body["below"]] == [str(prov.other_county.id)]
    assert body["below"][0]["years"][0]["status"] == "own_calendar"  # its 2026 comes from its own list


async def test_coverage_of_another_tenant_is_denied(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Cross-tenant: a center admin reads only the own center, even with below=true; a provincial admin only the
    own province; clerks have no access (they meet the explained 409 on their own pages)."""
    prov = await make_province(owner_session, demo)
    await _as(client, prov.county.users["admin"])
    for other in (prov.other_county.id, prov.township.id, prov.tenant.id, demo["420000"].id):
        assert (await client.get(f"/api/t/{other}/calendar-coverage")).status_code == 403
    body = await _coverage(client, prov.county.id, below="true")
    assert body["belowChecked"] == 0 and body["below"] == []  # the township below is not the county admin's
    await _as(client, prov.county.users["clerk"])
    assert (await client.get(f"/api/t/{prov.county.id}/calendar-coverage")).status_code == 403
    await _as(client, prov.admin)
    assert (await client.get(f"/api/t/{demo['420000'].id}/calendar-coverage")).status_code == 403
    await _as(client, "county_admin")
    assert (await client.get(f"/api/t/{prov.county.id}/calendar-coverage")).status_code == 403
