"""work_hours (作息时间): the demo centers' sessions from the seeds, statutory holidays and swaps, the error for
a year without calendar data, the center's own closures, and validation of what a center saves."""

from __future__ import annotations

import datetime as dt

import pytest

from govhall.errors import AppError
from govhall.packs.calendar import work_calendar
from govhall.packs.manager import get_host
from govhall.packs.resolve import defaults_json
from govhall.packs.types import PackRuleError
from govhall.packs.validation import check_overrides
from govhall.tenancy import tenant_scope
from govhall_packs.work_hours import logic
from govhall_packs.work_hours.settings import WorkHoursSettings
from tests.packs.conftest import CITY, COUNTY, LUOTIAN, TOWNSHIP

D = dt.date


def _hours(day):  # type: ignore[no-untyped-def]
    return [(s.label, s.start.strftime("%H:%M"), s.end.strftime("%H:%M"), s.open_to_public) for s in day.sessions]


async def _calendar(session, tenant, start, end):  # type: ignore[no-untyped-def]
    with tenant_scope(tenant.id):
        try:
            return await work_calendar(session, tenant.id, start, end)
        finally:
            await session.commit()


def test_2026_has_248_working_days() -> None:
    """Golden: Monday-Friday sessions with the State Council's 2026 holidays and swapped weekends (seed 002
    上班请销假制度 一: 实行每周五天工作制, 双休日及国家法定节假日) give 248 working days."""
    days = [D(2026, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    cal = logic.calendar(WorkHoursSettings(), days)
    assert sum(d.workday for d in cal.values()) == 248
    reasons = [d.reason for d in cal.values()]
    assert reasons.count("adjusted_workday") > 0 and reasons.count("statutory_holiday") > 0


def test_national_day_and_its_swapped_saturday() -> None:
    cal = logic.calendar(WorkHoursSettings(), [D(2026, 10, 1), D(2026, 10, 7), D(2026, 10, 8), D(2026, 10, 10),
                                               D(2026, 10, 11)])
    assert [(d.workday, d.reason) for d in cal.values()] == [
        (False, "statutory_holiday"), (False, "statutory_holiday"), (True, None), (True, "adjusted_workday"),
        (False, "weekend")]
    assert _hours(cal[D(2026, 10, 10)]) == _hours(cal[D(2026, 10, 8)])  # a swapped Saturday works like Monday


async def test_city_hall_friday_afternoon_is_internal_study(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    """Seed 000 篇一 七、考勤规范 1: 上午8:30-11:30、下午14:30-17:30；除国家法定节假日外，星期五下午内部学习，不对外办公."""
    cal = await _calendar(app_session, demo[CITY], D(2026, 6, 4), D(2026, 6, 5))
    assert _hours(cal[D(2026, 6, 4)]) == [("上午", "08:30", "11:30", True), ("下午", "14:30", "17:30", True)]
    assert _hours(cal[D(2026, 6, 5)]) == [("上午", "08:30", "11:30", True), ("内部学习", "14:30", "17:30", False)]
    assert cal[D(2026, 6, 5)].workday  # staff work (study); the public is not served


async def test_county_hall_hours_and_punch_windows(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    """Seed 000 篇六 七、一) 1: 上午8:30至12:00，下午14:30至18:00; 2: 打卡 "上午8:30前、中午12:00后，下午2:30前、18:00后"."""
    day = (await _calendar(app_session, demo[COUNTY], D(2026, 6, 8), D(2026, 6, 8)))[D(2026, 6, 8)]
    assert _hours(day) == [("上午", "08:30", "12:00", True), ("下午", "14:30", "18:00", True)]
    assert (day.punch_open_before_minutes, day.punch_close_after_minutes, day.late_grace_minutes) == (60, 60, 0)


async def test_luotian_summer_afternoons_half_an_hour_later(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    """Seed 002 上班请销假制度 二: 上午8:00—11:30，下午2:00—5:00（夏季下午延迟半小时）."""
    cal = await _calendar(app_session, demo[LUOTIAN], D(2026, 4, 30), D(2026, 5, 6))
    assert _hours(cal[D(2026, 4, 30)]) == [("上午", "08:00", "11:30", True), ("下午", "14:00", "17:00", True)]
    assert _hours(cal[D(2026, 5, 6)]) == [("上午", "08:00", "11:30", True), ("下午", "14:30", "17:30", True)]


async def test_two_centers_same_day_different_sessions(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    day = D(2026, 3, 2)
    county = (await _calendar(app_session, demo[COUNTY], day, day))[day]
    luotian = (await _calendar(app_session, demo[LUOTIAN], day, day))[day]
    assert county.sessions[0].start == dt.time(8, 30) and luotian.sessions[0].start == dt.time(8, 0)


async def test_township_inherits_the_county_hours(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    day = D(2026, 6, 8)
    township = (await _calendar(app_session, demo[TOWNSHIP], day, day))[day]
    assert _hours(township) == [("上午", "08:30", "12:00", True), ("下午", "14:30", "18:00", True)]


async def test_a_year_without_calendar_data_is_an_error_not_a_guess(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AppError) as err:
        await _calendar(app_session, demo[COUNTY], D(2026, 12, 28), D(2027, 1, 8))
    assert err.value.status_code == 409 and err.value.code == "calendar_year_missing"
    assert "2027" in err.value.zh and "本中心节假日日历" in err.value.zh and "2027" in err.value.en
    assert err.value.fields[0]["field"] == "own_calendar"


def test_own_calendar_covers_a_missing_year() -> None:
    """A center enters the State Council's notice for a year chinesecalendar lacks (here 2027)."""
    import msgspec

    s = msgspec.convert({"own_calendar": [{"year": 2027, "holidays": ["2027-01-01"], "workdays": ["2027-01-09"]}]},
                        WorkHoursSettings)
    cal = logic.calendar(s, [D(2027, 1, 1), D(2027, 1, 4), D(2027, 1, 9), D(2027, 1, 10)])
    assert [(d.workday, d.reason) for d in cal.values()] == [
        (False, "statutory_holiday"), (True, None), (True, "adjusted_workday"), (False, "weekend")]
    with pytest.raises(PackRuleError):
        logic.calendar(WorkHoursSettings(), [D(2027, 1, 4)])


def test_center_closures_and_extra_working_days_win() -> None:
    import msgspec

    s = msgspec.convert({"extra_closures": [{"date": "2026-06-09", "note": "停电"}],
                         "extra_workdays": [{"date": "2026-06-13", "note": "周末集中办理"}],
                         "late_grace_minutes": 5}, WorkHoursSettings)
    cal = logic.calendar(s, [D(2026, 6, 9), D(2026, 6, 13)])
    assert (cal[D(2026, 6, 9)].workday, cal[D(2026, 6, 9)].reason) == (False, "tenant_closure")
    assert (cal[D(2026, 6, 13)].workday, cal[D(2026, 6, 13)].reason) == (True, "tenant_extra_workday")
    assert cal[D(2026, 6, 13)].late_grace_minutes == 5


def test_what_a_center_saves_is_checked_field_by_field() -> None:
    spec = get_host().packs["work_hours"].spec
    base = defaults_json(spec)
    _, _, problems = check_overrides(spec, {
        "weekly_sessions": [{"label": "上午", "start": "8:30", "end": "11:30"}],
        "late_grace_minutes": 90,
    }, base)
    by_field = {p.field: p for p in problems}
    assert set(by_field) == {"weekly_sessions[0].start", "late_grace_minutes"}
    assert "HH:MM" in by_field["weekly_sessions[0].start"].zh and "每周作息" in by_field["weekly_sessions[0].start"].zh
    assert "Weekly sessions" in by_field["weekly_sessions[0].start"].en
    assert "不大于 60" in by_field["late_grace_minutes"].zh and "<= 60" in by_field["late_grace_minutes"].en
    _, _, problems = check_overrides(spec, {"weekly_sessions": [
        {"label": "上午", "start": "12:00", "end": "11:30", "weekdays": [6]},
        {"label": "上午", "start": "08:30", "end": "12:00"},
        {"label": "下午", "start": "11:00", "end": "17:30"}]}, base)
    assert [p.field for p in problems] == ["weekly_sessions[0].end", "weekly_sessions[2].start"]
    assert "应晚于开始时间" in problems[0].zh and "重叠" in problems[1].zh


async def test_one_hook_call_per_span_of_unchanged_rules(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    """A month of a center with settings unchanged all month costs one hook call."""
    calls = []
    undo = get_host().pm.add_hookcall_monitoring(
        lambda name, impls, kw: calls.append((name, len(kw.get("days", ())))), lambda *a: None)
    try:
        cal = await _calendar(app_session, demo[COUNTY], D(2026, 6, 1), D(2026, 6, 30))
    finally:
        undo()
    assert len(cal) == 30 and calls == [("govhall_work_calendar", 30)]
